"""The one-command local start runs the clock too: nudges and recurring handoffs need no second terminal.

``python -m bot web`` starts ``python -m bot scheduler`` as a child process once the
database is ready, and stops it when the web server stops. A child process rather than a
thread in gunicorn's master: the master forks the workers, and a database connection a
thread opened there would be shared with them. ``python -m bot socket`` does the same.
Deployments run the clock as its own process (Procfile ``clock:``) and the web process with
``--no-clock`` or under gunicorn.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

logger = logging.getLogger(__name__)

STOP_WAIT = 30.0  # seconds the clock may take to finish the sweep in hand
_PR_SET_PDEATHSIG = 1  # Linux prctl: a signal for this process when its parent dies


@contextmanager
def clock_beside(server: str = "web server") -> Iterator[subprocess.Popen[bytes]]:
    """Run the clock process while the block runs; SIGTERM it (and wait) when the block ends.
    ``server`` names what it runs beside, for the log."""
    clock = subprocess.Popen([sys.executable, "-m", "bot", "scheduler"], preexec_fn=_die_with_parent)
    logger.info("clock started beside the %s (pid %s)", server, clock.pid)
    try:
        yield clock
    finally:
        _stop(clock)


def _stop(clock: subprocess.Popen[bytes]) -> None:
    if clock.poll() is None:
        clock.send_signal(signal.SIGTERM)
    try:
        clock.wait(timeout=STOP_WAIT)
    except subprocess.TimeoutExpired:
        logger.warning("the clock did not stop within %ss; killing it", STOP_WAIT)
        clock.kill()
        clock.wait()


def _die_with_parent() -> None:
    """A web process killed outright takes its clock with it (Linux; elsewhere the clock stays)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
