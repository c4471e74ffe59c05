"""QUIET_HOURS and WORKING_DAYS as people write them, in the environment or /tasks settings."""

from __future__ import annotations

from datetime import time

import pytest

from bot.core.errors import BadInput
from bot.core.working_time import describe_days, describe_quiet, parse_quiet_hours, parse_working_days

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.mark.parametrize(
    ("text", "quiet"),
    [
        ("19:00-08:00", (time(19, 0), time(8, 0))),  # wraps past midnight
        ("12:00-13:30", (time(12, 0), time(13, 30))),
        (" 7:05 - 23:59 ", (time(7, 5), time(23, 59))),
        ("00:00-06:00", (time(0, 0), time(6, 0))),
        ("20:00-09:00", (time(20, 0), time(9, 0))),
        ("off", None),
        ("OFF", None),
        ("none", None),
        ("no", None),
    ],
)
def test_quiet_hours_are_read(text: str, quiet: tuple[time, time] | None) -> None:
    assert parse_quiet_hours(text) == quiet


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("late", "should look like 19:00-08:00 (or off), not 'late'"),
        ("19-08", "not '19-08'"),
        ("24:00-08:00", "not '24:00-08:00'"),
        ("19:60-08:00", "not '19:60-08:00'"),
        ("19:00-08:00-09:00", "not '19:00-08:00-09:00'"),
        ("19:00 08:00", "not '19:00 08:00'"),
        ("", "not ''"),
        ("08:00-08:00", "must start and end at different times"),
    ],
)
def test_quiet_hours_that_make_no_sense_say_what_to_write(text: str, says: str) -> None:
    with pytest.raises(BadInput) as refused:
        parse_quiet_hours(text)
    assert says in refused.value.message
    assert refused.value.hint


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", {MON, TUE, WED, THU, FRI}),
        ("mon-sun", set(range(7))),
        ("mon,wed,fri", {MON, WED, FRI}),
        ("Mon, Wed , FRI", {MON, WED, FRI}),
        ("mon wed", {MON, WED}),
        ("sun", {SUN}),
        ("fri-mon", {FRI, SAT, SUN, MON}),  # a range may wrap over the weekend
        ("sat-sun", {SAT, SUN}),
        ("mon-wed,fri", {MON, TUE, WED, FRI}),
        ("monday-friday", {MON, TUE, WED, THU, FRI}),  # whole names: their first three letters
        ("tue-tue", {TUE}),
        ("mon,mon", {MON}),
    ],
)
def test_working_days_are_read(text: str, days: set[int]) -> None:
    assert parse_working_days(text) == frozenset(days)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("weekdays", "should look like mon-fri or mon,wed,fri, not 'weekdays'"),
        ("mon-", "not 'mon-'"),
        ("-fri", "not '-fri'"),
        ("mon-wed-fri", "not 'mon-wed-fri'"),
        ("mo", "not 'mo'"),
        ("mon,xyz", "not 'mon,xyz'"),
        ("", "Name at least one working day."),
        (" , ", "Name at least one working day."),
    ],
)
def test_working_days_that_make_no_sense_say_what_to_write(text: str, says: str) -> None:
    with pytest.raises(BadInput) as refused:
        parse_working_days(text)
    assert says in refused.value.message
    assert refused.value.hint


@pytest.mark.parametrize(
    ("days", "written"),
    [
        ({MON, TUE, WED, THU, FRI}, "mon-fri"),
        (set(range(7)), "mon-sun"),
        ({MON, WED, FRI}, "mon,wed,fri"),
        ({SAT, SUN}, "sat,sun"),  # two days read better as a list
        ({SUN, MON, TUE, WED, THU}, "sun-thu"),  # a week across the week's end
        ({SAT, SUN, MON}, "sat-mon"),
        ({FRI, SUN, MON}, "mon,fri,sun"),
        ({MON, TUE, WED}, "mon-wed"),
        ({SUN}, "sun"),
        ({MON, TUE, THU}, "mon,tue,thu"),
    ],
)
def test_days_are_written_as_a_person_would(days: set[int], written: str) -> None:
    assert describe_days(frozenset(days)) == written
    assert parse_working_days(written) == frozenset(days)


def test_quiet_hours_are_written_back_as_read() -> None:
    assert describe_quiet(None) == "off"
    assert describe_quiet((time(19, 0), time(8, 5))) == "19:00-08:05"
    assert describe_quiet(parse_quiet_hours("7:00-9:30")) == "07:00-09:30"
