"""Summary subscriptions on SQLite and PostgreSQL: upsert, stop, the due claim, moving on."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import summaries
from storage.db import Database
from storage.summaries import Schedule

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
BERLIN_NINE = Schedule(at=time(9, 0), timezone="Europe/Berlin", days=frozenset(range(5)))


def _subscribe(
    session: Session, channel: str = "C1", *, next_post_at: datetime = NOW, **changes: Any
) -> None:
    schedule = replace(BERLIN_NINE, **changes)
    summaries.subscribe(
        session, team_id="T1", channel_id=channel, schedule=schedule, subscribed_by="UOWNER",
        next_post_at=next_post_at, now=NOW,
    )  # fmt: skip


def test_subscribing_again_changes_the_subscription_and_restarts_a_stopped_one(session: Session) -> None:
    _subscribe(session)
    assert summaries.stop(session, team_id="T1", channel_id="C1", now=NOW) is True
    assert summaries.stop(session, team_id="T1", channel_id="C1", now=NOW) is False
    stopped = summaries.get(session, team_id="T1", channel_id="C1")
    assert stopped is not None and not stopped.running
    _subscribe(session, at=time(15, 30), owner_id="UOLIVIA", quiet=True, days=frozenset({0, 2, 4}))
    again = summaries.get(session, team_id="T1", channel_id="C1")
    assert again is not None and again.running
    assert (again.at, again.owner_id, again.quiet, again.days) == (
        time(15, 30),
        "UOLIVIA",
        True,
        frozenset({0, 2, 4}),
    )
    assert summaries.get(session, team_id="T2", channel_id="C1") is None


def test_the_default_subscription_never_overrides_a_channel_that_stopped(session: Session) -> None:
    _subscribe(session)
    summaries.stop(session, team_id="T1", channel_id="C1", now=NOW)
    made = summaries.subscribe_once(
        session, team_id="T1", channel_id="C1", schedule=BERLIN_NINE, subscribed_by="UBOT",
        next_post_at=NOW, now=NOW,
    )  # fmt: skip
    assert made is False
    found = summaries.get(session, team_id="T1", channel_id="C1")
    assert found is not None and not found.running
    fresh = summaries.subscribe_once(
        session, team_id="T1", channel_id="C2", schedule=BERLIN_NINE, subscribed_by="UBOT",
        next_post_at=NOW, now=NOW,
    )  # fmt: skip
    assert fresh is True


def test_only_running_subscriptions_that_are_due_are_claimed(session: Session) -> None:
    _subscribe(session, "CDUE", next_post_at=NOW - timedelta(days=3))
    _subscribe(session, "CLATER", next_post_at=NOW + timedelta(minutes=1))
    _subscribe(session, "CSTOPPED", next_post_at=NOW - timedelta(days=1))
    summaries.stop(session, team_id="T1", channel_id="CSTOPPED", now=NOW)
    assert [s.channel_id for s in summaries.claim_due(session, now=NOW, limit=10)] == ["CDUE"]
    assert [s.channel_id for s in summaries.due(session, now=NOW, limit=10)] == ["CDUE"]
    one = summaries.claim_due(session, now=NOW, limit=10, team_id="T1", channel_id="CLATER")
    assert one == []


def test_marking_posted_moves_the_subscription_on(session: Session) -> None:
    _subscribe(session, next_post_at=NOW)
    summaries.mark_posted(
        session, team_id="T1", channel_id="C1", posted_on="2026-11-30",
        next_post_at=NOW + timedelta(days=1), now=NOW,
    )  # fmt: skip
    moved = summaries.get(session, team_id="T1", channel_id="C1")
    assert moved is not None
    assert (moved.last_posted_on, moved.next_post_at) == ("2026-11-30", NOW + timedelta(days=1))
    assert summaries.claim_due(session, now=NOW, limit=10) == []


def test_a_claimed_subscription_is_skipped_by_a_second_clock(postgres_schema_url: str) -> None:
    """PostgreSQL only: SQLite has one writer at a time, so a second clock waits, then finds it moved on."""
    db, team = Database.from_url(postgres_schema_url), f"T{uuid.uuid4().hex[:8]}"
    with db.session_scope() as session:
        summaries.subscribe(
            session, team_id=team, channel_id="C1", schedule=BERLIN_NINE, subscribed_by="U1",
            next_post_at=NOW, now=NOW,
        )  # fmt: skip
    claimed, release = threading.Event(), threading.Event()

    def first_clock() -> None:
        with db.session_scope() as session:
            assert summaries.claim_due(session, now=NOW, limit=10, team_id=team, channel_id="C1")
            claimed.set()
            release.wait(5)

    thread = threading.Thread(target=first_clock)
    thread.start()
    assert claimed.wait(5)
    try:
        with db.session_scope() as session:
            assert summaries.claim_due(session, now=NOW, limit=10, team_id=team, channel_id="C1") == []
    finally:
        release.set()
        thread.join()
        db.engine.dispose()


def test_the_due_query_reads_the_partial_index(engine: Engine) -> None:
    query = summaries.due_query(NOW).limit(10)
    compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
        else:
            # On a near-empty table a scan is cheapest; the question is whether the index can serve.
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN {compiled}"))
    assert "ix_summary_next_post" in plan, plan
