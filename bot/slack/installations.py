"""Which workspaces the bot is installed in, and the bot token each one speaks with.

One workspace (``SLACK_BOT_TOKEN``): one token, no store. Many (``SLACK_CLIENT_ID`` and
``SLACK_CLIENT_SECRET``): each workspace installs the bot through ``/slack/install``, and
slack_sdk's SQLAlchemy installation store keeps its token in the bot's own database. Bolt
refreshes an expiring token for the requests it answers; the outbox sender and the clock
call Slack with no request, so ``InstalledBotTokens`` refreshes it for them. Bolt's look-ups
go through ``InstalledBotTokens`` too (``HandoffInstallationStore``), so that every process
refreshes a workspace's token the same way: under a lock on its row.

A refresh token is spent by its refresh (Slack revokes it and hands out a new one), so two
processes that both see a token about to expire must not both refresh it: the refresh takes
the workspace's ``slack_bots`` row ``FOR UPDATE`` (SQLite: the write lock), reads it again,
and refreshes only if the token still needs it.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import delete, desc, select, update
from sqlmodel import Session

from bot.config import Settings
from bot.slack.gateway import (
    OUTBOX_CALL_TIMEOUT,
    BotTokens,
    SlackGateway,
    WorkspaceNotInstalled,
    build_client,
    build_outbox_client,
)
from storage import workspaces
from storage.db import Database

logger = logging.getLogger(__name__)

# Refresh a token this long before it expires: Bolt's default (token_rotation_expiration_minutes),
# so that a request, a nudge and a summary all see the same token.
ROTATE_BEFORE_MINUTES = 120
# A token is served from memory at most this long before the store is read again, so that an
# uninstall or a refresh by another process is noticed within a minute.
REREAD_AFTER = 60.0  # seconds
REFRESH_TIMEOUT = 10  # seconds for oauth.v2.access; the row stays locked meanwhile


@dataclass(frozen=True)
class _Remembered:
    bot: Bot
    read_at: float  # time.monotonic()


class InstalledBotTokens:
    """Each workspace's bot token from the installation store, rotated when about to expire."""

    def __init__(self, settings: Settings, db: Database, *, refresh_client: WebClient | None = None) -> None:
        if not settings.slack_client_id or not settings.slack_client_secret:
            raise ValueError("installed bot tokens need SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
        self.settings = settings
        self.db = db
        self.store = SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=db.engine)
        self.rotator = TokenRotator(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            # No retries: a refresh whose answer was lost has spent its refresh token all the same.
            client=refresh_client
            or build_outbox_client(token=None, base_url=settings.slack_api_url, timeout=REFRESH_TIMEOUT),
        )
        self._remembered: dict[str, _Remembered] = {}
        # Bumped by ``forget``: a look-up that read the store before it must not remember what it read.
        self._generation: dict[str, int] = {}
        self._lock = threading.Lock()

    def bot_token(self, team_id: str) -> str:
        return self.bot(team_id).bot_token

    def bot(self, team_id: str) -> Bot:
        """The workspace's bot installation with a token good for the next two hours at least.

        Raises ``WorkspaceNotInstalled`` when it has no installation or the bot was removed.
        """
        with self._lock:
            remembered = self._remembered.get(team_id)
            generation = self._generation.get(team_id, 0)
        if remembered is not None and _fresh(remembered):
            return remembered.bot
        bot = self._installed_bot(team_id)
        if _expiring(bot):
            bot = self._refresh(team_id)
        with self._lock:
            if self._generation.get(team_id, 0) == generation:  # else forgotten meanwhile: stale
                self._remembered[team_id] = _Remembered(bot=bot, read_at=time.monotonic())
        return bot

    def forget(self, team_id: str) -> None:
        """Read the workspace's installation afresh at its next use (it was installed again, or removed)."""
        with self._lock:
            self._remembered.pop(team_id, None)
            self._generation[team_id] = self._generation.get(team_id, 0) + 1

    def remove(self, session: Session, team_id: str) -> None:
        """Delete the workspace's installations and bots in the caller's transaction (the bot
        was removed: its tokens are dead). Call ``forget`` once it commits."""
        bots, installations = self.store.bots, self.store.installations
        for table in (bots, installations):
            session.execute(
                delete(table).where(table.c.client_id == self.store.client_id, table.c.team_id == team_id)
            )

    def _installed_bot(self, team_id: str) -> Bot:
        with self.db.session_scope(write=False) as session:
            if workspaces.is_uninstalled(session, team_id):
                raise WorkspaceNotInstalled(f"the bot was removed from workspace {team_id}")
            row = self._latest_bot_row(session, team_id)
        if row is None:
            raise WorkspaceNotInstalled(f"workspace {team_id} has not installed the bot")
        return SQLAlchemyInstallationStore.build_bot_entity(row)

    def _refresh(self, team_id: str) -> Bot:
        """Refresh the token, unless another process did since it was read: one refresh per token."""
        with self.db.session_scope() as session:
            row = self._latest_bot_row(session, team_id, lock=True)
            if row is None:
                raise WorkspaceNotInstalled(f"workspace {team_id} has not installed the bot")
            bot = SQLAlchemyInstallationStore.build_bot_entity(row)
            try:
                refreshed = self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES
                )
            except SlackTokenRotationError as error:
                reason = error.api_error.response.get("error")  # Slack's error code: never a token
                logger.warning("bot token of %s not refreshed: %s", team_id, reason, extra={"team": team_id})
                raise
            if refreshed is None:  # another process refreshed it while this one waited for the row
                return bot
            self._save_refreshed(session, row["id"], old=bot, new=refreshed)
        logger.info("bot token refreshed", extra={"team": team_id})
        return refreshed

    def _latest_bot_row(self, session: Session, team_id: str, *, lock: bool = False) -> Any:
        bots = self.store.bots
        query = (
            select(bots)
            .where(
                bots.c.client_id == self.store.client_id,
                bots.c.team_id == team_id,
                bots.c.bot_token.is_not(None),
            )
            .order_by(desc(bots.c.installed_at))
            .limit(1)
        )
        if lock:
            query = query.with_for_update()
        return session.execute(query).mappings().first()

    def _save_refreshed(self, session: Session, row_id: int, *, old: Bot, new: Bot) -> None:
        """The new token on the bot's row, and on the installation it came from (as ``save`` would)."""
        expires_at = new.bot_token_expires_at
        values = {
            "bot_token": new.bot_token,
            "bot_refresh_token": new.bot_refresh_token,
            # slack_sdk's tables hold naive UTC times
            "bot_token_expires_at": (
                None if expires_at is None else datetime.fromtimestamp(expires_at, UTC).replace(tzinfo=None)
            ),
        }
        bots, installations = self.store.bots, self.store.installations
        session.execute(update(bots).where(bots.c.id == row_id).values(**values))
        session.execute(
            update(installations)
            .where(
                installations.c.client_id == self.store.client_id,
                installations.c.team_id == old.team_id,
                installations.c.bot_refresh_token == old.bot_refresh_token,
            )
            .values(**values)
        )


