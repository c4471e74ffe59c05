"""One playground workspace, running: the embedded Slack, a fresh database, the real bot and its clock.

The bot is the one ``python -m bot web`` runs (``create_handoff``: same App, same listeners, same
database code), served over HTTP on loopback; the embedded Slack answers its Web API calls and
signs the page's requests to it as Slack does. A reset throws a World away and starts another.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from contextlib import closing
from datetime import datetime
from pathlib import Path

from bot.app import Handoff, create_handoff
from bot.config import Settings
from bot.core.workspace_calendar import WorkspaceCalendar
from bot.playground import seed
from bot.playground.listener_pool import ListenerPool
from bot.playground.sim_clock import SimClock, playground_start
from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_requests import SlackRequests
from bot.services import calendars
from bot.services.runtime import utc_now
from bot.services.summary_posts import run_due_summaries
from bot.services.sweep import run_sweep
from bot.slack.gateway import build_client
from bot.web import make_http_server
from storage.db import Database


class World:
    """A seeded workspace with the bot running in it. ``stop()`` ends every thread it started."""

    def __init__(self, *, template: Path, database: Path, start: datetime | None = None) -> None:
        _copy_sqlite(template, database)
        self.slack: FakeSlack = seed.embedded_slack().start()
        seed.seed_people(self.slack)
        signing_secret = secrets.token_hex(16)  # the embedded Slack and the bot share it; nobody else
        settings = Settings(
            slack_bot_token=self.slack.bot_token,
            slack_signing_secret=signing_secret,
            slack_api_url=self.slack.api_url,
            database_url=f"sqlite:///{database}",
            default_timezone=seed.WORKSPACE_TIMEZONE,
        )
        self.clock = SimClock(start or _first_morning(settings))
        self.listeners = ListenerPool()
        self.db = Database.from_url(settings.database_url)
        self.handoff: Handoff = create_handoff(
            settings,
            db=self.db,
            client=build_client(token=settings.slack_bot_token, base_url=self.slack.api_url),
            clock=self.clock,
            listener_executor=self.listeners,
            retry_every=None,  # the sender runs when the bot queues something or the clock moves
        )
        self.handoff.start()
        self._server = make_http_server(self.handoff, host="127.0.0.1", port=0)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        bot_url = f"http://127.0.0.1:{self._server.server_address[1]}/slack/events"
        self.requests = SlackRequests(bot_url, signing_secret=signing_secret, fake=self.slack)
        seed.subscribe_ops(self.handoff.runtime, now=self.clock())
        self.settle()

    def settle(self) -> None:
        """Wait until the bot has finished: no listener runs and the sender has nothing left to send."""
        while True:
            listeners_were_idle = self.listeners.wait_idle()
            if not self.handoff.dispatcher.wait_idle(timeout=30):
                raise TimeoutError("the bot's outbox sender is still busy")
            if listeners_were_idle:
                return

    def advance_to(self, moment: datetime) -> None:
        """Time passes: the sweep (nudges, recurring handoffs) and the due daily summaries run at
        ``moment``, as the clock process would, and the sender delivers what they queued."""
        self.clock.move_to(moment)
        run_sweep(self.handoff.runtime)
        run_due_summaries(self.handoff.runtime)
        self.handoff.dispatcher.poke()
        self.settle()

    def calendar(self) -> WorkspaceCalendar:
        rt = self.handoff.runtime
        with rt.db.session_scope(write=False) as session:
            return calendars.workspace_calendar(rt, session, team_id=seed.TEAM_ID)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.handoff.stop()
        self.listeners.shutdown(wait=True)
        self.db.engine.dispose()
        self.slack.stop()


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of the migrated schema: migrating anew would take seconds at each reset."""
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)


def _first_morning(settings: Settings) -> datetime:
    calendar = WorkspaceCalendar(
        timezone=settings.default_timezone,
        quiet=settings.quiet_hours,
        days=settings.working_days,
        summary_time=settings.summary_time,
    )
    return playground_start(utc_now(), calendar)
