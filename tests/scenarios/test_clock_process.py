"""`python -m bot sweep` and `python -m bot scheduler` as real processes against the fake Slack.

The database is seeded with tasks already late (their dates in the past, the thresholds
short, quiet hours off), so no test waits for a rule to come due; tests poll for what a
process printed or sent, with a timeout, and never sleep a fixed time.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.core.tasks import Event, EventKind, Status, Task
from bot.outbox import store
from bot.playground.slack.fake_slack import FakeSlack
from storage import repositories as repo
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage, TaskNudgeRow
from tests.postgres_schema import fresh_schema
from tests.scenarios.conftest import ALICE, OWNER, SIGNING_SECRET
from tests.scenarios.processes import ROOT
from tests.test_cli import assert_one_line_exit_2

TEAM = "T0TEAM"
# Any time of any day is working time, so the wall clock the processes read can't hold a nudge back.
ALWAYS_AT_WORK = {"QUIET_HOURS": "off", "WORKING_DAYS": "mon-sun"}


@dataclass
class Deployment:
    """One SQLite database and the environment every bot process of a test shares."""

    database_url: str
    env: dict[str, str]
    cwd: Path

    def run(self, command: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", command],
            env={**self.env, **extra},
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=90,
        )

    def start(self, command: str, log: Path) -> subprocess.Popen[bytes]:
        """In a session of its own, so the test can kill the process group as a crash would."""
        with log.open("wb") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "bot", command],
                env=self.env,
                cwd=self.cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def db(self) -> Database:
        return Database.from_url(self.database_url)

    def add_overdue_task(self, *, title: str, late_by: timedelta = timedelta(days=2)) -> Task:
        """An accepted task whose due date passed ``late_by`` ago, as the web process leaves it."""
        now = datetime.now(UTC)
        created = now - late_by - timedelta(days=3)
        db = self.db()
        try:
            with db.session_scope() as session:
                number = repo.next_task_number(session, team_id=TEAM)
                task = Task(
                    team_id=TEAM,
                    number=number,
                    owner_id=OWNER,
                    assignee_id=ALICE,
                    title=title,
                    done_when="the sheet is linked",
                    due_at=now - late_by,
                    status=Status.IN_PROGRESS,
                    created_at=created,
                    accepted_at=created + timedelta(hours=1),
                )
                added = repo.add_task(session, task=task, request_key=None, now=created)
                assert added is not None
                repo.add_event(session, task=added, event=Event(EventKind.CREATED, OWNER, created))
                repo.add_event(
                    session, task=added, event=Event(EventKind.ACCEPTED, ALICE, created + timedelta(hours=1))
                )
                return added
        finally:
            db.engine.dispose()

    def outbox(self) -> list[OutboxMessage]:
        db = self.db()
        try:
            with db.session_scope(write=False) as session:
                return list(session.exec(select(OutboxMessage)).all())
        finally:
            db.engine.dispose()

    def nudges_decided(self) -> int:
        db = self.db()
        try:
            with db.session_scope(write=False) as session:
                return len(session.exec(select(TaskNudgeRow)).all())
        finally:
            db.engine.dispose()


@pytest.fixture
def deployment(slack: FakeSlack, tmp_path: Path) -> Deployment:
    database_url = f"sqlite:///{tmp_path / 'handoff.db'}"
    upgrade(database_url)
    return deployed(slack, database_url, tmp_path)


@pytest.fixture
def postgres_deployment(slack: FakeSlack, tmp_path: Path, postgres_schema_url: str) -> Iterator[Deployment]:
    """A schema of the test's own (``postgres_schema_url`` only decides whether PostgreSQL is there)."""
    with fresh_schema(prefix="handoff_clock") as database_url:
        yield deployed(slack, database_url, tmp_path)


def deployed(slack: FakeSlack, database_url: str, tmp_path: Path) -> Deployment:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "NUDGE_"))}
    env = {
        **clean,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        **ALWAYS_AT_WORK,
    }
    return Deployment(database_url=database_url, env=env, cwd=tmp_path)


def sent_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("sent ")]


def nudges_in_slack(slack: FakeSlack, user_id: str, ref: str) -> list[str]:
    """The DMs to ``user_id`` about task ``ref`` (T-1, not T-10)."""
    about = re.compile(rf"\b{re.escape(ref)}\b")
    return [m.plain_text() for m in slack.messages_to(user_id) if about.search(m.plain_text())]


def posted(slack: FakeSlack) -> list[object]:
    """The posts Slack took; a request cut off by a kill reaches the fake, if at all, as a refused call."""
    return [call for call in slack.calls_to("chat.postMessage") if call.ok]


def wait_until(done: Callable[[], object], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_sweep_sends_the_nudges_it_decides_and_prints_each(
    slack: FakeSlack, deployment: Deployment
) -> None:
    deployment.add_overdue_task(title="Weekly metrics")

    first = deployment.run("sweep")

    assert first.returncode == 0, first.stderr
    lines = sent_lines(first.stdout)
    assert any(line.startswith(f"sent T-1 nudge:overdue to {ALICE}") for line in lines), first.stdout
    assert any(line.startswith(f"sent T-1 nudge:overdue to {OWNER}") for line in lines), first.stdout
    assert first.stdout.strip().splitlines()[-1].startswith("sweep: ")
    assert f"{len(lines)} message(s) sent" in first.stdout.strip().splitlines()[-1]
    # Every printed line is a message Slack received, and nothing else was posted.
    assert len(posted(slack)) == len(lines)
    assert nudges_in_slack(slack, ALICE, "T-1") and nudges_in_slack(slack, OWNER, "T-1")
    assert "Traceback" not in first.stderr

    second = deployment.run("sweep")

    assert second.returncode == 0, second.stderr
    assert sent_lines(second.stdout) == []
    assert len(posted(slack)) == len(lines)  # nothing new reached Slack
    assert "0 message(s) sent" in second.stdout


def test_a_sweep_needs_no_port(slack: FakeSlack, deployment: Deployment) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        result = deployment.run("sweep", PORT=str(taken.getsockname()[1]))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "held",
    [
        "conversations.open",  # killed before its post left: the next sweep posts it
        "chat.postMessage",  # killed while its post was on the way: the next one finds it landed
    ],
)
def test_a_sweep_killed_after_deciding_is_sent_once_by_the_next(
    held: str, slack: FakeSlack, deployment: Deployment, tmp_path: Path
) -> None:
    deployment.add_overdue_task(title="Quarterly close")
    hold = slack.hold_next(held)
    killed = deployment.start("sweep", tmp_path / "killed.log")
    assert hold.arrived.wait(timeout=60), (tmp_path / "killed.log").read_text()

    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=10)
    answered = len(slack.calls_to(held))
    hold.release.set()  # Slack answers a process that is gone
    slack.wait_for(lambda: len(slack.calls_to(held)) > answered)  # as a real Slack had, before anyone looks
    decided = deployment.nudges_decided()
    assert decided >= 2 and len(deployment.outbox()) == decided  # decided and queued, not all sent

    after = deployment.run("sweep")

    assert after.returncode == 0, after.stderr
    for user_id in (ALICE, OWNER):
        arrived = nudges_in_slack(slack, user_id, "T-1")
        assert len(arrived) == 1, (user_id, arrived, after.stdout)
    assert all(message.status == "sent" for message in deployment.outbox())
    assert deployment.nudges_decided() == decided  # the second sweep decided nothing new
    again = deployment.run("sweep")
    assert sent_lines(again.stdout) == [] and len(posted(slack)) == decided


def test_two_sweeps_at_once_on_postgresql_send_each_nudge_once(
    slack: FakeSlack, postgres_deployment: Deployment, tmp_path: Path
) -> None:
    for n in range(20):
        postgres_deployment.add_overdue_task(title=f"Late {n}")
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    sweeps = [postgres_deployment.start("sweep", log) for log in logs]

    assert [sweep.wait(timeout=90) for sweep in sweeps] == [0, 0], [log.read_text() for log in logs]

    decided = postgres_deployment.nudges_decided()
    assert decided >= 40  # each of the 20 tasks: the assignee and the owner
    printed = [line for log in logs for line in sent_lines(log.read_text())]
    assert len(printed) == len(set(printed)) == decided  # each sent by one of the two, once
    for n in range(1, 21):
        for user_id in (ALICE, OWNER):
            assert len(nudges_in_slack(slack, user_id, f"T-{n}")) == 1, (n, user_id)
    assert len(posted(slack)) == decided


@pytest.fixture
def clock_log(tmp_path: Path) -> Path:
    return tmp_path / "clock.log"


@pytest.fixture
def clock(deployment: Deployment, clock_log: Path) -> Iterator[subprocess.Popen[bytes]]:
    deployment.env.update({"SWEEP_EVERY": "1s", "OUTBOX_POLL_EVERY": "1s"})
    process = deployment.start("scheduler", clock_log)
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_the_clock_sweeps_on_its_interval_and_stops_cleanly(
    slack: FakeSlack, deployment: Deployment, clock: subprocess.Popen[bytes], clock_log: Path
) -> None:
    deployment.add_overdue_task(title="Before the clock started")
    wait_until(lambda: nudges_in_slack(slack, ALICE, "T-1"), timeout=30, what="the first sweep's nudge")

    deployment.add_overdue_task(title="While the clock runs")  # only a later sweep can see it
    wait_until(lambda: nudges_in_slack(slack, ALICE, "T-2"), timeout=30, what="a later sweep's nudge")
    assert clock.poll() is None, clock_log.read_text()

    clock.send_signal(signal.SIGTERM)

    assert clock.wait(timeout=30) == 0, clock_log.read_text()
    output = clock_log.read_text()
    assert "clock stopped" in output and "Traceback" not in output
    assert not [m for m in deployment.outbox() if m.status == "sending"], "a stopped clock holds no claim"
    for ref in ("T-1", "T-2"):
        assert len(nudges_in_slack(slack, ALICE, ref)) == 1, ref


def test_sigint_stops_the_clock_too(
    deployment: Deployment, clock: subprocess.Popen[bytes], clock_log: Path
) -> None:
    wait_until(lambda: "clock started" in clock_log.read_text(), timeout=30, what="the clock to start")
    clock.send_signal(signal.SIGINT)
    assert clock.wait(timeout=30) == 0, clock_log.read_text()
    assert "Traceback" not in clock_log.read_text()


@pytest.mark.parametrize(
    ("command", "setting", "value"),
    [
        ("sweep", "NUDGE_ACK_AFTER", "4 hours"),
        ("sweep", "QUIET_HOURS", "evenings"),
        ("scheduler", "SWEEP_EVERY", "soon"),
        ("scheduler", "OUTBOX_POLL_EVERY", "0s"),
        ("sweep", "SLACK_BOT_TOKEN", "xoxb-a-token-slack-refuses"),
        ("scheduler", "DATABASE_URL", "postgresql://u:p@127.0.0.1:9/handoff"),
    ],
)
def test_a_bad_setting_stops_the_clock_in_one_line(
    command: str, setting: str, value: str, deployment: Deployment
) -> None:
    result = deployment.run(command, **{setting: value})
    assert_one_line_exit_2(result, setting)


def test_the_web_process_sends_what_another_process_queued(
    slack: FakeSlack, deployment: Deployment, tmp_path: Path
) -> None:
    from tests.scenarios.processes import free_port, wait_until_healthy

    port = free_port()
    deployment.env.update({"PORT": str(port), "WEB_CONCURRENCY": "1", "OUTBOX_POLL_EVERY": "1s"})
    web = deployment.start("web", tmp_path / "web.log")
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", web)
        task = deployment.add_overdue_task(title="Queued elsewhere")
        db = deployment.db()
        with db.session_scope() as session:  # as the clock or a cron sweep would, in its own process
            store.enqueue(
                session,
                team_id=TEAM,
                dedupe_key="queued-by-another-process",
                kind="card",
                recipient_id=ALICE,
                payload="{}",
                task_id=task.id,
                now=datetime.now(UTC),
            )
        db.engine.dispose()
        # Nobody pokes the web process's sender: only its own poll can find the row.
        wait_until(lambda: nudges_in_slack(slack, ALICE, "T-1"), timeout=15, what="the web sender's poll")
    finally:
        web.terminate()
        assert web.wait(timeout=20) == 0
