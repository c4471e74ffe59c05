"""What a sweep costs as the task table grows: 1k, 10k and 100k tasks, 1% of them due for a check.

For each database (SQLite, then PostgreSQL in a fresh schema dropped afterwards) and each
size, a fresh schema is seeded with bulk inserts: a realistic mix of states (awaiting
acceptance, in progress, some with an open question, delivered, declined, and closed ones,
which are never checked again), due dates spread around today (some missing), two to four
lines of history each, cached profiles in several timezones, ten workspaces. 1% of the
tasks, picked at random among the open ones, have ``next_check_at`` in the past; the other
open tasks are checked some time in the coming week.

Timed: ``run_sweep`` alone (deciding and queueing in the outbox; nothing is sent to Slack),
with the clock fixed at the seeding time and nudges allowed at any hour. Before each run the
due tasks are made due again and what the previous run recorded (nudges, outbox rows) is
removed, outside the timing; one run warms up, the median of RUNS is reported. The goal: the
sweep's cost follows the tasks due for a check, not all tasks, so the 100k/1k ratio stays
under 2, and 100k takes under a second on PostgreSQL.

    .venv/bin/python -m benchmarks.sweep [--runs 5] [--only sqlite|postgresql] [--sizes 1000,10000,100000]

PostgreSQL comes from $TEST_POSTGRES_URL (default: the tests' database); without it the
PostgreSQL half is skipped with a note.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, text, update

from bot.config import Settings
from bot.playground.slack.fake_slack import FakeSlack
from bot.services.runtime import Runtime
from bot.services.sweep import run_sweep
from bot.slack.gateway import SlackGateway, build_client
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage, TaskEventRow, TaskNudgeRow, TaskRow, TeamCounter, UserProfile
from tests.postgres_schema import fresh_schema, postgres_problem

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # a Thursday
WORKSPACES = 10
PEOPLE = 200  # per workspace
DUE_SHARE = 0.01
TIMEZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "America/Los_Angeles")
# (status, share of all tasks): about 60% open, the rest closed.
MIX = (
    ("awaiting_acceptance", 0.14),
    ("in_progress", 0.36),
    ("delivered", 0.08),
    ("declined", 0.02),
    ("approved", 0.30),
    ("cancelled", 0.06),
    ("taken_back", 0.04),
)
CLOSED = {"approved", "cancelled", "taken_back"}
INSERT_BATCH = 5_000
FEW_DUE = 10  # also timed: the same few tasks due whatever the table's size


@dataclass
class Seeded:
    tasks: int
    due: dict[int, datetime]  # task id → its next_check_at in the past


def seed(db: Database, *, tasks: int, rng: random.Random) -> Seeded:
    """Bulk-insert ``tasks`` tasks with their history and the people's profiles."""
    statuses = rng.choices([s for s, _ in MIX], weights=[w for _, w in MIX], k=tasks)
    open_ids = [n + 1 for n, status in enumerate(statuses) if status not in CLOSED]
    due_ids = rng.sample(open_ids, k=max(1, round(tasks * DUE_SHARE)))
    due = {task_id: NOW - timedelta(minutes=rng.randint(1, 120)) for task_id in due_ids}
    task_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    numbers = [0] * WORKSPACES
    for n, status in enumerate(statuses):
        task_id, team = n + 1, n % WORKSPACES
        numbers[team] += 1
        row, events = _task(task_id, f"TBENCH{team}", numbers[team], status, rng)
        if task_id in due:
            row["next_check_at"] = due[task_id]
        elif status not in CLOSED:
            row["next_check_at"] = NOW + timedelta(minutes=rng.randint(1, 7 * 24 * 60))
        task_rows.append(row)
        event_rows.extend(events)
    profiles = [
        {
            "team_id": f"TBENCH{team}",
            "user_id": f"U{person:04d}",
            "tz": TIMEZONES[person % len(TIMEZONES)],
            "fetched_at": NOW - timedelta(hours=1),
            **{flag: False for flag in ("is_bot", "deleted", "is_guest", "is_admin")},
        }
        for team in range(WORKSPACES)
        for person in range(PEOPLE)
    ]
    counters = [{"team_id": f"TBENCH{team}", "last_number": numbers[team]} for team in range(WORKSPACES)]
    with db.session_scope() as session:
        connection = session.connection()
        for model, rows in (
            (TaskRow, task_rows),
            (TaskEventRow, event_rows),
            (UserProfile, profiles),
            (TeamCounter, counters),
        ):
            table: Table = model.__table__  # type: ignore[union-attr]
            if _is_postgres(db):
                _copy(connection, table, rows)
            else:
                for start in range(0, len(rows), INSERT_BATCH):
                    connection.execute(table.insert(), rows[start : start + INSERT_BATCH])
        if _is_postgres(db):  # ids were given: move the sequences past them
            for name in ("tasks", "task_events"):
                last = f"(SELECT max(id) FROM {name})"
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {last})"))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # As a database in use would have its statistics (only these tables: the database is shared).
        connection.execute(
            text("ANALYZE tasks, task_events, user_profiles" if _is_postgres(db) else "ANALYZE")
        )
    return Seeded(tasks=tasks, due=due)


