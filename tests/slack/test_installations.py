"""InstalledBotTokens: each workspace's token from the installation store, refreshed once when expiring.

On SQLite and PostgreSQL, against the fake Slack's ``oauth.v2.access``. "Two processes" are two
``InstalledBotTokens`` on two engines of one database, each with its own memory.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import text

from bot.config import Settings
from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.oauth_grants import CLIENT_ID, CLIENT_SECRET
from bot.slack import installations
from bot.slack.gateway import WorkspaceNotInstalled
from bot.slack.installations import InstalledBotTokens, bot_tokens
from bot.slack.oauth_install import BOT_SCOPES
from storage import workspaces
from storage.db import Database

ROOT = Path(__file__).resolve().parents[2]
HOUR = 3600


@pytest.fixture
def database_url(committed_database_url: str) -> str:
    return committed_database_url  # two engines ("processes") share it


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.token_rotation = True
        fake.add_workspace("T2")
        yield fake


def settings_for(slack: FakeSlack, database_url: str) -> Settings:
    return Settings(
        slack_bot_token=None,
        slack_signing_secret="secret",
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_api_url=slack.api_url,
        database_url=database_url,
    )


class Process:
    """What one process holds: its engine and its InstalledBotTokens."""

    def __init__(self, slack: FakeSlack, database_url: str) -> None:
        self.db = Database.from_url(database_url)
        tokens = bot_tokens(settings_for(slack, database_url), self.db)
        assert isinstance(tokens, InstalledBotTokens)
        self.tokens = tokens

    def close(self) -> None:
        self.db.engine.dispose()


@pytest.fixture
def processes(slack: FakeSlack, database_url: str) -> Iterator[Callable[[], Process]]:
    started: list[Process] = []

    def start() -> Process:
        started.append(Process(slack, database_url))
        return started[-1]

    yield start
    for process in started:
        process.close()


def install(slack: FakeSlack, process: Process, team_id: str = "T2", *, lifetime: int = 12 * HOUR) -> str:
    """The workspace installs the bot (as Bolt's flow saves it); its token lasts ``lifetime`` seconds."""
    slack.grants.token_lifetime = lifetime
    code = slack.issue_oauth_code(team_id, "UINSTALLER")
    answer = WebClient(base_url=slack.api_url).oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code
    )
    slack.grants.token_lifetime = 12 * HOUR
    process.tokens.store.save(
        Installation(
            app_id=answer["app_id"],
            team_id=team_id,
            team_name=answer["team"]["name"],
            bot_token=answer["access_token"],
            bot_id="B0BOT2",
            bot_user_id=answer["bot_user_id"],
            bot_scopes=answer["scope"],
            bot_refresh_token=answer["refresh_token"],
            bot_token_expires_in=answer["expires_in"],
            user_id="UINSTALLER",
        )
    )
    return str(answer["access_token"])


