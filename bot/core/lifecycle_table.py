"""The task lifecycle as data: which side may take which step, from which states, to where.

``TRANSITIONS`` is the one place these rules live. The core's step functions
(:mod:`bot.core.tasks`) check it before they change a task, the Slack builders read it to
choose which buttons a message offers, and the queries read it to pick the tasks a person
can act on. Adding a step or a state is one row here (and one function in ``tasks.py``
for what the step changes besides the state).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    IN_PROGRESS = "in_progress"
    DELIVERED = "delivered"
    DECLINED = "declined"
    APPROVED = "approved"
    CANCELLED = "cancelled"
    TAKEN_BACK = "taken_back"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in CLOSED_STATES


_STATUS_LABELS = {
    Status.AWAITING_ACCEPTANCE: "awaiting acceptance",
    Status.IN_PROGRESS: "in progress",
    Status.DELIVERED: "delivered, awaiting review",
    Status.DECLINED: "declined",
    Status.APPROVED: "approved",
    Status.CANCELLED: "cancelled",
    Status.TAKEN_BACK: "taken back",
}

CLOSED_STATES = frozenset({Status.APPROVED, Status.CANCELLED, Status.TAKEN_BACK})
OPEN_STATES = frozenset(Status) - CLOSED_STATES


class Role(StrEnum):
    """The two sides of a task. Anyone else may only be told that the task isn't theirs."""

    OWNER = "owner"
    ASSIGNEE = "assignee"


class Step(StrEnum):
    """Everything a person can do to an existing task."""

    ACCEPT = "accept"
    DECLINE = "decline"
    ASK = "ask"
    REPORT = "report"
    DELIVER = "deliver"
    ANSWER = "answer"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    EDIT = "edit"
    REASSIGN = "reassign"
    TAKE_BACK = "take_back"
    CANCEL = "cancel"
    # The assignee says how it stands (on track, at risk, blocked), from a nudge.
    FLAG = "flag"


@dataclass(frozen=True)
class Rule:
    """One row of the lifecycle.

    ``to`` is the state the step leads to; None means the task stays where it is (a
    question, a report, an edit). ``done_in`` are the states in which the step has
    already happened: taking it again there (a double click, a retried request, a late
    click on an old message) changes nothing rather than being refused.
    """

    who: Role
    from_states: frozenset[Status]
    to: Status | None
    done_in: frozenset[Status] = frozenset()


AWAITING, WORKING, DELIVERED = Status.AWAITING_ACCEPTANCE, Status.IN_PROGRESS, Status.DELIVERED
DECLINED, APPROVED = Status.DECLINED, Status.APPROVED
TAKEN_BACK, CANCELLED = Status.TAKEN_BACK, Status.CANCELLED

TRANSITIONS: Mapping[Step, Rule] = {
    Step.ACCEPT: Rule(Role.ASSIGNEE, frozenset({AWAITING}), WORKING, done_in=frozenset({WORKING, DELIVERED})),
    Step.DECLINE: Rule(Role.ASSIGNEE, frozenset({AWAITING}), DECLINED, done_in=frozenset({DECLINED})),
    Step.ASK: Rule(Role.ASSIGNEE, frozenset({AWAITING, WORKING}), None),
    Step.REPORT: Rule(Role.ASSIGNEE, frozenset({WORKING}), None),
    Step.DELIVER: Rule(Role.ASSIGNEE, frozenset({WORKING}), DELIVERED, done_in=frozenset({DELIVERED})),
    Step.ANSWER: Rule(Role.OWNER, OPEN_STATES, None),
    Step.APPROVE: Rule(Role.OWNER, frozenset({DELIVERED}), APPROVED, done_in=frozenset({APPROVED})),
    Step.REQUEST_CHANGES: Rule(Role.OWNER, frozenset({DELIVERED}), WORKING),
    Step.EDIT: Rule(Role.OWNER, OPEN_STATES, None),
    Step.REASSIGN: Rule(Role.OWNER, OPEN_STATES, AWAITING),
    Step.TAKE_BACK: Rule(Role.OWNER, OPEN_STATES, TAKEN_BACK, done_in=frozenset({TAKEN_BACK})),
    Step.CANCEL: Rule(Role.OWNER, OPEN_STATES, CANCELLED, done_in=frozenset({CANCELLED})),
    Step.FLAG: Rule(Role.ASSIGNEE, frozenset({AWAITING, WORKING}), None),
}


def allowed(step: Step, status: Status) -> bool:
    """Whether ``step`` can be taken on a task in ``status`` (by the right side)."""
    return status in TRANSITIONS[step].from_states


def steps_for(role: Role, status: Status) -> frozenset[Step]:
    """The steps one side of a task can take in ``status``."""
    return frozenset(
        step for step, rule in TRANSITIONS.items() if rule.who is role and status in rule.from_states
    )
