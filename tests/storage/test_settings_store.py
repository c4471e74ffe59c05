"""Working hours and thresholds as /tasks settings stores them, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.core import tasks as core
from storage import nudge_store
from storage import repositories as repo
from storage import settings_store as store
from storage.db import Database
from storage.models import TaskRow, WorkspaceSettings

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
ALL_DEFAULT = {"timezone": None, "quiet_hours": None, "working_days": None}


def hours(session: Session, user: str = "U1", team: str = "T1") -> tuple[str | None, ...] | None:
    row = store.user_settings(session, team_id=team, user_id=user)
    return None if row is None else (row.timezone, row.quiet_hours, row.working_days)


def test_the_form_replaces_all_three_and_all_defaults_leave_no_row(session: Session) -> None:
    values = {"timezone": "Europe/Berlin", "quiet_hours": "off", "working_days": "mon-fri"}
    store.replace_user_settings(session, team_id="T1", user_id="U1", values=values, now=NOW)
    assert hours(session) == ("Europe/Berlin", "off", "mon-fri")
    row = store.user_settings(session, team_id="T1", user_id="U1")
    assert row is not None and row.updated_at == NOW  # aware UTC on both databases

    later = NOW + timedelta(hours=1)
    store.replace_user_settings(
        session, team_id="T1", user_id="U1", values={**values, "quiet_hours": None}, now=later
    )
    assert hours(session) == ("Europe/Berlin", None, "mon-fri")
    store.replace_user_settings(session, team_id="T1", user_id="U1", values=ALL_DEFAULT, now=later)
    assert hours(session) is None


def test_the_form_must_name_every_field(session: Session) -> None:
    with pytest.raises(ValueError):
        store.replace_user_settings(session, team_id="T1", user_id="U1", values={"timezone": "UTC"}, now=NOW)


def test_one_typed_setting_leaves_the_others(session: Session) -> None:
    store.set_user_setting(
        session, team_id="T1", user_id="U1", column="quiet_hours", value="20:00-07:00", now=NOW
    )
    store.set_user_setting(
        session, team_id="T1", user_id="U1", column="working_days", value="mon-sun", now=NOW
    )
    assert hours(session) == (None, "20:00-07:00", "mon-sun")
    store.set_user_setting(session, team_id="T1", user_id="U1", column="quiet_hours", value=None, now=NOW)
    assert hours(session) == (None, None, "mon-sun")
    store.set_user_setting(session, team_id="T1", user_id="U1", column="working_days", value=None, now=NOW)
    assert hours(session) is None  # nothing of their own left
    with pytest.raises(ValueError):
        store.set_user_setting(session, team_id="T1", user_id="U1", column="updated_at", value="x", now=NOW)


def test_settings_are_per_person_and_per_workspace(session: Session) -> None:
    store.set_user_setting(
        session, team_id="T1", user_id="U1", column="timezone", value="Asia/Tokyo", now=NOW
    )
    store.set_user_setting(session, team_id="T1", user_id="U2", column="timezone", value="UTC", now=NOW)
    assert hours(session, team="T2") is None
    store.reset_user_settings(session, team_id="T1", user_id="U1")
    assert hours(session) is None and hours(session, user="U2") == ("UTC", None, None)


def test_thresholds_set_one_by_one_keep_each_other(session: Session) -> None:
    assert store.workspace_overrides(session, team_id="T1") == {}
    store.set_workspace_override(session, team_id="T1", setting="ack_after", value="2h", now=NOW)
    kept = store.set_workspace_override(session, team_id="T1", setting="due_soon", value="3d", now=NOW)
    assert kept == {"ack_after": "2h", "due_soon": "3d"}
    assert store.workspace_overrides(session, team_id="T1") == kept
    assert store.workspace_overrides(session, team_id="T2") == {}

    store.set_workspace_override(session, team_id="T1", setting="ack_after", value=None, now=NOW)
    assert store.workspace_overrides(session, team_id="T1") == {"due_soon": "3d"}


def test_the_thresholds_form_replaces_them_all(session: Session) -> None:
    store.set_workspace_override(session, team_id="T1", setting="ack_after", value="2h", now=NOW)
    store.replace_workspace_overrides(session, team_id="T1", overrides={"review_after": "1h"}, now=NOW)
    assert store.workspace_overrides(session, team_id="T1") == {"review_after": "1h"}
    store.replace_workspace_overrides(session, team_id="T1", overrides={}, now=NOW)
    assert store.workspace_overrides(session, team_id="T1", for_update=True) == {}


def test_admins_setting_different_thresholds_at_once_keep_both(engine: Engine) -> None:
    db, team = Database(engine), f"T{uuid.uuid4().hex[:8]}"
    settings = ["ack_after", "escalate_after", "unclear_after", "question_after", "due_soon", "review_after"]

    def set_one(setting: str) -> None:
        with db.session_scope() as session:
            store.set_workspace_override(session, team_id=team, setting=setting, value="1h", now=NOW)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(set_one, settings))
    with db.session_scope() as session:
        assert store.workspace_overrides(session, team_id=team) == dict.fromkeys(settings, "1h")
        store.replace_workspace_overrides(session, team_id=team, overrides={}, now=NOW)


def _task_checked_at(
    session: Session, *, owner: str, assignee: str, check: datetime | None, team: str = "T1"
) -> int:
    offered = core.new_task(
        team_id=team, number=repo.next_task_number(session, team_id=team), owner_id=owner,
        assignee_id=assignee, title="Ship it", done_when=None, due_at=None, now=NOW,
    ).after  # fmt: skip
    task = repo.add_task(session, task=offered, request_key=None, now=NOW)
    assert task is not None and task.id is not None
    session.execute(update(TaskRow).where(col(TaskRow.id) == task.id).values(next_check_at=check))
    return task.id


def _checks(session: Session, ids: list[int]) -> list[datetime | None]:
    rows = {
        row.id: row.next_check_at for row in session.exec(select(TaskRow).where(col(TaskRow.id).in_(ids)))
    }
    return [rows[i] for i in ids]


def test_a_change_of_hours_has_the_sweep_look_again_at_that_persons_tasks(session: Session) -> None:
    later, now = NOW + timedelta(hours=7), NOW + timedelta(hours=1)
    ids = [
        _task_checked_at(session, owner="UO", assignee="U1", check=later),  # given to them: sooner
        _task_checked_at(session, owner="U1", assignee="U2", check=later),  # theirs: sooner
        _task_checked_at(session, owner="UO", assignee="U2", check=later),  # someone else's
        _task_checked_at(session, owner="UO", assignee="U1", check=None),  # closed for good
        _task_checked_at(session, owner="UO", assignee="U1", check=NOW),  # already due
        _task_checked_at(session, owner="UO", assignee="U1", check=later, team="T2"),
    ]
    assert nudge_store.check_again_soon(session, team_id="T1", user_id="U1", now=now) == 2
    assert _checks(session, ids) == [now, now, later, None, NOW, later]

    assert nudge_store.check_again_soon(session, team_id="T1", user_id=None, now=now) == 1  # new thresholds
    assert _checks(session, ids)[2] == now


# --- a workspace's calendar defaults ------------------------------------------------------

NO_DEFAULTS = {"timezone": None, "quiet_hours": None, "working_days": None, "summary_time": None}


def test_calendar_defaults_set_one_by_one_keep_each_other_and_the_thresholds(session: Session) -> None:
    assert store.workspace_defaults(session, team_id="T1") == {}
    store.set_workspace_override(session, team_id="T1", setting="ack_after", value="2h", now=NOW)
    store.set_workspace_default(session, team_id="T1", column="quiet_hours", value="20:00-07:00", now=NOW)
    kept = store.set_workspace_default(session, team_id="T1", column="timezone", value="Asia/Dubai", now=NOW)
    assert kept == {"quiet_hours": "20:00-07:00", "timezone": "Asia/Dubai"}
    assert store.workspace_defaults(session, team_id="T1") == kept
    assert store.workspace_overrides(session, team_id="T1") == {"ack_after": "2h"}
    assert store.workspace_defaults(session, team_id="T2") == {}

    store.set_workspace_default(session, team_id="T1", column="quiet_hours", value=None, now=NOW)
    assert store.workspace_defaults(session, team_id="T1") == {"timezone": "Asia/Dubai"}
    with pytest.raises(ValueError):
        store.set_workspace_default(session, team_id="T1", column="nudge_overrides", value="{}", now=NOW)


def test_thresholds_dropped_leave_the_calendar_defaults(session: Session) -> None:
    store.set_workspace_default(session, team_id="T1", column="summary_time", value="08:30", now=NOW)
    store.set_workspace_override(session, team_id="T1", setting="due_soon", value="3d", now=NOW)
    store.replace_workspace_overrides(session, team_id="T1", overrides={}, now=NOW)
    assert store.workspace_defaults(session, team_id="T1") == {"summary_time": "08:30"}
    assert store.workspace_overrides(session, team_id="T1") == {}

    store.reset_workspace_defaults(session, team_id="T1", now=NOW)
    assert store.workspace_defaults(session, team_id="T1") == {}
    assert session.get(WorkspaceSettings, "T1", populate_existing=True) is None  # nothing of its own left


def test_the_workspace_form_replaces_thresholds_and_defaults_at_once(session: Session) -> None:
    store.set_workspace_default(session, team_id="T1", column="quiet_hours", value="off", now=NOW)
    defaults = {**NO_DEFAULTS, "working_days": "sun-thu", "summary_time": "07:45"}
    later = NOW + timedelta(hours=1)
    store.replace_workspace_settings(
        session, team_id="T1", overrides={"review_after": "1d"}, defaults=defaults, now=later
    )
    assert store.workspace_defaults(session, team_id="T1") == {
        "working_days": "sun-thu",
        "summary_time": "07:45",
    }
    assert store.workspace_overrides(session, team_id="T1") == {"review_after": "1d"}
    row = session.get(WorkspaceSettings, "T1", populate_existing=True)
    assert row is not None and row.updated_at == later

    store.replace_workspace_settings(session, team_id="T1", overrides={}, defaults=NO_DEFAULTS, now=later)
    assert session.get(WorkspaceSettings, "T1", populate_existing=True) is None
    with pytest.raises(ValueError):
        store.replace_workspace_settings(
            session, team_id="T1", overrides={}, defaults={"timezone": "UTC"}, now=later
        )


def test_admins_setting_different_defaults_at_once_keep_both(engine: Engine) -> None:
    db, team = Database(engine), f"T{uuid.uuid4().hex[:8]}"
    values = {
        "timezone": "Asia/Dubai",
        "quiet_hours": "off",
        "working_days": "sun-thu",
        "summary_time": "08:30",
    }

    def set_one(column: str) -> None:
        with db.session_scope() as session:
            store.set_workspace_default(session, team_id=team, column=column, value=values[column], now=NOW)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(set_one, values))
    with db.session_scope() as session:
        assert store.workspace_defaults(session, team_id=team) == values
        store.reset_workspace_defaults(session, team_id=team, now=NOW)
