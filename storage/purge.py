"""Forgetting a workspace: every row Handoff holds about it, deleted in one transaction.

The tables are named here on purpose, not found by looking for a ``team_id`` column: deleting
is an operator's decision, and a test compares this list with the tables in the metadata, so
a new table about workspaces cannot be left out of a purge unnoticed.

Callers hold the transaction (``Database.session_scope``); nothing here commits.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Select, Table, delete, func, select
from sqlmodel import Session, SQLModel

import storage.models  # noqa: F401  (declares the tables, slack_sdk's OAuth stores included)

# Every table with a ``team_id``: Handoff's own, and slack_sdk's installation store's.
TEAM_TABLES = frozenset(
    {
        "tasks",
        "task_events",
        "task_nudges",
        "nudge_snoozes",
        "outbox",
        "series",
        "summary_subscriptions",
        "inbox",
        "team_counters",
        "user_profiles",
        "user_settings",
        "workspace_settings",
        "workspace_pace",
        "workspaces",
        "slack_installations",
        "slack_bots",
    }
)


def team_tables() -> list[Table]:
    """The tables of ``TEAM_TABLES``, rows that point at others first (events before their tasks)."""
    return [table for table in reversed(SQLModel.metadata.sorted_tables) if table.name in TEAM_TABLES]


def rows_held(session: Session, *, team_id: str) -> dict[str, int]:
    """How many rows each table holds about the workspace (what a purge would delete)."""
    return {table.name: int(session.execute(_count(table, team_id)).scalar_one()) for table in team_tables()}


def _count(table: Table, team_id: str) -> Select[int]:
    return select(func.count()).select_from(table).where(table.c.team_id == team_id)


def teams_with_data(session: Session, team_ids: Collection[str]) -> set[str]:
    """Those of ``team_ids`` that Handoff holds anything about, in any table."""
    found: set[str] = set()
    for table in team_tables():
        missing = set(team_ids) - found
        if not missing:
            break
        query = select(table.c.team_id).where(table.c.team_id.in_(sorted(missing))).distinct()
        found.update(session.execute(query).scalars())
    return found


def purge(session: Session, *, team_ids: Collection[str]) -> dict[str, dict[str, int]]:
    """Delete every row about these workspaces; per workspace, how many rows left each table."""
    deleted: dict[str, dict[str, int]] = {team_id: {} for team_id in team_ids}
    _lock_referenced_rows(session, team_ids)
    for table in team_tables():
        for team_id in team_ids:
            result = session.execute(delete(table).where(table.c.team_id == team_id))
            deleted[team_id][table.name] = int(result.rowcount)  # type: ignore[attr-defined]
    return deleted


def _lock_referenced_rows(session: Session, team_ids: Collection[str]) -> None:
    """Lock the workspaces' rows that others point at (tasks, series) before deleting anything.

    On PostgreSQL a change in flight that adds a row pointing at one (an event, a nudge) is
    waited for, and then deleted with the rest; one that comes later finds its task gone.
    Unlocked, such a row could land between the deletion of the events and that of their
    task, and the task's deletion would fail. (SQLite runs one writer at a time: nothing to do.)
    """
    tables = team_tables()
    referenced = {fk.column.table.name for table in tables for fk in table.foreign_keys}
    for table in tables:
        if table.name in referenced:
            primary_key = list(table.primary_key.columns)
            query = select(*primary_key).where(table.c.team_id.in_(list(team_ids))).with_for_update()
            session.execute(query)
