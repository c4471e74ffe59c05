"""Snoozing a task's nudges: which pauses a nudge offers, and when each one ends.

The rule, so that a snooze never silences the chase of a late task:

* Before the due date, every choice is offered (1 hour, 4 hours, tomorrow), but a snooze
  ends at the due date at the latest: the overdue nudge always comes on time.
* Once the task is overdue, only the short pauses are offered (1 hour, 4 hours): the
  overdue chase may be put off for a few hours, never to another day.
* "Tomorrow" is the start of the person's next working day in their own calendar (their
  timezone, working days and quiet hours): snoozed on a Friday, it is Monday morning.

A task without a due date has no such limit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.errors import BadInput
from bot.core.working_time import WorkingTime


class SnoozeChoice(StrEnum):
    HOUR = "1h"
    FOUR_HOURS = "4h"
    TOMORROW = "tomorrow"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    SnoozeChoice.HOUR: "1 hour",
    SnoozeChoice.FOUR_HOURS: "4 hours",
    SnoozeChoice.TOMORROW: "Until tomorrow",
}
_PAUSES = {SnoozeChoice.HOUR: timedelta(hours=1), SnoozeChoice.FOUR_HOURS: timedelta(hours=4)}


def is_overdue(due_at: datetime | None, *, now: datetime) -> bool:
    return due_at is not None and now >= due_at


def choices(due_at: datetime | None, *, now: datetime) -> tuple[SnoozeChoice, ...]:
    """The pauses a nudge about a task due at ``due_at`` offers at ``now``."""
    if is_overdue(due_at, now=now):
        return (SnoozeChoice.HOUR, SnoozeChoice.FOUR_HOURS)
    return tuple(SnoozeChoice)


def snooze_until(
    choice: SnoozeChoice, *, now: datetime, due_at: datetime | None, calendar: WorkingTime
) -> datetime:
    """When a snooze chosen at ``now`` ends, by the rule above; a choice no longer offered is refused."""
    if choice not in choices(due_at, now=now):
        raise BadInput(
            "This task is overdue now, so its nudges can't be snoozed until tomorrow.",
            hint="Snooze for 1 or 4 hours, or tell the owner how it stands with At risk or Blocked.",
        )
    wanted = now + _PAUSES[choice] if choice in _PAUSES else _next_working_day(now, calendar)
    if due_at is not None and now < due_at:
        return min(wanted, due_at)
    return wanted


def _next_working_day(now: datetime, calendar: WorkingTime) -> datetime:
    """The start of the first working time after today ends, in the person's timezone."""
    zone = ZoneInfo(calendar.timezone)
    local = now.astimezone(zone)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return calendar.next_working(midnight)
