"""Recurring series: keyword-only functions, scoped by team, that never commit.

Advancing and stopping a series are compare-and-set on its row, so two clocks (or a
clock and an owner's ``stop``) can't both act on the same occurrence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.core.lifecycle_table import OPEN_STATES
from bot.core.tasks import Task
from storage import repositories as repo
from storage.inserts import insert_once
from storage.models import SeriesRow, TaskRow
from storage.workspaces import installed_only


def add_series(session: Session, *, series: SeriesRow) -> SeriesRow | None:
    """Insert a new series; None when its request made it already (a retry)."""
    return series if insert_once(session, series) else None


def get_series(session: Session, *, team_id: str, series_id: int) -> SeriesRow | None:
    return session.exec(
        select(SeriesRow).where(SeriesRow.team_id == team_id, SeriesRow.id == series_id)
    ).first()


def series_to_offer(
    session: Session, *, now: datetime, limit: int, ids: Sequence[int] | None = None, lock: bool = False
) -> list[SeriesRow]:
    """Running series whose next occurrence is due to be offered, oldest first (the partial index);
    none of a workspace that removed the bot.

    With ``lock`` (PostgreSQL) the rows are locked to the end of the transaction and those
    another clock holds are skipped, so two clocks share the work instead of waiting.
    """
    query = (
        select(SeriesRow)
        .where(
            col(SeriesRow.stopped_at).is_(None),
            col(SeriesRow.next_offer_at) <= now,
            installed_only(SeriesRow.team_id),
        )
        .order_by(col(SeriesRow.next_offer_at), col(SeriesRow.id))
        .limit(limit)
    )
    if ids is not None:
        query = query.where(col(SeriesRow.id).in_(list(ids)))
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query).all())


def advance(session: Session, *, series: SeriesRow, next_due_at: datetime, next_offer_at: datetime) -> bool:
    """Move the series on from its occurrence due at ``series.next_due_at``; False if it moved or stopped."""
    result = session.execute(
        update(SeriesRow)
        .where(
            col(SeriesRow.id) == series.id,
            col(SeriesRow.team_id) == series.team_id,
            col(SeriesRow.next_due_at) == series.next_due_at,
            col(SeriesRow.stopped_at).is_(None),
        )
        .values(next_due_at=next_due_at, next_offer_at=next_offer_at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def stop(
    session: Session,
    *,
    team_id: str,
    series_id: int,
    at: datetime,
    reason: str,
    request_key: str | None = None,
) -> bool:
    """Stop a running series, by the request ``request_key`` if any; False when it was stopped already."""
    result = session.execute(
        update(SeriesRow)
        .where(
            col(SeriesRow.id) == series_id,
            col(SeriesRow.team_id) == team_id,
            col(SeriesRow.stopped_at).is_(None),
        )
        .values(stopped_at=at, stop_reason=reason, stop_request_key=request_key)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    # Its occurrences no longer say they repeat (their cards are edited when they next change).
    session.execute(
        update(TaskRow)
        .where(col(TaskRow.team_id) == team_id, col(TaskRow.series_id) == series_id)
        .values(repeats=None)
        .execution_options(synchronize_session=False)
    )
    return True


def stopped_by(session: Session, *, team_id: str, series_id: int) -> str | None:
    """The request that stopped the series, read afresh (not from a row this session holds)."""
    return session.execute(
        select(SeriesRow.stop_request_key).where(SeriesRow.team_id == team_id, SeriesRow.id == series_id)
    ).scalar_one_or_none()


def follow_reassignment(session: Session, *, task: Task) -> bool:
    """The series of ``task`` goes on with its new assignee, if ``task`` is its latest open occurrence.

    Reassigning an older occurrence moves that task alone. The series row is locked first
    (PostgreSQL), so an occurrence a clock created meanwhile is seen before deciding.
    Returns whether the series now follows ``task.assignee_id``.
    """
    if task.series_id is None or task.due_at is None:
        return False
    locked = select(SeriesRow.id).where(
        SeriesRow.team_id == task.team_id, SeriesRow.id == task.series_id, col(SeriesRow.stopped_at).is_(None)
    )
    if session.get_bind().dialect.name == "postgresql":
        locked = locked.with_for_update()
    if session.execute(locked).first() is None:
        return False  # stopped: nothing more will be handed to anyone
    later_open = session.execute(
        select(TaskRow.id)
        .where(
            TaskRow.team_id == task.team_id,
            TaskRow.series_id == task.series_id,
            col(TaskRow.due_at) > task.due_at,
            col(TaskRow.status).in_([status.value for status in OPEN_STATES]),
        )
        .limit(1)
    ).first()
    if later_open is not None:
        return False
    session.execute(
        update(SeriesRow)
        .where(col(SeriesRow.id) == task.series_id, col(SeriesRow.team_id) == task.team_id)
        .values(assignee_id=task.assignee_id)
        .execution_options(synchronize_session=False)
    )
    return True


def running_series_of(session: Session, *, team_id: str, assignee_id: str) -> list[SeriesRow]:
    rows = session.exec(
        select(SeriesRow).where(
            SeriesRow.team_id == team_id,
            SeriesRow.assignee_id == assignee_id,
            col(SeriesRow.stopped_at).is_(None),
        )
    ).all()
    return list(rows)


def latest_occurrence(session: Session, *, team_id: str, series_id: int) -> Task | None:
    """The occurrence due last: what messages about the series are about."""
    row = session.exec(
        select(TaskRow)
        .where(TaskRow.team_id == team_id, TaskRow.series_id == series_id)
        .order_by(col(TaskRow.due_at).desc())
        .limit(1)
    ).first()
    return repo.get_task_by_id(session, team_id=team_id, task_id=row.id) if row and row.id else None
