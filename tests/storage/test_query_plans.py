"""At 100,000 tasks, every query behind `/tasks`, `/tasks T-n` and the sweep uses an index (PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.core.nudges import Decision, History
from bot.core.tasks import Task
from bot.services import queries
from bot.services.runtime import Runtime
from bot.services.sweep import SweepReport, run_sweep
from bot.slack.gateway import SlackGateway
from storage import histories
from storage.db import Database, make_engine
from tests.postgres_schema import fresh_schema

TASKS = 100_000
PEOPLE = 500  # each owns about 200 tasks and is asked to do about 200

FILL = f"""
INSERT INTO tasks (team_id, number, owner_id, assignee_id, title, done_when, due_at, status,
                   rework_count, linked_to, created_at, updated_at, version)
SELECT 'T1', i, 'U' || (i % {PEOPLE}), 'U' || ((i * 7 + 3) % {PEOPLE}), 'Task ' || i, 'done',
       now() + (i % 90) * interval '1 day',
       (ARRAY['awaiting_acceptance', 'in_progress', 'delivered', 'approved', 'cancelled'])[i % 5 + 1],
       0, CASE WHEN i % 10 > 0 THEN i - i % 10 END, now(), now(), 1
FROM generate_series(1, {TASKS}) AS i;
INSERT INTO task_events (team_id, task_id, kind, actor_id, at, text)
SELECT 'T1', id, kind, owner_id, now(), NULL
FROM tasks, unnest(ARRAY['created', 'accepted']) AS kind;
ANALYZE;
"""


@pytest.fixture
def large_database(postgres_schema_url: str) -> Iterator[Engine]:
    """A schema of its own, migrated and filled with 100,000 tasks and their history."""
    with fresh_schema(prefix="handoff_plans") as url:
        engine = make_engine(url)
        try:
            with engine.begin() as connection:
                for statement in FILL.split(";"):
                    if statement.strip():
                        connection.execute(text(statement))
            yield engine
        finally:
            engine.dispose()


def queries_run_by(engine: Engine, work: Any) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def scans(engine: Engine, statement: str, parameters: Any) -> list[str]:
    """Every scan node of the statement's plan, as "<node type> on <table>"."""
    with engine.connect() as connection:
        [[plan]] = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).all()
    found: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            found.append(f"{node['Node Type']} on {node['Relation Name']}")
        for child in node.get("Plans", []):
            walk(child)

    walk((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"])
    return found


def test_tasks_and_one_task_use_indexes_at_100k_tasks(large_database: Engine) -> None:
    settings = Settings(slack_bot_token="xoxb-unused", slack_signing_secret="unused")
    rt = Runtime(settings=settings, db=Database(large_database), gateway=SlackGateway(WebClient()))
    listing = queries_run_by(large_database, lambda: queries.my_open_tasks(rt, team_id="T1", user_id="U1"))
    mine = queries.my_open_tasks(rt, team_id="T1", user_id="U1")
    assert mine.owned_total > len(mine.owned) > 0  # the list is cut, and counts the rest
    one = mine.owned[0]
    showing = queries_run_by(
        large_database, lambda: queries.task_for(rt, team_id="T1", user_id="U1", number=one.number)
    )
    assert len(listing) == 2 and len(showing) == 3
    for statement, parameters in listing + showing:
        plan = scans(large_database, statement, parameters)
        assert plan and not [s for s in plan if s.startswith("Seq Scan")], (statement, plan)


SWEEP_FILL = """
UPDATE tasks SET next_check_at = CASE
    WHEN number % 100 = 0 THEN now() - interval '1 hour'
    WHEN status IN ('approved', 'cancelled') THEN NULL
    ELSE now() + (number % 48 + 1) * interval '1 hour' END;
INSERT INTO task_nudges (team_id, task_id, kind, recipient_id, period, decided_at)
SELECT 'T1', id, 'ack_reminder', assignee_id, 'p' || id, now() - interval '1 day' FROM tasks;
INSERT INTO nudge_snoozes (team_id, task_id, user_id, until)
SELECT 'T1', id, owner_id, now() + interval '1 hour' FROM tasks WHERE number % 2 = 0;
INSERT INTO user_profiles (team_id, user_id, tz, is_bot, deleted, is_guest, is_admin, fetched_at)
SELECT 'T1', 'U' || i, 'Europe/Berlin', false, false, false, false, now() FROM generate_series(0, 499) AS i;
ANALYZE;
"""


def test_the_sweep_reads_only_due_tasks_through_indexes_at_100k_tasks(large_database: Engine) -> None:
    with large_database.begin() as connection:
        for statement in SWEEP_FILL.split(";"):
            if statement.strip():
                connection.execute(text(statement))
    settings = Settings(slack_bot_token="xoxb-unused", slack_signing_secret="unused")
    rt = Runtime(settings=settings, db=Database(large_database), gateway=SlackGateway(WebClient()))

    def look_again_tomorrow(task: Task, history: History, *, now: datetime, **_: Any) -> Decision:
        return Decision((), now + timedelta(days=1))

    report: list[SweepReport] = []
    run = queries_run_by(large_database, lambda: report.append(run_sweep(rt, policy=look_again_tomorrow)))
    assert report[0].tasks_checked == TASKS // 100
    # The tables that grow with tasks (people's profiles and settings grow with people).
    big = ("tasks", "task_events", "task_nudges", "nudge_snoozes")
    for statement, parameters in run:
        plan = scans(large_database, statement, parameters)
        assert not [s for s in plan if s.startswith("Seq Scan") and s.endswith(big)], (statement, plan)


# A workspace in use for two years: a tenth of its tasks open, the rest closed over that time,
# so a window of 30 days is a slice of the table.
WINDOW_FILL = """
UPDATE tasks SET status = 'approved' WHERE number % 10 <> 0;
UPDATE tasks SET closed_at = now() - (number % 730) * interval '1 day'
WHERE status IN ('approved', 'cancelled');
INSERT INTO task_events (team_id, task_id, kind, actor_id, at, from_id, to_id)
SELECT 'T1', id, 'reassigned', owner_id, now(), 'U7', assignee_id FROM tasks WHERE number % 97 = 0;
ANALYZE;
"""


def test_a_window_of_histories_reads_through_indexes_at_100k_tasks(large_database: Engine) -> None:
    """What scorecards, summaries and exports read: the team's window, and one person's."""
    with large_database.begin() as connection:
        for statement in WINDOW_FILL.split(";"):
            if statement.strip():
                connection.execute(text(statement))
    db = Database(large_database)
    since = datetime.now(UTC) - timedelta(days=30)

    def read(person: str | None) -> None:
        with db.session_scope(write=False) as session:
            assert histories.task_histories(session, team_id="T1", since=since, person=person)

    run = queries_run_by(large_database, lambda: read(None)) + queries_run_by(
        large_database, lambda: read("U7")
    )
    for statement, parameters in run:
        plan = scans(large_database, statement, parameters)
        assert not [s for s in plan if s.startswith("Seq Scan")], (statement, plan)
