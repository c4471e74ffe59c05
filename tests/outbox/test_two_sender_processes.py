"""Two sender processes drain one rate-limited workspace together, as the bot runs by default.

The bot runs as ``python -m bot web`` with two gunicorn workers, each with its own outbox
sender; the fake Slack allows RATE posts per second to the workspace and answers 429 above
it. Both senders follow the one pace kept in the database, so hardly any post is refused.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.outbox_drain import RECIPIENTS, queue_backlog
from bot.playground.slack.fake_slack import FakeSlack
from storage.db import Database
from storage.migrate import upgrade
from tests.scenarios.conftest import SIGNING_SECRET
from tests.scenarios.processes import ROOT, free_port, wait_until_healthy

MESSAGES = 800
RATE = 50  # posts per second Slack allows the workspace
GIVE_UP = 120.0  # seconds: a stuck drain fails the test instead of hanging it


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "handoff.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    db = Database.from_url(url)
    queue_backlog(db, messages=MESSAGES, workspaces=1)
    db.engine.dispose()
    return path


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    """A fake of this test's own: its rate limit must not outlive the test."""
    with FakeSlack() as fake:
        for n in range(RECIPIENTS):
            fake.add_user(f"UPERSON{n}", name=f"person{n}")
        fake.add_user("UOWNER", name="owner")
        fake.rate_limit("chat.postMessage", per_second=RATE)
        yield fake


@pytest.fixture
def bot(slack: FakeSlack, database: Path) -> Iterator[subprocess.Popen[bytes]]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{database}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "web", "--no-clock"], env=env, cwd=database.parent
    )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", process)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_two_workers_drain_a_rate_limited_backlog_with_hardly_a_429(
    slack: FakeSlack, database: Path, bot: subprocess.Popen[bytes]
) -> None:
    holders: set[str] = set()  # the senders seen holding claims while the backlog drains
    deadline = time.monotonic() + GIVE_UP
    while (sent := count_sent(database, holders)) < MESSAGES:
        assert time.monotonic() < deadline, f"only {sent} of {MESSAGES} sent"
        assert bot.poll() is None, "the bot exited"
        time.sleep(0.1)

    assert len({holder.split(":")[1] for holder in holders}) == 2  # both workers sent
    calls = slack.calls_to("chat.postMessage")
    refused = [call for call in calls if call.status == 429]
    assert refused, "Slack's limit was never reached: nothing was paced"
    assert len(refused) < 0.05 * len(calls), f"{len(refused)} of {len(calls)} posts answered 429"
    with sqlite3.connect(database) as db:
        [(rate,)] = db.execute("SELECT rate FROM workspace_pace")
    assert 0.8 * RATE <= rate < RATE  # the pace of the whole workspace, not one worker's share
    keys = [
        message.metadata["event_payload"]["key"]
        for n in range(RECIPIENTS)
        for message in slack.messages_to(f"UPERSON{n}")
        if message.metadata
    ]
    assert sorted(keys) == sorted(f"bench:{n}" for n in range(MESSAGES))  # each card once


def count_sent(database: Path, holders: set[str]) -> int:
    with sqlite3.connect(database, timeout=30) as db:
        holders.update(
            holder
            for (holder,) in db.execute("SELECT DISTINCT claimed_by FROM outbox WHERE status = 'sending'")
            if holder
        )
        (sent,) = db.execute("SELECT count(*) FROM outbox WHERE status = 'sent'").fetchone()
    return int(sent)
