"""A small thread pool where work for one key runs in order and keys run side by side.

The sender keys by (workspace, recipient): one person's messages arrive in the order they
were queued, while a slow call for one person does not hold up anyone else's.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor


class Lanes:
    def __init__(self, *, workers: int, on_done: Callable[[], None]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="outbox-lane")
        self._on_done = on_done
        self._lock = threading.Condition()
        self._queues: dict[Hashable, deque[Callable[[], None]]] = {}
        self._queued = 0

    @property
    def in_flight(self) -> int:
        """Work items submitted and not finished."""
        with self._lock:
            return self._queued

    def submit(self, key: Hashable, work: Callable[[], None]) -> None:
        with self._lock:
            self._queued += 1
            queue = self._queues.get(key)
            if queue is not None:
                queue.append(work)  # its lane is running and will get to it
                return
            self._queues[key] = deque([work])
        self._pool.submit(self._run, key)

    def wait_idle(self, timeout: float | None = None) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: self._queued == 0, timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)

    def _run(self, key: Hashable) -> None:
        while True:
            with self._lock:
                queue = self._queues[key]
                if not queue:
                    del self._queues[key]
                    return
                work = queue[0]
            try:
                work()
            finally:
                with self._lock:
                    queue.popleft()
                    self._queued -= 1
                    self._lock.notify_all()
                self._on_done()
