"""A person's own working hours and a workspace's thresholds and calendar defaults, as
``/tasks settings`` keeps them.

Callers hold the transaction (``Database.session_scope``); nothing here commits. Values are
stored as people write them ("19:00-08:00", "mon-fri", "2h"), already checked; None (or a
missing key) means "the default", and a row with nothing of its own left is deleted.
``bot.services.calendars`` reads the same tables for the sweep.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session, col, delete, select

from storage.inserts import dialect_insert
from storage.models import UserSettings, WorkspaceSettings

HOURS_COLUMNS = ("timezone", "quiet_hours", "working_days")
WORKSPACE_COLUMNS = ("timezone", "quiet_hours", "working_days", "summary_time")


def user_settings(
    session: Session, *, team_id: str, user_id: str, for_update: bool = False
) -> UserSettings | None:
    """The person's own settings; read afresh, as the writes here bypass the session's objects."""
    return session.get(
        UserSettings, (team_id, user_id), populate_existing=True, with_for_update=for_update or None
    )


def replace_user_settings(
    session: Session, *, team_id: str, user_id: str, values: Mapping[str, str | None], now: datetime
) -> None:
    """Set all three of a person's settings at once (the form); all None deletes the row."""
    unknown = set(values) - set(HOURS_COLUMNS)
    if unknown or len(values) != len(HOURS_COLUMNS):
        raise ValueError(f"the form sets exactly {HOURS_COLUMNS}, got {sorted(values)}")
    _upsert_user(session, team_id=team_id, user_id=user_id, values=values, now=now)
    _forget_empty(session, team_id=team_id, user_id=user_id)


def set_user_setting(
    session: Session, *, team_id: str, user_id: str, column: str, value: str | None, now: datetime
) -> None:
    """Set one of a person's settings (typed), leaving the others as they are."""
    if column not in HOURS_COLUMNS:
        raise ValueError(f"no working-hours setting {column!r}")
    _upsert_user(session, team_id=team_id, user_id=user_id, values={column: value}, now=now)
    _forget_empty(session, team_id=team_id, user_id=user_id)


def reset_user_settings(session: Session, *, team_id: str, user_id: str) -> None:
    """Back to the defaults: the person's row goes."""
    session.execute(
        delete(UserSettings).where(col(UserSettings.team_id) == team_id, col(UserSettings.user_id) == user_id)
    )


def _upsert_user(
    session: Session, *, team_id: str, user_id: str, values: Mapping[str, str | None], now: datetime
) -> None:
    # One statement: two requests setting different fields at once both keep theirs.
    statement = dialect_insert(session, UserSettings).values(
        team_id=team_id, user_id=user_id, updated_at=now, **values
    )
    changed = {name: statement.excluded[name] for name in (*values, "updated_at")}
    session.execute(statement.on_conflict_do_update(index_elements=["team_id", "user_id"], set_=changed))


def _forget_empty(session: Session, *, team_id: str, user_id: str) -> None:
    session.execute(
        delete(UserSettings).where(
            col(UserSettings.team_id) == team_id,
            col(UserSettings.user_id) == user_id,
            col(UserSettings.timezone).is_(None),
            col(UserSettings.quiet_hours).is_(None),
            col(UserSettings.working_days).is_(None),
        )
    )


# --- the workspace's thresholds -----------------------------------------------------------


def workspace_overrides(session: Session, *, team_id: str, for_update: bool = False) -> dict[str, str]:
    """The thresholds the workspace set itself, by ``NudgeSettings`` field name ("ack_after": "2h").

    ``for_update`` locks the row, so a change read-modify-written under it can't lose another's.
    """
    query = select(WorkspaceSettings).where(col(WorkspaceSettings.team_id) == team_id)
    if for_update:
        query = query.with_for_update()
    row = session.exec(query.execution_options(populate_existing=True)).first()
    if row is None:
        return {}
    stored = json.loads(row.nudge_overrides or "{}")
    return {str(name): str(value) for name, value in stored.items()} if isinstance(stored, dict) else {}


def replace_workspace_overrides(
    session: Session, *, team_id: str, overrides: Mapping[str, str], now: datetime
) -> None:
    """The workspace's thresholds become exactly ``overrides``; its calendar defaults stay.

    A row with nothing of its own left is deleted.
    """
    text = json.dumps(dict(sorted(overrides.items())))
    _upsert_workspace(session, team_id=team_id, values={"nudge_overrides": text}, now=now)
    _forget_empty_workspace(session, team_id=team_id)


