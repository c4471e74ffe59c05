"""Nudge policy: which reminders a task is due, to whom, and when to look at it again.

Pure: ``decide(task, history, now, settings, calendars)`` returns the nudges to queue now
and the moment the task needs looking at next. The sweep (``bot.services.sweep``) feeds it
the tasks whose check is due and records what it decides under each nudge's unique key
(task, kind, recipient, period), so deciding twice queues once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.tasks import Task
from bot.core.working_time import WorkingTime


class NudgeKind(StrEnum):
    ACK_REMINDER = "ack_reminder"  # assignee: not accepted yet
    ACK_ESCALATION = "ack_escalation"  # owner: still not accepted; reassign or take back
    UNCLEAR = "unclear"  # owner: no definition of done, a vague one, or no due date
    QUESTION = "question"  # owner: the assignee's question is unanswered
    DUE_SOON = "due_soon"  # assignee: due soon, no word lately; on track / at risk / blocked
    OVERDUE = "overdue"  # assignee and owner: past due, repeated with how late
    REPORT_DUE = "report_due"  # assignee: in progress, silent for a while
    REVIEW = "review"  # owner: delivered, not reviewed


@dataclass(frozen=True)
class NudgeSettings:
    """The thresholds (``NUDGE_*`` and ``ESCALATE_AFTER`` in the environment, per workspace)."""

    ack_after: timedelta = timedelta(hours=4)
    escalate_after: timedelta = timedelta(days=1)
    unclear_after: timedelta = timedelta(hours=2)
    question_after: timedelta = timedelta(hours=4)
    due_soon: timedelta = timedelta(days=1)
    repeat_every: timedelta = timedelta(days=1)
    report_every: timedelta = timedelta(days=2)
    review_after: timedelta = timedelta(days=1)


# The environment variable behind each threshold, for settings and messages.
SETTING_NAMES: Mapping[str, str] = {
    "ack_after": "NUDGE_ACK_AFTER",
    "escalate_after": "ESCALATE_AFTER",
    "unclear_after": "NUDGE_UNCLEAR_AFTER",
    "question_after": "NUDGE_QUESTION_AFTER",
    "due_soon": "NUDGE_DUE_SOON",
    "repeat_every": "NUDGE_REPEAT_EVERY",
    "report_every": "NUDGE_REPORT_EVERY",
    "review_after": "NUDGE_REVIEW_AFTER",
}


@dataclass(frozen=True)
class History:
    """What the policy needs from a task's past, beyond the task itself.

    ``offered_at``: when the current assignee was handed the task (created or reassigned).
    ``last_word_at``: the assignee's latest report or status (on track / at risk / blocked).
    ``question_at``: when the open question was asked (None when none is open).
    ``unclear_since``: when the task became unclear (created or edited so), None if clear.
    ``last_nudged``: (kind, recipient) → when that nudge was last decided.
    ``snoozed_until``: recipient → no nudges to them about this task before then.
    """

    offered_at: datetime
    last_word_at: datetime | None = None
    question_at: datetime | None = None
    unclear_since: datetime | None = None
    last_nudged: Mapping[tuple[NudgeKind, str], datetime] = field(default_factory=dict)
    snoozed_until: Mapping[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Nudge:
    kind: NudgeKind
    recipient_id: str
    # With task, kind and recipient, the unique key: the same situation decided twice
    # (two sweeps, a retried sweep) yields the same period, so it is queued once.
    period: str
    late_by: timedelta | None = None  # overdue nudges: how late the task is


@dataclass(frozen=True)
class Decision:
    nudges: tuple[Nudge, ...]
    next_check_at: datetime | None  # None: nothing can fall due any more (a closed task)


def decide(
    task: Task,
    history: History,
    *,
    now: datetime,
    settings: NudgeSettings,
    calendars: Mapping[str, WorkingTime],
) -> Decision:
    """The nudges due now for ``task`` and when to look again; ``calendars`` maps user id → calendar."""
    raise NotImplementedError


def still_applies(kind: NudgeKind, task: Task, recipient_id: str, *, now: datetime) -> bool:
    """At send time: whether a queued nudge still makes sense for the task as it is now."""
    raise NotImplementedError