def _is_postgres(db: Database) -> bool:
    return db.engine.dialect.name == "postgresql"


def _copy(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY: a hundred thousand rows in a second or two."""
    columns = list(rows[0])
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row.get(name) for name in columns])


def _task(
    task_id: int, team: str, number: int, status: str, rng: random.Random
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    created = NOW - timedelta(hours=rng.randint(1, 30 * 24))
    owner, assignee = rng.sample(range(PEOPLE), 2)
    due_at = None if rng.random() < 0.1 else NOW + timedelta(hours=rng.randint(-3 * 24, 14 * 24))
    accepted = created + timedelta(minutes=rng.randint(5, 600)) if status != "awaiting_acceptance" else None
    delivered = accepted + timedelta(hours=2) if accepted and status in ("delivered", "approved") else None
    row: dict[str, Any] = {
        "id": task_id,
        "team_id": team,
        "number": number,
        "owner_id": f"U{owner:04d}",
        "assignee_id": f"U{assignee:04d}",
        "title": f"Benchmark task {number}",
        "done_when": None if rng.random() < 0.15 else "the report is linked in the channel",
        "due_at": due_at,
        "status": status,
        "open_question": "Which quarter?" if status == "in_progress" and rng.random() < 0.1 else None,
        "created_at": created,
        "updated_at": accepted or created,
        "accepted_at": accepted if status != "declined" else None,
        "delivered_at": delivered,
        "closed_at": NOW - timedelta(hours=1) if status in CLOSED else None,
        "version": 2,
        "rework_count": 0,
        "next_check_at": None,
    }
    events = [_event(task_id, team, "created", row["owner_id"], created)]
    if accepted is not None:
        kind = "declined" if status == "declined" else "accepted"
        events.append(_event(task_id, team, kind, row["assignee_id"], accepted))
    if status in ("in_progress", "delivered", "approved") and accepted and rng.random() < 0.5:
        events.append(_event(task_id, team, "reported", row["assignee_id"], accepted + timedelta(hours=1)))
    if row["delivered_at"] is not None:
        events.append(_event(task_id, team, "delivered", row["assignee_id"], row["delivered_at"]))
    return row, events


def _event(task_id: int, team: str, kind: str, actor: str, at: datetime) -> dict[str, Any]:
    return {"team_id": team, "task_id": task_id, "kind": kind, "actor_id": actor, "at": at}


def make_due_again(db: Database, seeded: Seeded, *, due: dict[int, datetime]) -> None:
    """Undo a run: ``due`` due again (the rest of the seeded due set next week), nothing decided or queued."""
    later = NOW + timedelta(days=7)
    tasks = TaskRow.__table__  # type: ignore[attr-defined]
    with db.session_scope() as session:
        session.execute(delete(OutboxMessage))
        session.execute(delete(TaskNudgeRow))
        session.connection().execute(
            update(tasks).where(tasks.c.id == bindparam("task_id")).values(next_check_at=bindparam("at")),
            [{"task_id": task_id, "at": due.get(task_id, later)} for task_id in seeded.due],
        )


def time_sweeps(rt: Runtime, seeded: Seeded, *, due: dict[int, datetime], runs: int) -> list[float]:
    timings: list[float] = []
    for run in range(runs + 1):
        make_due_again(rt.db, seeded, due=due)
        started = time.perf_counter()
        report = run_sweep(rt)
        elapsed = time.perf_counter() - started
        if run == 0:
            print(f"    warm-up: {elapsed * 1000:.0f} ms ({report})", flush=True)
            continue
        timings.append(elapsed)
    return timings


@contextmanager
def database(kind: str, tmp: Path, tasks: int) -> Iterator[str]:
    if kind == "sqlite":
        url = f"sqlite:///{tmp / f'sweep-{tasks}.db'}"
        upgrade(url)
        yield url
        return
    with fresh_schema(prefix="bench_sweep") as url:
        yield url


def bench(kind: str, sizes: list[int], *, runs: int, slack: FakeSlack) -> dict[tuple[bool, int], float]:
    """Median seconds per sweep, by (1% due or FEW_DUE due, number of tasks)."""
    medians: dict[tuple[bool, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for tasks in sizes:
            with database(kind, Path(tmp), tasks) as url:
                db = Database.from_url(url)
                started = time.perf_counter()
                seeded = seed(db, tasks=tasks, rng=random.Random(tasks))
                print(
                    f"{kind} {_size(tasks)}: seeded {tasks} tasks ({len(seeded.due)} due for a check)"
                    f" in {time.perf_counter() - started:.1f} s",
                    flush=True,
                )
                rt = Runtime(
                    settings=_settings(slack, url),
                    db=db,
                    gateway=SlackGateway(build_client(token=slack.bot_token, base_url=slack.api_url)),
                    clock=lambda: NOW,
                )
                for label, due in (
                    ("1% due", seeded.due),
                    (f"{FEW_DUE} due", dict(list(seeded.due.items())[:FEW_DUE])),
                ):
                    timings = time_sweeps(rt, seeded, due=due, runs=runs)
                    median = statistics.median(timings)
                    shown = ", ".join(f"{t * 1000:.0f}" for t in timings)
                    print(f"    {label}: median {median * 1000:.0f} ms (runs: {shown} ms)", flush=True)
                    medians[(label == "1% due", tasks)] = median
                db.engine.dispose()
    return medians


def _settings(slack: FakeSlack, url: str) -> Settings:
    return Settings(
        slack_bot_token=slack.bot_token,
        slack_signing_secret="bench",
        slack_api_url=slack.api_url,
        database_url=url,
        quiet_hours=None,  # the fixed clock must not fall in anyone's evening: every due nudge is decided
        working_days=frozenset(range(7)),
    )


def _size(tasks: int) -> str:
    return f"{tasks // 1000}k" if tasks >= 1000 else str(tasks)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    kinds = [args.only] if args.only else ["sqlite", "postgresql"]
    results: dict[str, dict[tuple[bool, int], float]] = {}
    started = time.perf_counter()
    with FakeSlack() as slack:
        for kind in kinds:
            if kind == "postgresql" and (problem := postgres_problem()):
                print(f"postgresql skipped: {problem}")
                continue
            results[kind] = bench(kind, sizes, runs=args.runs, slack=slack)
    print(f"whole benchmark: {time.perf_counter() - started:.0f} s")
    smallest, largest = min(sizes), max(sizes)
    for kind, medians in results.items():
        few = medians[(False, largest)] / medians[(False, smallest)]
        print(
            f"with {FEW_DUE} due at every size, {_size(largest)}/{_size(smallest)} ratio ({kind}): {few:.2f}"
        )
    for kind, medians in results.items():
        ratio = medians[(True, largest)] / medians[(True, smallest)]
        print(
            f"sweep {_size(largest)}/{_size(smallest)} ratio ({kind}): {ratio:.2f},"
            f" {_size(largest)}: {medians[(True, largest)]:.3f} s"
        )


if __name__ == "__main__":
    main()
