"""A background sender for the outbox.

Use cases only queue messages and poke this sender, so Slack requests are answered
quickly; the sender delivers right after the commit, and every ``retry_every`` seconds it
tries again what failed before (Slack down, rate limits past the client's own retries).
With ``retry_every=None`` it has no timer and sends only when poked (tests drive it that way).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)


class OutboxDispatcher:
    def __init__(self, send_pending: Callable[[], object], *, retry_every: float | None = 60.0) -> None:
        self._send_pending = send_pending
        self._retry_every = retry_every
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
        """Messages were queued: send them now."""
        with self._state:
            self._pokes += 1
            self._state.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is waiting to be sent; used by tests and at shutdown."""
        with self._state:
            return self._state.wait_for(lambda: self._pokes == 0 and not self._busy, timeout=timeout)

    def _run(self) -> None:
        while True:
            with self._state:
                self._state.wait_for(lambda: self._pokes > 0 or self._stopped, timeout=self._retry_every)
                if self._stopped:
                    return
                self._pokes = 0
                self._busy = True
            try:
                self._send_pending()
            except Exception:
                logger.exception("outbox sender failed; it will try again")
            finally:
                with self._state:
                    self._busy = False
                    self._state.notify_all()
