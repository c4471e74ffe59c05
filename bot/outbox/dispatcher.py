"""Runs the sender in the background.

Use cases only queue messages and poke the dispatcher, so Slack requests are answered
quickly; a round runs right after the commit, again whenever a lane finishes (so a backlog
keeps flowing), when a rate-limit pause ends, soon after a round that could not reach the
database, and every ``retry_every`` seconds for what backed off earlier and for what other
processes queued (the clock, a cron sweep, another web worker: their pokes don't reach here).
With ``retry_every=None`` it has no timer and runs only when poked (tests drive it that way).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)

AFTER_A_FAILED_ROUND = 1.0  # seconds


class OutboxDispatcher:
    def __init__(
        self,
        send_pending: Callable[[], float | None],
        *,
        retry_every: float | None = 60.0,
        is_idle: Callable[[], bool] = lambda: True,
    ) -> None:
        self._send_pending = send_pending
        self._retry_every = retry_every
        self._is_idle = is_idle
        self._state = threading.Condition()
        self._pokes = 0
        self._busy = False
        self._stopped = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._state:
            self._stopped = True
            self._state.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def poke(self) -> None:
        """Messages were queued, or a send finished: run a round now."""
        with self._state:
            self._pokes += 1
            self._state.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is waiting to be sent or written down; used by tests and at shutdown."""
        with self._state:
            return self._state.wait_for(
                lambda: self._pokes == 0 and not self._busy and self._is_idle(), timeout=timeout
            )

    def _run(self) -> None:
        wait = self._retry_every
        while True:
            with self._state:
                self._state.wait_for(lambda: self._pokes > 0 or self._stopped, timeout=wait)
                if self._stopped:
                    return
                self._pokes = 0
                self._busy = True
            try:
                next_round = self._send_pending()
            except Exception:
                logger.exception("outbox sender failed; it will try again")
                next_round = AFTER_A_FAILED_ROUND
            finally:
                with self._state:
                    self._busy = False
                    self._state.notify_all()
            wait = self._next_wait(next_round)

    def _next_wait(self, next_round: float | None) -> float | None:
        if self._retry_every is None:
            return None  # no timer: the next round comes with the next poke
        if next_round is None:
            return self._retry_every
        return min(self._retry_every, max(0.01, next_round))
