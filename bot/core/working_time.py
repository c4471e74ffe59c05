"""When a person may be nudged: their working days and hours, in their own timezone.

``QUIET_HOURS`` ("19:00-08:00", or "off") and ``WORKING_DAYS`` ("mon-fri", "mon-sun",
"mon,wed,fri") are parsed here, for the environment, a workspace and a person alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

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
        """Whether ``at`` (aware) falls on a working day, outside quiet hours, in this timezone."""
        raise NotImplementedError

    def next_working(self, at: datetime) -> datetime:
        """``at`` itself when it is working time, else the start of the next working time (UTC)."""
        raise NotImplementedError

    def working_days_before(self, at: datetime, days: int) -> datetime:
        """The moment ``days`` working days before ``at`` (same local time), for lead times."""
        raise NotImplementedError


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
    """The days as a person would write them: "mon-fri", "mon,wed,fri"."""
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{DAY_NAMES[ordered[0]]}-{DAY_NAMES[ordered[-1]]}"
    return ",".join(DAY_NAMES[day] for day in ordered)


def describe_quiet(quiet: QuietHours) -> str:
    return "off" if quiet is None else f"{quiet[0]:%H:%M}-{quiet[1]:%H:%M}"