def _expiring(bot: Bot) -> bool:
    expires_at = bot.bot_token_expires_at
    return expires_at is not None and expires_at <= time.time() + ROTATE_BEFORE_MINUTES * 60


def _fresh(remembered: _Remembered) -> bool:
    return time.monotonic() - remembered.read_at < REREAD_AFTER and not _expiring(remembered.bot)


class HandoffInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store on the bot's database, for Bolt's OAuth flow and its ``authorize``.

    Bolt finds a workspace's bot through ``InstalledBotTokens``: refreshed under the row lock
    when about to expire (so Bolt's own rotator finds nothing left to do), and not found at all
    once the bot was removed from the workspace.
    """

    def __init__(self, tokens: InstalledBotTokens) -> None:
        super().__init__(client_id=tokens.store.client_id, engine=tokens.db.engine)
        self.tokens = tokens

    def save(self, installation: Installation) -> None:
        super().save(installation)
        if installation.team_id is not None:
            self.tokens.forget(installation.team_id)

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        if team_id is None or is_enterprise_install:
            return None  # installed across an Enterprise Grid organisation: not supported
        try:
            return self.tokens.bot(team_id)
        except WorkspaceNotInstalled:
            return None


def bot_tokens(settings: Settings, db: Database) -> BotTokens | None:
    """Where the gateways find each workspace's token; None with one workspace's token."""
    return InstalledBotTokens(settings, db) if settings.installs_by_oauth() else None


@dataclass(frozen=True)
class Gateways:
    """The listeners' gateway (retries, waits out rate limits) and the outbox sender's (neither)."""

    listeners: SlackGateway
    outbox: SlackGateway

    @property
    def installed(self) -> InstalledBotTokens | None:
        """The installations both gateways speak through (OAuth), for Bolt to use the same ones."""
        tokens = self.listeners.tokens
        return tokens if isinstance(tokens, InstalledBotTokens) else None


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
