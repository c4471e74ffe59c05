"""The lifecycle, step by step: who may do what, from which state, and what it records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.core import tasks as core
from bot.core.errors import BadInput, Problem
from bot.core.tasks import EventKind, Status, Task, TaskChanges, Transition
from tests.core.task_cases import ALICE, BOB, NOW, OWNER, offered


def in_status(status: Status, **changes: object) -> Task:
    return replace(offered(), status=status, accepted_at=NOW, **changes)  # type: ignore[arg-type]


def bare_task(*, assignee: str) -> Transition:
    """T-1 from OWNER with nothing but a title."""
    return core.new_task(
        team_id="T1",
        number=1,
        owner_id=OWNER,
        assignee_id=assignee,
        title="X",
        done_when=None,
        due_at=None,
        now=NOW,
    )


def test_new_task_awaits_acceptance_and_records_creation() -> None:
    transition = bare_task(assignee=ALICE)
    assert transition.after.status is Status.AWAITING_ACCEPTANCE
    assert transition.after.ref == "T-1"
    assert transition.event is not None and transition.event.kind is EventKind.CREATED


def test_cannot_delegate_to_yourself() -> None:
    with pytest.raises(BadInput):
        bare_task(assignee=OWNER)


def test_full_happy_path() -> None:
    task = offered()
    task = core.accept(task, actor=ALICE, now=NOW).after
    assert task.status is Status.IN_PROGRESS and task.accepted_at == NOW
    task = core.report(task, actor=ALICE, text="drafted", percent=40, now=NOW).after
    assert task.progress_percent == 40
    task = core.deliver(task, actor=ALICE, note="link", now=NOW).after
    assert task.status is Status.DELIVERED
    transition = core.approve(task, actor=OWNER, now=NOW)
    assert transition.after.status is Status.APPROVED and transition.after.closed_at == NOW


def test_changes_requested_goes_back_with_rework_count() -> None:
    delivered = in_status(Status.DELIVERED)
    transition = core.request_changes(delivered, actor=OWNER, reason="Add the appendix", now=NOW)
    assert transition.after.status is Status.IN_PROGRESS
    assert transition.after.rework_count == 1
    assert transition.event is not None and transition.event.text == "Add the appendix"


def test_request_changes_needs_a_reason() -> None:
    with pytest.raises(BadInput):
        core.request_changes(in_status(Status.DELIVERED), actor=OWNER, reason="  ", now=NOW)


def test_decline_needs_reason_and_records_it() -> None:
    with pytest.raises(BadInput):
        core.decline(offered(), actor=ALICE, reason="", now=NOW)
    transition = core.decline(offered(), actor=ALICE, reason="On leave", now=NOW)
    assert transition.after.status is Status.DECLINED
    assert transition.event is not None and transition.event.text == "On leave"


def test_question_opens_and_answer_closes_it() -> None:
    asked = core.ask(offered(), actor=ALICE, question="Which format?", now=NOW).after
    assert asked.open_question == "Which format?"
    assert asked.status is Status.AWAITING_ACCEPTANCE
    answered = core.answer(asked, actor=OWNER, text="PDF", now=NOW)
    assert answered.after.open_question is None
    assert answered.event is not None and answered.event.kind is EventKind.ANSWERED


@pytest.mark.parametrize(
    ("step", "task"),
    [
        (lambda t, now: core.accept(t, actor=ALICE, now=now), in_status(Status.IN_PROGRESS)),
        (lambda t, now: core.deliver(t, actor=ALICE, note="", now=now), in_status(Status.DELIVERED)),
        (lambda t, now: core.approve(t, actor=OWNER, now=now), in_status(Status.APPROVED)),
        (lambda t, now: core.decline(t, actor=ALICE, reason="x", now=now), in_status(Status.DECLINED)),
        (lambda t, now: core.cancel(t, actor=OWNER, now=now), in_status(Status.CANCELLED)),
        (lambda t, now: core.take_back(t, actor=OWNER, now=now), in_status(Status.TAKEN_BACK)),
        (lambda t, now: core.answer(t, actor=OWNER, text="x", now=now), in_status(Status.IN_PROGRESS)),
        (
            lambda t, now: core.ask(t, actor=ALICE, question="Q?", now=now),
            in_status(Status.IN_PROGRESS, open_question="Q?"),
        ),
    ],
)
def test_repeating_a_step_changes_nothing(step: Callable[[Task, datetime], Transition], task: Task) -> None:
    transition = step(task, NOW)
    assert not transition.changed
    assert transition.after == task


def test_edit_records_which_fields_changed() -> None:
    changes = TaskChanges(title="Ship it", done_when="PDF sent to the board", due_at=NOW + timedelta(days=5))
    transition = core.edit(offered(), actor=OWNER, changes=changes, now=NOW)
    assert transition.event is not None
    assert transition.event.text == "changed title, due date"  # done_when is unchanged
    assert not core.edit(offered(), actor=OWNER, changes=TaskChanges(), now=NOW).changed


def test_reassign_offers_the_task_to_someone_new() -> None:
    asked = in_status(Status.IN_PROGRESS, open_question="?", progress_percent=50)
    transition = core.reassign(asked, actor=OWNER, new_assignee=BOB, now=NOW)
    after = transition.after
    assert (after.assignee_id, after.status, after.open_question, after.progress_percent) == (
        BOB,
        Status.AWAITING_ACCEPTANCE,
        None,
        None,
    )


def test_reassign_to_the_owner_is_refused_as_such() -> None:
    with pytest.raises(BadInput) as raised:
        core.reassign(offered(), actor=OWNER, new_assignee=OWNER, now=NOW)
    assert (raised.value.problem, raised.value.details) == (Problem.REASSIGN_TO_OWNER, {"number": 12})


def test_declined_task_can_be_offered_again_to_the_same_person() -> None:
    declined = in_status(Status.DECLINED)
    assert core.reassign(declined, actor=OWNER, new_assignee=ALICE, now=NOW).after.status is (
        Status.AWAITING_ACCEPTANCE
    )


@pytest.mark.parametrize("percent", [-1, 101, 140])
def test_progress_percentage_must_be_a_percentage(percent: int) -> None:
    with pytest.raises(BadInput) as raised:
        core.report(in_status(Status.IN_PROGRESS), actor=ALICE, text="x", percent=percent, now=NOW)
    assert raised.value.problem is Problem.PERCENT_OUT_OF_RANGE
