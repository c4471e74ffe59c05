"""Reading and writing tasks, their history and cached profiles (the outbox: ``bot.outbox.store``).

Keyword-only functions that take the session first and are always scoped by ``team_id``.
None of them commits: the caller's unit of work does, so one user action is one
transaction. Changes to a task are compare-and-set on its version, so a retried request or
a double click can never apply twice.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, or_, tuple_, update
from sqlmodel import Session, col, select

from bot.core.tasks import CLOSED_STATES, Event, EventKind, Health, Status, Task
from storage.db import LostRace
from storage.inserts import dialect_insert
from storage.inserts import insert_once as _insert_once
from storage.models import TaskEventRow, TaskRow, TeamCounter, UserProfile

_TASK_FIELDS = [f.name for f in fields(Task) if f.name not in ("status", "health")]
_CLOSED = [s.value for s in CLOSED_STATES]


class StaleTask(LostRace):
    """The task changed since it was read (another request won the race)."""


# --- tasks ------------------------------------------------------------------------------


def next_task_number(session: Session, *, team_id: str, count: int = 1) -> int:
    """Hand out the next ``count`` numbers T-<n> of a workspace; returns the first of them.

    The counter's row stays locked until the transaction ends, which serialises concurrent
    callers in a workspace: callers take their numbers as late in the transaction as they
    can, so the lock is held for as little else as possible.
    """
    bump = (
        update(TeamCounter)
        .where(col(TeamCounter.team_id) == team_id)
        .values(last_number=TeamCounter.last_number + count)
        .returning(col(TeamCounter.last_number))
    )
    last = session.execute(bump).scalar_one_or_none()
    if last is None and _insert_once(session, TeamCounter(team_id=team_id, last_number=count)):
        last = count
    if last is None:
        last = session.execute(bump).scalar_one()  # another request created the counter first
    return int(last) - count + 1


def add_task(
    session: Session, *, task: Task, request_key: str | None, now: datetime, numbered: bool = True
) -> Task | None:
    """Insert a new task; None when this request already created it (a retry).

    ``numbered=False`` leaves its T-<n> to :func:`number_tasks`, later in the transaction.
    """
    row = TaskRow(
        **{name: getattr(task, name) for name in _TASK_FIELDS if name not in ("id", "version", "number")},
        number=task.number if numbered else None,
        status=task.status.value,
        health=task.health.value if task.health else None,
        next_check_at=now,  # the sweep decides its first nudge
        request_key=request_key,
        updated_at=now,
        version=1,
    )
    if not _insert_once(session, row):
        return None
    return replace(task, id=row.id, version=1)


def number_tasks(session: Session, *, team_id: str, tasks: list[Task]) -> list[Task]:
    """Give tasks inserted unnumbered their T-<n>, the later ones linked to the first.

    The workspace's counter is taken here, so call this last: its lock is held to commit.
    """
    first = next_task_number(session, team_id=team_id, count=len(tasks))
    numbered: list[Task] = []
    for offset, task in enumerate(tasks):
        linked_to = first if offset else None
        session.execute(
            update(TaskRow)
            .where(col(TaskRow.id) == task.id, col(TaskRow.team_id) == team_id)
            .values(number=first + offset, linked_to=linked_to)
            .execution_options(synchronize_session=False)
        )
        numbered.append(replace(task, number=first + offset, linked_to=linked_to))
    return numbered


def task_created_by(session: Session, *, team_id: str, request_key: str) -> Task | None:
    row = session.exec(
        select(TaskRow).where(TaskRow.team_id == team_id, TaskRow.request_key == request_key)
    ).first()
    return task_from_row(row) if row else None


def get_task(session: Session, *, team_id: str, number: int) -> Task | None:
    row = session.exec(select(TaskRow).where(TaskRow.team_id == team_id, TaskRow.number == number)).first()
    return task_from_row(row) if row else None


def get_task_by_id(session: Session, *, team_id: str, task_id: int) -> Task | None:
    row = session.exec(select(TaskRow).where(TaskRow.team_id == team_id, TaskRow.id == task_id)).first()
    return task_from_row(row) if row else None


def tasks_with_ids(session: Session, *, keys: Collection[tuple[str, int]]) -> dict[int, Task]:
    """Several tasks, each named by (team_id, id), in one query."""
    if not keys:
        return {}
    rows = session.exec(select(TaskRow).where(tuple_(col(TaskRow.team_id), col(TaskRow.id)).in_(list(keys))))
    return {row.id: task_from_row(row) for row in rows.all() if row.id is not None}


def tasks_with_numbers(session: Session, *, keys: Collection[tuple[str, int]]) -> dict[tuple[str, int], Task]:
    """Several tasks, each named by (team_id, number), in one query."""
    if not keys:
        return {}
    query = select(TaskRow).where(tuple_(col(TaskRow.team_id), col(TaskRow.number)).in_(list(keys)))
    return {(row.team_id, row.number): task_from_row(row) for row in session.exec(query).all() if row.number}


def save_task(session: Session, *, task: Task, now: datetime) -> Task:
    """Write a changed task if nobody else changed it since ``task.version`` was read."""
    values = {name: getattr(task, name) for name in _TASK_FIELDS if name not in ("id", "version")}
    result = session.execute(
        update(TaskRow)
        .where(
            col(TaskRow.id) == task.id,
            col(TaskRow.team_id) == task.team_id,
            col(TaskRow.version) == task.version,
        )
        .values(
            **values,
            status=task.status.value,
            health=task.health.value if task.health else None,
            updated_at=now,
            version=task.version + 1,
            next_check_at=now,  # changed: the sweep decides its nudges afresh
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleTask(task.ref)
    return replace(task, version=task.version + 1)


def open_tasks_for(
    session: Session, *, team_id: str, user_id: str, side: str, limit: int = 50
) -> tuple[list[Task], int]:
    """Up to ``limit`` open tasks the user owns (``side="owner"``) or was asked to do
    (``side="assignee"``), soonest due first, and how many there are in all.

    A declined task waits on its owner, so it is not on its assignee's side.
    """
    person = TaskRow.owner_id if side == "owner" else TaskRow.assignee_id
    closed = _CLOSED if side == "owner" else [*_CLOSED, Status.DECLINED.value]
    total = func.count().over().label("total")
    rows = session.execute(
        select(TaskRow, total)
        .where(TaskRow.team_id == team_id, col(person) == user_id, col(TaskRow.status).not_in(closed))
        .order_by(col(TaskRow.due_at).is_(None), col(TaskRow.due_at), col(TaskRow.number))
        .limit(limit)
    ).all()
    return [task_from_row(row) for row, _ in rows], int(rows[0][1]) if rows else 0


def approved_since(
    session: Session, *, team_id: str, user_id: str, side: str, since: datetime, limit: int = 20
) -> list[Task]:
    """Tasks the user owns (``side="owner"``) or did (``side="assignee"``) approved at or after
    ``since``, latest first: good news for the Home tab. Read through the side's status index."""
    person = TaskRow.owner_id if side == "owner" else TaskRow.assignee_id
    rows = session.exec(
        select(TaskRow)
        .where(
            TaskRow.team_id == team_id,
            col(person) == user_id,
            TaskRow.status == Status.APPROVED.value,
            col(TaskRow.closed_at) >= since,
        )
        .order_by(col(TaskRow.closed_at).desc())
        .limit(limit)
    ).all()
    return [task_from_row(row) for row in rows]


