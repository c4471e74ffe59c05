"""A workspace with a row in every table that holds anything about one (for purge tests).

A table added later with a ``team_id`` needs a row here too: the purge test fails until it has one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, SQLModel

from bot.outbox import store
from storage.models import (
    InboxRequest,
    NudgeSnooze,
    OutboxStatus,
    SeriesRow,
    SummarySubscriptionRow,
    TaskEventRow,
    TaskNudgeRow,
    UserProfile,
    UserSettings,
    WorkspacePaceRow,
    WorkspaceRow,
    WorkspaceSettings,
)
from tests.storage.test_repositories import new_task

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def fill_workspace(session: Session, team_id: str, *, name: str | None = None) -> None:
    """Tasks with their history, nudges, snoozes and messages; a series; settings; an installation."""
    series = SeriesRow(
        team_id=team_id,
        owner_id="UOWNER",
        assignee_id="UALICE",
        title="Weekly report",
        every="week:mon",
        next_due_at=NOW + timedelta(days=7),
        next_offer_at=NOW + timedelta(days=6),
        created_at=NOW,
    )
    session.add(series)
    session.flush()
    task = new_task(session, team_id=team_id)
    second = new_task(session, team_id=team_id, assignee="UBOB")
    assert task.id is not None and second.id is not None
    session.add_all(
        [
            TaskEventRow(team_id=team_id, task_id=task.id, kind="created", actor_id="UOWNER", at=NOW),
            TaskEventRow(team_id=team_id, task_id=second.id, kind="created", actor_id="UOWNER", at=NOW),
            TaskNudgeRow(
                team_id=team_id,
                task_id=task.id,
                kind="overdue",
                recipient_id="UALICE",
                period="2026-11-26",
                decided_at=NOW,
            ),
            NudgeSnooze(team_id=team_id, task_id=task.id, user_id="UALICE", until=NOW + timedelta(hours=2)),
            UserSettings(team_id=team_id, user_id="UALICE", quiet_hours="off", updated_at=NOW),
            WorkspaceSettings(team_id=team_id, updated_at=NOW),
            WorkspaceRow(team_id=team_id, team_name=name, installed_at=NOW),
            SummarySubscriptionRow(
                team_id=team_id,
                channel_id="CSUMMARY",
                post_at="09:00",
                timezone="UTC",
                working_days="mon-fri",
                subscribed_by="UOWNER",
                created_at=NOW,
                updated_at=NOW,
                next_post_at=NOW + timedelta(days=1),
            ),
            InboxRequest(team_id=team_id, request_key="r1", kind="delegate", payload="{}", received_at=NOW),
            UserProfile(team_id=team_id, user_id="UALICE", tz="UTC", fetched_at=NOW),
            WorkspacePaceRow(team_id=team_id, rate=1.0),
        ]
    )
    for n, status in enumerate([OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.PARKED]):
        add_message(session, team_id=team_id, key=f"card:{n}", status=status, task_id=task.id)
    tables = SQLModel.metadata.tables
    installation = {"client_id": "111.222", "app_id": "A1", "team_id": team_id, "installed_at": NOW}
    session.execute(tables["slack_installations"].insert().values(user_id="UINSTALLER", **installation))
    session.execute(tables["slack_bots"].insert().values(bot_token="xoxb-" + team_id, **installation))
    session.flush()


def add_message(
    session: Session,
    *,
    team_id: str,
    key: str,
    status: OutboxStatus,
    task_id: int | None = None,
    recipient: str = "UALICE",
    error: str | None = "cannot_dm_bot",
    created_at: datetime = NOW,
) -> None:
    """A queued message, moved to ``status`` as the sender would leave it."""
    store.enqueue(
        session,
        team_id=team_id,
        dedupe_key=key,
        kind="card" if task_id is not None else "notice",
        recipient_id=recipient,
        payload="{}",
        task_id=task_id,
        now=created_at,
    )
    if status is not OutboxStatus.PENDING:
        [message] = [m for m in store.messages(session, team_id=team_id) if m.dedupe_key == key]
        message.status = status.value
        message.attempts = 1
        message.last_error = error if status is not OutboxStatus.SENT else None
        session.add(message)
        session.flush()


def team_scoped_tables() -> set[str]:
    """The tables in the metadata with a ``team_id``: what a purge must cover, found independently."""
    return {table.name for table in SQLModel.metadata.sorted_tables if "team_id" in table.c}
