"""Helpers for the OAuth scenarios: a browser going through /slack/install, a story per workspace,
and a workspace's stored token brought close to its expiry.

The browser does what a person's does: it follows the bot's redirect to Slack's consent page
(here: reads the state off its URL and keeps the state cookie), and Slack sends it back to the
bot's redirect URL with a code (here: one the fake Slack issued for the workspace and installer).
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlsplit

from sqlalchemy import update

from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_requests import SlackRequests
from bot.slack.installations import InstalledBotTokens
from bot.slack.oauth_install import INSTALL_PATH, REDIRECT_PATH
from storage.models import SQLModel
from tests.scenarios.conftest import SIGNING_SECRET, Story


@dataclass(frozen=True)
class Page:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


def get(story: Story, path: str, *, query: dict[str, str] | None = None, cookie: str | None = None) -> Page:
    """A browser's GET of the bot's ``path``; redirects are returned, not followed."""
    split = urlsplit(story.requests.app_url)
    connection = http.client.HTTPConnection(split.hostname or "127.0.0.1", split.port, timeout=10)
    try:
        target = path + (f"?{urlencode(query)}" if query else "")
        connection.request("GET", target, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Page(response.status, headers, response.read().decode("utf-8"))
    finally:
        connection.close()


@dataclass(frozen=True)
class Consent:
    """Slack's consent page, as the bot's /slack/install sent the browser there."""

    url: str
    state: str
    cookie: str  # what the browser sends back to the bot


def start_install(story: Story) -> Consent:
    page = get(story, INSTALL_PATH)
    assert page.status == 302, page
    state = parse_qs(urlsplit(page.location).query)["state"][0]
    cookies = SimpleCookie(page.headers.get("set-cookie", ""))
    return Consent(page.location, state, "; ".join(f"{k}={v.value}" for k, v in cookies.items()))


def finish_install(story: Story, consent: Consent, team: FakeSlack, installer: str) -> Page:
    """The installer allowed it: Slack sends the browser back with a code for ``team``."""
    code = story.slack.issue_oauth_code(team.team_id, installer)
    return get(story, REDIRECT_PATH, query={"code": code, "state": consent.state}, cookie=consent.cookie)


def install(story: Story, team: FakeSlack, installer: str) -> Story:
    """``installer`` installs the bot into ``team``; the story of that workspace from then on."""
    page = finish_install(story, start_install(story), team, installer)
    assert page.status == 200 and "installed" in page.body, page
    return in_workspace(story, team)


def in_workspace(story: Story, team: FakeSlack) -> Story:
    """The same running bot, with requests coming from (and Slack read in) ``team``."""
    requests = SlackRequests(story.requests.app_url, signing_secret=SIGNING_SECRET, fake=team)
    return replace(story, slack=team, requests=requests)


def tokens(story: Story) -> InstalledBotTokens:
    installed = story.handoff.runtime.gateway.tokens
    assert isinstance(installed, InstalledBotTokens)
    return installed


def stored_token(story: Story, team_id: str) -> str:
    bot = tokens(story).store.find_bot(enterprise_id=None, team_id=team_id)
    assert bot is not None
    return bot.bot_token


def expires_in(story: Story, team_id: str, left: timedelta) -> None:
    """Time passed: the workspace's stored token has ``left`` before it expires (negative: expired),
    and the running bot has read the store again since (as it does every minute)."""
    bots = SQLModel.metadata.tables["slack_bots"]
    when = (datetime.now(UTC) + left).replace(tzinfo=None)  # slack_sdk's tables hold naive UTC
    with story.handoff.runtime.db.session_scope() as session:
        session.execute(update(bots).where(bots.c.team_id == team_id).values(bot_token_expires_at=when))
    tokens(story).forget(team_id)
