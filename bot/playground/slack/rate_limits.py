"""Slack's rate limits, as the fake enforces them: so many calls of a method per workspace per second.

Above the limit a call is answered HTTP 429 with ``Retry-After`` (whole seconds until the window has room),
and nothing happens; the workspace is the call's ``team_id`` when it names one, else the fake's own team.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

WINDOW = 1.0  # seconds


class RateLimits:
    """Not thread-safe on its own: FakeSlack holds its lock around every use."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._per_second: dict[str, int] = {}
        self._accepted: dict[tuple[str, str], deque[float]] = {}

    def limit(self, method: str, per_second: int | None) -> None:
        """At most ``per_second`` calls of ``method`` per workspace in any one second; None lifts it."""
        if per_second is None:
            self._per_second.pop(method, None)
        else:
            self._per_second[method] = per_second
        self._accepted = {key: calls for key, calls in self._accepted.items() if key[1] != method}

    def retry_after(self, team_id: str, method: str) -> int | None:
        """None when the call may go ahead (and it is counted); else the seconds to wait."""
        allowed = self._per_second.get(method)
        if allowed is None:
            return None
        now = self._clock()
        calls = self._accepted.setdefault((team_id, method), deque())
        while calls and now - calls[0] >= WINDOW:
            calls.popleft()
        if len(calls) < allowed:
            calls.append(now)
            return None
        return max(1, math.ceil(calls[0] + WINDOW - now))
