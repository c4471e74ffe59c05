"""The web process under load: the bot against a bare Bolt app, on SQLite and PostgreSQL.

In one run, for each database: the bot as the Procfile runs it (``gunicorn bot.wsgi:app``
with ``gunicorn.conf.py``, 2 workers), and a Bolt app whose only listener acks, under the
same gunicorn settings; both call a fake Slack on loopback that answers at once. A
bounded load generator (``--clients`` threads, ``--seconds`` each) sends correctly signed
``/delegate`` requests, each with its own trigger_id, so every one is real work. Printed:
requests/s, p50 and p99 of the HTTP answer for both, and the ratio bot/bare; for the bot,
the delay from sending the command to the fake Slack receiving the assignee's
``chat.postMessage`` (p50/p99), and the workers' resident memory after the run. The
machine is shared and noisy: the ratio, measured in one run, is the figure that travels.

    .venv/bin/python -m benchmarks.http_load [--seconds 15] [--clients 8] [--only sqlite|postgresql]

PostgreSQL comes from $TEST_POSTGRES_URL (default: the tests' database), in a fresh schema
dropped afterwards; without it the PostgreSQL half is skipped with a note.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import Settings
from tests.fakes.fake_slack import FakeSlack
from tests.fakes.slack_requests import SlackRequests
from tests.postgres_schema import fresh_schema, postgres_problem

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret"
OWNER, ALICE = "UOWNER", "UALICE"
MARK = re.compile(rb"loadmark([0-9a-f]{12})")
WORKERS = "2"


class TimedSlack(FakeSlack):
    """The fake Slack, noting when each marked message to the assignee arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}

    def start(self) -> TimedSlack:
        super().start()
        # The fake's standard-library server listens with a backlog of 5; two gunicorn
        # workers calling it at once would see connections reset. Listen again, deeper.
        assert self._server is not None
        self._server.socket.listen(1024)
        return self

    def __enter__(self) -> TimedSlack:
        return self.start()

    def handle_api(self, method: str, **kwargs: Any) -> Any:
        answer = super().handle_api(method, **kwargs)
        if method == "chat.postMessage":
            now = time.monotonic()
            body: bytes = kwargs["body"]
            if ALICE.encode() in body or self.im_channel(ALICE).encode() in body:
                for mark in MARK.findall(body):
                    self.arrived.setdefault(mark.decode(), now)
        return answer


@dataclass
class Load:
    """What one target did under load."""

    answers_ms: list[float] = field(default_factory=list)
    sent_at: dict[str, float] = field(default_factory=dict)
    failures: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.answers_ms) / self.seconds if self.seconds else 0.0


def drive(url: str, slack: FakeSlack, *, clients: int, seconds: float) -> Load:
    """``clients`` threads sending signed /delegate commands back to back for ``seconds``."""
    requests = SlackRequests(url, signing_secret=SECRET, fake=slack, timeout=30)
    load = Load()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < deadline:
            mark = uuid.uuid4().hex[:12]
            start = time.monotonic()
            try:
                reply = requests.command("/delegate", user=OWNER, text=f"<@{ALICE}> Ship loadmark{mark}")
                ok = reply.status == 200
            except OSError:
                ok = False
            took = (time.monotonic() - start) * 1000
            with lock:
                if ok:
                    load.answers_ms.append(took)
                    load.sent_at[mark] = start
                else:
                    load.failures += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.monotonic() - began
    return load


# ---- the two servers


