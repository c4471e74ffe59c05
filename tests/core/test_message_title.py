"""A task title read from a Slack message: its first line, readable, short enough, never a secret."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.message_title import SCANNED, MessageTitle, shorten, title_from_message
from bot.core.parsing import MAX_TITLE
from bot.core.sensitive_kinds import Sensitive


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Ship the report", "Ship the report"),
        ("  Ship   the\treport  ", "Ship the report"),
        ("\n\nShip the report\nIt is due friday", "Ship the report"),
        ("<@U123|alice> can you ship the report?", "@alice can you ship the report?"),
        ("<@U123> can you ship it?", "@U123 can you ship it?"),
        ("Read <https://example.com/spec|the spec> first", "Read the spec (https://example.com/spec) first"),
        ("See <https://example.com/spec>", "See https://example.com/spec"),
        ("Ask <#C123|general> &amp; <!here> about R&amp;D &lt;3", "Ask #general & @here about R&D <3"),
        ("Fix <mailto:ops@example.com|ops@example.com>'s alias", "Fix ops@example.com's alias"),
        ("Order \u202ethe\u202c flyers", "Order the flyers"),
    ],
)
def test_the_title_is_the_first_line_as_people_read_it(text: str, title: str) -> None:
    assert title_from_message(text) == MessageTitle(title)


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t\n"])
def test_a_message_without_text_gives_an_empty_title(text: str | None) -> None:
    found = title_from_message(text)
    assert found.empty and found.withheld is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Pay with 4111 1111 1111 1111 please", Sensitive.CARD),
        (
            "Deploy it\nthe token is xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            Sensitive.SLACK_TOKEN,
        ),
        ("Log in at <https://admin:hunter2hunter2@example.com|the console>", Sensitive.URL_PASSWORD),
    ],
)
def test_a_message_with_a_secret_anywhere_gives_nothing_but_its_kind(text: str, kind: Sensitive) -> None:
    assert title_from_message(text) == MessageTitle("", withheld=kind)


def test_text_slack_could_not_show_gives_an_empty_title() -> None:
    assert title_from_message("Ship \x00 it") == MessageTitle("")


def test_a_long_first_line_is_cut_at_a_word() -> None:
    found = title_from_message("word " * 60)
    assert len(found.title) <= MAX_TITLE and found.title.endswith("word…")


def test_one_long_word_is_cut_where_it_is() -> None:
    assert shorten("x" * 200, 20) == "x" * 19 + "…"


@given(st.text(max_size=400))
def test_the_title_always_fits_the_field_and_is_one_line(text: str) -> None:
    title = title_from_message(text).title
    assert len(title) <= MAX_TITLE
    assert "\n" not in title and title == title.strip()


def test_the_guard_reads_all_a_title_could_come_from() -> None:
    long_line = "Pay " + "x" * 100 + " 4111 1111 1111 1111 " + "y" * (SCANNED - 200)
    assert title_from_message(long_line).withheld is Sensitive.CARD
    far_away = "Ship the report\n" + "z " * SCANNED + "4111 1111 1111 1111"
    assert title_from_message(far_away) == MessageTitle("Ship the report")  # nothing of it is copied
