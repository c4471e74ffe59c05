"""Errors the person can act on, and how they quote the person's text."""

from __future__ import annotations

import pytest

from bot.core.errors import BadInput, NotAllowed, Problem, errors_on_field, quote


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


def test_a_coded_error_reads_plainly_in_logs() -> None:
    error = NotAllowed(problem=Problem.WRONG_STATE, details={"step": "edit", "number": 12})
    assert (error.problem, error.details) == (Problem.WRONG_STATE, {"step": "edit", "number": 12})
    assert str(error) == error.message == "wrong_state (number=12, step=edit)"
    assert str(BadInput(problem=Problem.NO_TITLE)) == "no_title"
    assert BadInput(problem=Problem.NO_TITLE).details == {}


def test_a_worded_error_keeps_its_words() -> None:
    error = BadInput("Who should do it?", hint="Mention them first.")
    assert (error.problem, error.message, error.hint) == (
        Problem.WORDED,
        "Who should do it?",
        "Mention them first.",
    )
    assert str(error) == "Who should do it? Mention them first."
    assert str(BadInput("No hint.")) == "No hint."


def test_an_error_carries_its_form_field() -> None:
    error = BadInput("Too long.", field="title")
    assert (error.field, error.args) == ("title", ("Too long.",))
    assert error.on_field("due").field == "title"
