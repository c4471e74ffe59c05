"""The sender as a real process, killed mid-send: after a restart the card is there once.

The kill lands while Slack is still working on ``chat.postMessage``; Slack posts the card anyway,
and the process never hears of it. The restarted process releases the dead sender's claim at
once, looks the card up by the key in its metadata, and records it instead of posting again.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.outbox.sender import CLAIM_LEASE
from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_requests import SlackRequests
from tests.scenarios.conftest import ALICE, OWNER, SIGNING_SECRET
from tests.scenarios.processes import ROOT, free_port, wait_until_healthy


class BotProcess:
    def __init__(self, slack: FakeSlack, database: Path) -> None:
        self.slack = slack
        self.database = database
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> None:
        port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": self.slack.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": self.slack.api_url,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "PORT": str(port),
        }
        # A process group of its own: gunicorn's workers, where the sender runs, die with it.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "web", "--no-clock"],
            env=env,
            cwd=self.database.parent,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{port}"
        wait_until_healthy(self.url + "/healthz", self.process)

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # the server and its workers, all at once
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def outbox(self) -> list[tuple[str, str | None, str | None]]:
        with sqlite3.connect(self.database) as db:
            # Home tab refreshes aside: this is about the card.
            query = "SELECT status, ts, claimed_by FROM outbox WHERE kind != 'home' ORDER BY id"
            return list(db.execute(query))


@pytest.fixture
def bot(slack: FakeSlack, tmp_path: Path) -> Iterator[BotProcess]:
    bot = BotProcess(slack, tmp_path / "handoff.db")
    yield bot
    bot.stop()


def test_a_sender_killed_mid_send_leaves_exactly_one_card(slack: FakeSlack, bot: BotProcess) -> None:
    bot.start()
    slow = slack.hold_next("chat.postMessage")
    requests = SlackRequests(bot.url + "/slack/events", signing_secret=SIGNING_SECRET, fake=slack)
    reply = requests.command("/delegate", user=OWNER, text=f"<@{ALICE}> Ship it | done when: PDF sent")
    assert reply.status == 200
    assert slow.arrived.wait(10)
    bot.kill()  # mid-send
    [(status, _ts, holder)] = bot.outbox()
    assert status == "sending" and holder is not None
    slow.release.set()
    [card] = slack.wait_for(lambda: slack.messages_to(ALICE))  # Slack finished the post regardless

    bot.start()
    # Released at start (its holder is gone), not after the claim lease, which is far longer.
    assert timedelta(seconds=60) < CLAIM_LEASE
    slack.wait_for(lambda: bot.outbox()[0][0] == "sent", timeout=10)
    assert bot.outbox() == [("sent", card.ts, None)]
    assert len(slack.calls_to("chat.postMessage")) == 1 and len(slack.messages_to(ALICE)) == 1
    assert slack.calls_to("conversations.history")  # found through its metadata
