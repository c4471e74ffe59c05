"""Run a block as if the server's own clock were set to another timezone (``TZ``).

What the bot writes in UTC must not follow the machine it runs on; these tests move the
machine instead of trusting that it is set to UTC.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def server_timezone(zone: str) -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
