"""The definition-of-done heuristic: missing, vague or clear."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.clarity import ClarityCode, ClarityFlag, check_clarity, is_vague

DUE = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)


def codes(flags: tuple[ClarityFlag, ...]) -> list[ClarityCode]:
    return [flag.code for flag in flags]


@pytest.mark.parametrize(
    "outcome",
    [
        "PDF sent to the board",
        "PR merged and deployed to staging",
        "3 quotes from suppliers in the shared folder",
        "invoice paid and receipt filed",
        "signed contract uploaded to Drive",
        "Budget approved by Maria",
        "fix the login bug",
        "p95 latency under 200 ms",
        "new hire has laptop and accounts",
        "Slides for Monday's all-hands in the team folder",
        "100% of tickets triaged",
    ],
)
def test_clear_outcomes_pass(outcome: str) -> None:
    assert not is_vague(outcome)
    assert check_clarity(outcome, DUE) == ()


@pytest.mark.parametrize(
    "outcome",
    [
        "fix stuff",
        "look into it",
        "asap",
        "ASAP!",
        "do it",
        "whatever works",
        "handle it",
        "make it better",
        "sort it out",
        "as soon as possible",
        "As soon as possible.",
        "when it's done",
        "done",
        "ok",
        "it works",
        "everything works fine",
        "improve performance",
        "customers happy",
        "look into the outage",
        "Fix it ASAP please",
        "tbd",
        "n/a",
    ],
)
def test_vague_outcomes_are_flagged(outcome: str) -> None:
    flags = check_clarity(outcome, DUE)
    assert codes(flags) == [ClarityCode.VAGUE_OUTCOME]
    assert "e.g. 'PDF of the Q3 report sent to the board'" in flags[0].message


@pytest.mark.parametrize("outcome", [None, "", "   \n"])
def test_missing_outcome(outcome: str | None) -> None:
    flags = check_clarity(outcome, DUE)
    assert codes(flags) == [ClarityCode.MISSING_OUTCOME]
    assert "Say what will exist or be true when it's done" in flags[0].message


def test_missing_due() -> None:
    flags = check_clarity("PDF sent to the board", None)
    assert codes(flags) == [ClarityCode.MISSING_DUE]
    assert "due:" in flags[0].message


def test_everything_missing_gives_two_flags_in_order() -> None:
    assert codes(check_clarity(None, None)) == [ClarityCode.MISSING_OUTCOME, ClarityCode.MISSING_DUE]
    assert codes(check_clarity("asap", None)) == [ClarityCode.VAGUE_OUTCOME, ClarityCode.MISSING_DUE]


@settings(max_examples=200, deadline=None)
@given(outcome=st.none() | st.text(max_size=200), has_due=st.booleans())
def test_check_clarity_never_raises(outcome: str | None, has_due: bool) -> None:
    flags = check_clarity(outcome, DUE if has_due else None)
    assert all(isinstance(flag.code, ClarityCode) for flag in flags)
    assert all(flag.message for flag in flags)


@pytest.mark.parametrize(
    "outcome",
    [
        "minutes",  # a deliverable as it is
        "decks",  # a deliverable once the plural s is dropped
        "the pdf.",  # punctuation around a word is not part of it
        "approved by legal",  # a criterion alone is evidence
        "200 ms",  # so is a number
        "blue ceramic widget",  # three concrete words describe a state
    ],
)
def test_each_kind_of_evidence_is_enough(outcome: str) -> None:
    assert not is_vague(outcome)


def test_two_concrete_words_without_evidence_are_vague() -> None:
    assert is_vague("blue widget")


def test_the_flags_say_what_to_add() -> None:
    vague, missing_due = check_clarity("fix stuff", None)
    assert vague.message == (
        "The definition of done is hard to check. Say what will exist or be true when it's done, "
        "e.g. 'PDF of the Q3 report sent to the board'."
    )
    assert missing_due.message == "No due date yet. Add one, e.g. `due: friday 3pm`."
