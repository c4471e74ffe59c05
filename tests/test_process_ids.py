"""Which claims another process may take over at once: those whose holder is certainly gone."""

from __future__ import annotations

import os
import subprocess
import sys

from bot import process_ids
from bot.process_ids import HOST, is_gone


def test_a_process_that_has_exited_is_gone() -> None:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    assert is_gone(f"{HOST}:{finished.pid}:bbbb")


def test_a_running_process_is_not_gone() -> None:
    assert not is_gone(f"{HOST}:{os.getppid()}:bbbb")


def test_this_process_id_under_another_token_is_an_earlier_life() -> None:
    # A container restarted keeps its pid (often 1); the token tells the lives apart.
    me = process_ids.new_holder()
    try:
        assert is_gone(f"{HOST}:{os.getpid()}:bbbb")
        assert not is_gone(me)
    finally:
        process_ids.retire(me)
    assert is_gone(me)  # retired: a claim it left is an earlier life's


def test_another_host_is_left_to_the_lease() -> None:
    assert not is_gone("elsewhere:1:bbbb")
    assert not is_gone(f"{HOST}:not-a-pid:bbbb")
    assert not process_ids.on_this_host("elsewhere:1:bbbb")


def test_a_process_that_exited_but_was_not_reaped_is_gone() -> None:
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    os.waitid(os.P_PID, zombie.pid, os.WEXITED | os.WNOWAIT)  # exited; left unreaped
    try:
        assert is_gone(f"{HOST}:{zombie.pid}:bbbb")
    finally:
        zombie.wait()


def test_this_process_has_one_id_and_a_forked_child_its_own() -> None:
    mine = process_ids.this_process()
    assert process_ids.this_process() == mine and process_ids.on_this_host(mine)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: report its own id and leave at once
        os.write(write, process_ids.this_process().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read) as pipe:
        assert pipe.read().split(":")[1] == str(child)
