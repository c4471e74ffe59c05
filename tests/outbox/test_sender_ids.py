"""Which claims a starting sender may release at once: those of senders certainly gone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from bot.outbox.sender import _is_gone

HOST = socket.gethostname()
ME = f"{HOST}:{os.getpid()}:aaaa"


def test_a_process_that_has_exited_is_gone() -> None:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    assert _is_gone(f"{HOST}:{finished.pid}:bbbb", ME)


def test_a_running_process_is_not_gone() -> None:
    assert not _is_gone(f"{HOST}:{os.getppid()}:bbbb", ME)


def test_this_process_id_under_another_token_is_an_earlier_life() -> None:
    # A container restarted keeps its pid (often 1); the token tells the lives apart.
    assert _is_gone(f"{HOST}:{os.getpid()}:bbbb", ME)
    assert not _is_gone(ME, ME)


def test_another_host_is_left_to_the_lease() -> None:
    assert not _is_gone("elsewhere:1:bbbb", ME)
    assert not _is_gone(f"{HOST}:not-a-pid:bbbb", ME)


def test_a_process_that_exited_but_was_not_reaped_is_gone() -> None:
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    os.waitid(os.P_PID, zombie.pid, os.WEXITED | os.WNOWAIT)  # exited; left unreaped
    try:
        assert _is_gone(f"{HOST}:{zombie.pid}:bbbb", ME)
    finally:
        zombie.wait()