def refreshes(slack: FakeSlack) -> list[Any]:
    return [c for c in slack.calls_to("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]


def test_a_workspace_without_an_installation_has_no_token(processes: Callable[[], Process]) -> None:
    with pytest.raises(WorkspaceNotInstalled):
        processes().tokens.bot_token("T2")


def test_a_token_with_hours_left_is_served_as_stored(
    slack: FakeSlack, processes: Callable[[], Process]
) -> None:
    process = processes()
    token = install(slack, process)
    assert process.tokens.bot_token("T2") == token
    assert refreshes(slack) == []


def test_a_token_expiring_within_two_hours_is_refreshed_and_saved(
    slack: FakeSlack, processes: Callable[[], Process]
) -> None:
    process = processes()
    old = install(slack, process, lifetime=HOUR)  # an hour left: inside Bolt's two-hour margin

    new = process.tokens.bot_token("T2")

    assert new != old and new in slack.tokens_of("T2")
    assert [c.ok for c in refreshes(slack)] == [True]
    bot = process.tokens.store.find_bot(enterprise_id=None, team_id="T2")
    spent = refreshes(slack)[0].args["refresh_token"]
    assert bot is not None and bot.bot_token == new and bot.bot_refresh_token not in (None, spent)
    assert bot.bot_token_expires_at is not None
    assert bot.bot_token_expires_at > datetime.now(UTC).timestamp() + 11 * HOUR
    installation = process.tokens.store.find_installation(enterprise_id=None, team_id="T2")
    assert installation is not None and installation.bot_token == new  # the installation row follows
    # Another process reads the new token from the store, with no refresh of its own.
    assert processes().tokens.bot_token("T2") == new and len(refreshes(slack)) == 1
    assert WebClient(base_url=slack.api_url, token=new).auth_test()["team_id"] == "T2"


def test_a_refused_refresh_changes_nothing_stored(
    slack: FakeSlack, processes: Callable[[], Process], caplog: pytest.LogCaptureFixture
) -> None:
    process = processes()
    old = install(slack, process, lifetime=HOUR)
    slack.revoke_tokens("T2")  # the app was removed from the workspace: its refresh token is void

    with pytest.raises(SlackTokenRotationError):
        process.tokens.bot_token("T2")

    bot = process.tokens.store.find_bot(enterprise_id=None, team_id="T2")
    assert bot is not None and bot.bot_token == old
    assert [c.error for c in refreshes(slack)] == ["invalid_refresh_token"]
    assert "invalid_refresh_token" in caplog.text and old not in caplog.text


def test_an_uninstalled_workspace_has_no_token_once_the_store_is_read_again(
    slack: FakeSlack, processes: Callable[[], Process], monkeypatch: pytest.MonkeyPatch
) -> None:
    process = processes()
    token = install(slack, process)
    assert process.tokens.bot_token("T2") == token
    with process.db.session_scope() as session:
        workspaces.record_uninstalled(session, team_id="T2", now=datetime.now(UTC))

    assert process.tokens.bot_token("T2") == token  # from memory, for up to a minute
    later = installations.time.monotonic() + installations.REREAD_AFTER + 1
    monkeypatch.setattr(installations.time, "monotonic", lambda: later)
    with pytest.raises(WorkspaceNotInstalled):
        process.tokens.bot_token("T2")
    with pytest.raises(WorkspaceNotInstalled):
        processes().tokens.bot_token("T2")


class WaitingBeforeTheLock(InstalledBotTokens):
    """Tells when it has read the expiring token and goes for the row lock to refresh it."""

    def __init__(self, tokens: InstalledBotTokens) -> None:
        self.__dict__.update(tokens.__dict__)
        self.going_for_the_lock = threading.Event()

    def _refresh(self, team_id: str) -> Any:
        self.going_for_the_lock.set()
        return super()._refresh(team_id)


def test_two_processes_refreshing_at_once_spend_the_refresh_token_once(
    slack: FakeSlack, processes: Callable[[], Process]
) -> None:
    first, second = processes(), processes()
    install(slack, first, lifetime=HOUR)
    late = WaitingBeforeTheLock(second.tokens)
    held = slack.hold_next("oauth.v2.access")  # the first refresh is in flight, its row locked
    got: dict[str, str] = {}

    def use(name: str, tokens: InstalledBotTokens) -> None:
        got[name] = tokens.bot_token("T2")

    threads = [threading.Thread(target=use, args=("first", first.tokens))]
    threads[0].start()
    assert held.arrived.wait(timeout=10)
    threads.append(threading.Thread(target=use, args=("second", late)))
    threads[1].start()
    assert late.going_for_the_lock.wait(timeout=10)  # it read the old token, which still needs refreshing
    wait_until_blocked_on_the_lock(second.db)
    held.release.set()
    for thread in threads:
        thread.join(timeout=30)

    assert [c.ok for c in refreshes(slack)] == [True]  # once: the second found it refreshed
    assert got["first"] == got["second"] != ""
    assert slack.contract_violations == []


def wait_until_blocked_on_the_lock(db: Database) -> None:
    """On PostgreSQL, until the second process's transaction waits for the row lock; SQLite's wait
    for its write lock is not visible from outside, and the outcome is the same either way."""
    if db.engine.dialect.name != "postgresql":
        return
    probe = Database.from_url(str(db.engine.url))
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%slack_bots%'"
    )
    deadline = time.monotonic() + 10
    try:
        while time.monotonic() < deadline:
            with probe.engine.connect() as connection:
                if connection.execute(query).scalar_one():
                    return
            time.sleep(0.01)  # polling an observable condition, not waiting out a thread
        raise AssertionError("the second refresh never waited for the row lock")
    finally:
        probe.engine.dispose()


def test_the_scopes_asked_for_are_the_manifests() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)


def test_one_workspace_token_needs_no_store() -> None:
    settings = Settings(slack_bot_token="xoxb-1", slack_signing_secret="s")
    assert bot_tokens(settings, Database.from_url("sqlite://")) is None


def test_a_look_up_that_read_the_store_before_it_was_forgotten_is_not_remembered(
    slack: FakeSlack, processes: Callable[[], Process], monkeypatch: pytest.MonkeyPatch
) -> None:
    process = processes()
    old = install(slack, process)
    read_store = process.tokens._installed_bot

    def read_while_reinstalled(team_id: str) -> Any:
        bot = read_store(team_id)  # what the store held when this look-up read it…
        process.tokens.forget(team_id)  # …then another thread saved a new installation
        return bot

    monkeypatch.setattr(process.tokens, "_installed_bot", read_while_reinstalled)
    assert process.tokens.bot_token("T2") == old  # served once, as read
    monkeypatch.setattr(process.tokens, "_installed_bot", read_store)
    new = install(slack, processes())  # the new installation, saved by another process

    assert process.tokens.bot_token("T2") == new  # read again: the stale read was not remembered
