"""Profiles this process has already read from the profile cache table, or fetched from Slack.

The table is written only for people whose row is missing or older than a day, so a row
younger than that, read once, stays exactly what the table holds until it ages: a warm
request can take it from memory instead of opening a transaction to read it again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from storage.models import UserProfile

MEMO_SIZE = 10_000  # people remembered per process; past that it starts again empty


class ProfileMemo:
    def __init__(self, ttl: timedelta) -> None:
        self._ttl = ttl
        self._profiles: dict[tuple[str, str], UserProfile] = {}
        self._lock = threading.Lock()

    def fresh(self, *, team_id: str, user_ids: Sequence[str], now: datetime) -> dict[str, UserProfile]:
        """The profiles remembered and still younger than the cache's lifetime, by user id."""
        with self._lock:
            found = (self._profiles.get((team_id, user_id)) for user_id in user_ids)
            return {p.user_id: p for p in found if p is not None and now - p.fetched_at < self._ttl}

    def keep(self, profiles: Iterable[UserProfile]) -> None:
        with self._lock:
            for profile in profiles:
                if len(self._profiles) >= MEMO_SIZE:
                    self._profiles.clear()
                self._profiles[(profile.team_id, profile.user_id)] = profile
