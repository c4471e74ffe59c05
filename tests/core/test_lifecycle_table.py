"""The lifecycle table against the lifecycle as the guide writes it: every state × step × person.

``LIFECYCLE`` below is written out by hand from the guide's table, not read from
``TRANSITIONS``: a state added to or dropped from any row of the code's table makes one of
these cases fail, and so does a step function that ignores its row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import pytest

from bot.core import lifecycle_table
from bot.core import tasks as core
from bot.core.errors import NotAllowed, Problem
from bot.core.lifecycle_table import TRANSITIONS, Role, Rule, Status, Step
from bot.core.tasks import Health, Task, TaskChanges, Transition
from tests.core.task_cases import ALICE, BOB, MALLORY, NOW, OWNER, offered

PEOPLE = {"owner": OWNER, "assignee": ALICE, "outsider": MALLORY}

AWAITING, WORKING, DELIVERED = Status.AWAITING_ACCEPTANCE, Status.IN_PROGRESS, Status.DELIVERED
OPEN = (AWAITING, WORKING, DELIVERED, Status.DECLINED)
SAME = None  # the step leaves the state as it is


@dataclass(frozen=True)
class Expected:
    by: str  # "owner" or "assignee"
    moves: Mapping[Status, Status | None]  # from state -> to state
    repeats: frozenset[Status] = frozenset()  # states where the step already happened


LIFECYCLE: Mapping[Step, Expected] = {
    Step.ACCEPT: Expected("assignee", {AWAITING: WORKING}, frozenset({WORKING, DELIVERED})),
    Step.DECLINE: Expected("assignee", {AWAITING: Status.DECLINED}, frozenset({Status.DECLINED})),
    Step.ASK: Expected("assignee", {AWAITING: SAME, WORKING: SAME}),
    Step.REPORT: Expected("assignee", {WORKING: SAME}),
    Step.DELIVER: Expected("assignee", {WORKING: DELIVERED}, frozenset({DELIVERED})),
    Step.ANSWER: Expected("owner", dict.fromkeys(OPEN, SAME)),
    Step.APPROVE: Expected("owner", {DELIVERED: Status.APPROVED}, frozenset({Status.APPROVED})),
    Step.REQUEST_CHANGES: Expected("owner", {DELIVERED: WORKING}),
    Step.EDIT: Expected("owner", dict.fromkeys(OPEN, SAME)),
    Step.REASSIGN: Expected("owner", dict.fromkeys(OPEN, AWAITING)),
    Step.TAKE_BACK: Expected("owner", dict.fromkeys(OPEN, Status.TAKEN_BACK), frozenset({Status.TAKEN_BACK})),
    Step.CANCEL: Expected("owner", dict.fromkeys(OPEN, Status.CANCELLED), frozenset({Status.CANCELLED})),
    Step.FLAG: Expected("assignee", {AWAITING: SAME, WORKING: SAME}),
}

# Each step with words that make it a real change on the task below.
STEPS: Mapping[Step, Callable[[Task, str], Transition]] = {
    Step.ACCEPT: lambda t, who: core.accept(t, actor=who, now=NOW),
    Step.DECLINE: lambda t, who: core.decline(t, actor=who, reason="On leave", now=NOW),
    Step.ASK: lambda t, who: core.ask(t, actor=who, question="Which format?", now=NOW),
    Step.REPORT: lambda t, who: core.report(t, actor=who, text="drafted", percent=40, now=NOW),
    Step.DELIVER: lambda t, who: core.deliver(t, actor=who, note="link", now=NOW),
    Step.ANSWER: lambda t, who: core.answer(t, actor=who, text="PDF", now=NOW),
    Step.APPROVE: lambda t, who: core.approve(t, actor=who, now=NOW),
    Step.REQUEST_CHANGES: lambda t, who: core.request_changes(t, actor=who, reason="Add totals", now=NOW),
    Step.EDIT: lambda t, who: core.edit(t, actor=who, changes=TaskChanges(title="Ship it all"), now=NOW),
    Step.REASSIGN: lambda t, who: core.reassign(t, actor=who, new_assignee=BOB, now=NOW),
    Step.TAKE_BACK: lambda t, who: core.take_back(t, actor=who, now=NOW),
    Step.CANCEL: lambda t, who: core.cancel(t, actor=who, reason="Not needed", now=NOW),
    Step.FLAG: lambda t, who: core.flag(t, actor=who, health=Health.BLOCKED, reason="No access", now=NOW),
}


def task_in(status: Status) -> Task:
    """T-12 from OWNER to ALICE in ``status``, with a question open (so an answer changes it)."""
    accepted_at = None if status is AWAITING else NOW
    return replace(offered(), status=status, accepted_at=accepted_at, open_question="Due when?")


def test_every_step_has_a_row_and_every_row_is_checked_here() -> None:
    assert set(TRANSITIONS) == set(Step) == set(LIFECYCLE) == set(STEPS)


@pytest.mark.parametrize("person", sorted(PEOPLE))
@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("step", list(Step))
def test_each_step_in_each_state_by_each_person(step: Step, status: Status, person: str) -> None:
    task, expected = task_in(status), LIFECYCLE[step]
    snapshot = replace(task)

    if person != expected.by:
        with pytest.raises(NotAllowed) as refused:
            STEPS[step](task, PEOPLE[person])
        assert refused.value.problem is Problem.WRONG_ROLE
        role = Role(expected.by)
        assert refused.value.details == {
            "number": 12,
            "step": step,
            "role": role,
            "person": PEOPLE[expected.by],
        }
    elif status in expected.moves:
        transition = STEPS[step](task, PEOPLE[person])
        assert transition.changed
        assert transition.before == snapshot
        assert transition.after.status is (expected.moves[status] or status)
    elif status in expected.repeats:
        transition = STEPS[step](task, PEOPLE[person])
        assert transition == Transition(before=snapshot, after=snapshot, event=None)
    else:
        with pytest.raises(NotAllowed) as refused:
            STEPS[step](task, PEOPLE[person])
        assert refused.value.problem is Problem.WRONG_STATE
        assert refused.value.details == {"number": 12, "step": step, "state": status}
    assert task == snapshot  # the task given is never changed, whatever happened


@pytest.mark.parametrize(
    ("step", "status"),
    [(step, status) for step, rule in TRANSITIONS.items() for status in sorted(rule.from_states)],
)
def test_the_steps_read_their_row(monkeypatch: pytest.MonkeyPatch, step: Step, status: Status) -> None:
    """Taking one state out of one row of the table is enough to refuse the step there."""
    rule = TRANSITIONS[step]
    narrowed = {**TRANSITIONS, step: replace(rule, from_states=rule.from_states - {status})}
    monkeypatch.setattr(core, "TRANSITIONS", narrowed)
    task = task_in(status)
    with pytest.raises(NotAllowed) as refused:
        STEPS[step](task, PEOPLE[rule.who.value])
    assert refused.value.problem is Problem.WRONG_STATE


def test_steps_for_each_side() -> None:
    assert lifecycle_table.steps_for(Role.ASSIGNEE, AWAITING) == {
        Step.ACCEPT,
        Step.DECLINE,
        Step.ASK,
        Step.FLAG,
    }
    assert lifecycle_table.steps_for(Role.ASSIGNEE, WORKING) == {
        Step.REPORT,
        Step.DELIVER,
        Step.ASK,
        Step.FLAG,
    }
    assert lifecycle_table.steps_for(Role.ASSIGNEE, DELIVERED) == set()
    assert lifecycle_table.steps_for(Role.OWNER, DELIVERED) == {
        Step.ANSWER,
        Step.APPROVE,
        Step.REQUEST_CHANGES,
        Step.EDIT,
        Step.REASSIGN,
        Step.TAKE_BACK,
        Step.CANCEL,
    }
    assert lifecycle_table.steps_for(Role.OWNER, Status.APPROVED) == set()


@pytest.mark.parametrize("status", list(Status))
def test_open_and_closed_states(status: Status) -> None:
    closed = status in (Status.APPROVED, Status.CANCELLED, Status.TAKEN_BACK)
    assert status.is_open is not closed
    assert (status in lifecycle_table.OPEN_STATES) is not closed


def test_a_rule_reads_as_its_row() -> None:
    assert TRANSITIONS[Step.DELIVER] == Rule(
        Role.ASSIGNEE, frozenset({WORKING}), DELIVERED, done_in=frozenset({DELIVERED})
    )


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("step", list(Step))
def test_allowed_is_the_rows_from_states(step: Step, status: Status) -> None:
    expected = LIFECYCLE[step]
    assert lifecycle_table.allowed(step, status) is (status in expected.moves)
