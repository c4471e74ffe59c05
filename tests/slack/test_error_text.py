"""The core's error codes in words: mentions, code spans and what to type instead."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core import tasks as core
from bot.core.errors import BadInput, HandoffError, NotAllowed, NotFound, Problem
from bot.core.tasks import Role, Status, Step
from bot.slack import error_text as words
from bot.slack.error_text import error_text

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def refusal(step: Step, **details: object) -> str:
    return error_text(
        NotAllowed(problem=Problem.WRONG_STATE, details={"number": 12, "step": step, **details})
    )


def test_wrong_role_names_who_may_and_how_to_look() -> None:
    owner = {"number": 12, "step": Step.APPROVE, "role": Role.OWNER, "person": "UOWNER"}
    assignee = {"number": 12, "step": Step.REPORT, "role": Role.ASSIGNEE, "person": "UALICE"}
    assert error_text(NotAllowed(problem=Problem.WRONG_ROLE, details=owner)) == (
        "Only <@UOWNER>, who delegated T-12, can approve it. You can see it with `/tasks T-12`."
    )
    assert error_text(NotAllowed(problem=Problem.WRONG_ROLE, details=assignee)) == (
        "Only <@UALICE>, who was asked to do T-12, can report on it. You can see it with `/tasks T-12`."
    )


def test_wrong_state_says_where_the_task_stands() -> None:
    assert refusal(Step.EDIT, state=Status.APPROVED) == (
        "T-12 is approved, so it can't be edited now. See where it stands with `/tasks T-12`."
    )


def test_declining_after_accepting_offers_a_way_out() -> None:
    assert refusal(Step.DECLINE, state=Status.IN_PROGRESS) == (
        "You already accepted T-12, so it can't be declined now. "
        "Ask the owner a question, or ask them to reassign it."
    )
    assert "so it can't be declined now. See where" in refusal(Step.DECLINE, state=Status.DELIVERED)


@pytest.mark.parametrize("step", [Step.REPORT, Step.DELIVER])
def test_reporting_before_accepting_says_accept_first(step: Step) -> None:
    assert refusal(step, state=Status.AWAITING_ACCEPTANCE) == (
        "T-12 isn't accepted yet. Accept it first with the Accept button in your DM."
    )
    assert refusal(step, state=Status.DECLINED).startswith("T-12 is declined, so it can't be")


@pytest.mark.parametrize("step", list(Step))
def test_every_step_has_its_words(step: Step) -> None:
    assert words._VERBS[step] and words._DONE[step]
    assert refusal(step, state=Status.CANCELLED).startswith(
        f"T-12 is cancelled, so it can't be {words._DONE[step]}"
    )


@pytest.mark.parametrize("problem", [p for p in Problem if p is not Problem.WORDED])
def test_every_problem_has_its_words(problem: Problem) -> None:
    assert problem in words._WORDS


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda task: core.decline(task, actor="UALICE", reason=" ", now=NOW),
            "That can't be empty. Say why you decline, so the owner can find someone else.",
        ),
        (
            lambda task: core.ask(task, actor="UALICE", question="", now=NOW),
            "That can't be empty. Type your question for the owner.",
        ),
        (
            lambda task: core.answer(task, actor="UOWNER", text="", now=NOW),
            "That can't be empty. Type your answer for the assignee.",
        ),
        (
            lambda task: core.reassign(task, actor="UOWNER", new_assignee="UOWNER", now=NOW),
            "That's you. To do it yourself, use `/tasks T-1 takeback`.",
        ),
    ],
)
def test_core_refusals_in_words(call: object, expected: str) -> None:
    task = core.new_task(
        team_id="T1",
        number=1,
        owner_id="UOWNER",
        assignee_id="UALICE",
        title="X",
        done_when=None,
        due_at=None,
        now=NOW,
    ).after
    assert callable(call)
    with pytest.raises(HandoffError) as raised:
        call(task)
    assert error_text(raised.value) == expected


def test_changes_need_a_reason_in_words() -> None:
    empty = BadInput(problem=Problem.EMPTY_TEXT, details={"step": Step.REQUEST_CHANGES})
    assert (
        error_text(empty)
        == "That can't be empty. Say what needs to change, so the assignee knows what to do."
    )


def test_other_problems_in_words() -> None:
    assert error_text(NotFound(problem=Problem.NO_SUCH_TASK, details={"number": 4})) == (
        "You have no task T-4. See your tasks with `/tasks`."
    )
    assert error_text(BadInput(problem=Problem.SELF_ASSIGNMENT)).startswith(
        "You can't hand a task to yourself."
    )
    assert error_text(BadInput(problem=Problem.PERCENT_OUT_OF_RANGE, details={"number": 4})) == (
        "Progress is a percentage from 0 to 100. For example: `/report T-12 drafted 40%`."
    )


def test_an_error_without_a_code_keeps_its_words() -> None:
    assert error_text(BadInput("Give the task a short title.", hint="It's empty.")) == (
        "Give the task a short title. It's empty."
    )


def test_the_core_error_itself_holds_no_slack_markup() -> None:
    error = NotAllowed(
        problem=Problem.WRONG_ROLE,
        details={"number": 12, "step": Step.APPROVE, "role": Role.OWNER, "person": "UOWNER"},
    )
    assert "<@" not in str(error) and "`" not in str(error)
    assert str(error) == "wrong_role (number=12, person=UOWNER, role=owner, step=approve)"
