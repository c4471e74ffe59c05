"""The outbox table: queueing, claiming, recording outcomes and pruning.

Functions that touch one message take its ``team_id`` and id, like every repository
function. The claim is the one query across workspaces: a sender serves them all, oldest
first, through the partial index ``ix_outbox_pending``. None of these functions commits.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text, bindparam, delete, func, or_, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from storage.inserts import dialect_insert
from storage.models import OutboxMessage, OutboxStatus
from storage.types import UTCDateTime
from storage.workspaces import installed_only

PENDING, SENDING, SENT = OutboxStatus.PENDING.value, OutboxStatus.SENDING.value, OutboxStatus.SENT.value


def enqueue(
    session: Session,
    *,
    team_id: str,
    dedupe_key: str,
    kind: str,
    recipient_id: str,
    payload: str,
    task_id: int | None,
    now: datetime,
    not_before: datetime | None = None,
) -> bool:
    """Queue a message once per (workspace, key); False when it was queued before.

    ``not_before``: not sent until then (a coalesced message waits for the rest of its window).

    ``ON CONFLICT DO NOTHING`` on the unique key: a replayed change queues nothing, while
    any other integrity error (a bad task id) still surfaces as the bug it is.
    """
    statement: Any = (
        dialect_insert(session, OutboxMessage)
        .values(
            team_id=team_id,
            dedupe_key=dedupe_key,
            kind=kind,
            recipient_id=recipient_id,
            payload=payload,
            task_id=task_id,
            status=PENDING,
            attempts=0,
            maybe_sent=False,
            created_at=now,
            next_attempt_at=not_before,
        )
        .on_conflict_do_nothing(index_elements=["team_id", "dedupe_key"])
        .returning(col(OutboxMessage.id))
    )
    return session.execute(statement).first() is not None


@dataclass(frozen=True)
class Queued:
    """One message for :func:`enqueue_many`."""

    team_id: str
    dedupe_key: str
    kind: str
    recipient_id: str
    payload: str
    task_id: int | None


def enqueue_many(session: Session, *, messages: Sequence[Queued], now: datetime) -> int:
    """``enqueue`` for a whole batch at once; returns how many were new."""
    if not messages:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        arrays = {
            "teams": [m.team_id for m in messages],
            "keys": [m.dedupe_key for m in messages],
            "kinds": [m.kind for m in messages],
            "recipients": [m.recipient_id for m in messages],
            "payloads": [m.payload for m in messages],
            "tasks": [m.task_id for m in messages],
            "created_at": now,
        }
        return len(session.execute(_ENQUEUE_FROM_ARRAYS, arrays).all())
    statement: Any = (
        dialect_insert(session, OutboxMessage)
        .on_conflict_do_nothing(index_elements=["team_id", "dedupe_key"])
        .returning(col(OutboxMessage.id))
    )
    rows = [
        {
            "team_id": m.team_id,
            "dedupe_key": m.dedupe_key,
            "kind": m.kind,
            "recipient_id": m.recipient_id,
            "payload": m.payload,
            "task_id": m.task_id,
            "status": PENDING,
            "attempts": 0,
            "maybe_sent": False,
            "created_at": now,
        }
        for m in messages
    ]
    # A plain executemany on the connection (no ORM bulk insert).
    return len(session.connection().execute(statement, rows).all())


# PostgreSQL: the batch as arrays, so the statement is the same short text whatever its size.
_ENQUEUE_FROM_ARRAYS = text(
    """
    INSERT INTO outbox (team_id, dedupe_key, kind, recipient_id, payload, task_id,
                        status, attempts, maybe_sent, created_at)
    SELECT team_id, dedupe_key, kind, recipient_id, payload, task_id, 'pending', 0, false, :created_at
    FROM unnest(:teams, :keys, :kinds, :recipients, :payloads, :tasks)
        AS queued(team_id, dedupe_key, kind, recipient_id, payload, task_id)
    ON CONFLICT (team_id, dedupe_key) DO NOTHING
    RETURNING id
    """
).bindparams(
    bindparam("teams", type_=ARRAY(String)),
    bindparam("keys", type_=ARRAY(String)),
    bindparam("kinds", type_=ARRAY(String)),
    bindparam("recipients", type_=ARRAY(String)),
    bindparam("payloads", type_=ARRAY(Text)),
    bindparam("tasks", type_=ARRAY(Integer)),
    bindparam("created_at", type_=UTCDateTime()),
)


def claim_batch(
    session: Session, *, sender_id: str, now: datetime, limit: int, paused_teams: Collection[str] = ()
) -> list[OutboxMessage]:
    """Take up to ``limit`` due messages, oldest first, for this sender: one UPDATE.

    On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets senders in other processes claim the next
    rows instead of waiting; SQLite has one writer at a time, so the UPDATE alone is enough.
    Workspaces waiting out a rate limit are passed over, and so are those that removed the bot
    (their messages are parked when they do; any queued after it wait for a new install).
    """
    due = (
        select(OutboxMessage.id)
        .where(
            col(OutboxMessage.status) == PENDING,
            or_(col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now),
            installed_only(OutboxMessage.team_id),
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if paused_teams:
        due = due.where(col(OutboxMessage.team_id).not_in(list(paused_teams)))
    claimed = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(due.scalar_subquery()))
        .values(status=SENDING, claimed_by=sender_id, claimed_at=now)
        .returning(col(OutboxMessage.id))
        .execution_options(synchronize_session=False)
    )
    ids = [int(row[0]) for row in claimed]
    if not ids:
        return []
    rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_(ids))).all()
    return sorted(rows, key=lambda row: row.id or 0)


def claim_holders(session: Session) -> list[str]:
    """The senders that hold claims now (a short list: one per running or crashed process)."""
    query = select(OutboxMessage.claimed_by).where(col(OutboxMessage.status) == SENDING).distinct()
    return [holder for holder in session.exec(query).all() if holder]


def release_claims(
    session: Session, *, holders: Collection[str] = (), claimed_before: datetime | None = None
) -> int:
    """Put back the messages of senders that are gone; their last try may have landed.

    Released rows are marked ``maybe_sent``, so the next sender looks in the conversation
    before sending them again.
    """
    conditions: list[ColumnElement[bool]] = []
    if holders:
        conditions.append(col(OutboxMessage.claimed_by).in_(list(holders)))
    if claimed_before is not None:
        conditions.append(col(OutboxMessage.claimed_at) < claimed_before)
    if not conditions:
        return 0
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.status) == SENDING, or_(*conditions))
        .values(status=PENDING, claimed_by=None, maybe_sent=True)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def renew_claims(session: Session, *, sender_id: str, now: datetime) -> None:
    """A living sender's claims stay fresh, so no other process takes them for abandoned."""
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.status) == SENDING, col(OutboxMessage.claimed_by) == sender_id)
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class SentRow:
    team_id: str
    message_id: int
    channel: str
    ts: str


