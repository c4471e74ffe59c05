"""A person's working time: working days and quiet hours in their own timezone, DST included."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.working_time import WorkingTime, parse_working_days

PARIS, NEW_YORK, TOKYO = "Europe/Paris", "America/New_York", "Asia/Tokyo"
EVENINGS = (time(19, 0), time(8, 0))
LUNCH = (time(12, 0), time(13, 0))
MON_FRI = frozenset(range(5))


def local(zone: str, *args: int) -> datetime:
    """A wall-clock moment in ``zone``, as aware UTC."""
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[arg-type,misc]


# 2026-11-30 is a Monday; 2026-12-05 a Saturday.
IS_WORKING = [
    # zone, quiet, days, local moment, working?
    (PARIS, EVENINGS, MON_FRI, (2026, 11, 30, 8, 0), True),
    (PARIS, EVENINGS, MON_FRI, (2026, 11, 30, 7, 59), False),
    (PARIS, EVENINGS, MON_FRI, (2026, 11, 30, 18, 59), True),
    (PARIS, EVENINGS, MON_FRI, (2026, 11, 30, 19, 0), False),
    (PARIS, EVENINGS, MON_FRI, (2026, 11, 30, 0, 30), False),
    (PARIS, EVENINGS, MON_FRI, (2026, 12, 5, 10, 0), False),  # Saturday
    (PARIS, EVENINGS, frozenset(range(7)), (2026, 12, 5, 10, 0), True),
    (PARIS, LUNCH, MON_FRI, (2026, 11, 30, 11, 59), True),
    (PARIS, LUNCH, MON_FRI, (2026, 11, 30, 12, 0), False),
    (PARIS, LUNCH, MON_FRI, (2026, 11, 30, 12, 59), False),
    (PARIS, LUNCH, MON_FRI, (2026, 11, 30, 13, 0), True),
    (PARIS, LUNCH, MON_FRI, (2026, 11, 30, 23, 0), True),
    (PARIS, None, MON_FRI, (2026, 11, 30, 3, 0), True),
    (PARIS, None, MON_FRI, (2026, 12, 6, 12, 0), False),  # Sunday
    (TOKYO, EVENINGS, frozenset({0, 2, 4}), (2026, 12, 1, 10, 0), False),  # Tuesday
    (TOKYO, EVENINGS, frozenset({0, 2, 4}), (2026, 12, 2, 10, 0), True),  # Wednesday
]


@pytest.mark.parametrize(("zone", "quiet", "days", "moment", "working"), IS_WORKING)
def test_is_working_reads_the_local_day_and_hour(
    zone: str, quiet: tuple[time, time] | None, days: frozenset[int], moment: tuple[int, ...], working: bool
) -> None:
    calendar = WorkingTime(zone, quiet, days)
    assert calendar.is_working(local(zone, *moment)) is working


def test_the_same_instant_is_working_for_one_person_and_quiet_for_another() -> None:
    at = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 16:00 Paris, 10:00 New York, 00:00 Tokyo
    assert WorkingTime(PARIS).is_working(at)
    assert WorkingTime(NEW_YORK).is_working(at)
    assert not WorkingTime(TOKYO).is_working(at)


NEXT_WORKING = [
    # zone, quiet, days, local moment, next working (local)
    (PARIS, EVENINGS, MON_FRI, (2026, 11, 30, 20, 0), (2026, 12, 1, 8, 0)),
    (PARIS, EVENINGS, MON_FRI, (2026, 12, 1, 3, 0), (2026, 12, 1, 8, 0)),
    (PARIS, EVENINGS, MON_FRI, (2026, 12, 4, 19, 0), (2026, 12, 7, 8, 0)),  # Friday evening
    (PARIS, EVENINGS, MON_FRI, (2026, 12, 5, 11, 0), (2026, 12, 7, 8, 0)),  # Saturday
    (PARIS, EVENINGS, frozenset(range(7)), (2026, 12, 4, 19, 0), (2026, 12, 5, 8, 0)),
    (PARIS, EVENINGS, frozenset({0, 2, 4}), (2026, 11, 30, 19, 30), (2026, 12, 2, 8, 0)),
    (PARIS, LUNCH, MON_FRI, (2026, 11, 30, 12, 30), (2026, 11, 30, 13, 0)),
    (PARIS, LUNCH, MON_FRI, (2026, 12, 5, 12, 30), (2026, 12, 7, 0, 0)),  # weekend: Monday midnight
    (PARIS, None, MON_FRI, (2026, 12, 5, 12, 30), (2026, 12, 7, 0, 0)),
    (NEW_YORK, EVENINGS, MON_FRI, (2026, 12, 4, 22, 0), (2026, 12, 7, 8, 0)),
    (TOKYO, EVENINGS, frozenset({6}), (2026, 11, 30, 9, 0), (2026, 12, 6, 8, 0)),  # Sundays only
    (TOKYO, EVENINGS, frozenset({6}), (2026, 12, 6, 20, 0), (2026, 12, 13, 8, 0)),  # a week on
]


@pytest.mark.parametrize(("zone", "quiet", "days", "moment", "expected"), NEXT_WORKING)
def test_next_working_is_the_start_of_the_next_working_time(
    zone: str,
    quiet: tuple[time, time] | None,
    days: frozenset[int],
    moment: tuple[int, ...],
    expected: tuple[int, ...],
) -> None:
    result = WorkingTime(zone, quiet, days).next_working(local(zone, *moment))
    assert result == local(zone, *expected)
    assert result.utcoffset() == timedelta(0)


def test_next_working_is_the_moment_itself_when_working() -> None:
    at = local(PARIS, 2026, 11, 30, 10, 17)
    assert WorkingTime(PARIS).next_working(at) is at


SPRING_FORWARD = [
    # zone, quiet hours ending in the skipped hour, local moment, the instant the clocks jump
    ("America/New_York", (time(22, 0), time(2, 30)), (2026, 3, 8, 1, 0), (2026, 3, 8, 7, 0)),
    ("Europe/Paris", (time(22, 0), time(2, 15)), (2026, 3, 29, 1, 0), (2026, 3, 29, 1, 0)),
    ("Australia/Lord_Howe", (time(22, 0), time(2, 10)), (2026, 10, 4, 1, 0), (2026, 10, 3, 15, 30)),
    ("America/Santiago", None, (2026, 9, 5, 12, 0), (2026, 9, 6, 4, 0)),  # midnight is skipped
    # Any second of the skipped hour resolves to the jump itself, to the second.
    *[
        ("America/New_York", (time(22, 0), time(2, minute, second)), (2026, 3, 8, 1, 0), (2026, 3, 8, 7, 0))
        for minute, second in [(0, 1), (0, 2), (0, 3), (17, 41), (59, 58), (59, 59)]
    ],
]


@pytest.mark.parametrize(("zone", "quiet", "moment", "jump"), SPRING_FORWARD)
def test_a_start_the_clocks_skip_is_the_moment_they_jump(
    zone: str, quiet: tuple[time, time] | None, moment: tuple[int, ...], jump: tuple[int, ...]
) -> None:
    days = frozenset({6}) if quiet is None else frozenset(range(7))  # Santiago: Sundays only
    calendar = WorkingTime(zone, quiet, days)
    result = calendar.next_working(local(zone, *moment))
    assert result == datetime(*jump, tzinfo=UTC)  # type: ignore[arg-type,misc]
    assert calendar.is_working(result)
    assert not calendar.is_working(result - timedelta(seconds=1))


def test_next_working_across_the_fall_back_night() -> None:
    # 2026-10-25: Paris goes back from 03:00 to 02:00; morning starts at 08:00 CET.
    calendar = WorkingTime(PARIS, EVENINGS, frozenset(range(7)))
    result = calendar.next_working(local(PARIS, 2026, 10, 24, 23, 0))
    assert result == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)


def test_a_calendar_without_working_days_says_so() -> None:
    with pytest.raises(ValueError, match="working day"):
        WorkingTime(PARIS, EVENINGS, frozenset()).next_working(local(PARIS, 2026, 12, 5, 9, 0))
    with pytest.raises(ValueError, match="working day"):
        WorkingTime(PARIS, EVENINGS, frozenset()).working_days_before(local(PARIS, 2026, 12, 5, 9, 0), 1)


ZONES = st.sampled_from([PARIS, NEW_YORK, TOKYO, "America/Santiago", "Australia/Lord_Howe", "UTC"])
QUIETS = st.sampled_from([EVENINGS, LUNCH, None, (time(22, 30), time(2, 30)), (time(1, 0), time(3, 0))])
DAYS = st.sampled_from(["mon-fri", "mon-sun", "mon,wed,fri", "sun", "fri-mon"]).map(parse_working_days)
MOMENTS = st.datetimes(datetime(2025, 1, 1), datetime(2028, 1, 1), timezones=st.just(UTC))


@given(zone=ZONES, quiet=QUIETS, days=DAYS, at=MOMENTS)
def test_next_working_is_working_and_nothing_earlier_is(
    zone: str, quiet: tuple[time, time] | None, days: frozenset[int], at: datetime
) -> None:
    calendar = WorkingTime(zone, quiet, days)
    result = calendar.next_working(at)
    assert result >= at
    assert calendar.is_working(result)
    if result > at:  # a minute before the start is still off (starts fall on whole minutes here)
        assert not calendar.is_working(max(at, result - timedelta(minutes=1)))
        assert not calendar.is_working(at)


WORKING_DAYS_BEFORE = [
    # days, local moment, working days, expected local moment
    (MON_FRI, (2026, 12, 4, 16, 0), 1, (2026, 12, 3, 16, 0)),  # Friday → Thursday
    (MON_FRI, (2026, 12, 7, 16, 0), 1, (2026, 12, 4, 16, 0)),  # Monday → Friday
    (MON_FRI, (2026, 12, 7, 16, 0), 3, (2026, 12, 2, 16, 0)),
    (MON_FRI, (2026, 12, 6, 16, 0), 1, (2026, 12, 4, 16, 0)),  # Sunday → Friday
    (frozenset(range(7)), (2026, 12, 7, 16, 0), 1, (2026, 12, 6, 16, 0)),
    (frozenset({0, 2, 4}), (2026, 12, 4, 9, 0), 2, (2026, 11, 30, 9, 0)),
    (MON_FRI, (2026, 12, 4, 16, 0), 0, (2026, 12, 4, 16, 0)),
]


@pytest.mark.parametrize(("days", "moment", "count", "expected"), WORKING_DAYS_BEFORE)
def test_working_days_before_counts_working_days_only(
    days: frozenset[int], moment: tuple[int, ...], count: int, expected: tuple[int, ...]
) -> None:
    calendar = WorkingTime(PARIS, EVENINGS, days)
    assert calendar.working_days_before(local(PARIS, *moment), count) == local(PARIS, *expected)


def test_working_days_before_keeps_the_local_time_across_dst() -> None:
    # Monday 2026-03-30 16:00 CEST; the Friday before is still CET: 16:00 local both times.
    calendar = WorkingTime(PARIS)
    result = calendar.working_days_before(local(PARIS, 2026, 3, 30, 16, 0), 1)
    assert result == datetime(2026, 3, 27, 15, 0, tzinfo=UTC)


def test_working_days_before_keeps_fractions_of_a_second() -> None:
    at = local(PARIS, 2026, 12, 4, 16, 0) + timedelta(microseconds=500)
    assert WorkingTime(PARIS).working_days_before(at, 1) == local(PARIS, 2026, 12, 3, 16, 0) + timedelta(
        microseconds=500
    )


def test_working_days_before_lands_on_the_first_of_a_time_shown_twice() -> None:
    # Paris shows 02:30 twice on Sunday 2026-10-25: first in summer time (00:30 UTC).
    calendar = WorkingTime(PARIS, EVENINGS, frozenset(range(7)))
    result = calendar.working_days_before(local(PARIS, 2026, 10, 26, 2, 30), 1)
    assert result == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
