"""Bolt's listener pool, able to tell when every listener it started has finished.

The playground answers the page only once the bot is done with a request (its listeners and the
messages they queued), so what the page shows next is complete and nothing races a thread.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

IDLE_TIMEOUT = 30.0  # seconds: a listener still busy after this is a bug worth seeing


class ListenerPool(ThreadPoolExecutor):
    # Threads named like the bot's own listener pool (bot/app.py), so code that tells a listener
    # from the outbox sender by its thread sees the same names here.
    def __init__(self) -> None:
        super().__init__(max_workers=4, thread_name_prefix="listener")
        self._futures: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.add(future)
        return future

    def wait_idle(self, timeout: float = IDLE_TIMEOUT) -> bool:
        """Wait for the listeners started so far; True when none was running (so none queued another)."""
        with self._lock:
            running = set(self._futures)
        done, not_done = wait(running, timeout=timeout)
        if not_done:
            raise TimeoutError("a listener of the bot is still running")
        with self._lock:
            self._futures -= done
        return not running
