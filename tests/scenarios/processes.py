"""Helpers for tests that run the bot as real processes: a free port, waiting for health, stopping.

Shared by the entry-point, clock, Procfile and scale-out scenarios, so each starts, waits
for and cleans up its processes the same way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEALTHY_WITHIN = 60.0  # seconds for a process to come up; the machine running the tests may be busy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the bot exited at start"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the bot never became healthy")


def stop_group(process: subprocess.Popen[bytes], *, timeout: float = 30.0) -> int:
    """SIGTERM, then the exit status; whatever is left of its process group is killed after.

    For processes started with ``start_new_session=True``: gunicorn's workers, or a clock a
    failed test never stopped, must not outlive the test.
    """
    try:
        if process.poll() is None:
            process.terminate()
            try:
                return process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
                raise
        return process.returncode
    finally:
        with contextlib.suppress(ProcessLookupError):  # the group is gone: nothing left over
            os.killpg(process.pid, signal.SIGKILL)