def gunicorn_env(slack: FakeSlack, database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "WEB_CONCURRENCY": WORKERS,
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def served(
    command: list[str], env: dict[str, str], port: int, cwd: Path
) -> Iterator[subprocess.Popen[bytes]]:
    log = (cwd / f"server-{port}.log").open("wb")
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited at start (status {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # up, whatever it answers
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server never came up")


def bare_app() -> Any:
    """A Bolt app that acks /delegate and nothing else, behind Bolt's own WSGI adapter."""
    from concurrent.futures import ThreadPoolExecutor

    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient

    from bot.wsgi import LISTENER_THREADS

    app = App(
        signing_secret=SECRET,
        client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS),
    )
    app.command("/delegate")(lambda ack: ack())
    return SlackRequestHandler(app)


def serve_bare() -> None:
    """Run the bare app under exactly the bot's gunicorn settings (a subprocess of main)."""
    from bot.server import Server, gunicorn_options

    settings = Settings.from_env(os.environ)
    Server(gunicorn_options(settings), bare_app()).run()


def worker_rss_mb(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


# ---- one database


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, load: Load) -> None:
    print(
        f"  {name:<5} {load.per_second:7.1f} requests/s"
        f"   answer p50 {statistics.median(load.answers_ms):6.1f} ms"
        f"   p99 {percentile(load.answers_ms, 0.99):6.1f} ms"
        f"   ({len(load.answers_ms)} answered, {load.failures} failed)"
    )


def wait_for_dms(slack: TimedSlack, marks: set[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not marks <= slack.arrived.keys():
        time.sleep(0.2)


def measure(kind: str, database_url: str, args: argparse.Namespace, folder: Path) -> float:
    print(f"{kind}: {args.clients} clients, {args.seconds:.0f} s per server, gunicorn -w {WORKERS} gthread")
    with TimedSlack() as slack:
        slack.add_user(OWNER, tz="Europe/Berlin")
        slack.add_user(ALICE)
        bare_port, bot_port = free_port(), free_port()
        bare_cmd = [sys.executable, "-m", "benchmarks.http_load", "--serve-bare"]
        bot_cmd = [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "bot.wsgi:app",
        ]
        with served(bare_cmd, gunicorn_env(slack, database_url, bare_port), bare_port, folder):
            url = f"http://127.0.0.1:{bare_port}/slack/events"
            drive(url, slack, clients=args.clients, seconds=2)  # warm up
            bare = drive(url, slack, clients=args.clients, seconds=args.seconds)
        with served(bot_cmd, gunicorn_env(slack, database_url, bot_port), bot_port, folder) as bot_process:
            url = f"http://127.0.0.1:{bot_port}/slack/events"
            drive(url, slack, clients=args.clients, seconds=2)  # warm up
            bot = drive(url, slack, clients=args.clients, seconds=args.seconds)
            wait_for_dms(slack, set(bot.sent_at), timeout=60)  # bounded: the run must end
            rss = worker_rss_mb(bot_process.pid)
        report("bare", bare)
        report("bot", bot)
        ratio = bot.per_second / bare.per_second
        delays = [(slack.arrived[m] - t) * 1000 for m, t in bot.sent_at.items() if m in slack.arrived]
        missing = len(bot.sent_at) - len(delays)
        print(
            f"  delegate → DM   p50 {percentile(delays, 0.5):7.1f} ms"
            f"   p99 {percentile(delays, 0.99):7.1f} ms   ({missing} DMs missing after the wait)"
        )
        print(f"  web workers' RSS after the run: {', '.join(f'{mb:.0f} MB' for mb in rss)}")
        return ratio


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def fresh_postgres_schema() -> Iterator[str | None]:
    problem = postgres_problem()
    if problem:  # no PostgreSQL here: say so and measure SQLite alone
        print(f"postgresql: skipped ({problem})")
        yield None
        return
    with fresh_schema(prefix="handoff_bench") as url:
        yield url


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=15.0, help="load per server (default 15)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument(
        "--only", choices=("sqlite", "postgresql"), help="measure one database (default: both)"
    )
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare:
        serve_bare()
        return
    ratios: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only in (None, "sqlite"):
            ratios["sqlite"] = measure("sqlite", f"sqlite:///{folder / 'bench.db'}", args, folder)
        if args.only in (None, "postgresql"):
            with fresh_postgres_schema() as postgres_url:
                if postgres_url is not None:
                    ratios["postgresql"] = measure("postgresql", postgres_url, args, folder)
    for kind, ratio in ratios.items():
        print(f"bot/bare throughput ratio ({kind}): {ratio:.2f}")


if __name__ == "__main__":
    main()