def linked_tasks(session: Session, *, team_id: str, task: Task) -> list[Task]:
    """The other tasks handed out by the same /delegate."""
    root = task.linked_to or task.number
    rows = session.exec(
        select(TaskRow)
        .where(
            TaskRow.team_id == team_id,
            or_(col(TaskRow.number) == root, col(TaskRow.linked_to) == root),
            col(TaskRow.number) != task.number,
        )
        .order_by(col(TaskRow.number))
    ).all()
    return [task_from_row(row) for row in rows]


def set_offer_message(
    session: Session, *, team_id: str, task_id: int, assignee_id: str, channel: str, ts: str
) -> bool:
    """Remember where the assignee's task card is, so later steps can update it in place.

    Only for the current assignee: a card that reached someone the task has since moved
    away from must not become the one that gets updated.
    """
    result = session.execute(
        update(TaskRow)
        .where(
            col(TaskRow.id) == task_id,
            col(TaskRow.team_id) == team_id,
            col(TaskRow.assignee_id) == assignee_id,
        )
        .values(offer_channel=channel, offer_ts=ts)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def forget_offer_message(session: Session, *, team_id: str, task_id: int) -> None:
    """The task has no card until its new assignee's card is sent."""
    session.execute(
        update(TaskRow)
        .where(col(TaskRow.id) == task_id, col(TaskRow.team_id) == team_id)
        .values(offer_channel=None, offer_ts=None)
        .execution_options(synchronize_session=False)
    )


def offer_message(session: Session, *, team_id: str, task_id: int) -> tuple[str, str] | None:
    row = session.exec(select(TaskRow).where(TaskRow.team_id == team_id, TaskRow.id == task_id)).first()
    if row is None or row.offer_channel is None or row.offer_ts is None:
        return None
    return row.offer_channel, row.offer_ts


# --- history ----------------------------------------------------------------------------


def add_event(session: Session, *, task: Task, event: Event, request_key: str | None = None) -> bool:
    """Append one line of history; False when this request key was already recorded."""
    assert task.id is not None, "save the task before its history"
    row = TaskEventRow(
        team_id=task.team_id,
        task_id=task.id,
        kind=event.kind.value,
        actor_id=event.actor_id,
        at=event.at,
        text=event.text,
        from_id=event.from_id,
        to_id=event.to_id,
        request_key=request_key,
    )
    return _insert_once(session, row)


def request_seen(session: Session, *, team_id: str, request_key: str) -> bool:
    """Whether a change with this request key is already in some task's history."""
    found = session.exec(
        select(TaskEventRow.id).where(
            TaskEventRow.team_id == team_id, TaskEventRow.request_key == request_key
        )
    ).first()
    return found is not None


def history(session: Session, *, team_id: str, task_id: int) -> list[Event]:
    rows = session.exec(
        select(TaskEventRow)
        .where(TaskEventRow.team_id == team_id, TaskEventRow.task_id == task_id)
        .order_by(col(TaskEventRow.id))
    ).all()
    return [event_from_row(row) for row in rows]


def event_from_row(row: TaskEventRow | Row[Any]) -> Event:
    """An event from its ORM row or a plain row of the table (cheaper to read in bulk)."""
    kind = EVENT_KINDS[row.kind]
    return Event(kind, row.actor_id, row.at, row.text, from_id=row.from_id, to_id=row.to_id)


# --- cached user profiles ---------------------------------------------------------------


def get_profiles(session: Session, *, team_id: str, user_ids: Sequence[str]) -> dict[str, UserProfile]:
    """The cached profiles of several people at once, by user id; missing ones are absent."""
    rows = session.exec(
        select(UserProfile).where(
            UserProfile.team_id == team_id, col(UserProfile.user_id).in_(list(user_ids))
        )
    ).all()
    return {row.user_id: row for row in rows}


def get_profile(session: Session, *, team_id: str, user_id: str) -> UserProfile | None:
    return get_profiles(session, team_id=team_id, user_ids=[user_id]).get(user_id)


def save_profile(session: Session, *, profile: UserProfile) -> None:
    """Insert or refresh a cached profile; two requests caching the same person both succeed."""
    table = UserProfile.__table__  # type: ignore[attr-defined]
    values = {column.name: getattr(profile, column.name) for column in table.columns}
    statement = dialect_insert(session, UserProfile).values(**values)
    refreshed = {name: statement.excluded[name] for name in values if name not in ("team_id", "user_id")}
    session.execute(statement.on_conflict_do_update(index_elements=["team_id", "user_id"], set_=refreshed))


# --- helpers ----------------------------------------------------------------------------


def task_from_row(row: TaskRow | Row[Any]) -> Task:
    """A task from its ORM row or a plain row of the table (cheaper to read in bulk)."""
    values = {name: getattr(row, name) for name in _TASK_FIELDS}
    health = _HEALTHS[row.health] if row.health else None
    return Task(**values, status=_STATUSES[row.status], health=health)


# Enums by stored value: a dict look-up, many times cheaper than calling the enum, for bulk reads.
EVENT_KINDS = {kind.value: kind for kind in EventKind}
_STATUSES = {status.value: status for status in Status}
_HEALTHS = {health.value: health for health in Health}
