"""Tasks with their whole histories, for a window of time: what scorecards, "why",
summaries and exports read.

A task belongs to the window ``since`` when it was open at some moment since then: still
open, or closed at or after ``since``. That covers every offer made in the window and every
task open now, and is read through ``ix_tasks_team_closed``. With ``person`` only their
tasks are read: those they own or hold now, and those they held before a reassignment moved
them on (``ix_task_events_from``). Histories come in one query, oldest event first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Table, or_
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.core.tasks import Event, EventKind, Task
from storage.models import TaskEventRow, TaskRow
from storage.repositories import event_from_row, task_from_row

History = tuple[Task, list[Event]]
_TASKS: Table = TaskRow.__table__  # type: ignore[attr-defined]
_EVENTS: Table = TaskEventRow.__table__  # type: ignore[attr-defined]


def task_histories(
    session: Session, *, team_id: str, since: datetime, person: str | None = None
) -> list[History]:
    """Tasks of the window (see the module doc) with their histories, in task number order."""
    ids = _task_ids(team_id=team_id, since=since, person=person)
    # Plain rows, not ORM objects: building thousands of those is most of the cost of a read.
    connection = session.connection()  # Core rows: no ORM loading machinery per row
    rows = connection.execute(select_rows(_TASKS).where(_TASKS.c.id.in_(ids)).order_by(_TASKS.c.number)).all()
    events: dict[int, list[Event]] = {row.id: [] for row in rows}
    for event_row in connection.execute(
        select_rows(_EVENTS)
        .where(_EVENTS.c.team_id == team_id, _EVENTS.c.task_id.in_(ids))
        .order_by(_EVENTS.c.task_id, _EVENTS.c.id)
    ).all():
        events[event_row.task_id].append(event_from_row(event_row))
    return [(task_from_row(row), events[row.id]) for row in rows]


def _task_ids(*, team_id: str, since: datetime, person: str | None) -> SelectOfScalar[int | None]:
    in_window = or_(col(TaskRow.closed_at).is_(None), col(TaskRow.closed_at) >= since)
    query = select(col(TaskRow.id)).where(col(TaskRow.team_id) == team_id, in_window)
    if person is None:
        return query
    held_before = select(col(TaskEventRow.task_id)).where(
        col(TaskEventRow.team_id) == team_id,
        col(TaskEventRow.from_id) == person,
        col(TaskEventRow.kind) == EventKind.REASSIGNED.value,
    )
    theirs = or_(
        col(TaskRow.owner_id) == person, col(TaskRow.assignee_id) == person, col(TaskRow.id).in_(held_before)
    )
    return query.where(theirs)


def people_in(histories: Sequence[History]) -> set[str]:
    """Everyone a set of histories names as owner or (past or present) assignee."""
    found: set[str] = set()
    for task, events in histories:
        found.update((task.owner_id, task.assignee_id))
        found.update(e.from_id for e in events if e.from_id)
    return found
