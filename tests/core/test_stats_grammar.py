"""``/tasks stats [@someone] [30d]``: whose card, over how long, and what to type instead."""

from __future__ import annotations

import pytest

from bot.core.errors import BadInput
from bot.core.summary_grammar import StatsRequest, parse_stats


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", StatsRequest(None, 30)),
        ("90d", StatsRequest(None, 90)),
        ("<@UALICE|alice>", StatsRequest("UALICE", 30)),
        ("<@UALICE> 7d", StatsRequest("UALICE", 7)),
        ("<@UALICE|alice>  365D", StatsRequest("UALICE", 365)),
    ],
)
def test_a_person_and_a_window_are_read(text: str, expected: StatsRequest) -> None:
    assert parse_stats(text) == expected


@pytest.mark.parametrize("text", ["400d", "0d", "<@UALICE> 1000d", "99999d"])
def test_a_window_out_of_range_says_which_windows_exist(text: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_stats(text)
    assert "1 to 365" in (raised.value.hint or "")


@pytest.mark.parametrize("text", ["bob", "@bob", "<@UALICE> bob", "last month"])
def test_a_name_typed_without_picking_the_person_asks_for_an_at_mention(text: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_stats(text)
    assert "/tasks stats @alice" in (raised.value.hint or "")


def test_the_shortest_window_is_one_day() -> None:
    assert parse_stats("1d") == StatsRequest(None, 1)
    assert parse_stats("<@UALICE> 1d") == StatsRequest("UALICE", 1)


def test_what_could_not_be_read_is_echoed_with_what_to_type() -> None:
    with pytest.raises(BadInput) as raised:
        parse_stats("<@UALICE> " + "b" * 50)
    assert raised.value.message == f"I can't read `{'b' * 40}` after `/tasks stats`."
    assert raised.value.hint == (
        "Pick the person with @ and, if you like, a window of days:"
        " `/tasks stats @alice` or `/tasks stats @alice 90d`."
    )
