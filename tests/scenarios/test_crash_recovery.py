"""`python -m bot web` killed right after it answered Slack: the next start does the work, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from bot.core.tasks import Task
from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_requests import SlackRequests
from storage import repositories as repo
from storage.db import Database
from storage.models import InboxRequest, OutboxMessage
from tests.scenarios.conftest import ALICE, OWNER, SIGNING_SECRET
from tests.scenarios.processes import ROOT, free_port, wait_until_healthy


class BotProcess:
    """The bot as a real process on its own port and SQLite file; it can be killed and started again."""

    def __init__(self, slack: FakeSlack, tmp_path: Path) -> None:
        self.port = free_port()
        self.database_url = f"sqlite:///{tmp_path / 'handoff.db'}"
        self.cwd = tmp_path
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": self.database_url,
            "PORT": str(self.port),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "web", "--no-clock"],
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,
        )
        wait_until_healthy(f"http://127.0.0.1:{self.port}/healthz", self.process)

    def kill(self) -> None:
        assert self.process is not None
        # SIGKILL to the server and its workers at once, as a crash of the machine or container
        # would: a worker outliving its server would finish the request itself.
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def bot(slack: FakeSlack, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(slack, tmp_path)
    yield process
    process.stop()


def stored(database_url: str) -> tuple[Task | None, list[InboxRequest], list[OutboxMessage]]:
    db = Database.from_url(database_url)
    try:
        with db.session_scope(write=False) as session:
            task = repo.get_task(session, team_id="T0TEAM", number=1)
            return (
                task,
                list(session.exec(select(InboxRequest)).all()),
                list(session.exec(select(OutboxMessage)).all()),
            )
    finally:
        db.engine.dispose()


def test_a_delegation_acked_just_before_a_crash_is_done_after_the_restart(
    slack: FakeSlack, bot: BotProcess
) -> None:
    bot.start()
    requests = SlackRequests(
        f"http://127.0.0.1:{bot.port}/slack/events", signing_secret=SIGNING_SECRET, fake=slack
    )
    lookup = slack.hold_next("users.info")  # the work after the ack waits on Slack: cut it short there
    reply = requests.command("/delegate", user=OWNER, text=f"<@{ALICE}> Ship it | done when: PDF sent")
    assert reply.status == 200 and lookup.arrived.wait(timeout=10)
    bot.kill()
    lookup.release.set()  # the answer goes to a process that is gone
    task, kept, _ = stored(bot.database_url)
    assert task is None and [row.kind for row in kept] == ["delegate_command"]  # acked, not yet done

    bot.start()
    slack.wait_for(lambda: stored(bot.database_url)[0] is not None, timeout=15)
    slack.wait_for(lambda: all(m.status == "sent" for m in stored(bot.database_url)[2]), timeout=15)
    task, kept, outbox = stored(bot.database_url)
    assert task is not None and task.assignee_id == ALICE and kept == []
    cards = [m for m in slack.messages_to(ALICE) if "T-1" in m.plain_text()]
    assert len(cards) == 1 and [m.kind for m in outbox if m.kind != "home"] == ["card"]
    assert "Handed off" in str(slack.responses(reply.response_url or ""))  # the owner's receipt came too
