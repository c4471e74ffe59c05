"""The scenario rig: the real app served over HTTP, talking to the fake Slack.

Slack requests are signed exactly as Slack signs them and posted to the running server;
assertions are on what Slack was asked to do. The app answers Slack as soon as it acks,
then finishes its work on listener threads and the outbox sender; ``Story`` waits for
both to go idle after each request, so tests never sleep.

The sender has no timer here: it runs only when the app pokes it (messages queued) or when a
test lets time pass with ``Story.later``, so nothing sends behind a test's back. Only
``timed_story`` keeps the production timer, for the one test about it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Handoff, create_handoff
from bot.config import Settings
from bot.core.tasks import Task
from bot.playground.listener_pool import ListenerPool
from bot.playground.slack.fake_slack import FakeSlack, Message
from bot.playground.slack.slack_requests import Reply, SlackRequests
from bot.services.sweep import SweepReport, run_sweep
from bot.slack.gateway import NO_WAIT, build_client
from bot.web import make_http_server
from storage import repositories as repo
from storage.db import Database
from storage.migrate import upgrade
from tests.postgres_schema import empty_every_table

SIGNING_SECRET = "test-signing-secret"
OWNER, ALICE, BOB, MALLORY, OTHER_BOT = "UOWNER", "UALICE", "UBOB", "UMALLORY", "UOTHERBOT"
START = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # a Thursday
SENDER_TIMER = 0.05  # seconds between the outbox sender's own rounds, in ``timed_story`` only


# Bolt's listener pool, able to tell when every listener it started has finished: the playground's.
TrackingExecutor = ListenerPool


class Clock:
    """The bot's idea of now; the test moves it, nothing sleeps."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Story:
    """A user's-eye driver: send a request, wait until the bot is done, look at Slack."""

    slack: FakeSlack
    requests: SlackRequests
    handoff: Handoff
    executor: TrackingExecutor
    clock: Clock

    def settle(self) -> None:
        """Wait until no listener runs and the sender has nothing left: a listener may wake the sender."""
        while True:
            listeners_were_idle = self.executor.wait_idle()
            assert self.handoff.dispatcher.wait_idle(), "outbox sender still busy"
            if listeners_were_idle:
                return

    def later(self, **delta: float) -> None:
        """Time passes (``seconds=31``…) and the outbox sender takes its next round, as its timer would."""
        self.clock.advance(**delta)
        self.handoff.dispatcher.poke()
        self.settle()

    def sweep(self, **kwargs: Any) -> SweepReport:
        """One sweep at the story's time, as ``python -m bot sweep`` runs it; then the sender delivers."""
        report = run_sweep(self.handoff.runtime, **kwargs)
        self.handoff.dispatcher.poke()
        self.settle()
        return report

    def command(self, command: str, *, user: str, text: str = "", **kwargs: Any) -> Reply:
        reply = self.requests.command(command, user=user, text=text, **kwargs)
        self.settle()
        return reply

    def click(self, message: Message, label: str, *, user: str) -> Reply:
        reply = self.requests.click(message, label, user=user)
        self.settle()
        return reply

    def choose(self, message: Message, option: str, *, user: str) -> Reply:
        """Pick an option from the message's menu (the Snooze menu of a nudge)."""
        reply = self.requests.choose(message, option, user=user)
        self.settle()
        return reply

    def submit(self, view: dict[str, Any], *, user: str, **fields: str | list[str]) -> Reply:
        reply = self.requests.submit_view(view, user=user, fields=dict(fields))
        self.settle()
        return reply

    def event(self, event: dict[str, Any], **kwargs: Any) -> Reply:
        reply = self.requests.event(event, **kwargs)
        self.settle()
        return reply

    # --- reading what people saw ---

    def dm(self, user: str) -> Message:
        """The latest DM the bot sent the user."""
        return self.slack.last_message_to(user)

    def dms(self, user: str) -> list[Message]:
        return self.slack.messages_to(user)

    def ephemeral(self, user: str) -> Message:
        """The latest private answer the user got: in a command's ack, via response_url, or postEphemeral."""
        answers = self.slack.ephemerals_to(user)
        assert answers, f"{user} got no private answer; calls: {self.slack.describe_calls()}"
        return answers[-1]

    def offer(self, user: str) -> Message:
        """The task card the assignee got first (updated in place as the task moves)."""
        # Task cards open with a header block; notices about a step don't.
        cards = [m for m in self.dms(user) if m.blocks and m.blocks[0].get("type") == "header"]
        assert cards, f"{user} got no task card; messages: {self.slack.describe_messages()}"
        return cards[-1]

    def delegate(self, text: str, *, user: str = OWNER) -> Reply:
        return self.command("/delegate", user=user, text=text)

    def task(self, number: int) -> Task | None:
        """The task as stored, to check that nothing was half-written."""
        with self.handoff.runtime.db.session_scope() as session:
            return repo.get_task(session, team_id=self.slack.team_id, number=number)

    def history(self, number: int) -> list[str]:
        with self.handoff.runtime.db.session_scope() as session:
            task = repo.get_task(session, team_id=self.slack.team_id, number=number)
            assert task is not None and task.id is not None
            return [e.kind.value for e in repo.history(session, team_id=task.team_id, task_id=task.id)]

    def posted(self) -> int:
        """How many messages the bot has sent (new DMs and channel posts)."""
        return len([c for c in self.slack.calls_to("chat.postMessage") if c.ok])


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def slack(fake_slack: FakeSlack) -> FakeSlack:
    fake_slack.reset()
    fake_slack.add_user(OWNER, name="olivia", tz="Europe/Berlin")
    fake_slack.add_user(ALICE, name="alice", tz="America/New_York")
    fake_slack.add_user(BOB, name="bob", tz="Asia/Tokyo", is_restricted=True)
    fake_slack.add_user(MALLORY, name="mallory", tz="UTC")
    fake_slack.add_user(OTHER_BOT, name="deploybot", is_bot=True)
    return fake_slack


