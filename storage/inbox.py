"""The inbox table: Slack requests answered but not yet carried out (see bot.slack.durable).

Keyword-only functions scoped by workspace, like the other repositories; none commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from storage.inserts import insert_once
from storage.models import InboxRequest, InboxStatus


def record(
    session: Session, *, team_id: str, request_key: str, kind: str, payload: str, now: datetime, claim: str
) -> bool:
    """Keep a request until its work is done; False when the same request is already kept."""
    row = InboxRequest(
        team_id=team_id, request_key=request_key, kind=kind, payload=payload, received_at=now, claim=claim
    )
    return insert_once(session, row)


def forget(session: Session, *, team_id: str, request_key: str) -> None:
    """The request's work is recorded (or refused): nothing is left to do for it."""
    session.execute(
        delete(InboxRequest)
        .where(col(InboxRequest.team_id) == team_id, col(InboxRequest.request_key) == request_key)
        .execution_options(synchronize_session=False)
    )


def mark_failed(session: Session, *, team_id: str, request_key: str, error_id: str) -> None:
    """Kept for whoever reads the log entry with this error id; never tried again by itself."""
    session.execute(
        update(InboxRequest)
        .where(col(InboxRequest.team_id) == team_id, col(InboxRequest.request_key) == request_key)
        .values(status=InboxStatus.FAILED, error_id=error_id)
        .execution_options(synchronize_session=False)
    )


def unfinished(session: Session, *, limit: int = 1000) -> Sequence[InboxRequest]:
    """Requests whose work was never done, oldest first, across workspaces."""
    return session.exec(
        select(InboxRequest)
        .where(InboxRequest.status == InboxStatus.PENDING)
        .order_by(col(InboxRequest.id))
        .limit(limit)
    ).all()


def take_over(session: Session, *, team_id: str, row_id: int, seen_claim: str | None, claim: str) -> bool:
    """Claim a left-over request; False if another process took it first."""
    result = session.execute(
        update(InboxRequest)
        .where(
            col(InboxRequest.id) == row_id,
            col(InboxRequest.team_id) == team_id,
            col(InboxRequest.status) == InboxStatus.PENDING,
            col(InboxRequest.claim) == seen_claim if seen_claim else col(InboxRequest.claim).is_(None),
        )
        .values(claim=claim)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def payload_of(session: Session, *, team_id: str, request_key: str) -> str | None:
    """The payload kept with a request, as its work last noted it; None when none is kept."""
    return session.exec(
        select(InboxRequest.payload).where(
            col(InboxRequest.team_id) == team_id, col(InboxRequest.request_key) == request_key
        )
    ).first()


def note(session: Session, *, team_id: str, request_key: str, payload: str) -> None:
    """Replace a kept request's payload: its work notes how far it got, for a resumed run to read."""
    session.execute(
        update(InboxRequest)
        .where(col(InboxRequest.team_id) == team_id, col(InboxRequest.request_key) == request_key)
        .values(payload=payload)
        .execution_options(synchronize_session=False)
    )


def mark_done(session: Session, *, team_id: str, request_key: str) -> None:
    """Kept as done: a retry of the same request finds it and does nothing (see ``record``)."""
    session.execute(
        update(InboxRequest)
        .where(col(InboxRequest.team_id) == team_id, col(InboxRequest.request_key) == request_key)
        .values(status=InboxStatus.DONE)
        .execution_options(synchronize_session=False)
    )
