"""How fast each workspace may be sent to: paused for Slack's Retry-After, then paced.

A 429 pauses the whole workspace (every queued message, not only the one that got it)
until its Retry-After; other workspaces go on. When the workspace was being sent to
quickly, the 429 also teaches the pace Slack allows (the posts of the last second), and
posts keep just under it for a while, so a backlog drains at Slack's speed with hardly a
429 more. The pace is kept per process: senders in several processes (gunicorn workers) each
learn a share and do not grow back to the whole of it together, so a backlog drains slower
there (one sender process per deployment, or a pace shared in the database, would fix that).

Pauses use the bot's clock (they are written to the queue); pacing, being about fractions of
a second, uses the monotonic clock.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = 1.0  # seconds over which posts are counted when a 429 arrives
MARGIN = 0.97  # post at this share of the learned pace
WELL_BELOW = 0.8  # a 429 while this far below the learned pace means Slack allows less now
FEWEST_TO_LEARN = 5  # a 429 after fewer posts than this in a second says nothing about pace
LEARNED_FOR = 300.0  # seconds a learned pace is kept after the workspace's last 429


@dataclass
class _Workspace:
    paused_until: datetime | None = None
    rate: float | None = None  # posts per second, once learned
    learned_at: float = 0.0
    next_slot: float = 0.0
    posts: deque[float] | None = None


class WorkspacePace:
    """Thread-safe: lanes reserve slots and report 429s; the claim asks who is paused."""

    def __init__(
        self, *, now: Callable[[], datetime], monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._now = now
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._workspaces: dict[str, _Workspace] = {}

    def paused_until(self, team_id: str) -> datetime | None:
        with self._lock:
            until = self._get(team_id).paused_until
        return until if until is not None and until > self._now() else None

    def paused_teams(self) -> list[str]:
        now = self._now()
        with self._lock:
            return [
                team for team, ws in self._workspaces.items() if ws.paused_until and ws.paused_until > now
            ]

    def seconds_to_next_resume(self) -> float | None:
        """When the earliest pause ends, so the sender wakes then rather than on its slow timer."""
        now = self._now()
        with self._lock:
            ends = [
                ws.paused_until
                for ws in self._workspaces.values()
                if ws.paused_until and ws.paused_until > now
            ]
        return min(ends).timestamp() - now.timestamp() if ends else None

    def rate_limited(self, team_id: str, *, retry_after: float, posting: bool) -> datetime:
        """Slack answered 429: pause the workspace; from a post, learn the pace it allows."""
        until = self._now() + timedelta(seconds=max(0.0, retry_after))
        moment = self._monotonic()
        with self._lock:
            ws = self._get(team_id)
            ws.paused_until = max(until, ws.paused_until or until)
            recent = [t for t in ws.posts or () if moment - t <= WINDOW]
            paced = ws.rate is not None and moment - ws.learned_at <= LEARNED_FOR
            if paced and len(recent) >= (ws.rate or 0) * WELL_BELOW:
                # Posts bunched up on the way while paced: the pace is right, the pause is enough.
                ws.learned_at = moment
            elif posting and len(recent) >= FEWEST_TO_LEARN:
                ws.rate = len(recent) * MARGIN / WINDOW
                ws.learned_at = moment
            ws.next_slot = max(ws.next_slot, moment + max(0.0, retry_after))
            return ws.paused_until

    def reserve_post(self, team_id: str) -> float:
        """A slot for one post; the seconds to wait for it (0 when the workspace is not paced)."""
        moment = self._monotonic()
        with self._lock:
            ws = self._get(team_id)
            if ws.rate is not None and moment - ws.learned_at > LEARNED_FOR:
                ws.rate = None  # Slack may allow more by now; the next 429 will tell
            slot = moment if ws.rate is None else max(moment, ws.next_slot)
            if ws.rate is not None:
                ws.next_slot = slot + 1.0 / ws.rate
            return slot - moment

    def posted(self, team_id: str) -> None:
        """A post went through: counted for learning the pace (calls answered 429 are not)."""
        moment = self._monotonic()
        with self._lock:
            ws = self._get(team_id)
            if ws.posts is None:
                ws.posts = deque()
            ws.posts.append(moment)
            while ws.posts and moment - ws.posts[0] > WINDOW:
                ws.posts.popleft()

    def _get(self, team_id: str) -> _Workspace:
        ws = self._workspaces.get(team_id)
        if ws is None:
            ws = self._workspaces[team_id] = _Workspace()
        return ws
