"""Snoozed nudges: per task and person, no nudge to them about it before ``until``.

Keyword-only functions taking the session first, scoped by ``team_id``; none commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.inserts import dialect_insert
from storage.models import NudgeSnooze, TaskRow


def snooze(session: Session, *, team_id: str, task_id: int, user_id: str, until: datetime) -> None:
    """Set (or move) a person's snooze of a task's nudges: the latest choice wins."""
    statement = dialect_insert(session, NudgeSnooze).values(
        team_id=team_id, task_id=task_id, user_id=user_id, until=until
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["team_id", "task_id", "user_id"], set_={"until": statement.excluded.until}
        )
    )


def snoozed_until(session: Session, *, team_id: str, task_id: int) -> dict[str, datetime]:
    """Each person's snooze of the task, by user id (past ones included: the policy compares)."""
    rows = session.exec(
        select(NudgeSnooze).where(NudgeSnooze.team_id == team_id, NudgeSnooze.task_id == task_id)
    ).all()
    return {row.user_id: row.until for row in rows}


def check_again(session: Session, *, team_id: str, task_id: int, at: datetime) -> None:
    """Have the sweep decide the task's nudges afresh at ``at``, without touching its version.

    A snooze is no change to the task itself: cards and forms rendered from its version stay current.
    """
    session.execute(
        update(TaskRow)
        .where(col(TaskRow.id) == task_id, col(TaskRow.team_id) == team_id)
        .values(next_check_at=at)
        .execution_options(synchronize_session=False)
    )