def settings_for(slack: FakeSlack, database_url: str) -> Settings:
    return Settings(
        slack_bot_token=slack.bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.api_url,
        database_url=database_url,
        default_timezone="UTC",
    )


def oauth_settings_for(slack: FakeSlack, database_url: str) -> Settings:
    """Many workspaces: no bot token; each workspace installs the bot through /slack/install."""
    return Settings(
        slack_bot_token=None,
        slack_signing_secret=SIGNING_SECRET,
        slack_client_id=slack.grants.client_id,
        slack_client_secret=slack.grants.client_secret,
        slack_api_url=slack.api_url,
        database_url=database_url,
        default_timezone="UTC",
    )


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head per run; migrating takes longer than most scenarios."""
    path = tmp_path_factory.mktemp("migrated") / "handoff.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def scenario_db(request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path) -> Iterator[Database]:
    """A SQLite file of the test's own; tests that parametrize it get PostgreSQL too."""
    if getattr(request, "param", "sqlite") == "sqlite":
        path = tmp_path / "handoff.db"
        with closing(sqlite3.connect(migrated_sqlite)) as source, closing(sqlite3.connect(path)) as copy:
            source.backup(copy)  # a consistent copy of the migrated schema
        db = Database.from_url(f"sqlite:///{path}")
        yield db
        db.engine.dispose()
        return
    db = Database.from_url(request.getfixturevalue("postgres_schema_url"))
    yield db
    empty_every_table(db.engine)  # the schema is shared by the session's tests
    db.engine.dispose()


both_databases = pytest.mark.parametrize("scenario_db", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def story(slack: FakeSlack, scenario_db: Database) -> Iterator[Story]:
    with running_story(slack, scenario_db, sender_timer=None) as story:
        yield story


@pytest.fixture
def timed_story(slack: FakeSlack, scenario_db: Database) -> Iterator[Story]:
    """The sender keeps its own timer, as in production; only for tests of that timer."""
    with running_story(slack, scenario_db, sender_timer=SENDER_TIMER) as story:
        yield story


@pytest.fixture
def oauth_story(slack: FakeSlack, scenario_db: Database) -> Iterator[Story]:
    """The bot installed by OAuth (``tests/scenarios/oauth_story.py``); no workspace has it yet."""
    settings = oauth_settings_for(slack, str(scenario_db.engine.url))
    with running_story(slack, scenario_db, sender_timer=None, settings=settings) as story:
        yield story


@contextmanager
def running_story(
    slack: FakeSlack, scenario_db: Database, *, sender_timer: float | None, settings: Settings | None = None
) -> Iterator[Story]:
    clock = Clock(START)
    executor = TrackingExecutor()
    settings = settings or settings_for(slack, str(scenario_db.engine.url))
    handoff = create_handoff(
        settings,
        db=scenario_db,
        client=build_client(token=settings.slack_bot_token, base_url=slack.api_url, retry_wait=NO_WAIT),
        clock=clock,
        listener_executor=executor,
        retry_every=sender_timer,
    )
    handoff.start()
    # What start() set going in the background is over before the test begins.
    assert handoff.dispatcher.wait_idle(), "the sender's first round never ended"
    if handoff.resumer is not None:
        handoff.resumer.join(timeout=10)
        assert not handoff.resumer.is_alive(), "resuming left-over requests never ended"
    server = make_http_server(handoff, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    requests = SlackRequests(url, signing_secret=SIGNING_SECRET, fake=slack)
    try:
        yield Story(slack=slack, requests=requests, handoff=handoff, executor=executor, clock=clock)
    finally:
        server.shutdown()
        server.server_close()
        handoff.stop()
        executor.shutdown(wait=True)
    assert slack.contract_violations == [], "the bot called Slack in a way Slack would refuse"
