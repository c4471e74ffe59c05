"""A workspace removed the bot (``app_uninstalled``, or its bot token revoked): nothing more goes there.

One transaction records it: the workspace is marked uninstalled, so every scheduled query
passes it over (``storage.workspaces.installed_only``: no nudge, recurring offer, daily
summary or send); every message of it not sent yet is parked; and with many workspaces
(OAuth) its installation leaves the store, so no later call is made with its dead token.

Slack retries an event it did not see answered, and sends ``tokens_revoked`` beside
``app_uninstalled``: a second delivery finds all of it done and changes nothing, and a retry
that arrives after the bot was installed again is older than that install and is ignored. Installing
the bot again (``/slack/install``) resumes nudges and summaries; parked messages stay parked
until an operator queues them again. With one workspace's token (``SLACK_BOT_TOKEN``) there is
no install flow: a process that starts with a token Slack accepts resumes the workspace
(it was installed again, with a new token).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from bot.outbox import store as outbox
from bot.services.runtime import Runtime
from bot.slack.installations import InstalledBotTokens
from storage import workspaces
from storage.db import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Uninstalled:
    first: bool  # False: it was recorded before (a retried or second event)
    parked: int  # messages held back from Slack


def uninstalled(rt: Runtime, *, team_id: str, happened_at: datetime | None = None) -> Uninstalled:
    """The bot was removed from ``team_id`` (at ``happened_at``, Slack's ``event_time``): stop
    everything scheduled there, at once and for good; unless it was installed again since."""
    now = rt.now()
    tokens = rt.gateway.tokens
    installed = tokens if isinstance(tokens, InstalledBotTokens) else None

    def work(session: Session) -> Uninstalled:
        first = workspaces.record_uninstalled(session, team_id=team_id, now=now, happened_at=happened_at)
        if not workspaces.is_uninstalled(session, team_id):
            return Uninstalled(first=False, parked=0)  # installed again since: its new token stays
        parked = outbox.park_unsent(session, team_id=team_id)
        if first and installed is not None:
            # Only the first time: a later delivery may find a new installation saved by the
            # OAuth callback just before it records the install, and must leave it alone.
            installed.remove(session, team_id)
        return Uninstalled(first=first, parked=parked)

    result = rt.db.write(work)
    if result.first and installed is not None:
        installed.forget(team_id)  # after the commit: a look-up from now on finds no installation
    if result.first or result.parked:
        logger.info("uninstalled", extra={"team": team_id, "parked": result.parked})
    return result


def token_accepted(db: Database, *, team_id: str, now: datetime | None = None) -> bool:
    """Slack accepted ``SLACK_BOT_TOKEN`` at start: the bot is installed in ``team_id``, even if it
    was removed before. True when that resumes the workspace; its parked messages stay parked."""
    with db.session_scope() as session:
        row = workspaces.workspace(session, team_id)
        if row is None or row.uninstalled_at is None:
            return False
        workspaces.record_installed(
            session,
            team_id=team_id,
            team_name=row.team_name,
            installed_by=row.installed_by,
            now=now or datetime.now(UTC),
        )
    logger.info("installed again: its token works", extra={"team": team_id})
    return True
