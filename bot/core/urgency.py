"""How urgently a task needs someone's attention: the sections of the daily summary and
of the Home tab, most urgent first. Pure: read from the task and the clock alone.

Each task is in one section only, the most urgent that applies: an overdue task that is
also blocked is overdue (its blocked reason still shows on its line). Closed tasks are in
none, except one approved since ``done_since`` (the previous summary): good news to end on.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.core.clarity import check_clarity
from bot.core.tasks import Health, Status, Task


class Urgency(StrEnum):
    """Most urgent first: the order sections are shown in."""

    OVERDUE = "overdue"  # past due and still with the assignee (to accept or to do)
    AT_RISK = "at_risk"  # the assignee says it is blocked or at risk
    DECLINED = "declined"  # waiting on the owner to reassign it or take it back
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    UNCLEAR = "unclear"  # no definition of done, a vague one, or no due date
    AWAITING_REVIEW = "awaiting_review"  # delivered: the owner's turn
    DUE_TODAY = "due_today"
    DONE = "done"  # approved since the previous summary

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Urgency.OVERDUE: "Overdue",
    Urgency.AT_RISK: "Blocked or at risk",
    Urgency.DECLINED: "Declined: reassign or take back",
    Urgency.AWAITING_ACCEPTANCE: "Awaiting acceptance",
    Urgency.UNCLEAR: "Unclear",
    Urgency.AWAITING_REVIEW: "Awaiting review",
    Urgency.DUE_TODAY: "Due today",
    Urgency.DONE: "Approved",
}

# Where the ball is with the assignee: the only states a due date can be missed in.
_WITH_ASSIGNEE = frozenset({Status.AWAITING_ACCEPTANCE, Status.IN_PROGRESS})
_RAISED = frozenset({Health.AT_RISK, Health.BLOCKED})


def urgency_of(task: Task, *, now: datetime, today_ends: datetime, done_since: datetime) -> Urgency | None:
    """The section ``task`` belongs in; None when it needs no one's attention.

    ``today_ends`` is the end of the reader's local day (due today means due before it);
    ``done_since`` is from when an approval is news.
    """
    if not task.status.is_open:
        closed = task.closed_at
        approved_lately = task.status is Status.APPROVED and closed is not None and closed >= done_since
        return Urgency.DONE if approved_lately else None
    due = task.due_at
    if task.status in _WITH_ASSIGNEE and due is not None and due < now:
        return Urgency.OVERDUE
    if task.health in _RAISED and task.status is Status.IN_PROGRESS:
        return Urgency.AT_RISK
    if task.status is Status.DECLINED:
        return Urgency.DECLINED
    if task.status is Status.AWAITING_ACCEPTANCE:
        return Urgency.AWAITING_ACCEPTANCE
    if task.status is Status.DELIVERED:
        return Urgency.AWAITING_REVIEW
    if check_clarity(task.done_when, task.due_at):
        return Urgency.UNCLEAR
    if due is not None and due < today_ends:
        return Urgency.DUE_TODAY
    return None


def went_wrong(task: Task, now: datetime) -> bool:
    """Late or reworked: worth a "Why?". Late is delivered after the due date, or not delivered
    and past it (by now, or by when it was closed); due exactly then is not late yet. A delivery
    on time waiting for review past its due date is the owner's wait, not a late handoff."""
    late = task.due_at is not None and (task.delivered_at or task.closed_at or now) > task.due_at
    return late or task.rework_count > 0
