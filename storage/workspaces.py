"""The workspaces the bot was installed in, and whether it still is.

Every scheduled query (the sweep's due tasks, recurring offers, daily summaries, the outbox
sender's claim) passes over workspaces that removed the bot through :func:`installed_only`,
so nothing is decided, queued or sent for them until they install it again.

Callers hold the transaction (``Database.session_scope``); nothing here commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from storage.inserts import dialect_insert
from storage.models import WorkspaceRow


def record_installed(
    session: Session, *, team_id: str, team_name: str | None, installed_by: str | None, now: datetime
) -> None:
    """The bot is (again) installed in ``team_id``: an uninstall before it no longer counts."""
    values = {
        "team_name": team_name,
        "installed_by": installed_by,
        "installed_at": now,
        "uninstalled_at": None,
    }
    insert = dialect_insert(session, WorkspaceRow).values(team_id=team_id, **values)
    session.execute(insert.on_conflict_do_update(index_elements=["team_id"], set_=values))


def record_uninstalled(
    session: Session, *, team_id: str, now: datetime, happened_at: datetime | None = None
) -> bool:
    """The bot was removed from ``team_id`` (or its tokens revoked); True the first time it is told.

    A removal that ``happened_at`` before the latest install is a late retry of an earlier one
    (Slack retries events for minutes; someone may have installed the bot again meanwhile):
    it changes nothing and returns False.
    """
    row = session.get(WorkspaceRow, team_id, with_for_update=True, populate_existing=True)
    if row is None:
        session.add(WorkspaceRow(team_id=team_id, installed_at=now, uninstalled_at=now))
        return True
    if row.uninstalled_at is not None:
        return False
    if happened_at is not None and _to_the_second(row.installed_at) > happened_at:
        return False
    row.uninstalled_at = now
    return True


def is_uninstalled(session: Session, team_id: str) -> bool:
    row = workspace(session, team_id)
    return row is not None and row.uninstalled_at is not None


def _to_the_second(moment: datetime) -> datetime:
    """Slack's ``event_time`` is in whole seconds: a removal in the second of the install still counts."""
    return moment.replace(microsecond=0)


def workspace(session: Session, team_id: str) -> WorkspaceRow | None:
    return session.get(WorkspaceRow, team_id, populate_existing=True)


def installed_only(team_id: Any) -> ColumnElement[bool]:
    """A condition on a query's ``team_id`` column: rows of workspaces the bot was not removed from.

    ``NOT IN`` a subquery over the small workspaces table: PostgreSQL hashes it once per
    query and SQLite builds it once, so each query still reads its rows through its own index.
    A workspace with no row (one workspace's ``SLACK_BOT_TOKEN``, never installed by OAuth)
    counts as installed.
    """
    removed = select(WorkspaceRow.team_id).where(col(WorkspaceRow.uninstalled_at).is_not(None))
    return col(team_id).not_in(removed)
