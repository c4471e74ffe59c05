"""Errors the person can act on, and how they quote the person's text."""

from __future__ import annotations

import pytest

from bot.core.errors import BadInput, errors_on_field, quote


@pytest.mark.parametrize(
    ("text", "limit", "quoted"),
    [
        ("friday", 40, "“friday”"),
        ("", 40, "“”"),
        ("R&D <b> <!channel> <@U1>", 40, "“R&D <b> <!channel> <@U1>”"),  # escaped where shown
        ("abcdefghij", 10, "“abcdefghij”"),
        ("abcdefghijk", 10, "“abcdefghi…”"),
    ],
)
def test_quote(text: str, limit: int, quoted: str) -> None:
    assert quote(text, limit) == quoted


def test_errors_on_field_pins_the_first_field_only() -> None:
    with pytest.raises(BadInput) as caught, errors_on_field("title"), errors_on_field("due"):
        raise BadInput("nope", hint="do this")
    assert caught.value.field == "due"
    assert str(caught.value) == "nope do this"
