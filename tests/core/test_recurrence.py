"""Recurring handoffs step from due date to due date on the owner's wall clock."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import BadInput
from bot.core.recurrence import CHOICES, Recurrence, Unit, from_stored, parse_every, require_due

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "unit", "count"),
    [
        ("day", Unit.DAY, 1),
        ("Daily", Unit.DAY, 1),
        ("weekday", Unit.WEEKDAY, 1),
        ("weekdays", Unit.WEEKDAY, 1),
        ("week", Unit.WEEK, 1),
        ("  every   week ", Unit.WEEK, 1),
        ("2 weeks", Unit.WEEK, 2),
        ("2weeks", Unit.WEEK, 2),
        ("fortnight", Unit.WEEK, 2),
        ("other week", Unit.WEEK, 2),
        ("3 days", Unit.DAY, 3),
        ("1 day", Unit.DAY, 1),
        ("month", Unit.MONTH, 1),
        ("monthly", Unit.MONTH, 1),
        ("6 months", Unit.MONTH, 6),
    ],
)
def test_every_values_people_write(text: str, unit: Unit, count: int) -> None:
    assert parse_every(text) == Recurrence(unit, count)


@pytest.mark.parametrize(
    "text", ["", "fortnightly-ish", "tuesday", "0 weeks", "53 weeks", "13 months", "2 years"]
)
def test_anything_else_says_what_to_write(text: str) -> None:
    with pytest.raises(BadInput) as refused:
        parse_every(text)
    assert "every:" in str(refused.value) and "2 weeks" in str(refused.value)
    assert refused.value.field == "every"


def test_out_of_range_counts_say_the_range() -> None:
    with pytest.raises(BadInput, match="1 to 52 weeks"):
        parse_every("60 weeks")


@pytest.mark.parametrize(
    ("text", "unit", "count"),
    [("365 days", Unit.DAY, 365), ("52 weeks", Unit.WEEK, 52), ("12 months", Unit.MONTH, 12)],
)
def test_the_longest_repeats_are_allowed(text: str, unit: Unit, count: int) -> None:
    assert parse_every(text) == Recurrence(unit, count)


def test_a_series_without_a_due_date_is_refused_on_the_due_field() -> None:
    with pytest.raises(BadInput) as refused:
        require_due(parse_every("week"), "  ")
    assert refused.value.field == "due"
    assert "needs a due date" in refused.value.message and "due: friday 4pm" in (refused.value.hint or "")
    require_due(parse_every("week"), "friday")  # with one, nothing to say
    require_due(None, None)  # not a series


def test_weekly_keeps_the_wall_clock_time_across_the_autumn_change() -> None:
    # Friday 23 October 2026 16:00 Berlin is 14:00 UTC (CEST); a week later it is CET.
    weekly = parse_every("week").in_zone("Europe/Berlin")
    first = berlin(2026, 10, 23, 16, 0)
    following = weekly.next_due(first)
    assert following.tzinfo is UTC
    assert following.astimezone(BERLIN) == berlin(2026, 10, 30, 16, 0)
    assert following == datetime(2026, 10, 30, 15, 0, tzinfo=UTC)  # an hour later in UTC


def test_daily_keeps_the_wall_clock_time_across_the_spring_change() -> None:
    daily = parse_every("day").in_zone("Europe/Berlin")
    after = daily.next_due(berlin(2026, 3, 28, 9, 0))  # the clocks go forward that night
    assert after.astimezone(BERLIN) == berlin(2026, 3, 29, 9, 0)
    assert after == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_a_wall_time_skipped_in_spring_lands_on_the_hour_after() -> None:
    daily = parse_every("day").in_zone("Europe/Berlin")
    after = daily.next_due(berlin(2026, 3, 28, 2, 30))
    assert after.astimezone(BERLIN) == berlin(2026, 3, 29, 3, 30)


def test_without_a_timezone_it_steps_in_utc() -> None:
    due = datetime(2026, 1, 5, 16, 0, tzinfo=UTC)
    assert parse_every("2 weeks").next_due(due) == datetime(2026, 1, 19, 16, 0, tzinfo=UTC)


def test_weekday_skips_the_weekend() -> None:
    every_weekday = parse_every("weekday").in_zone("Europe/Berlin")
    friday = berlin(2026, 11, 27, 17, 0)
    assert every_weekday.next_due(friday).astimezone(BERLIN) == berlin(2026, 11, 30, 17, 0)  # Monday
    tuesday = berlin(2026, 12, 1, 17, 0)
    assert every_weekday.next_due(tuesday).astimezone(BERLIN) == berlin(2026, 12, 2, 17, 0)
    saturday = berlin(2026, 11, 28, 17, 0)
    assert every_weekday.next_due(saturday).astimezone(BERLIN) == berlin(2026, 11, 30, 17, 0)


def test_monthly_clamps_to_the_last_day_and_comes_back_to_its_day() -> None:
    first = berlin(2026, 1, 31, 12, 0)
    monthly = parse_every("month").in_zone("Europe/Berlin").anchored(first)
    february = monthly.next_due(first)
    assert february.astimezone(BERLIN) == berlin(2026, 2, 28, 12, 0)
    march = monthly.next_due(february)
    assert march.astimezone(BERLIN) == berlin(2026, 3, 31, 12, 0)  # not the 28th
    assert monthly.next_due(march).astimezone(BERLIN) == berlin(2026, 4, 30, 12, 0)


def test_monthly_in_a_leap_year_and_across_the_year_end() -> None:
    first = berlin(2027, 12, 31, 9, 0)
    monthly = parse_every("2 months").in_zone("Europe/Berlin").anchored(first)
    assert monthly.next_due(first).astimezone(BERLIN) == berlin(2028, 2, 29, 9, 0)


def test_the_day_of_the_month_is_the_owners() -> None:
    # 23:30 UTC on the 31st is already the 1st in Berlin: the series is on the 1st.
    first = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    monthly = parse_every("month").in_zone("Europe/Berlin").anchored(first)
    assert monthly.day == 1
    assert monthly.next_due(first).astimezone(BERLIN) == berlin(2026, 3, 1, 0, 30)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("week", "every week"),
        ("2 weeks", "every 2 weeks"),
        ("weekday", "every weekday"),
        ("month", "every month"),
    ],
)
def test_describe(text: str, words: str) -> None:
    assert parse_every(text).describe() == words


def test_stored_text_reads_back_the_same() -> None:
    monthly = parse_every("month").in_zone("Europe/Berlin").anchored(berlin(2026, 1, 31, 9, 0))
    assert from_stored(monthly.stored, timezone="Europe/Berlin") == monthly
    weekly = parse_every("2 weeks")
    assert from_stored(weekly.stored, timezone="UTC") == weekly
    with pytest.raises(ValueError):
        from_stored("fortnight", timezone="UTC")


def test_the_forms_choices_all_parse() -> None:
    assert [parse_every(value).describe() for value, _ in CHOICES] == [
        "every day",
        "every weekday",
        "every week",
        "every 2 weeks",
        "every month",
    ]
