"""How fast a backlog leaves the outbox against a rate-limited Slack.

Queues MESSAGES task cards spread over WORKSPACES, then starts the bot (``python -m bot web``,
a process of its own, as in production) and lets its senders drain them into the fake Slack,
which allows RATE ``chat.postMessage`` calls per second per workspace and answers 429 with
``Retry-After`` above that. The drain is timed from the first message Slack accepts to the
last (the bot's start-up is printed apart); the ratio is against the allowed rate
(RATE x workspaces). Several workspaces keep the run short.

It runs once per number of web workers in WORKERS (default ``1,2``), each worker being a
sender process sharing the workspace's pace through the database; the bot's default of two
workers runs last, so the output ends with its line.

    .venv/bin/python -m benchmarks.outbox_drain [messages] [workspaces] [rate] [workers]
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.outbox import store
from bot.outbox.intents import Kind
from bot.playground.slack.fake_slack import FakeSlack
from storage.db import Database
from storage.migrate import upgrade
from storage.models import TaskRow

ROOT = Path(__file__).resolve().parents[1]
RECIPIENTS = 40  # people per workspace
DEADLINE = 420.0  # seconds: the run gives up rather than run on


def queue_backlog(db: Database, *, messages: int, workspaces: int) -> None:
    now = datetime.now(UTC)
    with db.session_scope() as session:
        for n in range(messages):
            team, number = f"TBENCH{n % workspaces}", n // workspaces + 1
            task = TaskRow(
                team_id=team,
                number=number,
                owner_id="UOWNER",
                assignee_id=f"UPERSON{n % RECIPIENTS}",
                title=f"Backlog item {number}",
                done_when="done",
                due_at=now + timedelta(days=2),
                status="awaiting_acceptance",
                created_at=now,
                updated_at=now,
                version=1,
            )
            session.add(task)
            session.flush()
            store.enqueue(
                session,
                team_id=team,
                dedupe_key=f"bench:{n}",
                kind=Kind.CARD.value,
                recipient_id=task.assignee_id,
                payload="{}",
                task_id=task.id,
                now=now,
            )


def main(messages: int, workspaces: int, rate: int, workers: list[int]) -> None:
    for count in workers:
        print(f"--- {count} web worker(s) ---", flush=True)
        drain(messages, workspaces, rate, workers=count)


def drain(messages: int, workspaces: int, rate: int, *, workers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as slack:
        database = Path(tmp) / "bench.db"
        url = f"sqlite:///{database}"
        upgrade(url)
        db = Database.from_url(url)
        for n in range(RECIPIENTS):
            slack.add_user(f"UPERSON{n}", name=f"person{n}")
        slack.add_user("UOWNER", name="owner")
        queue_backlog(db, messages=messages, workspaces=workspaces)
        slack.rate_limit("chat.postMessage", per_second=rate)
        started = time.monotonic()
        bot = start_bot(slack, url, cwd=tmp, workers=workers)
        try:
            first = wait_for(lambda: any(call.ok for call in slack.calls_to("chat.postMessage")), started)
            done = wait_for(lambda: sent(db) >= messages, started, every=0.2)
        finally:
            bot.terminate()
            bot.wait(timeout=20)
        report(
            slack,
            messages=sent(db),
            workspaces=workspaces,
            rate=rate,
            startup=first - started,
            drain=done - first,
        )
        db.engine.dispose()


def start_bot(slack: FakeSlack, url: str, *, cwd: str, workers: int) -> subprocess.Popen[bytes]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": "bench-secret",
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": url,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(workers),  # each worker runs a sender
    }
    return subprocess.Popen([sys.executable, "-m", "bot", "web", "--no-clock"], env=env, cwd=cwd)


def wait_for(done: Callable[[], bool], started: float, *, every: float = 0.02) -> float:
    while not done():
        if time.monotonic() - started > DEADLINE:
            raise SystemExit(f"gave up after {DEADLINE:.0f} s")
        time.sleep(every)
    return time.monotonic()


def sent(db: Database) -> int:
    with db.session_scope() as session:
        return store.count_by_status(session).get("sent", 0)


def report(
    slack: FakeSlack, *, messages: int, workspaces: int, rate: int, startup: float, drain: float
) -> None:
    calls = slack.calls_to("chat.postMessage")
    limited = sum(1 for call in calls if call.status == 429)
    allowed = rate * workspaces
    achieved = messages / drain
    print(f"{messages} messages, {workspaces} workspace(s), Slack allows {rate}/s per workspace")
    print(f"bot start-up (process start to first message accepted): {startup:.1f} s")
    print(f"drained in {drain:.1f} s: {achieved:.1f} messages/s of {allowed} allowed")
    print(f"chat.postMessage calls: {len(calls)} ({len(calls) - limited} posted, {limited} answered 429)")
    print(f"drain ratio: {achieved / allowed:.2f}, 429 share: {100 * limited / max(1, len(calls)):.2f}%")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        messages=int(args[0]) if args else 10_000,
        workspaces=int(args[1]) if len(args) > 1 else 1,
        rate=int(args[2]) if len(args) > 2 else 50,
        workers=[int(n) for n in args[3].split(",")] if len(args) > 3 else [1, 2],
    )
