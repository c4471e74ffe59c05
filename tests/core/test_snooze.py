"""When a snooze ends: 1 hour, 4 hours or the next working morning, never past the due date."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.core.errors import BadInput
from bot.core.snooze import SnoozeChoice, choices, snooze_until
from bot.core.working_time import WorkingTime

BERLIN = WorkingTime(timezone="Europe/Berlin", quiet=(time(19, 0), time(8, 0)))
THURSDAY_NOON = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
FRIDAY_3PM = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # 15:00 in Berlin
FAR = THURSDAY_NOON + timedelta(days=30)


def test_every_choice_is_offered_before_the_due_date_and_without_one() -> None:
    assert choices(FAR, now=THURSDAY_NOON) == (
        SnoozeChoice.HOUR,
        SnoozeChoice.FOUR_HOURS,
        SnoozeChoice.TOMORROW,
    )
    assert choices(None, now=THURSDAY_NOON) == tuple(SnoozeChoice)


@pytest.mark.parametrize("late", [timedelta(0), timedelta(hours=3), timedelta(days=2)])
def test_an_overdue_task_offers_only_short_pauses(late: timedelta) -> None:
    assert choices(THURSDAY_NOON - late, now=THURSDAY_NOON) == (SnoozeChoice.HOUR, SnoozeChoice.FOUR_HOURS)


@pytest.mark.parametrize(
    ("choice", "pause"),
    [(SnoozeChoice.HOUR, timedelta(hours=1)), (SnoozeChoice.FOUR_HOURS, timedelta(hours=4))],
)
def test_short_pauses_are_what_they_say(choice: SnoozeChoice, pause: timedelta) -> None:
    until = snooze_until(choice, now=THURSDAY_NOON, due_at=FAR, calendar=BERLIN)
    assert until == THURSDAY_NOON + pause


def test_tomorrow_is_the_next_working_morning_in_the_persons_timezone() -> None:
    until = snooze_until(SnoozeChoice.TOMORROW, now=THURSDAY_NOON, due_at=None, calendar=BERLIN)
    assert until == datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # Friday 08:00 in Berlin


def test_tomorrow_on_a_friday_is_monday_morning() -> None:
    until = snooze_until(SnoozeChoice.TOMORROW, now=FRIDAY_3PM, due_at=None, calendar=BERLIN)
    assert until == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin


def test_tomorrow_late_in_the_evening_in_utc_is_still_the_persons_tomorrow() -> None:
    tokyo = WorkingTime(timezone="Asia/Tokyo", quiet=(time(19, 0), time(8, 0)))
    # Wednesday 16:00 UTC is already Thursday 01:00 in Tokyo: tomorrow is Friday there.
    until = snooze_until(
        SnoozeChoice.TOMORROW, now=datetime(2026, 11, 25, 16, 0, tzinfo=UTC), due_at=None, calendar=tokyo
    )
    assert until == datetime(2026, 11, 26, 23, 0, tzinfo=UTC)  # Friday 08:00 in Tokyo


@pytest.mark.parametrize("choice", list(SnoozeChoice))
def test_a_snooze_before_the_due_date_ends_at_the_due_date_at_the_latest(choice: SnoozeChoice) -> None:
    due = THURSDAY_NOON + timedelta(minutes=30)
    assert snooze_until(choice, now=THURSDAY_NOON, due_at=due, calendar=BERLIN) == due


def test_a_snooze_of_an_overdue_task_is_short() -> None:
    due = THURSDAY_NOON - timedelta(hours=2)
    until = snooze_until(SnoozeChoice.FOUR_HOURS, now=THURSDAY_NOON, due_at=due, calendar=BERLIN)
    assert until == THURSDAY_NOON + timedelta(hours=4)
    with pytest.raises(BadInput, match="overdue"):
        snooze_until(SnoozeChoice.TOMORROW, now=THURSDAY_NOON, due_at=due, calendar=BERLIN)
