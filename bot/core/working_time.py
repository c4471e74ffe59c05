"""When a person may be nudged: their working days and hours, in their own timezone.

``QUIET_HOURS`` ("19:00-08:00", or "off") and ``WORKING_DAYS`` ("mon-fri", "mon-sun",
"mon,wed,fri") are parsed here, for the environment, a workspace and a person alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import BadInput

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
QuietHours = tuple[time, time] | None  # from, to (may wrap past midnight); None: never quiet


@dataclass(frozen=True)
class WorkingTime:
    """A person's calendar as far as nudges go."""

    timezone: str  # IANA name
    quiet: QuietHours = (time(19, 0), time(8, 0))
    days: frozenset[int] = frozenset(range(5))  # 0 = Monday

    def is_working(self, at: datetime) -> bool:
        """Whether ``at`` (aware) falls on a working day, outside quiet hours, in this timezone.

        Quiet hours that wrap midnight belong to the day they fall on: with 19:00-08:00 and
        mon-fri, Saturday 07:00 is not working because Saturday is not a working day.
        """
        local = at.astimezone(self._zone)
        return local.weekday() in self.days and not self._is_quiet(local.time())

    def next_working(self, at: datetime) -> datetime:
        """``at`` itself when it is working time, else the start of the next working time (UTC).

        A working time starts at a working day's midnight or at the end of its quiet hours;
        the earliest such start after ``at`` that really is working time is the answer.
        Starts that fall in a DST gap resolve to the instant the clocks jump (fold=0).
        """
        if not self.days:
            raise ValueError("A calendar needs at least one working day.")
        if self.is_working(at):
            return at
        first_day = at.astimezone(self._zone).date()
        for offset in range(8):  # that day and the week after cover any set of working days
            for start in self._starts(first_day + timedelta(days=offset)):
                if start > at and self.is_working(start):
                    return start
        raise AssertionError("unreachable: some day of any nine is a working day")

    def working_days_before(self, at: datetime, days: int) -> datetime:
        """The moment ``days`` working days before ``at`` (same local time), for lead times."""
        if not self.days:
            raise ValueError("A calendar needs at least one working day.")
        local = at.astimezone(self._zone)
        day, counted = local.date(), 0
        while counted < days:
            day -= timedelta(days=1)
            counted += day.weekday() in self.days
        return self._at(day, local.time().replace(tzinfo=None))

    @property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _is_quiet(self, clock: time) -> bool:
        if self.quiet is None:
            return False
        start, end = self.quiet
        if start < end:
            return start <= clock < end
        return clock >= start or clock < end  # wraps midnight

    def _starts(self, day: date) -> list[datetime]:
        """The moments on ``day`` (local) where working time may begin, in UTC, in order."""
        times = [time(0, 0)] if self.quiet is None else [time(0, 0), self.quiet[1]]
        return [self._at(day, clock) for clock in times]

    def _at(self, day: date, clock: time) -> datetime:
        """The local ``clock`` time on ``day`` in UTC: its first occurrence when the clocks go
        back, and the moment they jump when it falls in a spring-forward gap (it never shows)."""
        naive = datetime.combine(day, clock)
        first = naive.replace(tzinfo=self._zone, fold=0).astimezone(UTC)
        second = naive.replace(tzinfo=self._zone, fold=1).astimezone(UTC)
        if second < first:  # a time the clocks skip
            return self._transition(between=(second, first))
        return first  # an ordinary time, or the first of the two times the clocks show it

    def _transition(self, *, between: tuple[datetime, datetime]) -> datetime:
        """The instant the UTC offset changes, between two moments on either side of it."""
        zone = self._zone
        before, after = (int(moment.timestamp()) for moment in between)
        new_offset = datetime.fromtimestamp(after, zone).utcoffset()
        while after - before > 1:  # offsets change on whole seconds
            middle = (before + after) // 2
            if datetime.fromtimestamp(middle, zone).utcoffset() == new_offset:
                after = middle
            else:
                before = middle
        return datetime.fromtimestamp(after, UTC)


def parse_quiet_hours(text: str) -> QuietHours:
    """ "19:00-08:00" → (19:00, 08:00); "off" → None. Raises BadInput saying what to write."""
    cleaned = text.strip().lower()
    if cleaned in ("off", "none", "no"):
        return None
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)", cleaned)
    if not match:
        raise BadInput(
            f"Quiet hours should look like 19:00-08:00 (or off), not {text.strip()!r}.",
            hint="Write two 24-hour times joined by a dash: 19:00-08:00.",
        )
    start = time(int(match.group(1)), int(match.group(2)))
    end = time(int(match.group(3)), int(match.group(4)))
    if start == end:
        raise BadInput(
            "Quiet hours must start and end at different times.",
            hint="Write off to allow nudges at any hour, or a range like 19:00-08:00.",
        )
    return start, end


def parse_working_days(text: str) -> frozenset[int]:
    """ "mon-fri", "mon-sun", "mon,wed,fri" (ranges and lists may mix) → weekday numbers."""
    days: set[int] = set()
    for part in re.split(r"[,\s]+", text.strip().lower()):
        if not part:
            continue
        ends = part.split("-")
        if len(ends) > 2 or any(end[:3] not in DAY_NAMES or not end for end in ends):
            raise BadInput(
                f"Working days should look like mon-fri or mon,wed,fri, not {text.strip()!r}.",
                hint="Use the first three letters of each day: mon tue wed thu fri sat sun.",
            )
        first, last = DAY_NAMES.index(ends[0][:3]), DAY_NAMES.index(ends[-1][:3])
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
        days.update(span)
    if not days:
        raise BadInput("Name at least one working day.", hint="For example: mon-fri.")
    return frozenset(days)


def describe_days(days: frozenset[int]) -> str:
    """The days as a person would write them: "mon-fri", "sun-thu", "mon,wed,fri"."""
    ordered = sorted(days)
    # A run of three or more days, also one across the week's end (a sun-thu week).
    starts = [day for day in ordered if (day - 1) % 7 not in days]
    if len(starts) == 1 and 2 < len(ordered) < 7:
        first = starts[0]
        return f"{DAY_NAMES[first]}-{DAY_NAMES[(first + len(ordered) - 1) % 7]}"
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{DAY_NAMES[ordered[0]]}-{DAY_NAMES[ordered[-1]]}"
    return ",".join(DAY_NAMES[day] for day in ordered)


def describe_quiet(quiet: QuietHours) -> str:
    return "off" if quiet is None else f"{quiet[0]:%H:%M}-{quiet[1]:%H:%M}"


def local_moment(day: date, clock: time, timezone: str) -> datetime:
    """The local ``clock`` time on ``day`` in ``timezone``, in UTC, resolved as calendars resolve
    it: the first of two when the clocks go back, the jump itself when they skip it."""
    return WorkingTime(timezone)._at(day, clock)
