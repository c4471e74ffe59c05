"""The sweep's queries: tasks due for a check, what their history says, the nudges decided.

Everything here works on a whole batch of tasks at once: one statement per question,
never one per task, so a sweep's cost follows the number of tasks due, not their history.
None of these functions commits.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, bindparam, case, func, text, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, col, select

from bot.core.nudges import NudgeKind
from bot.core.tasks import EventKind, Task
from storage.inserts import dialect_insert
from storage.models import NudgeSnooze, TaskEventRow, TaskNudgeRow, TaskRow
from storage.repositories import task_from_row
from storage.types import UTCDateTime
from storage.workspaces import installed_only


def _due(now: datetime) -> Any:
    """Tasks due for a check, in workspaces that still have the bot: those of a workspace that
    removed it wait until it is installed again."""
    # Both terms, so SQLite's planner sees the partial index's own condition too.
    due = (col(TaskRow.next_check_at).is_not(None)) & (col(TaskRow.next_check_at) <= now)
    return due & installed_only(TaskRow.team_id)


def people_of_due_tasks(session: Session, *, now: datetime, limit: int) -> dict[str, set[str]]:
    """Owners and assignees of the next ``limit`` tasks due for a check, by workspace; no lock taken.

    Read before the sweep's transaction, so profiles Slack must be asked for are fetched
    outside it.
    """
    rows = session.execute(
        select(TaskRow.team_id, TaskRow.owner_id, TaskRow.assignee_id)
        .where(_due(now))
        .order_by(col(TaskRow.next_check_at))
        .limit(limit)
    ).all()
    people: dict[str, set[str]] = {}
    for team_id, owner_id, assignee_id in rows:
        people.setdefault(team_id, set()).update((owner_id, assignee_id))
    return people


def claim_due_tasks(session: Session, *, now: datetime, limit: int) -> list[Task]:
    """Lock and read the next ``limit`` tasks whose check is due, oldest first.

    On PostgreSQL ``FOR UPDATE SKIP LOCKED``: a second sweep running at the same time takes
    the next tasks instead of waiting for these (or deciding them twice), and a user's change
    to one of them waits for this transaction. SQLite has one writer at a time.
    """
    table = TaskRow.__table__  # type: ignore[attr-defined]
    rows = session.execute(
        select_columns(table)  # plain rows: building ORM objects would cost more than the query
        .where(_due(now))
        .order_by(table.c.next_check_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    return [task_from_row(row) for row in rows]


@dataclass(frozen=True)
class EventTimes:
    """The moments of a task's history the nudge policy needs (None: no such event)."""

    offered_at: datetime | None  # last created or reassigned
    last_word_at: datetime | None  # last reported or flagged
    asked_at: datetime | None  # last asked
    shaped_at: datetime | None  # last created or edited: when its clarity last changed


def _latest(*kinds: EventKind) -> Any:
    at = col(TaskEventRow.at)
    return func.max(case((col(TaskEventRow.kind).in_([k.value for k in kinds]), at), else_=None))


def event_times(session: Session, *, tasks: Sequence[Task]) -> dict[int, EventTimes]:
    """For every task at once, in one grouped query over ``ix_task_events_task``."""
    ids = _ids(tasks)
    if not ids:
        return {}
    rows = session.execute(
        select_columns(
            col(TaskEventRow.task_id),
            _latest(EventKind.CREATED, EventKind.REASSIGNED),
            _latest(EventKind.REPORTED, EventKind.FLAGGED),
            _latest(EventKind.ASKED),
            _latest(EventKind.CREATED, EventKind.EDITED),
        )
        .where(col(TaskEventRow.task_id).in_(ids), col(TaskEventRow.team_id).in_(_teams(tasks)))
        .group_by(col(TaskEventRow.task_id))
    ).all()
    return {int(task_id): EventTimes(*times) for task_id, *times in rows}


LastNudged = dict[tuple[NudgeKind, str], datetime]  # (kind, recipient) → when last decided


