"""The lifecycle table, row by row: who may do what, from which state, and what it records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.core import tasks as core
from bot.core.errors import BadInput, Problem
from bot.core.tasks import Event, EventKind, Health, Status, Task, TaskChanges, Transition

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
OWNER, ALICE, BOB, MALLORY = "UOWNER", "UALICE", "UBOB", "UMALLORY"


def offered() -> Task:
    return core.new_task(
        team_id="T1",
        number=12,
        owner_id=OWNER,
        assignee_id=ALICE,
        title="Ship the report",
        done_when="PDF sent to the board",
        due_at=NOW + timedelta(days=2),
        now=NOW,
    ).after


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


# --- each step, field by field ----------------------------------------------------------

LATER = NOW + timedelta(hours=1)


def worked_on(status: Status) -> Task:
    """T-12 in ``status`` with every field a step may touch filled in."""
    delivered = status is Status.DELIVERED
    return replace(
        offered(),
        status=status,
        accepted_at=None if status is Status.AWAITING_ACCEPTANCE else NOW,
        delivered_at=NOW if delivered else None,
        progress_percent=100 if delivered else 50,
        open_question="Due when?",
        rework_count=1,
    )


def event(kind: EventKind, actor: str, text: str | None = None, **reassigned: str) -> Event:
    return Event(kind, actor, LATER, text, **reassigned)


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
        {"status": Status.DELIVERED, "delivered_at": LATER, "progress_percent": 100},
        event(EventKind.DELIVERED, ALICE, "link"),
    ),
    (
        lambda t: core.deliver(t, actor=ALICE, note="  ", now=LATER),
        Status.IN_PROGRESS,
        {"status": Status.DELIVERED, "delivered_at": LATER, "progress_percent": 100},
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
        {"health": Health.ON_TRACK},
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


# --- how the task stands ----------------------------------------------------------------


def test_on_track_clears_the_reason_of_an_earlier_flag() -> None:
    blocked = replace(worked_on(Status.IN_PROGRESS), health=Health.BLOCKED, health_reason="No access")
    after = core.flag(blocked, actor=ALICE, health=Health.ON_TRACK, reason="", now=LATER).after
    assert (after.health, after.health_reason) == (Health.ON_TRACK, None)


@pytest.mark.parametrize("health", [Health.AT_RISK, Health.BLOCKED])
def test_at_risk_and_blocked_need_a_reason(health: Health) -> None:
    with pytest.raises(BadInput) as refused:
        core.flag(worked_on(Status.IN_PROGRESS), actor=ALICE, health=health, reason=" \n", now=LATER)
    assert refused.value.problem is Problem.EMPTY_TEXT
    assert refused.value.details == {"step": core.Step.FLAG}


def test_the_same_warning_again_changes_nothing_but_on_track_is_a_new_word() -> None:
    task = replace(worked_on(Status.IN_PROGRESS), health=Health.BLOCKED, health_reason="No access")
    again = core.flag(task, actor=ALICE, health=Health.BLOCKED, reason=" No access ", now=LATER)
    assert again == Transition(before=task, after=task, event=None)
    on_track = replace(task, health=Health.ON_TRACK, health_reason=None)
    # On track again is a new word, answering a new nudge (a double click is kept single upstream).
    assert core.flag(on_track, actor=ALICE, health=Health.ON_TRACK, reason="", now=LATER).changed
    # A new reason is news for the owner.
    assert core.flag(task, actor=ALICE, health=Health.BLOCKED, reason="Still no access", now=LATER).changed


def test_a_flag_line_reads_back_as_status_and_reason() -> None:
    line = core.flag(
        worked_on(Status.IN_PROGRESS), actor=ALICE, health=Health.AT_RISK, reason="Data: late", now=LATER
    ).event
    assert line is not None
    assert core.read_health_line(line.text) == (Health.AT_RISK, "Data: late")
    assert core.read_health_line("on track") == (Health.ON_TRACK, None)
