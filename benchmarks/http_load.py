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

With ``--oauth`` the bot serves many workspaces: it runs with ``SLACK_CLIENT_ID`` and
``SLACK_CLIENT_SECRET`` and no bot token, two workspaces install it through its own
``/slack/install`` and ``/slack/oauth_redirect`` before the load, and the load alternates
between them. The bare app then serves the same installations as Bolt does by default: it
finds each request's workspace in slack_sdk's installation store (the same tables, filled by
the bot's installs) with Bolt's authorize cache on, and acks. The bare app runs after the bot,
once the installations exist. Then the same bot runs again with one bot token, under the same
load, and ``bot by OAuth/bot with one token throughput ratio`` says what many workspaces cost.

    .venv/bin/python -m benchmarks.http_load [--seconds 15] [--clients 8] [--only sqlite|postgresql] [--oauth]

PostgreSQL comes from $TEST_POSTGRES_URL (default: the tests' database), in a fresh schema
dropped afterwards; without it the PostgreSQL half is skipped with a note.
"""

from __future__ import annotations

import argparse
import http.client
import logging
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
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from bot.config import Settings
from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_requests import SlackRequests
from bot.slack.oauth_install import INSTALL_PATH, REDIRECT_PATH
from tests.postgres_schema import fresh_schema, postgres_problem

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret"
OWNER, ALICE = "UOWNER", "UALICE"
OAUTH_TEAMS = ("T2", "T3")  # the workspaces that install the bot with --oauth
MARK = re.compile(rb"loadmark([0-9a-f]{12})")
WORKERS = "2"


class TimedSlack(FakeSlack):
    """The fake Slack, noting when each marked message to the assignee arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}

    def __enter__(self) -> TimedSlack:
        self.start()
        return self

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


def drive(url: str, teams: list[FakeSlack], *, clients: int, seconds: float) -> Load:
    """``clients`` threads sending signed /delegate commands back to back for ``seconds``,
    each thread from one workspace of ``teams`` after the other."""
    senders = [SlackRequests(url, signing_secret=SECRET, fake=team, timeout=30) for team in teams]
    load = Load()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(first: int) -> None:
        turn = first
        while time.monotonic() < deadline:
            requests = senders[turn % len(senders)]
            turn += 1
            mark = uuid.uuid4().hex[:12]  # a new text and trigger_id: a new request key each time
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

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.monotonic() - began
    return load


# ---- the two servers


def gunicorn_env(slack: FakeSlack, database_url: str, port: int, *, oauth: bool = False) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "WEB_CONCURRENCY": WORKERS,
        "LOG_LEVEL": "WARNING",
    }
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        env.pop(name, None)
    if oauth:  # many workspaces: each installs the bot; no bot token
        env.update(SLACK_CLIENT_ID=slack.grants.client_id, SLACK_CLIENT_SECRET=slack.grants.client_secret)
    else:
        env["SLACK_BOT_TOKEN"] = slack.bot_token
    return env


