"""The bot's simulated time: it moves only when the person presses a clock button.

The bot reads it as its Runtime clock, so due dates, nudges and the daily summary all follow
it; Slack's request signatures keep real time, as Slack's own do.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.summary_schedule import next_post_at
from bot.core.workspace_calendar import WorkspaceCalendar

MORNING = time(9, 0)
STEPS = {"1h": timedelta(hours=1), "1d": timedelta(days=1)}
STEP_NAMES = ("1h", "1d", "morning")


class SimClock:
    """A settable clock; callable, as the Runtime wants its clock."""

    def __init__(self, now: datetime) -> None:
        self._now = now.astimezone(UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def move_to(self, moment: datetime) -> None:
        with self._lock:
            if moment < self._now:
                raise ValueError("Simulated time only moves forward.")
            self._now = moment.astimezone(UTC)


def next_working_morning(now: datetime, calendar: WorkspaceCalendar) -> datetime:
    """The next working day's 09:00 in the workspace's timezone, strictly after ``now``."""
    return next_post_at(now, at=MORNING, timezone=calendar.timezone, days=calendar.days)


def step_target(step: str, now: datetime, calendar: WorkspaceCalendar) -> datetime:
    """Where the clock goes for "1h", "1d" or "morning"; ValueError naming the choices otherwise."""
    if step == "morning":
        return next_working_morning(now, calendar)
    if step in STEPS:
        return now + STEPS[step]
    raise ValueError(f"Send advance as one of {', '.join(repr(s) for s in STEP_NAMES)}, not {step!r}.")


def playground_start(real_now: datetime, calendar: WorkspaceCalendar) -> datetime:
    """Where the simulated time starts: 10:00 on a working day, so the first steps happen in working time."""
    zone = ZoneInfo(calendar.timezone)
    midnight = datetime.combine(real_now.astimezone(zone).date(), time(0, 0), tzinfo=zone)
    return next_working_morning(midnight, calendar) + timedelta(hours=1)
