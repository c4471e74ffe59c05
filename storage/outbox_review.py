"""The outbox's messages that wait for an operator: failed ones and parked ones, per workspace.

FAILED: Slack refused the message for good, or it kept failing for a day. PARKED: its
workspace uninstalled the app. Neither is tried again until an operator queues it again
(``requeue``), which puts it back as the sender finds a freshly queued message.

Callers hold the transaction (``Database.session_scope``); nothing here commits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, update
from sqlmodel import Session, col, select

from storage.models import OutboxMessage, OutboxStatus, TaskRow, WorkspaceRow

HELD = (OutboxStatus.FAILED.value, OutboxStatus.PARKED.value)


@dataclass(frozen=True)
class HeldMessage:
    id: int
    kind: str
    recipient_id: str  # a person, or a channel for a summary
    status: str
    task_number: int | None
    created_at: datetime
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class WorkspaceHeld:
    team_id: str
    team_name: str | None  # known once the workspace was installed by OAuth
    uninstalled_at: datetime | None
    counts: dict[str, int]  # per status, FAILED and PARKED only
    recent: list[HeldMessage]  # the latest few, newest first


def held_by_workspace(session: Session, *, recent: int = 5) -> list[WorkspaceHeld]:
    """Each workspace with failed or parked messages, by team id, with its latest few of them."""
    counted = session.exec(
        select(OutboxMessage.team_id, OutboxMessage.status, func.count())
        .where(col(OutboxMessage.status).in_(HELD))
        .group_by(col(OutboxMessage.team_id), col(OutboxMessage.status))
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for team_id, status, n in counted:
        counts.setdefault(team_id, {})[status] = int(n)
    return [_workspace_held(session, team_id, counts[team_id], recent=recent) for team_id in sorted(counts)]


def _workspace_held(session: Session, team_id: str, counts: dict[str, int], *, recent: int) -> WorkspaceHeld:
    rows = session.exec(
        select(OutboxMessage, TaskRow.number)
        .outerjoin(
            TaskRow, and_(col(TaskRow.id) == col(OutboxMessage.task_id), col(TaskRow.team_id) == team_id)
        )
        .where(col(OutboxMessage.team_id) == team_id, col(OutboxMessage.status).in_(HELD))
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .limit(recent)
    ).all()
    workspace = session.get(WorkspaceRow, team_id)
    return WorkspaceHeld(
        team_id=team_id,
        team_name=workspace.team_name if workspace else None,
        uninstalled_at=workspace.uninstalled_at if workspace else None,
        counts=counts,
        recent=[_held_message(message, number) for message, number in rows],
    )


def _held_message(message: OutboxMessage, task_number: int | None) -> HeldMessage:
    assert message.id is not None
    return HeldMessage(
        id=message.id,
        kind=message.kind,
        recipient_id=message.recipient_id,
        status=message.status,
        task_number=task_number,
        created_at=message.created_at,
        attempts=message.attempts,
        last_error=message.last_error,
    )


def requeue(session: Session, *, team_ids: Collection[str] | None = None) -> dict[str, dict[str, int]]:
    """Failed and parked messages (of these workspaces, or all) queued again; per workspace and
    former status, how many.

    As ``store.enqueue`` queues a message: pending, no attempts yet, due at once
    (``next_attempt_at`` empty, so the bot's clock and the operator's need not agree), no
    error, no claim. ``maybe_sent`` is kept: a message whose earlier try may have landed is
    still looked for in its conversation before it is posted. Only held rows change, so
    running it twice queues nothing twice.
    """
    requeued: dict[str, dict[str, int]] = {}
    for status in HELD:
        statement = (
            update(OutboxMessage)
            .where(col(OutboxMessage.status) == status)
            .values(
                status=OutboxStatus.PENDING.value,
                attempts=0,
                next_attempt_at=None,
                last_error=None,
                claimed_by=None,
                claimed_at=None,
            )
            .returning(col(OutboxMessage.team_id))
            .execution_options(synchronize_session=False)
        )
        if team_ids is not None:
            statement = statement.where(col(OutboxMessage.team_id).in_(list(team_ids)))
        for team_id in session.execute(statement).scalars():
            per_status = requeued.setdefault(team_id, {})
            per_status[status] = per_status.get(status, 0) + 1
    return requeued
