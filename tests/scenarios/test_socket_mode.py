"""`python -m bot socket` as a real process: Slack's requests over Socket Mode, on SQLite and PostgreSQL.

The fake Slack hands the app token a ``ws://`` URL on loopback (``apps.connections.open``); the
fake Socket Mode server says hello, sends the envelopes, and records the acks. The process gets
no SLACK_SIGNING_SECRET: nothing it receives comes over HTTP.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.playground.slack.fake_slack import FakeSlack
from storage.migrate import upgrade
from storage.models import InboxRequest, OutboxMessage, TaskRow
from tests.fakes.socket_mode_requests import SocketModeRequests, ack_reply
from tests.fakes.socket_mode_server import FakeSocketMode
from tests.postgres_schema import fresh_schema
from tests.scenarios.conftest import ALICE, OWNER
from tests.scenarios.processes import HEALTHY_WITHIN, stop_group
from tests.scenarios.procfile import start_line
from tests.scenarios.test_clock_process import Deployment, deployed, wait_until
from tests.scenarios.test_procfile import offers
from tests.test_cli import assert_one_line_exit_2

DELEGATE = f"<@{ALICE}> Ship the report | done when: PDF sent to the board | due: friday"
STOPS_WITHIN = 10.0  # seconds from SIGTERM to exit, the clock beside included


@pytest.fixture
def socket_mode(slack: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode(slack, timeout=HEALTHY_WITHIN) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def deployment(request: pytest.FixtureRequest, slack: FakeSlack, tmp_path: Path) -> Iterator[Deployment]:
    """The environment of a Socket Mode worker: the app token, and no signing secret."""
    if request.param == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'handoff.db'}"
        upgrade(database_url)
        yield socket_env(deployed(slack, database_url, tmp_path), slack)
        return
    request.getfixturevalue("postgres_schema_url")  # skips, or fails under REQUIRE_POSTGRES=1
    with fresh_schema(prefix="handoff_socket") as database_url:
        yield socket_env(deployed(slack, database_url, tmp_path), slack)


def socket_env(deployment: Deployment, slack: FakeSlack) -> Deployment:
    deployment.env.pop("SLACK_SIGNING_SECRET")
    deployment.env.update({"SLACK_APP_TOKEN": slack.app_token, "OUTBOX_POLL_EVERY": "1s"})
    return deployment


class Worker:
    """``python -m bot socket`` in a session of its own, its output in a log file."""

    def __init__(self, deployment: Deployment, log: Path, *args: str) -> None:
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "socket", *args],
                env=deployment.env,
                cwd=deployment.cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text()


Start = Callable[..., Worker]


@pytest.fixture
def start(deployment: Deployment, socket_mode: FakeSocketMode, tmp_path: Path) -> Iterator[Start]:
    started: list[Worker] = []

    def start_worker(*args: str) -> Worker:
        worker = Worker(deployment, tmp_path / f"socket-{len(started)}.log", *args)
        started.append(worker)
        return worker

    yield start_worker
    for worker in started:
        stop_group(worker.process)


def counts(deployment: Deployment) -> tuple[int, int, int]:
    """Tasks, queued messages and kept requests, as committed."""
    db = deployment.db()
    try:
        with db.session_scope(write=False) as session:
            return tuple(  # type: ignore[return-value]
                session.exec(select(func.count()).select_from(table)).one()
                for table in (TaskRow, OutboxMessage, InboxRequest)
            )
    finally:
        db.engine.dispose()


def test_a_slash_command_is_acked_and_delivered_and_its_redelivery_creates_nothing(
    slack: FakeSlack, deployment: Deployment, socket_mode: FakeSocketMode, start: Start
) -> None:
    worker = start("--no-clock")
    socket_mode.wait_connected()
    requests = SocketModeRequests(socket_mode, fake=slack)

    reply = requests.command("/delegate", user=OWNER, text=DELEGATE)

    assert reply.status == 200
    slack.wait_for(lambda: [m for m in slack.ephemerals_to(OWNER) if "Handed off T-1" in m.plain_text()])
    [offer] = slack.wait_for(lambda: offers(slack, ALICE, "T-1"), timeout=30)
    assert "Accept" in offer.plain_text()
    wait_until(lambda: counts(deployment)[2] == 0, timeout=30, what="the kept request to be done")
    before = counts(deployment)

    assert requests.last_envelope_id is not None
    again = ack_reply(socket_mode, socket_mode.redeliver(requests.last_envelope_id))

    assert again.status == 200
    # The ack follows the commit: whatever the redelivery did is in the database by now.
    assert counts(deployment) == before and before[0] == 1
    assert len(offers(slack, ALICE, "T-1")) == 1
    # One apps.connections.open: the start-up check's URL is the one the connection opened.
    assert [call.token for call in slack.calls_to("apps.connections.open")] == [slack.app_token]
    assert worker.process.poll() is None and "Traceback" not in worker.output()
    assert slack.contract_violations == []


def test_buttons_and_events_reach_the_same_listeners_and_a_malformed_envelope_is_dropped(
    slack: FakeSlack, deployment: Deployment, socket_mode: FakeSocketMode, start: Start
) -> None:
    worker = start("--no-clock")
    socket_mode.wait_connected()
    requests = SocketModeRequests(socket_mode, fake=slack)
    requests.command("/delegate", user=OWNER, text=DELEGATE)
    [offer] = slack.wait_for(lambda: offers(slack, ALICE, "T-1"), timeout=30)

    clicked = requests.click(offer, "Accept", user=ALICE)  # an ``interactive`` envelope
    opened = requests.event({"type": "app_home_opened", "user": ALICE, "channel": "D1", "tab": "home"})
    malformed = ack_reply(socket_mode, socket_mode.send("interactive", {"type": "block_actions"}))

    assert (clicked.status, opened.status, malformed.status) == (200, 200, 200)
    slack.wait_for(lambda: [m for m in slack.messages_to(OWNER) if "accepted" in m.plain_text().lower()])
    slack.wait_for(lambda: slack.home_view(ALICE), timeout=30)
    assert worker.process.poll() is None
    output = worker.output()
    assert "refused" in output and "Traceback" not in output
    assert slack.contract_violations == []


def test_sigterm_finishes_the_work_in_hand_stops_the_clock_and_sends_before_exiting(
    slack: FakeSlack, deployment: Deployment, socket_mode: FakeSocketMode, start: Start
) -> None:
    worker = start()  # the clock runs beside it, as `python -m bot web` runs it
    wait_until(lambda: "clock started: sweeping" in worker.output(), timeout=HEALTHY_WITHIN, what="the clock")
    assert "clock started beside the Socket Mode connection" in worker.output()
    socket_mode.wait_connected()
    lookup = slack.hold_next("users.info")  # the work after the ack waits on Slack
    reply = SocketModeRequests(socket_mode, fake=slack).command("/delegate", user=OWNER, text=DELEGATE)
    assert reply.status == 200 and lookup.arrived.wait(timeout=30)

    signalled = time.monotonic()
    worker.process.send_signal(signal.SIGTERM)
    wait_until(lambda: "socket mode stopping (SIGTERM)" in worker.output(), timeout=10, what="the stop")
    socket_mode.wait_disconnected()  # 1. stop receiving
    lookup.release.set()  # 2. the work in hand goes on, and is finished

    assert worker.process.wait(timeout=STOPS_WITHIN) == 0, worker.output()
    assert time.monotonic() - signalled < STOPS_WITHIN, worker.output()
    output = worker.output()
    assert output.index("clock stopped") < output.index("socket mode stopped")  # 3. the clock
    assert "Traceback" not in output
    [offer] = offers(slack, ALICE, "T-1")  # 4. sent before the exit, not left for the next start
    assert "Accept" in offer.plain_text()
    assert counts(deployment)[2] == 0  # nothing left in the inbox
    assert not [m for m in deployment.outbox() if m.status == "sending"], "nothing stays claimed"


def test_an_ack_follows_the_commit_so_a_crash_after_it_loses_nothing(
    slack: FakeSlack, deployment: Deployment, socket_mode: FakeSocketMode, start: Start
) -> None:
    crashed = start("--no-clock")
    socket_mode.wait_connected()
    lookup = slack.hold_next("users.info")
    reply = SocketModeRequests(socket_mode, fake=slack).command("/delegate", user=OWNER, text=DELEGATE)
    assert reply.status == 200 and lookup.arrived.wait(timeout=30)
    assert counts(deployment) == (0, 0, 1)  # acked: kept in the inbox, not yet done

    crashed.process.kill()  # SIGKILL, as a machine going away
    crashed.process.wait(timeout=10)
    lookup.release.set()  # the answer goes to a process that is gone
    socket_mode.wait_disconnected()
    start("--no-clock")

    slack.wait_for(lambda: offers(slack, ALICE, "T-1"), timeout=30)
    wait_until(lambda: counts(deployment)[2] == 0, timeout=30, what="the kept request to be done")
    assert counts(deployment)[0] == 1 and len(offers(slack, ALICE, "T-1")) == 1
    assert "Handed off T-1" in str(slack.responses(reply.response_url or ""))  # the owner's receipt too


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("xapp-1-A0HANDOFF-1-revoked", "Could not open a Socket Mode connection with SLACK_APP_TOKEN"),
        ("", "SLACK_APP_TOKEN is not set"),
        ("xoxb-a-bot-token", "SLACK_APP_TOKEN should start with 'xapp-'"),
    ],
)
def test_a_bad_app_token_stops_the_start_in_one_line(
    value: str, says: str, slack: FakeSlack, deployment: Deployment, socket_mode: FakeSocketMode
) -> None:
    result = deployment.run("socket", SLACK_APP_TOKEN=value)

    assert_one_line_exit_2(result, "Cannot start:", says)
    assert not socket_mode.connections


def test_the_procfiles_worker_line_takes_requests_without_a_clock(
    slack: FakeSlack, deployment: Deployment, socket_mode: FakeSocketMode, tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    worker = start_line("worker", deployment.env, log)
    try:
        socket_mode.wait_connected()
        # The started process is `python -m bot socket` itself (not a shell), so SIGTERM reaches it.
        command = Path(f"/proc/{worker.pid}/cmdline").read_bytes().split(b"\0")
        assert command[1:5] == [b"-m", b"bot", b"socket", b"--no-clock"]

        reply = SocketModeRequests(socket_mode, fake=slack).command("/delegate", user=OWNER, text=DELEGATE)

        assert reply.status == 200
        slack.wait_for(lambda: offers(slack, ALICE, "T-1"), timeout=30)
        assert stop_group(worker) == 0, log.read_text()
    finally:
        stop_group(worker)
    output = log.read_text()
    assert "clock started" not in output and "socket mode stopped" in output  # the clock runs as clock:
