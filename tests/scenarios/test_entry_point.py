"""`python -m bot web` as a real process (gunicorn inside): migrates SQLite on start, serves
Slack and health, holds bursts, and refuses hostile bodies cheaply and quietly."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_requests import SlackRequests
from storage.db import make_engine
from tests.scenarios.conftest import ALICE, OWNER, SIGNING_SECRET
from tests.scenarios.processes import ROOT, free_port, wait_until_healthy


@dataclass
class BotProcess:
    base: str
    process: subprocess.Popen[bytes]
    log: Path
    database_url: str

    def output(self) -> str:
        return self.log.read_text()

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(pid) for pid in children.split()]


def web_env(slack: FakeSlack, tmp_path: Path, port: int, **more: str) -> dict[str, str]:
    """The settings of a bot talking to the fake Slack, on SQLite in ``tmp_path``, on ``port``."""
    return {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'handoff.db'}",
        "PORT": str(port),
        **more,
    }


def start_bot(env: dict[str, str], cwd: Path, log: Path, *options: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "web", *options],
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@pytest.fixture
def bot(slack: FakeSlack, tmp_path: Path) -> Iterator[BotProcess]:
    port = free_port()
    # The stalled-client test waits HTTP_CLIENT_TIMEOUT out a few rounds.
    env = web_env(slack, tmp_path, port, WEB_CONCURRENCY="2", HTTP_CLIENT_TIMEOUT="1s")
    database_url = env["DATABASE_URL"]
    log = tmp_path / "bot.log"
    process = start_bot(env, tmp_path, log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base + "/healthz", process)
        yield BotProcess(base, process, log, database_url)
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0, "SIGTERM should stop the bot cleanly"
    assert "Traceback" not in log.read_text()


def test_web_process_serves_slack(slack: FakeSlack, bot: BotProcess) -> None:
    requests = SlackRequests(bot.base + "/slack/events", signing_secret=SIGNING_SECRET, fake=slack)
    reply = requests.command(
        "/delegate", user=OWNER, text=f"<@{ALICE}> Ship it | done when: PDF sent | due: friday"
    )
    assert reply.status == 200
    offer = slack.wait_for(lambda: [m for m in slack.messages_to(ALICE) if "T-1" in m.plain_text()])
    assert "Accept" in offer[0].plain_text()
    missing = urllib.request.Request(bot.base + "/nope")
    with pytest.raises(urllib.error.HTTPError) as not_found:
        urllib.request.urlopen(missing, timeout=5)
    assert not_found.value.code == 404
    handled = [line for line in bot.output().splitlines() if "bot.web handled" in line]
    assert len(handled) == 1 and "kind=/delegate" in handled[0] and f"user={OWNER}" in handled[0]
    assert "Ship it" not in bot.output() and slack.bot_token not in bot.output()
    assert "WARNING" not in bot.output(), "a clean start and request warn about nothing"


def test_a_burst_of_delegations_is_answered_in_full(slack: FakeSlack, bot: BotProcess) -> None:
    requests = SlackRequests(bot.base + "/slack/events", signing_secret=SIGNING_SECRET, fake=slack)
    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = list(
            pool.map(
                lambda n: requests.command("/delegate", user=OWNER, text=f"<@{ALICE}> Burst task {n}"),
                range(50),
            )
        )
    assert [r.status for r in replies] == [200] * 50
    engine = make_engine(bot.database_url)
    deadline = time.monotonic() + 20
    count = 0
    while time.monotonic() < deadline and count < 50:
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM tasks")).scalar_one()
        time.sleep(0.1)
    engine.dispose()
    assert count == 50


def test_a_burst_of_task_lists_is_answered_in_full(slack: FakeSlack, bot: BotProcess) -> None:
    requests = SlackRequests(bot.base + "/slack/events", signing_secret=SIGNING_SECRET, fake=slack)
    with ThreadPoolExecutor(max_workers=100) as pool:
        replies = list(pool.map(lambda _: requests.command("/tasks", user=ALICE), range(100)))
    assert [r.status for r in replies] == [200] * 100


def post(base: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(base + "/slack/events", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_hostile_bodies_are_refused_quietly(bot: BotProcess) -> None:
    signed_looking = {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"}
    assert post(bot.base, b"payload=notjson", {}) == 401
    assert post(
        bot.base, b"\xff\xfe not utf-8", {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0="}
    ) in (
        400,
        401,
    )
    assert post(bot.base, b"payload=notjson", signed_looking) == 400
    assert post(bot.base, b"x" * (1024 * 1024 + 1), {}) == 413
    with socket.create_connection(("127.0.0.1", int(bot.base.rsplit(":", 1)[1])), timeout=10) as raw:
        raw.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
        assert raw.recv(100).split()[1] == b"400"
    output = bot.output()
    assert "Traceback" not in output and "notjson" not in output
    assert output.count("bot.web refused") >= 4


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_a_hundred_megabyte_body_is_refused_with_flat_memory(bot: BotProcess) -> None:
    before = {pid: peak_rss_mb(pid) for pid in bot.workers()}
    port = int(bot.base.rsplit(":", 1)[1])
    chunk = b"x" * (1024 * 1024)
    answer: list[bytes] = []
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        # Read while sending: the answer comes before the body is through.
        reader = threading.Thread(target=lambda: answer.append(raw.recv(200)), daemon=True)
        raw.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        reader.start()
        try:
            for _ in range(100):
                raw.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            raw.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server may close once it has answered; that is the point
        reader.join(timeout=30)
    assert answer and answer[0].split()[1] == b"413"
    after = {pid: peak_rss_mb(pid) for pid in bot.workers()}
    assert all(after[pid] - before.get(pid, after[pid]) < 20 for pid in after), (before, after)
    assert max(after.values()) < 150
    assert "Traceback" not in bot.output()


def test_json_logs_are_one_object_a_line_from_start_to_stop(slack: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    env = web_env(slack, tmp_path, port, WEB_CONCURRENCY="1", LOG_FORMAT="json")
    log = tmp_path / "bot.log"
    process = start_bot(env, tmp_path, log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base + "/healthz", process)
        requests = SlackRequests(base + "/slack/events", signing_secret=SIGNING_SECRET, fake=slack)
        assert requests.command("/tasks", user=ALICE).status == 200
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    handled = [e for e in entries if e["message"] == "handled"]
    assert [(e["kind"], e["user"], e["status"]) for e in handled] == [("/tasks", ALICE, 200)]
    assert any(e["logger"] == "gunicorn.error" for e in entries)  # the server's own lines too


def test_clients_that_go_silent_mid_request_cannot_hold_the_workers(bot: BotProcess) -> None:
    port = int(bot.base.rsplit(":", 1)[1])
    stalled = []
    # More than the 2 workers' 16 threads; half stop in the headers, half in the body. Each is
    # cut off after HTTP_CLIENT_TIMEOUT (1 s here) of silence, so the threads come free within a
    # few rounds; without the limit they are held until the clients hang up, and /healthz times out.
    for n in range(24):
        connection = socket.create_connection(("127.0.0.1", port), timeout=30)
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab"
            if n % 2
            else b"POST /slack/events HTTP/1.1\r\nHos"
        )
        stalled.append(connection)
    with urllib.request.urlopen(bot.base + "/healthz", timeout=20) as response:
        assert response.status == 200
    for connection in stalled:
        connection.close()
    assert "Traceback" not in bot.output()