def last_nudged(session: Session, *, tasks: Sequence[Task]) -> dict[int, LastNudged]:
    """When each (kind, recipient) was last nudged about each task, in one grouped query."""
    ids = _ids(tasks)
    if not ids:
        return {}
    rows = session.execute(
        select(
            col(TaskNudgeRow.task_id),
            col(TaskNudgeRow.kind),
            col(TaskNudgeRow.recipient_id),
            func.max(col(TaskNudgeRow.decided_at)),
        )
        .where(col(TaskNudgeRow.team_id).in_(_teams(tasks)), col(TaskNudgeRow.task_id).in_(ids))
        .group_by(col(TaskNudgeRow.task_id), col(TaskNudgeRow.kind), col(TaskNudgeRow.recipient_id))
    ).all()
    found: dict[int, LastNudged] = {}
    for task_id, kind, recipient_id, at in rows:
        found.setdefault(int(task_id), {})[(NudgeKind(kind), recipient_id)] = at
    return found


def snoozes(session: Session, *, tasks: Sequence[Task], now: datetime) -> dict[int, dict[str, datetime]]:
    """Snoozes still running, by task and person, in one query."""
    ids = _ids(tasks)
    if not ids:
        return {}
    rows = session.execute(
        select_columns(col(NudgeSnooze.task_id), col(NudgeSnooze.user_id), col(NudgeSnooze.until)).where(
            col(NudgeSnooze.team_id).in_(_teams(tasks)),
            col(NudgeSnooze.task_id).in_(ids),
            col(NudgeSnooze.until) > now,
        )
    ).all()
    found: dict[int, dict[str, datetime]] = {}
    for task_id, user_id, until in rows:
        found.setdefault(int(task_id), {})[user_id] = until
    return found


@dataclass(frozen=True)
class NudgeKey:
    """A decided nudge's unique key: deciding the same nudge again finds it taken."""

    team_id: str
    task_id: int
    kind: NudgeKind
    recipient_id: str
    period: str


def record_nudges(session: Session, *, nudges: Sequence[NudgeKey], now: datetime) -> set[NudgeKey]:
    """Insert the decided nudges, all at once; returns those that were new.

    ``ON CONFLICT DO NOTHING`` on the unique key: a nudge decided before (an earlier or a
    concurrent sweep) is not recorded, nor queued, again.
    """
    unique = list(dict.fromkeys(nudges))
    if not unique:
        return set()
    if session.get_bind().dialect.name == "postgresql":
        inserted = session.execute(
            _RECORD_FROM_ARRAYS,
            {
                "teams": [n.team_id for n in unique],
                "tasks": [n.task_id for n in unique],
                "kinds": [n.kind.value for n in unique],
                "recipients": [n.recipient_id for n in unique],
                "periods": [n.period for n in unique],
                "decided_at": now,
            },
        ).all()
    else:
        statement = (
            dialect_insert(session, TaskNudgeRow)
            .on_conflict_do_nothing(index_elements=list(_NUDGE_KEY))
            .returning(*(TaskNudgeRow.__table__.c[name] for name in _NUDGE_KEY))  # type: ignore[attr-defined]
        )
        values = [{**_key_values(n), "decided_at": now} for n in unique]
        # On the connection, not the session: a plain executemany (no ORM bulk insert).
        inserted = session.connection().execute(statement, values).all()
    return {NudgeKey(team, int(task), NudgeKind(kind), who, when) for team, task, kind, who, when in inserted}


_NUDGE_KEY = ("team_id", "task_id", "kind", "recipient_id", "period")

# PostgreSQL: a batch's nudges as five arrays, so the statement stays the same short text
# whatever the batch's size (a multi-row VALUES would be re-parsed for every batch).
_RECORD_FROM_ARRAYS = text(
    """
    INSERT INTO task_nudges (team_id, task_id, kind, recipient_id, period, decided_at)
    SELECT team_id, task_id, kind, recipient_id, period, :decided_at
    FROM unnest(:teams, :tasks, :kinds, :recipients, :periods)
        AS decided(team_id, task_id, kind, recipient_id, period)
    ON CONFLICT (team_id, task_id, kind, recipient_id, period) DO NOTHING
    RETURNING team_id, task_id, kind, recipient_id, period
    """
).bindparams(
    bindparam("teams", type_=ARRAY(String)),
    bindparam("tasks", type_=ARRAY(Integer)),
    bindparam("kinds", type_=ARRAY(String)),
    bindparam("recipients", type_=ARRAY(String)),
    bindparam("periods", type_=ARRAY(String)),
    bindparam("decided_at", type_=UTCDateTime()),
)


