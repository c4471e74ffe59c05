"""How fast Slack gets its answer, and how fast the assignee gets the task.

Sends signed /delegate commands over HTTP to the real app (SQLite, fake Slack on
loopback) and, in the same run, to a bare Bolt app whose listener only acks: the
baseline for what the HTTP server, signature check and Bolt cost on this machine. The
machine is shared and noisy, so the figures that matter are the ratios.

    .venv/bin/python -m benchmarks.delegate_latency [requests]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.app import create_handoff
from bot.config import Settings
from bot.web import make_http_server
from storage.db import Database
from storage.migrate import upgrade
from tests.fakes.fake_slack import FakeSlack
from tests.fakes.slack_requests import SlackRequests

SECRET = "bench-secret"
OWNER, ALICE = "UOWNER", "UALICE"
TEXT = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"


def serve(handoff: Any) -> tuple[str, Callable[[], None]]:
    server = make_http_server(handoff, host="127.0.0.1", port=0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/slack/events", server.shutdown


class _BareHandoff:
    """Just enough of a Handoff for the HTTP front: an App that acks and nothing else."""

    def __init__(self, app: App) -> None:
        self.app = app


def bare_app(slack: FakeSlack) -> _BareHandoff:
    app = App(signing_secret=SECRET, client=WebClient(token=slack.bot_token, base_url=slack.api_url))
    app.command("/delegate")(lambda ack: ack())
    return _BareHandoff(app)


def timed(send: Callable[[], Any], count: int, *, until: Callable[[int], bool] | None = None) -> list[float]:
    times = []
    for i in range(count):
        start = time.perf_counter()
        send()
        if until is not None:
            while not until(i + 1):
                time.sleep(0.0005)
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(name: str, times: list[float]) -> float:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"  {name:<34} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
    return p50


def main(count: int = 200) -> None:
    with FakeSlack() as slack, tempfile.TemporaryDirectory() as folder:
        slack.add_user(OWNER, tz="Europe/Berlin")
        slack.add_user(ALICE)
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        settings = Settings(
            slack_bot_token=slack.bot_token,
            slack_signing_secret=SECRET,
            slack_api_url=slack.api_url,
            database_url=url,
        )
        handoff = create_handoff(settings, db=Database.from_url(url))
        handoff.start()
        app_url, stop_app = serve(handoff)
        bare_url, stop_bare = serve(bare_app(slack))
        to_app = SlackRequests(app_url, signing_secret=SECRET, fake=slack)
        to_bare = SlackRequests(bare_url, signing_secret=SECRET, fake=slack)

        def offers_beyond(already: int) -> Callable[[int], bool]:
            return lambda n: len(slack.messages_to(ALICE)) >= already + n

        timed(lambda: to_bare.command("/delegate", user=OWNER, text=TEXT), 20)  # warm up both
        timed(lambda: to_app.command("/delegate", user=OWNER, text=TEXT), 20, until=offers_beyond(0))
        print(f"{count} signed /delegate requests over HTTP, SQLite, fake Slack on loopback")
        bare = summary(
            "baseline: bare Bolt ack", timed(lambda: to_bare.command("/delegate", user=OWNER), count)
        )
        ack = summary(
            "Handoff: Slack gets its answer",
            timed(lambda: to_app.command("/delegate", user=OWNER, text=TEXT), count),
        )
        handoff.dispatcher.wait_idle()
        until = offers_beyond(len(slack.messages_to(ALICE)))
        done = summary(
            "Handoff: assignee has the DM",
            timed(lambda: to_app.command("/delegate", user=OWNER, text=TEXT), count, until=until),
        )
        print(f"  answer vs baseline: {ack / bare:.2f}x   DM delivered vs baseline: {done / bare:.2f}x")
        stop_app()
        stop_bare()
        handoff.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
