"""When a channel's summary is posted: working days, local time, DST, far timezones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.summary_schedule import latest_post_at, local_day, next_post_at, previous_post_at
from tests.core.server_clock import server_timezone

BERLIN, NEW_YORK, KIRITIMATI, PAGO_PAGO = (
    "Europe/Berlin",
    "America/New_York",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
)
MON_FRI = frozenset(range(5))
MON_WED_FRI = frozenset({0, 2, 4})
NINE = time(9, 0)


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[arg-type,misc]


# 2026-11-27 is a Friday, 2026-11-30 a Monday.
NEXT = [
    # zone, days, after (local), expected (local)
    (BERLIN, MON_FRI, (2026, 11, 27, 8, 59), (2026, 11, 27, 9, 0)),
    (BERLIN, MON_FRI, (2026, 11, 27, 9, 0), (2026, 11, 30, 9, 0)),  # strictly after: Friday's is done
    (BERLIN, MON_FRI, (2026, 11, 28, 12, 0), (2026, 11, 30, 9, 0)),  # Saturday: Monday, not Saturday
    (BERLIN, MON_WED_FRI, (2026, 11, 30, 10, 0), (2026, 12, 2, 9, 0)),  # Monday after: Wednesday
    (BERLIN, frozenset({6}), (2026, 11, 30, 10, 0), (2026, 12, 6, 9, 0)),  # Sundays only
    (BERLIN, frozenset({0}), (2026, 11, 30, 10, 0), (2026, 12, 7, 9, 0)),  # a week later
    (KIRITIMATI, MON_FRI, (2026, 11, 27, 10, 0), (2026, 11, 30, 9, 0)),  # UTC+14
    (PAGO_PAGO, MON_FRI, (2026, 11, 27, 8, 0), (2026, 11, 27, 9, 0)),  # UTC-11
]


@pytest.mark.parametrize(("zone", "days", "after", "expected"), NEXT)
def test_next_post_is_the_next_working_days_local_time(
    zone: str, days: frozenset[int], after: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    assert next_post_at(local(zone, *after), at=NINE, timezone=zone, days=days) == local(zone, *expected)


def test_same_utc_moment_is_a_different_post_in_berlin_and_utc() -> None:
    after = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)  # 09:30 in Berlin, 08:30 in UTC
    assert next_post_at(after, at=NINE, timezone="UTC", days=MON_FRI) == datetime(
        2026, 11, 27, 9, 0, tzinfo=UTC
    )
    assert next_post_at(after, at=NINE, timezone=BERLIN, days=MON_FRI) == datetime(
        2026, 11, 30, 8, 0, tzinfo=UTC
    )


def test_a_skipped_local_time_is_posted_when_the_clocks_jump() -> None:
    # 2026-03-08: New York skips 02:00-03:00; a 02:30 summary is posted at the jump (07:00 UTC).
    after = local(NEW_YORK, 2026, 3, 7, 12, 0)
    moment = next_post_at(after, at=time(2, 30), timezone=NEW_YORK, days=frozenset(range(7)))
    assert moment == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


def test_a_repeated_local_time_is_posted_once_at_its_first_showing() -> None:
    # 2026-10-25: Berlin shows 02:30 twice; the first is 00:30 UTC.
    after = local(BERLIN, 2026, 10, 24, 12, 0)
    first = next_post_at(after, at=time(2, 30), timezone=BERLIN, days=frozenset(range(7)))
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    following = next_post_at(first, at=time(2, 30), timezone=BERLIN, days=frozenset(range(7)))
    assert following == local(BERLIN, 2026, 10, 26, 2, 30)  # not the second 02:30 of the 25th


def test_post_times_are_given_in_utc_whatever_zone_the_server_runs_in() -> None:
    after = local(BERLIN, 2026, 11, 27, 8, 0)
    with server_timezone("Asia/Tokyo"):
        moment = next_post_at(after, at=NINE, timezone=BERLIN, days=MON_FRI)
    assert moment == datetime(2026, 11, 27, 8, 0, tzinfo=UTC) and moment.utcoffset() == timedelta(0)


def test_across_a_dst_change_the_local_time_stays() -> None:
    after = local(BERLIN, 2026, 3, 27, 10, 0)  # Friday before the change (UTC+1 → UTC+2)
    assert next_post_at(after, at=NINE, timezone=BERLIN, days=MON_FRI) == datetime(
        2026, 3, 30, 7, 0, tzinfo=UTC
    )


def test_the_latest_due_post_serves_today_after_days_down() -> None:
    now = local(BERLIN, 2026, 12, 2, 10, 0)  # Wednesday 10:00
    assert latest_post_at(now, at=NINE, timezone=BERLIN, days=MON_FRI) == local(BERLIN, 2026, 12, 2, 9, 0)
    early = local(BERLIN, 2026, 12, 2, 8, 0)  # before today's: yesterday's is the one due
    assert latest_post_at(early, at=NINE, timezone=BERLIN, days=MON_FRI) == local(BERLIN, 2026, 12, 1, 9, 0)
    monday = local(BERLIN, 2026, 11, 30, 8, 0)  # before Monday's: Friday's
    assert latest_post_at(monday, at=NINE, timezone=BERLIN, days=MON_FRI) == local(BERLIN, 2026, 11, 27, 9, 0)


def test_previous_post_is_the_working_day_before() -> None:
    monday = local(BERLIN, 2026, 11, 30, 9, 0)
    assert previous_post_at(monday, at=NINE, timezone=BERLIN, days=MON_FRI) == local(
        BERLIN, 2026, 11, 27, 9, 0
    )
    friday = local(BERLIN, 2026, 11, 27, 9, 0)
    assert previous_post_at(friday, at=NINE, timezone=BERLIN, days=MON_WED_FRI) == local(
        BERLIN, 2026, 11, 25, 9, 0
    )


def test_local_day_is_the_date_where_the_channel_is() -> None:
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert local_day(moment, "UTC") == date(2026, 11, 30)
    assert local_day(moment, BERLIN) == date(2026, 12, 1)
    assert local_day(moment, PAGO_PAGO) == date(2026, 11, 30)
    assert local_day(moment, KIRITIMATI) == date(2026, 12, 1)


def test_the_post_is_due_from_its_very_moment() -> None:
    nine = local(BERLIN, 2026, 12, 2, 9, 0)
    assert latest_post_at(nine, at=NINE, timezone=BERLIN, days=MON_FRI) == nine
    before = nine - timedelta(microseconds=1)
    assert latest_post_at(before, at=NINE, timezone=BERLIN, days=MON_FRI) == local(BERLIN, 2026, 12, 1, 9, 0)


def test_the_previous_post_of_a_moment_just_after_one_is_that_one() -> None:
    nine = local(BERLIN, 2026, 12, 2, 9, 0)
    just_after = nine + timedelta(microseconds=1)
    assert previous_post_at(just_after, at=NINE, timezone=BERLIN, days=MON_FRI) == nine


@pytest.mark.parametrize("schedule", [next_post_at, latest_post_at, previous_post_at])
def test_no_days_is_refused(schedule: Callable[..., datetime]) -> None:
    with pytest.raises(ValueError, match=r"^A summary needs at least one day to be posted on\.$"):
        schedule(datetime(2026, 11, 30, tzinfo=UTC), at=NINE, timezone=BERLIN, days=frozenset())
