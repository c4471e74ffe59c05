"""Tasks with their whole histories, for a window of time: what scorecards, "why",
summaries and exports read.

A task belongs to the window ``since`` when it was open at some moment since then: still
open, or closed at or after ``since``. That covers every offer made in the window and every
task open now, and is read through ``ix_tasks_team_closed``. With ``person`` only their
tasks are read: those they own or hold now, and those they held before a reassignment moved
them on (``ix_task_events_from``). Histories are read by task id, oldest event first.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime

from sqlalchemy import Connection, Table, or_
from sqlalchemy import select as select_rows
from sqlmodel import Session

from bot.core.tasks import Event, EventKind, Task
from storage.models import TaskEventRow, TaskRow
from storage.repositories import EVENT_KINDS, task_from_row

History = tuple[Task, list[Event]]
CHUNK = 1_000
_TASKS: Table = TaskRow.__table__  # type: ignore[attr-defined]
_EVENTS: Table = TaskEventRow.__table__  # type: ignore[attr-defined]
_EVENT_COLUMNS = [
    _EVENTS.c[name] for name in ("task_id", "kind", "actor_id", "at", "text", "from_id", "to_id")
]


def task_histories(
    session: Session,
    *,
    team_id: str,
    since: datetime,
    person: str | None = None,
    held_by: Collection[str] | None = None,
) -> list[History]:
    """Tasks of the window (see the module doc) with their histories, in task number order.

    ``held_by`` keeps only the tasks one of these people owns or holds now (a channel's members).

    Plain rows, not ORM objects: building thousands of those would be most of the cost. Each
    query reads through an index: the window by ``(team_id, closed_at)``, a person's tasks by
    their ids (found through the owner, assignee and reassignment indexes), events by task id.
    """
    connection = session.connection()
    in_window = select_rows(_TASKS).where(
        _TASKS.c.team_id == team_id, or_(_TASKS.c.closed_at.is_(None), _TASKS.c.closed_at >= since)
    )
    if held_by is not None:
        people = list(held_by)
        in_window = in_window.where(or_(_TASKS.c.owner_id.in_(people), _TASKS.c.assignee_id.in_(people)))
    if person is None:
        rows = list(connection.execute(in_window).all())
    else:
        ids = sorted(_ids_of(connection, team_id=team_id, person=person))
        rows = [
            row
            for chunk in _chunks(ids)
            for row in connection.execute(in_window.where(_TASKS.c.id.in_(chunk))).all()
        ]
    rows.sort(key=lambda row: row.number or 0)
    events = _events(connection, team_id=team_id, task_ids=[row.id for row in rows])
    return [(task_from_row(row), events.get(row.id, [])) for row in rows]


def _ids_of(connection: Connection, *, team_id: str, person: str) -> set[int]:
    """The ids of every task ``person`` owns, holds, or held before a reassignment moved it on."""
    queries = (
        select_rows(_TASKS.c.id).where(_TASKS.c.team_id == team_id, _TASKS.c.owner_id == person),
        select_rows(_TASKS.c.id).where(_TASKS.c.team_id == team_id, _TASKS.c.assignee_id == person),
        select_rows(_EVENTS.c.task_id).where(
            _EVENTS.c.team_id == team_id,
            _EVENTS.c.from_id == person,
            _EVENTS.c.kind == EventKind.REASSIGNED.value,
        ),
    )
    return {int(task_id) for query in queries for task_id in connection.execute(query).scalars()}


def _events(connection: Connection, *, team_id: str, task_ids: list[int]) -> dict[int, list[Event]]:
    """Each task's history, oldest first."""
    found: dict[int, list[Event]] = {}
    for chunk in _chunks(task_ids):
        query = (
            select_rows(*_EVENT_COLUMNS)
            .where(_EVENTS.c.team_id == team_id, _EVENTS.c.task_id.in_(chunk))
            .order_by(_EVENTS.c.task_id, _EVENTS.c.id)
        )
        # Fetched at once and unpacked by position: row by row, or by attribute, costs more.
        for task_id, kind, actor_id, at, text, from_id, to_id in connection.execute(query).all():
            event = Event(EVENT_KINDS[kind], actor_id, at, text, from_id=from_id, to_id=to_id)
            found.setdefault(task_id, []).append(event)
    return found


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    """Lists of ids for one ``IN`` each: short enough for SQLite's parameter limit, and for
    PostgreSQL to read each through the index rather than scan the whole table."""
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def people_in(histories: Sequence[History]) -> set[str]:
    """Everyone a set of histories names as owner or (past or present) assignee."""
    found: set[str] = set()
    for task, events in histories:
        found.update((task.owner_id, task.assignee_id))
        found.update(e.from_id for e in events if e.from_id)
    return found