def set_workspace_override(
    session: Session, *, team_id: str, setting: str, value: str | None, now: datetime
) -> dict[str, str]:
    """Set (or, with None, drop) one threshold, keeping the others; returns them all."""
    _ensure_workspace_row(session, team_id=team_id, now=now)
    overrides = workspace_overrides(session, team_id=team_id, for_update=True)
    if value is None:
        overrides.pop(setting, None)
    else:
        overrides[setting] = value
    replace_workspace_overrides(session, team_id=team_id, overrides=overrides, now=now)
    return overrides


def _ensure_workspace_row(session: Session, *, team_id: str, now: datetime) -> None:
    """A row to lock even before the first change (an empty one goes again if nothing is set)."""
    statement = dialect_insert(session, WorkspaceSettings).values(
        team_id=team_id, nudge_overrides="{}", updated_at=now
    )
    session.execute(statement.on_conflict_do_nothing())


# --- the workspace's calendar defaults ----------------------------------------------------


def workspace_defaults(session: Session, *, team_id: str, for_update: bool = False) -> dict[str, str]:
    """The calendar defaults the workspace set itself, by column ("quiet_hours": "20:00-07:00").

    ``for_update`` locks the row (see :func:`workspace_overrides`).
    """
    query = select(WorkspaceSettings).where(col(WorkspaceSettings.team_id) == team_id)
    if for_update:
        query = query.with_for_update()
    row = session.exec(query.execution_options(populate_existing=True)).first()
    if row is None:
        return {}
    return {name: str(value) for name in WORKSPACE_COLUMNS if (value := getattr(row, name))}


def replace_workspace_settings(
    session: Session,
    *,
    team_id: str,
    overrides: Mapping[str, str],
    defaults: Mapping[str, str | None],
    now: datetime,
) -> None:
    """The form: the thresholds and every calendar default at once; nothing set deletes the row."""
    unknown = set(defaults) - set(WORKSPACE_COLUMNS)
    if unknown or len(defaults) != len(WORKSPACE_COLUMNS):
        raise ValueError(f"the form sets exactly {WORKSPACE_COLUMNS}, got {sorted(defaults)}")
    text = json.dumps(dict(sorted(overrides.items())))
    _upsert_workspace(session, team_id=team_id, values={"nudge_overrides": text, **defaults}, now=now)
    _forget_empty_workspace(session, team_id=team_id)


def set_workspace_default(
    session: Session, *, team_id: str, column: str, value: str | None, now: datetime
) -> dict[str, str]:
    """Set (or, with None, drop) one calendar default, leaving the rest; returns those set."""
    if column not in WORKSPACE_COLUMNS:
        raise ValueError(f"no workspace calendar default {column!r}")
    _upsert_workspace(session, team_id=team_id, values={column: value}, now=now)
    _forget_empty_workspace(session, team_id=team_id)
    return workspace_defaults(session, team_id=team_id)


def reset_workspace_defaults(session: Session, *, team_id: str, now: datetime) -> None:
    """Every calendar default back to the environment's; the thresholds stay."""
    _upsert_workspace(session, team_id=team_id, values=dict.fromkeys(WORKSPACE_COLUMNS), now=now)
    _forget_empty_workspace(session, team_id=team_id)


def _upsert_workspace(
    session: Session, *, team_id: str, values: Mapping[str, str | None], now: datetime
) -> None:
    # One statement: two admins setting different defaults at once both keep theirs.
    statement = dialect_insert(session, WorkspaceSettings).values(team_id=team_id, updated_at=now, **values)
    changed = {name: statement.excluded[name] for name in (*values, "updated_at")}
    session.execute(statement.on_conflict_do_update(index_elements=["team_id"], set_=changed))


def _forget_empty_workspace(session: Session, *, team_id: str) -> None:
    session.execute(
        delete(WorkspaceSettings).where(
            col(WorkspaceSettings.team_id) == team_id,
            col(WorkspaceSettings.nudge_overrides).in_(["{}", ""]),
            *(col(getattr(WorkspaceSettings, name)).is_(None) for name in WORKSPACE_COLUMNS),
        )
    )