def _key_values(nudge: NudgeKey) -> dict[str, Any]:
    return {
        "team_id": nudge.team_id,
        "task_id": nudge.task_id,
        "kind": nudge.kind.value,
        "recipient_id": nudge.recipient_id,
        "period": nudge.period,
    }


@dataclass(frozen=True)
class NextCheck:
    task: Task  # as claimed: its version guards the write
    at: datetime | None  # None: never again (a closed task)


def set_next_checks(session: Session, *, checks: Sequence[NextCheck]) -> None:
    """Write when each task is looked at next, in one executemany.

    Only ``next_check_at``: not the version, not ``updated_at``, since the task itself did
    not change. A task changed since it was claimed (impossible while the claim's lock
    holds, but cheap to rule out) keeps the ``next_check_at`` its change set.
    """
    if not checks:
        return
    if session.get_bind().dialect.name == "postgresql":
        _set_next_checks_at_once(session, checks)
        return
    table = TaskRow.__table__  # type: ignore[attr-defined]
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("task"),
            table.c.team_id == bindparam("team"),
            table.c.version == bindparam("seen_version"),
        )
        .values(next_check_at=bindparam("next_check", type_=UTCDateTime()))
    )
    session.execute(
        statement,
        [
            {"task": c.task.id, "team": c.task.team_id, "seen_version": c.task.version, "next_check": c.at}
            for c in checks
        ],
    )


_SET_FROM_ARRAYS = text(
    """
    UPDATE tasks SET next_check_at = checks.at
    FROM unnest(:ids, :teams, :versions, :ats) AS checks(id, team_id, version, at)
    WHERE tasks.id = checks.id AND tasks.team_id = checks.team_id AND tasks.version = checks.version
    """
).bindparams(
    bindparam("ids", type_=ARRAY(Integer)),
    bindparam("teams", type_=ARRAY(String)),
    bindparam("versions", type_=ARRAY(Integer)),
    bindparam("ats", type_=ARRAY(DateTime(timezone=True))),
)


def _set_next_checks_at_once(session: Session, checks: Sequence[NextCheck]) -> None:
    """PostgreSQL: one statement for the whole batch (an executemany is a round trip per row)."""
    session.execute(
        _SET_FROM_ARRAYS,
        {
            "ids": [c.task.id for c in checks],
            "teams": [c.task.team_id for c in checks],
            "versions": [c.task.version for c in checks],
            "ats": [None if c.at is None else c.at.astimezone(UTC) for c in checks],
        },
    )


def check_again_soon(session: Session, *, team_id: str, now: datetime, user_id: str | None = None) -> int:
    """The next sweep looks again at a workspace's tasks (or one person's, as owner or assignee).

    For changes that can bring a nudge forward: the workspace's thresholds, a person's
    working hours or timezone. Tasks that need no check ever again (closed) stay so;
    returns how many were brought forward.
    """
    table = TaskRow.__table__  # type: ignore[attr-defined]
    statement = update(table).where(
        table.c.team_id == team_id, table.c.next_check_at.is_not(None), table.c.next_check_at > now
    )
    if user_id is not None:
        statement = statement.where((table.c.owner_id == user_id) | (table.c.assignee_id == user_id))
    result = session.execute(statement.values(next_check_at=now))
    return int(result.rowcount)  # type: ignore[attr-defined]


def nudges_of(session: Session, *, team_id: str, task_id: int) -> list[TaskNudgeRow]:
    """Every nudge decided for a task, oldest first (for inspection and tests)."""
    query = select(TaskNudgeRow).where(TaskNudgeRow.team_id == team_id, TaskNudgeRow.task_id == task_id)
    return list(session.exec(query.order_by(col(TaskNudgeRow.id))).all())


def _ids(tasks: Collection[Task]) -> list[int]:
    return [task.id for task in tasks if task.id is not None]


def _teams(tasks: Collection[Task]) -> list[str]:
    return sorted({task.team_id for task in tasks})