def mark_sent(
    session: Session, *, team_id: str, message_id: int, channel: str, ts: str, now: datetime
) -> None:
    """Slack has it. Also from "pending": a released claim whose send did land is not resent."""
    mark_many_sent(session, sent=[SentRow(team_id, message_id, channel, ts)], now=now)


def mark_many_sent(session: Session, *, sent: Sequence[SentRow], now: datetime) -> None:
    """``mark_sent`` for a whole batch in one statement (executemany), as the sender records them."""
    if not sent:
        return
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("message_id"),
            table.c.team_id == bindparam("team"),
            or_(table.c.status == SENDING, table.c.status == PENDING),  # no IN: it cannot go in executemany
        )
        .values(
            status=SENT,
            sent_at=now,
            channel=bindparam("sent_channel"),
            ts=bindparam("sent_ts"),
            claimed_by=None,
            attempts=table.c.attempts + 1,
        )
    )
    session.execute(
        statement,
        [
            {
                "message_id": row.message_id,
                "team": row.team_id,
                "sent_channel": row.channel,
                "sent_ts": row.ts,
            }
            for row in sent
        ],
    )


def mark_unsent(
    session: Session,
    *,
    team_id: str,
    message_id: int,
    sender_id: str,
    error: str | None,
    retry_at: datetime | None,
    maybe_sent: bool = False,
    count_attempt: bool = True,
) -> None:
    """Back in the queue from ``retry_at``, or parked as failed when None.

    Only while this sender still holds the claim; ``maybe_sent`` is kept once set, since
    one uncertain try makes every later resend a look-up first.
    """
    values: dict[str, Any] = {
        "status": PENDING if retry_at else OutboxStatus.FAILED.value,
        "next_attempt_at": retry_at,
        "claimed_by": None,
    }
    if maybe_sent:
        values["maybe_sent"] = True
    if error is not None:
        values["last_error"] = error[:2000]
    if count_attempt:
        values["attempts"] = OutboxMessage.attempts + 1
    session.execute(
        update(OutboxMessage)
        .where(*_held(team_id, message_id, sender_id))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def mark_skipped(session: Session, *, team_id: str, message_id: int, sender_id: str, reason: str) -> None:
    """A message that no longer makes sense (its task moved on) is kept, but not sent."""
    session.execute(
        update(OutboxMessage)
        .where(*_held(team_id, message_id, sender_id))
        .values(status=OutboxStatus.SKIPPED.value, last_error=reason, claimed_by=None)
        .execution_options(synchronize_session=False)
    )


def prune_sent(session: Session, *, sent_before: datetime) -> int:
    """Forget sent messages older than the keep period (served by ``ix_outbox_sent``)."""
    result = session.execute(
        delete(OutboxMessage)
        .where(col(OutboxMessage.status) == SENT, col(OutboxMessage.sent_at) < sent_before)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def pending(
    session: Session, *, team_id: str, due_by: datetime | None = None, limit: int = 100
) -> Sequence[OutboxMessage]:
    """A workspace's messages waiting to be sent, oldest first; with ``due_by``, only those due."""
    query = select(OutboxMessage).where(
        col(OutboxMessage.team_id) == team_id, col(OutboxMessage.status) == PENDING
    )
    if due_by is not None:
        query = query.where(
            or_(col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= due_by)
        )
    return session.exec(query.order_by(col(OutboxMessage.id)).limit(limit)).all()


def messages(session: Session, *, team_id: str) -> Sequence[OutboxMessage]:
    """Every message of a workspace, oldest first (for inspection and tests)."""
    query = select(OutboxMessage).where(col(OutboxMessage.team_id) == team_id)
    return session.exec(query.order_by(col(OutboxMessage.id))).all()


def park_unsent(session: Session, *, team_id: str) -> int:
    """Hold every message of the workspace not sent yet (pending, or claimed by a sender): it
    removed the bot. Returns how many; a second call finds none left to park.

    A sender still holding one finds its claim gone and records nothing over the parking; its
    try may have landed all the same, so a claimed one is marked ``maybe_sent``, to be looked
    for before it is ever sent again.
    """
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.team_id) == team_id, col(OutboxMessage.status).in_([PENDING, SENDING]))
        .values(
            status=OutboxStatus.PARKED.value,
            claimed_by=None,
            maybe_sent=or_(col(OutboxMessage.maybe_sent), col(OutboxMessage.status) == SENDING),
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def count_by_status(session: Session) -> dict[str, int]:
    query = select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))
    return {str(status): int(n) for status, n in session.exec(query).all()}


def _held(team_id: str, message_id: int, sender_id: str) -> list[Any]:
    return [
        col(OutboxMessage.id) == message_id,
        col(OutboxMessage.team_id) == team_id,
        col(OutboxMessage.status) == SENDING,
        col(OutboxMessage.claimed_by) == sender_id,
    ]
