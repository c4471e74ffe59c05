"""``/tasks summary …`` and ``/tasks export …``: what each form asks for, and what to type instead."""

from __future__ import annotations

from datetime import time

import pytest

from bot.core.errors import BadInput
from bot.core.summary_grammar import SummaryAction, SummaryCommand, parse_export, parse_summary

SUBSCRIBE, OFF, SHOW = SummaryAction.SUBSCRIBE, SummaryAction.OFF, SummaryAction.SHOW
EXAMPLE_HINT = "Give it once, e.g. `/tasks summary here 09:00`."


def _refused(text: str) -> BadInput:
    with pytest.raises(BadInput) as raised:
        parse_summary(text)
    return raised.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SummaryCommand(SHOW)),
        ("   ", SummaryCommand(SHOW)),
        ("off", SummaryCommand(OFF)),
        ("OFF", SummaryCommand(OFF)),
        ("here", SummaryCommand(SUBSCRIBE)),
        ("Here 9:05", SummaryCommand(SUBSCRIBE, at=time(9, 5))),
        ("here 00:00", SummaryCommand(SUBSCRIBE, at=time(0, 0))),
        ("here 23:59", SummaryCommand(SUBSCRIBE, at=time(23, 59))),
        ("here quiet", SummaryCommand(SUBSCRIBE, quiet=True)),
        ("here QUIET", SummaryCommand(SUBSCRIBE, quiet=True)),
        ("here owner:<@UOLIVIA|olivia>", SummaryCommand(SUBSCRIBE, owner_id="UOLIVIA")),
        ("here assignee:<@UALICE>", SummaryCommand(SUBSCRIBE, assignee_id="UALICE")),
        ("here tz:America/New_York", SummaryCommand(SUBSCRIBE, timezone="America/New_York")),
        # The option's name may be in any case; the zone's keeps its own.
        ("here TZ:Europe/Berlin", SummaryCommand(SUBSCRIBE, timezone="Europe/Berlin")),
        ("here days:mon,wed,fri", SummaryCommand(SUBSCRIBE, days=frozenset({0, 2, 4}))),
        ("here Days:sat-sun", SummaryCommand(SUBSCRIBE, days=frozenset({5, 6}))),
    ],
)
def test_each_form_reads_as_what_it_asks_for(text: str, expected: SummaryCommand) -> None:
    assert parse_summary(text) == expected


def test_everything_at_once_in_any_order() -> None:
    text = "here quiet days:mon-fri tz:Europe/Berlin assignee:<@UALICE> owner:<@UOLIVIA> 17:30"
    assert parse_summary(text) == SummaryCommand(
        SUBSCRIBE,
        at=time(17, 30),
        owner_id="UOLIVIA",
        assignee_id="UALICE",
        timezone="Europe/Berlin",
        days=frozenset(range(5)),
        quiet=True,
    )


def test_off_takes_nothing_after_it() -> None:
    error = _refused("off now")
    assert error.message == "`/tasks summary off` takes nothing after it."


def test_an_empty_timezone_asks_for_one() -> None:
    assert _refused("here tz:").message == "`tz:` needs a timezone after it."


@pytest.mark.parametrize("text", ["weekly", "offf now"])
def test_an_unknown_first_word_says_how_to_subscribe_or_stop(text: str) -> None:
    error = _refused(text)
    assert error.message == f"I don't know `/tasks summary {text.split()[0]}`."
    assert error.hint == (
        "Type `/tasks summary here 09:00` in a channel to post a daily summary there,"
        " or `/tasks summary off` to stop it."
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("here 09:00 10:00", "time"),
        ("here quiet quiet", "word quiet"),
        ("here owner:<@U1> owner:<@U2>", "owner:"),
        ("here assignee:<@U1> assignee:<@U1>", "assignee:"),
        ("here tz:UTC tz:Europe/Berlin", "tz:"),
        ("here days:mon days:fri", "days:"),
    ],
)
def test_an_option_given_twice_is_refused_by_its_name(text: str, named: str) -> None:
    error = _refused(text)
    assert error.message == f"The {named} is given twice."
    assert error.hint == EXAMPLE_HINT


@pytest.mark.parametrize("word", ["24:00", "9:60", "0900", "9", "noon", "owner", "team:x"])
def test_a_word_that_is_no_option_lists_the_options(word: str) -> None:
    error = _refused(f"here {word}")
    assert error.message == f"I can't read `{word}` in a summary subscription."
    assert error.hint == (
        "Add a 24-hour time (09:00), owner:@someone, assignee:@someone, tz:Europe/Berlin,"
        " days:mon-fri or quiet, e.g. `/tasks summary here 09:00 owner:@olivia`."
    )


def test_a_long_word_is_echoed_only_in_part() -> None:
    word = "x" * 50
    assert _refused(f"here {word}").message == f"I can't read `{'x' * 40}` in a summary subscription."


@pytest.mark.parametrize(
    ("text", "name", "shown"),
    [
        ("here owner:olivia", "owner", "olivia"),
        ("here owner:", "owner", ""),
        ("here assignee:<@U1><@U2>", "assignee", "<@U1><@U2>"),
        ("here assignee:@alice", "assignee", "@alice"),
    ],
)
def test_a_person_must_be_picked_with_an_at(text: str, name: str, shown: str) -> None:
    error = _refused(text)
    assert error.message == f"`{name}:` takes one person picked with @, not `{shown}`."
    assert error.hint == f"Type `{name}:@` and pick them from the list."


def test_a_person_typed_at_length_is_echoed_only_in_part() -> None:
    error = _refused(f"here owner:{'o' * 50}")
    assert error.message == f"`owner:` takes one person picked with @, not `{'o' * 40}`."


@pytest.mark.parametrize("zone", ["Mars/Base", "utc", "../etc"])
def test_an_unknown_timezone_asks_for_an_iana_name(zone: str) -> None:
    error = _refused(f"here tz:{zone}")
    assert error.message == f"`{zone}` is not a timezone I know."
    assert error.hint == "Write an IANA timezone such as tz:Europe/Berlin or tz:America/New_York."


def test_a_long_timezone_is_echoed_only_in_part() -> None:
    zone = "Z" * 50
    assert _refused(f"here tz:{zone}").message == f"`{'Z' * 40}` is not a timezone I know."


def test_days_are_read_as_working_days_are() -> None:
    error = _refused("here days:funday")
    assert error.hint == "Use the first three letters of each day: mon tue wed thu fri sat sun."


# --- /tasks export [30d] ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [("", 30), ("  ", 30), ("1d", 1), ("90d", 90), (" 7D ", 7), ("365d", 365), ("0030d", 30)],
)
def test_export_reads_a_window_of_days(text: str, days: int) -> None:
    assert parse_export(text) == days


@pytest.mark.parametrize("text", ["0d", "366d", "month", "30", "d", "-5d", "12345d", "99999d"])
def test_export_refuses_anything_but_1_to_365_days(text: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_export(text)
    assert raised.value.message == f"`{text.strip()}` is not a window of days."
    assert raised.value.hint == "Write a number of days from 1 to 365, like 30d or 90d."


def test_a_long_window_is_echoed_only_in_part() -> None:
    with pytest.raises(BadInput) as raised:
        parse_export("9" * 50 + "d")
    assert raised.value.message == f"`{'9' * 40}` is not a window of days."
