"""Each step, field by field: exactly the fields it changes, and the history line it adds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.core import tasks as core
from bot.core.errors import BadInput, Problem
from bot.core.tasks import Event, EventKind, Health, Status, Task, TaskChanges, Transition
from tests.core.task_cases import ALICE, BOB, LATER, NOW, OWNER, offered, worked_on


def event(kind: EventKind, actor: str, text: str | None = None, **reassigned: str) -> Event:
    return Event(kind, actor, LATER, text, **reassigned)


# A delivery or a reassignment ends the assignee's word on how the task stands (the task
# starts blocked, see worked_on): a reason must not outlive the hand back or the handover.
NO_HEALTH = {"health": None, "health_reason": None}

# (step, state it starts from, fields it changes, the history line it adds)
STEP_RESULTS: list[tuple[Callable[[Task], Transition], Status, dict[str, object], Event]] = [
    (
        lambda t: core.accept(t, actor=ALICE, now=LATER),
        Status.AWAITING_ACCEPTANCE,
        {"status": Status.IN_PROGRESS, "accepted_at": LATER},
        event(EventKind.ACCEPTED, ALICE),
    ),
    (
        lambda t: core.decline(t, actor=ALICE, reason=" On leave ", now=LATER),
        Status.AWAITING_ACCEPTANCE,
        {"status": Status.DECLINED},
        event(EventKind.DECLINED, ALICE, "On leave"),
    ),
    (
        lambda t: core.ask(t, actor=ALICE, question=" Which format? ", now=LATER),
        Status.IN_PROGRESS,
        {"open_question": "Which format?"},
        event(EventKind.ASKED, ALICE, "Which format?"),
    ),
    (
        lambda t: core.report(t, actor=ALICE, text=" drafted ", percent=40, now=LATER),
        Status.IN_PROGRESS,
        {"progress_percent": 40},
        event(EventKind.REPORTED, ALICE, "drafted (40%)"),
    ),
    (
        lambda t: core.report(t, actor=ALICE, text="", percent=0, now=LATER),
        Status.IN_PROGRESS,
        {"progress_percent": 0},
        event(EventKind.REPORTED, ALICE, "0% done"),
    ),
    (
        lambda t: core.report(t, actor=ALICE, text="nearly there 100% done", percent=100, now=LATER),
        Status.IN_PROGRESS,
        {"progress_percent": 100},
        event(EventKind.REPORTED, ALICE, "nearly there 100% done"),
    ),
    (
        lambda t: core.report(t, actor=ALICE, text="drafted", percent=None, now=LATER),
        Status.IN_PROGRESS,
        {},  # the last percentage stays
        event(EventKind.REPORTED, ALICE, "drafted"),
    ),
    (
        lambda t: core.deliver(t, actor=ALICE, note=" link ", now=LATER),
        Status.IN_PROGRESS,
        {"status": Status.DELIVERED, "delivered_at": LATER, "progress_percent": 100, **NO_HEALTH},
        event(EventKind.DELIVERED, ALICE, "link"),
    ),
    (
        lambda t: core.deliver(t, actor=ALICE, note="  ", now=LATER),
        Status.IN_PROGRESS,
        {"status": Status.DELIVERED, "delivered_at": LATER, "progress_percent": 100, **NO_HEALTH},
        event(EventKind.DELIVERED, ALICE),
    ),
    (
        lambda t: core.answer(t, actor=OWNER, text=" PDF ", now=LATER),
        Status.IN_PROGRESS,
        {"open_question": None},
        event(EventKind.ANSWERED, OWNER, "PDF"),
    ),
    (
        lambda t: core.approve(t, actor=OWNER, now=LATER),
        Status.DELIVERED,
        {"status": Status.APPROVED, "closed_at": LATER, "open_question": None},
        event(EventKind.APPROVED, OWNER),
    ),
    (
        lambda t: core.request_changes(t, actor=OWNER, reason=" Add totals ", now=LATER),
        Status.DELIVERED,
        {"status": Status.IN_PROGRESS, "rework_count": 2, "delivered_at": None, "progress_percent": None},
        event(EventKind.CHANGES_REQUESTED, OWNER, "Add totals"),
    ),
    (
        lambda t: core.edit(t, actor=OWNER, changes=TaskChanges(title="Ship all"), now=LATER),
        Status.IN_PROGRESS,
        {"title": "Ship all"},
        event(EventKind.EDITED, OWNER, "changed title"),
    ),
    (
        lambda t: core.reassign(t, actor=OWNER, new_assignee=BOB, now=LATER),
        Status.DELIVERED,
        {
            "assignee_id": BOB,
            "status": Status.AWAITING_ACCEPTANCE,
            "open_question": None,
            "progress_percent": None,
            "accepted_at": None,
            "delivered_at": None,
            **NO_HEALTH,
        },
        event(EventKind.REASSIGNED, OWNER, from_id=ALICE, to_id=BOB),
    ),
    (
        lambda t: core.take_back(t, actor=OWNER, now=LATER),
        Status.IN_PROGRESS,
        {"status": Status.TAKEN_BACK, "closed_at": LATER, "open_question": None},
        event(EventKind.TAKEN_BACK, OWNER),
    ),
    (
        lambda t: core.cancel(t, actor=OWNER, reason=" Not needed ", now=LATER),
        Status.IN_PROGRESS,
        {"status": Status.CANCELLED, "closed_at": LATER, "open_question": None},
        event(EventKind.CANCELLED, OWNER, "Not needed"),
    ),
    (
        lambda t: core.cancel(t, actor=OWNER, now=LATER),
        Status.IN_PROGRESS,
        {"status": Status.CANCELLED, "closed_at": LATER, "open_question": None},
        event(EventKind.CANCELLED, OWNER),
    ),
    (
        lambda t: core.flag(t, actor=ALICE, health=Health.BLOCKED, reason=" No access ", now=LATER),
        Status.IN_PROGRESS,
        {"health": Health.BLOCKED, "health_reason": "No access"},
        event(EventKind.FLAGGED, ALICE, "blocked: No access"),
    ),
    (
        lambda t: core.flag(t, actor=ALICE, health=Health.AT_RISK, reason="Late data", now=LATER),
        Status.AWAITING_ACCEPTANCE,
        {"health": Health.AT_RISK, "health_reason": "Late data"},
        event(EventKind.FLAGGED, ALICE, "at risk: Late data"),
    ),
    (
        lambda t: core.flag(t, actor=ALICE, health=Health.ON_TRACK, reason="ignored", now=LATER),
        Status.IN_PROGRESS,
        {"health": Health.ON_TRACK, "health_reason": None},
        event(EventKind.FLAGGED, ALICE, "on track"),
    ),
]


@pytest.mark.parametrize(("step", "status", "changes", "line"), STEP_RESULTS)
def test_each_step_changes_exactly_its_fields_and_adds_its_line(
    step: Callable[[Task], Transition], status: Status, changes: dict[str, object], line: Event
) -> None:
    task = worked_on(status)
    transition = step(task)
    assert transition.before == task
    assert transition.after == replace(task, **changes)  # type: ignore[arg-type]
    assert transition.event == line


def test_a_new_task_is_the_offer_and_its_creation() -> None:
    due = NOW + timedelta(days=2)
    transition = core.new_task(
        team_id="T9",
        number=5,
        owner_id=OWNER,
        assignee_id=ALICE,
        title="Ship it",
        done_when="PDF sent",
        due_at=due,
        now=NOW,
        linked_to=4,
    )
    offer = Task(
        team_id="T9",
        number=5,
        owner_id=OWNER,
        assignee_id=ALICE,
        title="Ship it",
        done_when="PDF sent",
        due_at=due,
        status=Status.AWAITING_ACCEPTANCE,
        created_at=NOW,
        linked_to=4,
    )
    assert transition == Transition(
        before=offer, after=offer, event=Event(EventKind.CREATED, OWNER, NOW, "Ship it")
    )


@pytest.mark.parametrize(
    ("step", "open_question"),
    [
        (lambda t: core.edit(t, actor=OWNER, changes=TaskChanges(title=t.title), now=LATER), None),
        (lambda t: core.reassign(t, actor=OWNER, new_assignee=ALICE, now=LATER), None),
        (lambda t: core.answer(t, actor=OWNER, text="x", now=LATER), None),  # answered already
        (lambda t: core.ask(t, actor=ALICE, question="Which format?", now=LATER), "Which format?"),
    ],
)
def test_a_step_that_changes_nothing_says_so(
    step: Callable[[Task], Transition], open_question: str | None
) -> None:
    task = replace(worked_on(Status.IN_PROGRESS), open_question=open_question)
    assert step(task) == Transition(before=task, after=task, event=None)


@pytest.mark.parametrize(
    ("step", "empty"),
    [
        (lambda t: core.decline(t, actor=ALICE, reason="  ", now=NOW), core.Step.DECLINE),
        (
            lambda t: core.ask(replace(t, status=Status.IN_PROGRESS), actor=ALICE, question="", now=NOW),
            core.Step.ASK,
        ),
        (lambda t: core.answer(t, actor=OWNER, text="\n", now=NOW), core.Step.ANSWER),
        (
            lambda t: core.request_changes(
                replace(t, status=Status.DELIVERED), actor=OWNER, reason="", now=NOW
            ),
            core.Step.REQUEST_CHANGES,
        ),
    ],
)
def test_words_a_step_needs_cannot_be_empty(step: Callable[[Task], Transition], empty: core.Step) -> None:
    with pytest.raises(BadInput) as raised:
        step(offered())
    assert (raised.value.problem, raised.value.details) == (Problem.EMPTY_TEXT, {"step": empty})


def test_the_percentage_refusal_names_the_task() -> None:
    with pytest.raises(BadInput) as raised:
        core.report(worked_on(Status.IN_PROGRESS), actor=ALICE, text="x", percent=101, now=NOW)
    assert raised.value.details == {"number": 12}
