"""Every scheduled query passes over a workspace that removed the bot, on SQLite and PostgreSQL.

Gone (uninstalled) and Here (installed) have the same due work; each query finds Here's only,
and Gone's again once it installs the bot anew. Times are in 2024, before anything other
storage tests commit, and the results are read for these two workspaces only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session

from bot.outbox import store as outbox
from storage import nudge_store, series, summaries, workspaces
from storage.models import OutboxStatus, SeriesRow
from tests.storage.test_nudge_store import new_task

NOW = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
GONE, HERE = "TGONE", "THERE"
TEAMS = {GONE, HERE}


def due_task(session: Session, team: str) -> None:
    new_task(session, check_at=NOW - timedelta(hours=1), team=team)


def offered_series(session: Session, team: str) -> None:
    session.add(
        SeriesRow(
            team_id=team, owner_id="UO", assignee_id="UA", title="Weekly report", every="1 week",
            next_due_at=NOW + timedelta(days=1), next_offer_at=NOW - timedelta(hours=1), created_at=NOW,
        )
    )  # fmt: skip
    session.flush()


def subscription(session: Session, team: str) -> None:
    schedule = summaries.Schedule(at=time(9, 0), timezone="UTC", days=frozenset(range(7)))
    summaries.subscribe(
        session, team_id=team, channel_id="C1", schedule=schedule, subscribed_by="UO",
        next_post_at=NOW - timedelta(minutes=1), now=NOW,
    )  # fmt: skip


def queued(session: Session, team: str) -> None:
    outbox.enqueue(
        session, team_id=team, dedupe_key="k1", kind="notice", recipient_id="UA", payload="{}",
        task_id=None, now=NOW,
    )  # fmt: skip


def due_tasks(session: Session) -> set[str]:
    claimed = {task.team_id for task in nudge_store.claim_due_tasks(session, now=NOW, limit=1000)}
    people = set(nudge_store.people_of_due_tasks(session, now=NOW, limit=1000))
    assert claimed & TEAMS == people & TEAMS
    return claimed


def series_due(session: Session) -> set[str]:
    return {row.team_id for row in series.series_to_offer(session, now=NOW, limit=1000, lock=True)}


def summaries_due(session: Session) -> set[str]:
    read = {s.team_id for s in summaries.due(session, now=NOW, limit=1000)}
    claimed = {s.team_id for s in summaries.claim_due(session, now=NOW, limit=1000)}
    assert read & TEAMS == claimed & TEAMS
    return claimed


def messages_claimed(session: Session) -> set[str]:
    return {m.team_id for m in outbox.claim_batch(session, sender_id="h:1:a", now=NOW, limit=1000)}


QUERIES: dict[str, tuple[Callable[[Session, str], None], Callable[[Session], set[str]]]] = {
    "the sweep's due tasks": (due_task, due_tasks),
    "recurring offers": (offered_series, series_due),
    "daily summaries": (subscription, summaries_due),
    "the outbox claim": (queued, messages_claimed),
}


@pytest.mark.parametrize("query", QUERIES)
def test_a_workspace_that_removed_the_bot_is_passed_over_until_it_installs_again(
    session: Session, query: str
) -> None:
    make, read = QUERIES[query]
    for team in (GONE, HERE):
        workspaces.record_installed(session, team_id=team, team_name=None, installed_by="UI", now=NOW)
        make(session, team)
    workspaces.record_uninstalled(session, team_id=GONE, now=NOW)

    assert read(session) & TEAMS == {HERE}

    workspaces.record_installed(session, team_id=GONE, team_name=None, installed_by="UI", now=NOW)
    if query == "the outbox claim":
        outbox.enqueue(  # Here's was claimed above; Gone's, never claimed, is still pending
            session, team_id=HERE, dedupe_key="k2", kind="notice", recipient_id="UA", payload="{}",
            task_id=None, now=NOW,
        )  # fmt: skip
    assert read(session) & TEAMS == TEAMS


def test_a_workspace_never_recorded_counts_as_installed(session: Session) -> None:
    """One workspace's bot (SLACK_BOT_TOKEN) has no workspaces row: its work goes on."""
    due_task(session, "TNOROW")
    assert "TNOROW" in due_tasks(session)


def test_parking_holds_a_workspaces_unsent_messages_once(session: Session) -> None:
    for team in (GONE, HERE):
        for key in ("claimed", "pending", "sent"):
            outbox.enqueue(
                session, team_id=team, dedupe_key=key, kind="notice", recipient_id="UA", payload="{}",
                task_id=None, now=NOW,
            )  # fmt: skip
    claimed = [
        m for m in outbox.claim_batch(session, sender_id="h:1:a", now=NOW, limit=1000) if m.team_id in TEAMS
    ]
    for message in claimed:
        assert message.id is not None
        if message.dedupe_key == "sent":
            outbox.mark_sent(
                session, team_id=message.team_id, message_id=message.id, channel="D1", ts="1.1", now=NOW
            )
        elif message.dedupe_key == "pending":
            outbox.mark_unsent(
                session, team_id=message.team_id, message_id=message.id, sender_id="h:1:a", error="later",
                retry_at=NOW + timedelta(minutes=1), count_attempt=False,
            )  # fmt: skip

    assert outbox.park_unsent(session, team_id=GONE) == 2
    assert outbox.park_unsent(session, team_id=GONE) == 0  # a retried event parks nothing more
    session.expire_all()
    gone = {
        m.dedupe_key: (m.status, m.maybe_sent, m.claimed_by) for m in outbox.messages(session, team_id=GONE)
    }
    assert gone == {
        "claimed": (
            OutboxStatus.PARKED,
            True,
            None,
        ),  # its send may have landed: looked for before any resend
        "pending": (OutboxStatus.PARKED, False, None),
        "sent": (OutboxStatus.SENT, False, None),
    }
    here = {m.dedupe_key: m.status for m in outbox.messages(session, team_id=HERE)}
    assert here == {"claimed": "sending", "pending": "pending", "sent": "sent"}

    # The sender that held Gone's claimed message finds its claim gone: its outcome changes nothing.
    [held] = [m for m in claimed if m.team_id == GONE and m.dedupe_key == "claimed"]
    assert held.id is not None
    outbox.mark_unsent(
        session, team_id=GONE, message_id=held.id, sender_id="h:1:a", error="invalid_auth", retry_at=None
    )
    session.expire_all()
    assert {m.dedupe_key: m.status for m in outbox.messages(session, team_id=GONE)}["claimed"] == "parked"


def test_the_outbox_claim_still_reads_the_partial_index(session: Session) -> None:
    """The claim as the sender makes it, with the workspaces filter, goes through ``ix_outbox_pending``."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE OUTBOX"):
            seen.append((statement, parameters))

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        outbox.claim_batch(session, sender_id="h:1:a", now=NOW, limit=100)
    finally:
        event.remove(connection, "before_cursor_execute", record)
    [(statement, parameters)] = seen
    if session.get_bind().dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SET LOCAL enable_seqscan = off"
        )  # a near-empty table is scanned otherwise
        plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
    else:
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    assert "ix_outbox_pending" in " ".join(str(row) for row in plan), plan
