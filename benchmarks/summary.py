"""What the owner's views cost in a big workspace: the daily summary, the scorecards and the Home tab.

One workspace is seeded with 10k tasks (and 100k on PostgreSQL) in a fresh database, as
after two years of use: a tenth of them open, the rest closed over those two years, two to
six lines of history each (acceptances, reports, deliveries, changes requested,
reassignments, at-risk flags), 200 people. A baseline workspace of 1k tasks is
measured in the same run, so the ratios say how the cost grows on this machine today.

Timed, each the median of RUNS after one warm-up:

* summary: ``run_due_summaries`` posting one channel's summary (its members: 50 people, read
  from the fake Slack), from the due subscription to the queued message;
* stats: ``/tasks stats`` for the whole team over 30 days (``insights.stats``);
* home: the Home tab of the busiest person (``home.home_view``'s data and blocks).

On PostgreSQL every query each of them runs is explained, and any sequential scan of a table
that grows with tasks is printed. The last lines, one per database and size:
``summary 10k (sqlite): T s, stats: T s, home: T s``. Goal: each under a second.

    .venv/bin/python -m benchmarks.summary [--runs 5] [--only sqlite|postgresql] [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, delete, event, text, update

from bot.config import Settings
from bot.playground.slack.fake_slack import FakeSlack
from bot.services import home, insights
from bot.services.runtime import Runtime
from bot.services.summary_posts import run_due_summaries
from bot.slack import home_messages
from bot.slack.gateway import SlackGateway, build_client
from storage import summaries
from storage.db import Database
from storage.migrate import upgrade
from storage.models import (
    OutboxMessage,
    SummarySubscriptionRow,
    TaskEventRow,
    TaskRow,
    TeamCounter,
    UserProfile,
)
from storage.summaries import Schedule
from tests.postgres_schema import fresh_schema, postgres_problem

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # a Thursday, 09:00 UTC
TEAM = "TBENCH"
PEOPLE = 200
CHANNEL_MEMBERS = 50
CHANNEL = "CBENCH"
BUSIEST = "U0000"  # owns and holds more than anyone: the Home tab with the most on it
# A workspace in use for two years: a tenth of its tasks open, the rest closed over that time.
MIX = (
    ("awaiting_acceptance", 0.02),
    ("in_progress", 0.06),
    ("delivered", 0.015),
    ("declined", 0.005),
    ("approved", 0.80),
    ("cancelled", 0.06),
    ("taken_back", 0.04),
)
HISTORY_DAYS = 730
CLOSED = {"approved", "cancelled", "taken_back"}
INSERT_BATCH = 5_000
# The tables that grow with tasks (subscriptions grow with channels: a handful, read by index).
GROWING = ("tasks", "task_events", "outbox")


def seed(db: Database, *, tasks: int, rng: random.Random) -> None:
    statuses = rng.choices([s for s, _ in MIX], weights=[w for _, w in MIX], k=tasks)
    task_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    for n, status in enumerate(statuses):
        row, events = _task(n + 1, status, rng)
        task_rows.append(row)
        event_rows.extend(events)
    profiles = [
        {
            "team_id": TEAM,
            "user_id": _person(i),
            "tz": "Europe/Berlin",
            "fetched_at": NOW,
            **{flag: False for flag in ("is_bot", "deleted", "is_guest", "is_admin")},
        }
        for i in range(PEOPLE)
    ]
    with db.session_scope() as session:
        connection = session.connection()
        for model, rows in (
            (TaskRow, task_rows),
            (TaskEventRow, event_rows),
            (UserProfile, profiles),
            (TeamCounter, [{"team_id": TEAM, "last_number": tasks}]),
        ):
            _insert(db, connection, model.__table__, rows)  # type: ignore[union-attr]
        if _is_postgres(db):
            for name in ("tasks", "task_events"):
                last = f"(SELECT max(id) FROM {name})"
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {last})"))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE tasks, task_events" if _is_postgres(db) else "ANALYZE"))


def _person(i: int) -> str:
    return f"U{i:04d}"


def _insert(db: Database, connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not _is_postgres(db):
        for start in range(0, len(rows), INSERT_BATCH):
            connection.execute(table.insert(), rows[start : start + INSERT_BATCH])
        return
    columns = sorted({name for row in rows for name in row})
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row.get(name) for name in columns])


def _is_postgres(db: Database) -> bool:
    return db.engine.dialect.name == "postgresql"


def _task(task_id: int, status: str, rng: random.Random) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One task and its history; one task in twenty involves the busiest person."""
    closed = status in CLOSED
    closed_at = NOW - timedelta(hours=rng.randint(1, HISTORY_DAYS * 24)) if closed else None
    created = (closed_at or NOW) - timedelta(hours=rng.randint(2, 20 * 24))
    owner, assignee = (_person(i) for i in rng.sample(range(1, PEOPLE), 2))
    if rng.random() < 0.05:
        owner, assignee = (BUSIEST, assignee) if rng.random() < 0.5 else (owner, BUSIEST)
    due = None if rng.random() < 0.08 else created + timedelta(hours=rng.randint(24, 21 * 24))
    events = [_event(task_id, "created", owner, created)]
    at = created + timedelta(minutes=rng.randint(5, 900))
    first = assignee
    if rng.random() < 0.05:  # offered to someone else first, then reassigned
        first = _person(rng.randrange(1, PEOPLE))
        events.append(_event(task_id, "reassigned", owner, at, from_id=first, to_id=assignee))
        at += timedelta(hours=rng.randint(1, 48))
    accepted = delivered = None
    if status != "awaiting_acceptance":
        kind = "declined" if status == "declined" else "accepted"
        events.append(_event(task_id, kind, assignee, at, text="not my area" if kind == "declined" else None))
        accepted = at if kind == "accepted" else None
    health = None
    if accepted is not None:
        at += timedelta(hours=rng.randint(1, 72))
        events.append(_event(task_id, "reported", assignee, at, text="half way"))
        if status == "in_progress" and rng.random() < 0.1:
            health = "at_risk"
            events.append(_event(task_id, "flagged", assignee, at, text="at risk: waiting on finance"))
    if status in ("delivered", "approved"):
        at += timedelta(hours=rng.randint(1, 96))
        if rng.random() < 0.15:
            events.append(_event(task_id, "delivered", assignee, at))
            events.append(_event(task_id, "changes_requested", owner, at + timedelta(hours=3), text="add Q3"))
            at += timedelta(hours=rng.randint(4, 48))
        delivered = at
        events.append(_event(task_id, "delivered", assignee, at))
    if status == "approved":
        events.append(_event(task_id, "approved", owner, closed_at or at))
    elif status in ("cancelled", "taken_back"):
        events.append(_event(task_id, status, owner, closed_at or at))
    row = {
        "id": task_id,
        "team_id": TEAM,
        "number": task_id,
        "owner_id": owner,
        "assignee_id": assignee,
        "title": f"Benchmark task {task_id}",
        "done_when": None if rng.random() < 0.1 else "the report is linked in the channel",
        "due_at": due,
        "status": status,
        "created_at": created,
        "updated_at": at,
        "accepted_at": accepted,
        "delivered_at": delivered,
        "closed_at": closed_at,
        "version": len(events),
        "rework_count": sum(1 for e in events if e["kind"] == "changes_requested"),
        "health": health,
        "health_reason": "waiting on finance" if health else None,
    }
    return row, [{"team_id": TEAM, "task_id": task_id, **e} for e in events]


