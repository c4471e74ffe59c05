"""Which workspaces the bot is installed in, and the bot token each one speaks with.

One workspace (``SLACK_BOT_TOKEN``): one token, no store. Many (``SLACK_CLIENT_ID`` and
``SLACK_CLIENT_SECRET``): each workspace installs the bot through ``/slack/install``, and
slack_sdk's SQLAlchemy installation store keeps its token in the bot's own database. Bolt
refreshes an expiring token for the requests it answers; the outbox sender and the clock
call Slack with no request, so ``InstalledBotTokens`` refreshes it for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient

from bot.config import Settings
from bot.slack.gateway import (
    OUTBOX_CALL_TIMEOUT,
    BotTokens,
    SlackGateway,
    build_client,
    build_outbox_client,
)
from storage.db import Database


class InstalledBotTokens:
    """Each workspace's bot token from the installation store, rotated when about to expire."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db

    def bot_token(self, team_id: str) -> str:
        raise NotImplementedError("OAuth installations: issue 10")


def bot_tokens(settings: Settings, db: Database) -> BotTokens | None:
    """Where the gateways find each workspace's token; None with one workspace's token."""
    return InstalledBotTokens(settings, db) if settings.installs_by_oauth() else None


@dataclass(frozen=True)
class Gateways:
    """The listeners' gateway (retries, waits out rate limits) and the outbox sender's (neither)."""

    listeners: SlackGateway
    outbox: SlackGateway


def build_gateways(
    settings: Settings,
    db: Database,
    *,
    client: WebClient | None = None,
    outbox_client: WebClient | None = None,
    send_timeout: float = OUTBOX_CALL_TIMEOUT,
) -> Gateways:
    """Both gateways, sharing one token source. ``client``/``outbox_client`` replace the
    templates (tests pass clients that do not wait between retries)."""
    tokens = bot_tokens(settings, db)
    token, base_url = settings.slack_bot_token, settings.slack_api_url
    return Gateways(
        listeners=SlackGateway(client or build_client(token=token, base_url=base_url), tokens),
        outbox=SlackGateway(
            outbox_client or build_outbox_client(token=token, base_url=base_url, timeout=send_timeout), tokens
        ),
    )
