"""`python -m bot web` as a real process: migrates SQLite on start, serves health and Slack."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.fake_slack import FakeSlack
from tests.fakes.slack_requests import SlackRequests
from tests.scenarios.conftest import ALICE, OWNER, SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def bot_process(slack: FakeSlack, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'handoff.db'}",
        "PORT": str(port),
    }
    process = subprocess.Popen([sys.executable, "-m", "bot", "web"], env=env, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base + "/healthz", process)
        yield base
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0, "SIGTERM should stop the bot cleanly"


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the bot exited at start"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the bot never became healthy")


def test_web_process_serves_slack(slack: FakeSlack, bot_process: str) -> None:
    requests = SlackRequests(bot_process + "/slack/events", signing_secret=SIGNING_SECRET, fake=slack)
    reply = requests.command(
        "/delegate", user=OWNER, text=f"<@{ALICE}> Ship it | done when: PDF sent | due: friday"
    )
    assert reply.status == 200
    offer = slack.wait_for(lambda: [m for m in slack.messages_to(ALICE) if "T-1" in m.plain_text()])
    assert "Accept" in offer[0].plain_text()
    missing = urllib.request.Request(bot_process + "/nope")
    with pytest.raises(urllib.error.HTTPError) as not_found:
        urllib.request.urlopen(missing, timeout=5)
    assert not_found.value.code == 404