def _event(task_id: int, kind: str, actor: str, at: datetime, **more: Any) -> dict[str, Any]:
    values = {"kind": kind, "actor_id": actor, "at": at, "text": None, "from_id": None, "to_id": None}
    return {**values, **more}


# --- timing ---------------------------------------------------------------------------------


def timed(work: Callable[[], Any], *, runs: int, reset: Callable[[], None] = lambda: None) -> float:
    """Median seconds of ``runs`` runs after a warm-up; ``reset`` undoes a run, outside the timing."""
    timings: list[float] = []
    for run in range(runs + 1):
        reset()
        started = time.perf_counter()
        work()
        if run:
            timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def sequential_scans(db: Database, work: Callable[[], Any]) -> list[str]:
    """Every sequential scan of a growing table in the plans of the SELECTs ``work`` runs."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    found: list[str] = []
    with db.engine.connect() as connection:
        for statement, parameters in seen:
            [[plan]] = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).all()
            found.extend(_seq_scans((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]))
    return found


def _seq_scans(node: dict[str, Any]) -> list[str]:
    own = [node["Relation Name"]] if node.get("Node Type") == "Seq Scan" else []
    own = [name for name in own if name in GROWING]
    return own + [scan for child in node.get("Plans", []) for scan in _seq_scans(child)]


# --- the three views --------------------------------------------------------------------------


def views(rt: Runtime, slack: FakeSlack) -> dict[str, tuple[Callable[[], Any], Callable[[], None]]]:
    """name → (the work, what undoes it between runs)."""
    slack.add_channel(CHANNEL, members=[_person(i) for i in range(CHANNEL_MEMBERS)])
    schedule = Schedule(at=clock_time(9, 0), timezone="UTC", days=frozenset(range(7)))
    with rt.db.session_scope() as session:
        summaries.subscribe(
            session, team_id=TEAM, channel_id=CHANNEL, schedule=schedule, subscribed_by=BUSIEST,
            next_post_at=NOW, now=NOW,
        )  # fmt: skip

    def post_summary() -> None:
        assert run_due_summaries(rt, now=NOW) == 1, "the channel's summary was not queued"

    def summary_due_again() -> None:
        with rt.db.session_scope() as session:
            session.execute(delete(OutboxMessage))
            session.execute(update(SummarySubscriptionRow).values(next_post_at=NOW, last_posted_on=None))

    def stats() -> Any:
        return insights.stats(rt, team_id=TEAM, viewer=BUSIEST, days=30, now=NOW)

    def home_tab() -> Any:
        return home_messages.home_view(home.home_for(rt, team_id=TEAM, user_id=BUSIEST))

    return {
        "summary": (post_summary, summary_due_again),
        "stats": (stats, lambda: None),
        "home": (home_tab, lambda: None),
    }


@contextmanager
def database(kind: str, tmp: Path, tasks: int) -> Iterator[str]:
    if kind == "sqlite":
        url = f"sqlite:///{tmp / f'summary-{tasks}.db'}"
        upgrade(url)
        yield url
        return
    with fresh_schema(prefix="bench_summary") as url:
        yield url


def bench(kind: str, tasks: int, *, runs: int, slack: FakeSlack) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp), tasks) as url:
        db = Database.from_url(url)
        started = time.perf_counter()
        seed(db, tasks=tasks, rng=random.Random(tasks))
        print(f"{kind} {_size(tasks)}: seeded in {time.perf_counter() - started:.1f} s", flush=True)
        rt = Runtime(
            settings=Settings(
                slack_bot_token=slack.bot_token,
                slack_signing_secret="bench",
                slack_api_url=slack.api_url,
                database_url=url,
            ),
            db=db,
            gateway=SlackGateway(build_client(token=slack.bot_token, base_url=slack.api_url)),
            clock=lambda: NOW,
        )
        medians: dict[str, float] = {}
        for name, (work, reset) in views(rt, slack).items():
            medians[name] = timed(work, runs=runs, reset=reset)
            scans = ""
            if _is_postgres(db):
                reset()
                found = sequential_scans(db, work)
                scans = f"; sequential scans: {', '.join(found)}" if found else "; index scans only"
            print(f"    {name}: median {medians[name] * 1000:.0f} ms{scans}", flush=True)
        db.engine.dispose()
    return medians


def _size(tasks: int) -> str:
    return f"{tasks // 1000}k" if tasks >= 1000 else str(tasks)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--sizes", default="")
    args = parser.parse_args()
    kinds = [args.only] if args.only else ["sqlite", "postgresql"]
    default_sizes = {"sqlite": [1000, 10_000], "postgresql": [1000, 10_000, 100_000]}
    results: dict[tuple[str, int], dict[str, float]] = {}
    started = time.perf_counter()
    with FakeSlack() as slack:
        for kind in kinds:
            if kind == "postgresql" and (problem := postgres_problem()):
                print(f"postgresql skipped: {problem}")
                continue
            sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else default_sizes[kind]
            for tasks in sizes:
                results[(kind, tasks)] = bench(kind, tasks, runs=args.runs, slack=slack)
    print(f"whole benchmark: {time.perf_counter() - started:.0f} s")
    for (kind, tasks), medians in results.items():
        baseline = results.get((kind, 1000))
        if baseline and tasks != 1000:
            ratios = ", ".join(f"{name} {medians[name] / baseline[name]:.1f}" for name in medians)
            print(f"{_size(tasks)}/1k ratio ({kind}): {ratios}")
    for (kind, tasks), medians in results.items():
        figures = ", ".join(f"{name}: {seconds:.2f} s" for name, seconds in medians.items())
        print(f"summary {_size(tasks)} ({kind}): " + figures.replace("summary: ", "", 1))


if __name__ == "__main__":
    main()
