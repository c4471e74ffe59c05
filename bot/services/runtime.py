"""What every use case needs: settings, the database, the Slack gateway and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.config import Settings
from bot.slack.gateway import SlackGateway
from storage.db import Database


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

    def now(self) -> datetime:
        return self.clock()
