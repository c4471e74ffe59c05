"""Text as pasted: bidi controls dropped, unshowable characters found, disguises undone for scanning."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.errors import BadInput
from bot.core.parsing import parse_delegate, plain_text
from bot.core.text_hygiene import (
    BIDI_CONTROLS,
    UNSHOWABLE_MESSAGE,
    is_unshowable,
    refuse_unshowable,
    scan_forms,
    strip_bidi,
)

ALL_BIDI = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # embeddings, overrides, pop
    "\u2066", "\u2067", "\u2068", "\u2069",  # isolates
    "\u200e", "\u200f", "\u061c",  # LRM, RLM, ALM
]  # fmt: skip


def test_the_bidi_set_is_exactly_the_controls_named_in_unicode() -> None:
    assert set(ALL_BIDI) == BIDI_CONTROLS


@pytest.mark.parametrize("control", ALL_BIDI)
def test_each_bidi_control_is_stripped(control: str) -> None:
    assert strip_bidi(f"Pay {control}fdp.exe{control} now") == "Pay fdp.exe now"


@pytest.mark.parametrize(
    "text",
    [
        "Ship the Q3 report",
        "שלח את הדוח",  # Hebrew reads right to left without any control character
        "أرسل التقرير",
        "Team 👩‍👩‍👧 offsite",  # zero-width joiners hold the family emoji together
        "café — naïve",
    ],
)
def test_ordinary_text_is_kept_as_it_is(text: str) -> None:
    assert strip_bidi(text) == text


@given(st.text())
def test_stripping_removes_every_control_and_nothing_else(text: str) -> None:
    stripped = strip_bidi(text)
    assert not BIDI_CONTROLS & set(stripped)
    assert stripped == "".join(c for c in text if c not in BIDI_CONTROLS)


def test_slack_text_read_as_plain_text_loses_bidi_controls() -> None:
    assert plain_text("Pay \u202efdp.exe\u202c for <@U1|alice> &amp; co") == "Pay fdp.exe for @alice & co"
    request = parse_delegate("<@U1> \u2067Ship\u2069 it | done when: \u202ePDF sent")
    assert (request.title, request.done_when) == ("Ship it", "PDF sent")


@pytest.mark.parametrize("text", ["\x00", "a\x00b", "\ud800", "x \udfff y", "\ud83d"])
def test_nul_and_lone_surrogates_are_unshowable(text: str) -> None:
    assert is_unshowable(text)
    with pytest.raises(BadInput) as caught:
        refuse_unshowable(None, "fine", text)
    assert caught.value.message == UNSHOWABLE_MESSAGE


@pytest.mark.parametrize("text", ["", "tab\tand\nnewline", "😀 emoji", "\u202e", "\ufffd replacement"])
def test_showable_text_passes(text: str) -> None:
    assert not is_unshowable(text)
    refuse_unshowable(text, None)


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("4111–1111—1111−1111", "4111-1111-1111-1111"),  # en dash, em dash, minus sign
        ("4111\u00a01111\u202f1111\u20091111", "4111 1111 1111 1111"),  # no-break, narrow, thin
        ("４１１１", "4111"),  # fullwidth
        ("41\u200b11", "4111"),  # zero-width space dropped
        ("4111\u200b1111", "4111 1111"),  # or read as the space it stands for
        ("card=4111%201111", "card=4111 1111"),  # percent-escapes decoded
        ("card=4111%25201111", "card=4111 1111"),  # twice
    ],
)
def test_scan_forms_undo_each_disguise(text: str, reading: str) -> None:
    assert reading in scan_forms(text)


def test_scan_forms_of_plain_text_is_the_text_alone() -> None:
    assert scan_forms("Ship the Q3 report") == ["Ship the Q3 report"]
