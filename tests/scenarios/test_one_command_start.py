"""The README's one command, `python -m bot web`, runs the clock beside the web server: a
newcomer's handoffs are chased without a second process, and stopping the bot stops both."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

from bot.playground.slack.fake_slack import FakeSlack, Message
from bot.playground.slack.slack_requests import SlackRequests
from tests.scenarios.conftest import ALICE, OWNER, SIGNING_SECRET
from tests.scenarios.processes import free_port, wait_until_healthy
from tests.scenarios.test_entry_point import start_bot, web_env

CLOCK_STARTED = re.compile(r"clock started beside the web server \(pid (\d+)\)")


def ack_reminders(slack: FakeSlack) -> list[Message]:
    def key(message: Message) -> str:
        return str(((message.metadata or {}).get("event_payload") or {}).get("key", ""))

    return [m for m in slack.messages_to(ALICE) if key(m).startswith("nudge:") and ":ack_reminder:" in key(m)]


def test_the_web_command_chases_with_its_clock_and_stops_it(slack: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    # A reminder due a second after the offer, swept every second, at any hour of any day.
    env = web_env(
        slack,
        tmp_path,
        port,
        NUDGE_ACK_AFTER="1s",
        SWEEP_EVERY="1s",
        QUIET_HOURS="off",
        WORKING_DAYS="mon-sun",
    )
    log = tmp_path / "bot.log"
    web = start_bot(env, tmp_path, log)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", web)
        requests = SlackRequests(
            f"http://127.0.0.1:{port}/slack/events", signing_secret=SIGNING_SECRET, fake=slack
        )
        assert (
            requests.command("/delegate", user=OWNER, text=f"<@{ALICE}> Ship it | done when: PDF sent").status
            == 200
        )

        [reminder] = slack.wait_for(lambda: ack_reminders(slack), timeout=30)
        assert "T-1" in reminder.plain_text()
        started = CLOCK_STARTED.search(log.read_text())
        assert started, log.read_text()
        clock_pid = int(started.group(1))
        assert Path(f"/proc/{clock_pid}").exists()
    finally:
        web.terminate()
        assert web.wait(timeout=40) == 0, log.read_text()
    assert not Path(f"/proc/{clock_pid}").exists(), "the clock outlived the web process"
    assert "Traceback" not in log.read_text()


def test_no_clock_runs_the_web_server_alone(slack: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "bot.log"
    web = start_bot(web_env(slack, tmp_path, port), tmp_path, log, "--no-clock")
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", web)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as health:
            assert health.status == 200
    finally:
        web.terminate()
        assert web.wait(timeout=20) == 0
    assert not CLOCK_STARTED.search(log.read_text())
