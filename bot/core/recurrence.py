"""How often a recurring handoff repeats: ``every: week``, ``every: 2 weeks``, ``every: weekday``…

A :class:`Recurrence` steps from one occurrence's due date to the next in the owner's own
timezone, on the wall clock: a task due Friday 16:00 in Berlin is due the next Friday at
16:00 in Berlin, whichever side of a daylight-saving change that falls on. A monthly
series keeps the day of the month it started on (the 31st), clamped to shorter months'
last day, so it does not drift to the 28th after February.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.errors import BadInput, quote


class Unit(StrEnum):
    DAY = "day"
    WEEKDAY = "weekday"  # Monday to Friday
    WEEK = "week"
    MONTH = "month"


# The most of each unit one step may span: beyond that, a reminder serves better.
_LIMITS = {Unit.DAY: 365, Unit.WEEK: 52, Unit.MONTH: 12}

_WORDS = {
    "day": (Unit.DAY, 1),
    "daily": (Unit.DAY, 1),
    "weekday": (Unit.WEEKDAY, 1),
    "weekdays": (Unit.WEEKDAY, 1),
    "workday": (Unit.WEEKDAY, 1),
    "workdays": (Unit.WEEKDAY, 1),
    "week": (Unit.WEEK, 1),
    "weekly": (Unit.WEEK, 1),
    "fortnight": (Unit.WEEK, 2),
    "month": (Unit.MONTH, 1),
    "monthly": (Unit.MONTH, 1),
}
_COUNTED = re.compile(r"^(\d{1,4})\s*(day|week|month)s?$")
_OTHER = re.compile(r"^other\s+(day|week|month)$")
# How a series is stored: "2 week", "1 month day 31" (see Recurrence.stored).
_STORED = re.compile(r"^(\d+) (day|weekday|week|month)(?: day (\d{1,2}))?$")

EVERY_HINT = (
    "Write `every:` day, weekday, week, month, or a number of them: `every: 2 weeks`, `every: 3 days`."
)
# The choices the form offers, in the order it shows them: (stored every text, label).
CHOICES = (
    ("day", "Every day"),
    ("weekday", "Every weekday (Mon–Fri)"),
    ("week", "Every week"),
    ("2 weeks", "Every 2 weeks"),
    ("month", "Every month"),
)


@dataclass(frozen=True)
class Recurrence:
    """Every ``count`` units, stepping in ``timezone``; ``day``: a monthly series' day of the month."""

    unit: Unit
    count: int = 1
    timezone: str = "UTC"
    day: int | None = None

    def in_zone(self, timezone: str) -> Recurrence:
        return replace(self, timezone=timezone)

    def anchored(self, first_due: datetime) -> Recurrence:
        """A monthly series remembers the day of the month of its first due date (in its timezone)."""
        if self.unit is not Unit.MONTH:
            return self
        return replace(self, day=first_due.astimezone(ZoneInfo(self.timezone)).day)

    def next_due(self, after_due: datetime) -> datetime:
        """The due date of the occurrence after the one due at ``after_due`` (aware; returned in UTC)."""
        zone = ZoneInfo(self.timezone)
        local = after_due.astimezone(zone)
        wall_date = self._next_date(local.date(), anchor=self.day or local.day)
        wall = datetime.combine(wall_date, local.time().replace(fold=0), tzinfo=zone)
        # Through UTC and back: a wall time that doesn't exist (the hour skipped in spring)
        # lands on the hour after, as clocks show it.
        return wall.astimezone(UTC)

    def _next_date(self, day: date, *, anchor: int) -> date:
        if self.unit is Unit.DAY:
            return day + timedelta(days=self.count)
        if self.unit is Unit.WEEK:
            return day + timedelta(weeks=self.count)
        if self.unit is Unit.WEEKDAY:
            step = day + timedelta(days=1)
            while step.weekday() >= 5:
                step += timedelta(days=1)
            return step
        months = day.year * 12 + day.month - 1 + self.count
        year, month = divmod(months, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return date(year, month + 1, min(anchor, last))

    def describe(self) -> str:
        """ "every week", "every 2 weeks", "every weekday", "every month"."""
        if self.unit is Unit.WEEKDAY:
            return "every weekday"
        if self.count == 1:
            return f"every {self.unit.value}"
        return f"every {self.count} {self.unit.value}s"

    @property
    def stored(self) -> str:
        """The text the series row keeps; :func:`from_stored` reads it back."""
        text = f"{self.count} {self.unit.value}"
        return f"{text} day {self.day}" if self.day else text


def parse_every(text: str) -> Recurrence:
    """Read what follows ``every:``; raises BadInput saying what to write instead.

    ``day``, ``weekday``, ``week``, ``month``, ``N days|weeks|months`` (and ``daily``,
    ``weekly``, ``monthly``, ``fortnight``, ``other week``); a leading ``every`` is allowed.
    """
    cleaned = " ".join(text.strip().lower().split())
    cleaned = cleaned.removeprefix("every ").strip()
    if cleaned in _WORDS:
        unit, count = _WORDS[cleaned]
        return Recurrence(unit, count)
    if other := _OTHER.match(cleaned):
        return Recurrence(Unit(other.group(1)), 2)
    counted = _COUNTED.match(cleaned)
    if counted is None:
        raise BadInput(
            f"I can't repeat a task every {quote(text.strip(), 30)}.", hint=EVERY_HINT, field="every"
        )
    count, unit = int(counted.group(1)), Unit(counted.group(2))
    if not 1 <= count <= _LIMITS[unit]:
        raise BadInput(
            f"Repeat every 1 to {_LIMITS[unit]} {unit.value}s, not {count}.", hint=EVERY_HINT, field="every"
        )
    return Recurrence(unit, count)


def require_due(every: Recurrence | None, due_text: str | None) -> None:
    """A series steps from one due date to the next: it can't start without one."""
    if every is not None and not (due_text or "").strip():
        raise BadInput(
            f"A task that repeats {every.describe()} needs a due date to repeat from.",
            hint="Add one, for example: `| due: friday 4pm | every: week`.",
            field="due",
        )


def from_stored(text: str, *, timezone: str) -> Recurrence:
    """A series' recurrence as its row keeps it (see :attr:`Recurrence.stored`)."""
    match = _STORED.match(text)
    if match is None:
        raise ValueError(f"not a stored recurrence: {text!r}")
    day = int(match.group(3)) if match.group(3) else None
    return Recurrence(Unit(match.group(2)), int(match.group(1)), timezone, day)
