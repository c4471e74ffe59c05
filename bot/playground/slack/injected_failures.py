"""Failures a test queues up with ``FakeSlack.fail_next``: rate limits, server errors, error answers.

And slowness, with ``FakeSlack.hold_next``: a call that waits until the test releases it.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Collection
from dataclasses import dataclass, field

from bot.playground.slack.slack_records import JSON


@dataclass(frozen=True)
class Failure:
    status: int
    retry_after: int
    error: str | None

    def api_answer(self) -> tuple[int, JSON, dict[str, str]]:
        """What the Web API sends instead of the real answer: (HTTP status, JSON body, extra headers)."""
        if self.error is not None:
            return 200, {"ok": False, "error": self.error}, {}
        if self.status == 429:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(self.retry_after)}
        error = "service_unavailable" if self.status == 503 else "fatal_error"
        return self.status, {"ok": False, "error": error}, {}


class FailureQueue:
    """Queued failures per method (or ``"response_url"``), used up one call at a time."""

    def __init__(self) -> None:
        self._queued: dict[str, list[Failure]] = {}

    def add(self, method: str, failure: Failure, *, times: int) -> None:
        self._queued.setdefault(method, []).extend([failure] * times)

    def take(self, method: str) -> Failure | None:
        queue = self._queued.get(method)
        return queue.pop(0) if queue else None


class RandomFailures:
    """A share of the calls of some methods fail at random; seeded, so a test fails the same way again."""

    def __init__(self) -> None:
        self._methods: frozenset[str] = frozenset()
        self._share = 0.0
        self._failures: tuple[Failure, ...] = ()
        self._random = random.Random(0)

    def set(
        self, methods: Collection[str], *, share: float, failures: Collection[Failure], seed: int
    ) -> None:
        self._methods, self._share = frozenset(methods), share
        self._failures, self._random = tuple(failures), random.Random(seed)

    def take(self, method: str) -> Failure | None:
        if method not in self._methods or self._random.random() >= self._share:
            return None
        return self._random.choice(self._failures)


# A held call the test never releases is answered after this long and reported as a violation.
HOLD_LIMIT_SECONDS = 5.0


@dataclass
class Hold:
    """One held call: ``arrived`` is set when the app makes it; it is answered once ``release`` is set."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def wait(self) -> bool:
        """Called on the server thread; False when the test never released the call."""
        self.arrived.set()
        return self.release.wait(timeout=HOLD_LIMIT_SECONDS)


class HeldCalls:
    """Holds queued per method, used up one call at a time (thread-safe: taken outside the fake's lock)."""

    def __init__(self) -> None:
        self._queued: dict[str, list[Hold]] = {}
        self._lock = threading.Lock()

    def add(self, method: str) -> Hold:
        hold = Hold()
        with self._lock:
            self._queued.setdefault(method, []).append(hold)
        return hold

    def take(self, method: str) -> Hold | None:
        with self._lock:
            queue = self._queued.get(method)
            return queue.pop(0) if queue else None
