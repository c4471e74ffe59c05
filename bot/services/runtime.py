"""What every use case needs: settings, the database, the Slack gateway and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.services.profile_memo import ProfileMemo
from bot.slack.gateway import SlackGateway
from storage.db import Database

# How long a person's Slack profile is trusted before it is looked up again.
PROFILE_TTL = timedelta(hours=24)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    gateway: SlackGateway
    clock: Callable[[], datetime] = field(default=utc_now)
    # Called after a transaction that queued messages commits: wakes the outbox sender.
    messages_queued: Callable[[], None] = field(default=lambda: None)
    # Fresh cached profiles this process has read: warm requests don't read them again.
    profile_memo: ProfileMemo = field(default_factory=lambda: ProfileMemo(PROFILE_TTL))

    def now(self) -> datetime:
        return self.clock()