def browse(base: str, path: str, *, query: dict[str, str] | None = None, cookie: str = "") -> tuple[int, Any]:
    """A browser's GET of the bot's page; redirects are returned, not followed."""
    split = urlsplit(base)
    connection = http.client.HTTPConnection(split.hostname or "127.0.0.1", split.port, timeout=30)
    try:
        target = path + (f"?{urlencode(query)}" if query else "")
        connection.request("GET", target, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        connection.close()


def install_by_oauth(base: str, slack: FakeSlack, team_id: str, installer: str) -> None:
    """``installer`` installs the bot into ``team_id`` as a person does: /slack/install sends the
    browser to Slack with a state (in the URL and a cookie); Slack sends it back with a code."""
    status, headers = browse(base, INSTALL_PATH)
    if status != 302:
        raise SystemExit(f"{INSTALL_PATH} answered {status}, not a redirect to Slack")
    state = parse_qs(urlsplit(headers["location"]).query)["state"][0]
    cookie = "; ".join(f"{k}={v.value}" for k, v in SimpleCookie(headers.get("set-cookie", "")).items())
    code = slack.issue_oauth_code(team_id, installer)
    status, _ = browse(base, REDIRECT_PATH, query={"code": code, "state": state}, cookie=cookie)
    if status != 200:
        raise SystemExit(f"installing into {team_id} failed: {REDIRECT_PATH} answered {status}")


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

    executor = ThreadPoolExecutor(max_workers=LISTENER_THREADS)
    if os.environ.get("SLACK_CLIENT_ID"):
        # Bolt asks auth.test through the App's client: it must speak to the fake Slack too.
        client = WebClient(base_url=os.environ["SLACK_API_URL"])
        app = App(
            signing_secret=SECRET, client=client, authorize=installed_authorize(), listener_executor=executor
        )
    else:
        client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
        app = App(signing_secret=SECRET, client=client, listener_executor=executor)
    app.command("/delegate")(lambda ack: ack())
    return SlackRequestHandler(app)


def installed_authorize() -> Any:
    """Bolt's authorize over slack_sdk's installation store on the bot's database, its cache on:
    a bare app serving the workspaces that installed it (the bot's installs filled the store)."""
    from slack_bolt.authorization.authorize import InstallationStoreAuthorize
    from slack_sdk import WebClient
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    from storage.db import Database

    client_id = os.environ["SLACK_CLIENT_ID"]
    engine = Database.from_url(os.environ["DATABASE_URL"]).engine
    return InstallationStoreAuthorize(
        logger=logging.getLogger("bare"),
        installation_store=SQLAlchemyInstallationStore(client_id=client_id, engine=engine),
        client_id=client_id,
        client_secret=os.environ["SLACK_CLIENT_SECRET"],
        bot_only=True,
        cache_enabled=True,
        client=WebClient(base_url=os.environ["SLACK_API_URL"]),
    )


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


def workspaces(slack: FakeSlack, *, oauth: bool) -> list[FakeSlack]:
    """Where the load comes from: the fake's one workspace, or two that will install the bot."""
    teams = [slack.add_workspace(team_id) for team_id in OAUTH_TEAMS] if oauth else [slack]
    for team in teams:
        team.add_user(OWNER, tz="Europe/Berlin")
        team.add_user(ALICE)
    return teams


def measure(kind: str, database_url: str, args: argparse.Namespace, folder: Path) -> dict[str, float]:
    mode = f", {len(OAUTH_TEAMS)} workspaces installed by OAuth, alternating" if args.oauth else ""
    clients = f"{args.clients} clients, {args.seconds:.0f} s per server"
    print(f"{kind}: {clients}, gunicorn -w {WORKERS} gthread{mode}")
    with TimedSlack() as slack:
        teams = workspaces(slack, oauth=args.oauth)
        bare_port = free_port()
        bare_cmd = [sys.executable, "-m", "benchmarks.http_load", "--serve-bare"]

        def run_bare() -> Load:
            env = gunicorn_env(slack, database_url, bare_port, oauth=args.oauth)
            with served(bare_cmd, env, bare_port, folder):
                return load(bare_port, teams, args)

        bare = None if args.oauth else run_bare()  # with OAuth, once the bot's installs exist
        bot = run_bot(slack, teams, database_url, args, folder, oauth=args.oauth)
        bare = bare or run_bare()
        report("bare", bare)
        report("bot", bot)
        ratios = {"bot/bare throughput": bot.per_second / bare.per_second}
        if args.oauth:
            print(f"  DMs sent per workspace: {', '.join(dms_per_workspace(teams))}")
            # What many workspaces cost the bot: the same bot with one bot token, same run.
            one = run_bot(slack, workspaces(slack, oauth=False), database_url, args, folder, oauth=False)
            report("bot, one token", one)
            ratios["bot by OAuth/bot with one token throughput"] = bot.per_second / one.per_second
        return ratios


def run_bot(
    slack: TimedSlack,
    teams: list[FakeSlack],
    database_url: str,
    args: argparse.Namespace,
    folder: Path,
    *,
    oauth: bool,
) -> Load:
    """The bot as the Procfile runs it, under load until every DM arrived (or a bounded wait)."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "bot.wsgi:app",
    ]
    with served(command, gunicorn_env(slack, database_url, port, oauth=oauth), port, folder) as process:
        if oauth:
            for team in teams:
                install_by_oauth(f"http://127.0.0.1:{port}", slack, team.team_id, OWNER)
        bot = load(port, teams, args)
        wait_for_dms(slack, set(bot.sent_at), timeout=60)  # bounded: the run must end
        rss = worker_rss_mb(process.pid)
    delays = [(slack.arrived[m] - t) * 1000 for m, t in bot.sent_at.items() if m in slack.arrived]
    missing = len(bot.sent_at) - len(delays)
    print(
        f"  delegate → DM   p50 {percentile(delays, 0.5):7.1f} ms"
        f"   p99 {percentile(delays, 0.99):7.1f} ms   ({missing} DMs missing after the wait)"
    )
    print(f"  web workers' RSS after the run: {', '.join(f'{mb:.0f} MB' for mb in rss)}")
    return bot


def load(port: int, teams: list[FakeSlack], args: argparse.Namespace) -> Load:
    url = f"http://127.0.0.1:{port}/slack/events"
    drive(url, teams, clients=args.clients, seconds=2)  # warm up
    return drive(url, teams, clients=args.clients, seconds=args.seconds)


def dms_per_workspace(teams: list[FakeSlack]) -> list[str]:
    """How many DMs each workspace got, and whether each was sent with a token of its own."""
    counts = []
    for team in teams:
        posts = [c for c in team.calls_to("chat.postMessage") if c.ok]
        own = all(c.token in team.tokens_of(team.team_id) for c in posts)
        counts.append(f"{team.team_id} {len(posts)} ({'its own token' if own else 'ANOTHER TOKEN'})")
    return counts


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
    parser.add_argument(
        "--oauth", action="store_true", help="two workspaces installed by OAuth, no bot token"
    )
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare:
        serve_bare()
        return
    ratios: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only in (None, "sqlite"):
            ratios["sqlite"] = measure("sqlite", f"sqlite:///{folder / 'bench.db'}", args, folder)
        if args.only in (None, "postgresql"):
            with fresh_postgres_schema() as postgres_url:
                if postgres_url is not None:
                    ratios["postgresql"] = measure("postgresql", postgres_url, args, folder)
    for kind, named in ratios.items():
        for name, ratio in named.items():
            print(f"{name} ratio ({kind}): {ratio:.2f}")


if __name__ == "__main__":
    main()
