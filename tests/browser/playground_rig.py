"""The playground in the test process: its page server on a free port, over real HTTP.

One server per test run (migrating the template database takes seconds); each test gets a
fresh workspace through the playground's own reset, the Reset workspace button's operation.
The simulated time starts at a fixed moment, so due dates typed in the stories ("today 1pm",
"fri") always land the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.playground.control import Playground
from bot.playground.server import PageServer

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # Thursday, 10:00 in Berlin, the workspace's zone


@dataclass(frozen=True)
class RunningPlayground:
    url: str
    playground: Playground

    def reset(self) -> None:
        self.playground.reset()


@contextmanager
def running_playground() -> Iterator[RunningPlayground]:
    playground = Playground(start=START)
    server = PageServer(playground, port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield RunningPlayground(url=server.url, playground=playground)
    finally:
        server.shutdown()
        server.server_close()
        playground.stop()
        thread.join(timeout=10)
