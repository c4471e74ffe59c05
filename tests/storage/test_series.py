"""Recurring series against a real database: two clocks at once create each occurrence once."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier

from slack_sdk import WebClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.config import Settings
from bot.services.recurring import offer_due_occurrences
from bot.services.runtime import Runtime
from bot.slack.gateway import SlackGateway
from storage import series as store
from storage.db import Database, make_engine
from storage.models import OutboxMessage, SeriesRow, TaskRow, UserProfile
from tests.postgres_schema import fresh_schema
from tests.storage.test_query_plans import queries_run_by, scans

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # a Thursday
DUE = NOW + timedelta(days=1)


def runtime(engine: Engine) -> Runtime:
    settings = Settings(
        slack_bot_token="xoxb-unused",
        slack_signing_secret="unused",
        database_url=str(engine.url),
        default_timezone="UTC",
    )
    # Everyone is in the profile cache: Slack is never asked (the client points nowhere).
    gateway = SlackGateway(WebClient(base_url="http://127.0.0.1:9/api/"))
    return Runtime(settings=settings, db=Database(engine), gateway=gateway, clock=lambda: NOW)


def seed(db: Database, teams: list[str], per_team: int) -> None:
    with db.session_scope() as session:
        for team in teams:
            for user in ("UO", "UA"):
                session.add(UserProfile(team_id=team, user_id=user, tz="UTC", fetched_at=NOW))
            for index in range(per_team):
                session.add(
                    SeriesRow(
                        team_id=team,
                        owner_id="UO",
                        assignee_id="UA",
                        title=f"Report {index}",
                        every="1 week",
                        next_due_at=DUE,
                        next_offer_at=NOW - timedelta(minutes=index),
                        created_at=NOW - timedelta(days=7),
                    )
                )


def test_two_clocks_at_once_create_each_occurrence_once(committed_engine: Engine) -> None:
    rt = runtime(committed_engine)
    teams = [f"T{uuid.uuid4().hex[:8]}" for _ in range(3)]
    seed(rt.db, teams, per_team=20)
    start = Barrier(2)

    def clock(_: int) -> int:
        start.wait()
        return offer_due_occurrences(rt)

    with ThreadPoolExecutor(max_workers=2) as clocks:
        created = list(clocks.map(clock, range(2)))

    assert sum(created) == 60
    with rt.db.session_scope(write=False) as session:
        tasks = session.exec(select(TaskRow).where(col(TaskRow.team_id).in_(teams))).all()
        series = session.exec(select(SeriesRow).where(col(SeriesRow.team_id).in_(teams))).all()
        cards = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.team_id).in_(teams), OutboxMessage.kind == "card")
        ).all()
    assert len(tasks) == 60 and len({t.series_id for t in tasks}) == 60
    assert {t.due_at for t in tasks} == {DUE}
    for team in teams:
        assert sorted(t.number or 0 for t in tasks if t.team_id == team) == list(range(1, 21))
    assert {s.next_due_at for s in series} == {DUE + timedelta(weeks=1)}
    assert len(cards) == 60
    assert offer_due_occurrences(rt) == 0  # nothing left for a third


def test_the_next_offer_moves_on_a_working_day_before_the_next_due_date(committed_engine: Engine) -> None:
    rt = runtime(committed_engine)
    team = f"T{uuid.uuid4().hex[:8]}"
    seed(rt.db, [team], per_team=1)
    assert offer_due_occurrences(rt) == 1
    with rt.db.session_scope(write=False) as session:
        (row,) = session.exec(select(SeriesRow).where(SeriesRow.team_id == team)).all()
        assert row.id is not None
        # Friday 11 December 15:00 is due next; offered Thursday the 10th, the working day before.
        assert (row.next_due_at, row.next_offer_at) == (DUE + timedelta(weeks=1), NOW + timedelta(weeks=1))
        assert store.latest_occurrence(session, team_id=team, series_id=row.id) is not None


def test_a_stopped_series_is_not_advanced(committed_engine: Engine) -> None:
    rt = runtime(committed_engine)
    team = f"T{uuid.uuid4().hex[:8]}"
    seed(rt.db, [team], per_team=1)
    with rt.db.session_scope() as session:
        (row,) = session.exec(select(SeriesRow).where(SeriesRow.team_id == team)).all()
        assert store.stop(session, team_id=team, series_id=row.id or 0, at=NOW, reason="stopped")
        assert not store.stop(session, team_id=team, series_id=row.id or 0, at=NOW, reason="stopped")
        assert not store.advance(session, series=row, next_due_at=DUE, next_offer_at=NOW)
    assert offer_due_occurrences(rt) == 0


SERIES_FILL = """
INSERT INTO series (team_id, owner_id, assignee_id, title, every, next_due_at, next_offer_at,
                    created_at, stopped_at)
SELECT 'T1', 'UO', 'UA', 'Report ' || i, '1 week', now() + (i % 90) * interval '1 day',
       now() + (i % 90 - 1) * interval '1 day', now(), CASE WHEN i % 3 = 0 THEN now() END
FROM generate_series(1, 100000) AS i;
ANALYZE;
"""


def test_the_clock_reads_only_the_series_due_at_100k_series(postgres_schema_url: str) -> None:
    with fresh_schema(prefix="handoff_series") as url:
        engine = make_engine(url)
        try:
            with engine.begin() as connection:
                for statement in SERIES_FILL.split(";"):
                    if statement.strip():
                        connection.execute(text(statement))
            db, now = Database(engine), datetime.now(UTC)

            def read() -> None:
                with db.session_scope() as session:
                    store.series_to_offer(session, now=now, limit=50, lock=True)

            (query,) = queries_run_by(engine, read)
            plan = scans(engine, *query)
            # Besides the series, only the workspaces that removed the bot are read (a few rows, once).
            assert [scan for scan in plan if not scan.endswith(" on workspaces")] == [
                "Index Scan on series"
            ], plan
        finally:
            engine.dispose()
