"""Properties of the grammar: any text gets an answer or a worded refusal, and what was typed comes back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import BadInput, HandoffError
from bot.core.parsing import (
    MAX_TITLE,
    DelegateRequest,
    ReportRequest,
    parse_delegate,
    parse_edit,
    parse_report,
    parse_task_number,
    parse_tasks,
)
from bot.slack.error_text import error_text
from tests.core.parsing_cases import MIXED_TEXT, slack_escape

_PARSERS = [parse_delegate, parse_report, parse_tasks, parse_edit, parse_task_number]


@pytest.mark.parametrize("parser", _PARSERS, ids=lambda parser: parser.__name__)
@settings(max_examples=150, deadline=None)
@given(text=MIXED_TEXT)
def test_parsers_raise_only_handoff_errors(parser: object, text: str) -> None:
    assert callable(parser)
    try:
        parser(text)
    except HandoffError as error:
        assert isinstance(error, BadInput)
        assert error.message
        assert error_text(error)  # every error the grammar raises has words in the Slack layer


_USER_ID = st.from_regex(r"[UW][A-Z0-9]{2,10}", fullmatch=True)
_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'()&;:<>-",
    min_size=1,
    max_size=12,
)


def _phrase(max_words: int) -> st.SearchStrategy[str]:
    return st.lists(_WORD, min_size=1, max_size=max_words).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    ids=st.lists(_USER_ID, min_size=1, max_size=4, unique=True),
    labels=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=6), min_size=4, max_size=4),
    title=_phrase(12).filter(lambda title: len(title) <= MAX_TITLE),
    outcome=st.none() | _phrase(20),
    due=st.none() | _phrase(3),
    due_first=st.booleans(),
)
def test_delegate_round_trip(
    ids: list[str], labels: list[str], title: str, outcome: str | None, due: str | None, due_first: bool
) -> None:
    mentions = " ".join(
        f"<@{user_id}|{label}>" if label else f"<@{user_id}>"
        for user_id, label in zip(ids, labels, strict=False)
    )
    parts = []
    if outcome is not None:
        parts.append(f"done when: {outcome}")
    if due is not None:
        parts.append(f"due: {due}")
    if due_first:
        parts.reverse()
    # What was typed is escaped by Slack; the request holds it as typed.
    text = " | ".join([f"{mentions} {slack_escape(title)}", *map(slack_escape, parts)])

    request = parse_delegate(text)

    assert request == DelegateRequest(tuple(ids), title, outcome, due)


@settings(max_examples=100, deadline=None)
@given(
    number=st.integers(min_value=1, max_value=999_999_999),
    style=st.sampled_from(["T-{}", "t-{}", "T{}", "{}", "#{}", "T-0{}"]),
)
def test_task_number_round_trip(number: int, style: str) -> None:
    assert parse_task_number(style.format(number)) == number


@settings(max_examples=100, deadline=None)
@given(
    note=_phrase(10).filter(lambda note: not note.lower().startswith("done")),
    percent=st.none() | st.integers(0, 100),
)
def test_report_round_trip(note: str, percent: int | None) -> None:
    suffix = f" {percent}%" if percent is not None else ""
    assert parse_report(f"T-5 {slack_escape(note)}{suffix}") == ReportRequest(5, False, note, percent)
