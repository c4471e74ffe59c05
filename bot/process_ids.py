"""Who holds a claim in a shared table, and whether that holder has certainly stopped.

A claim (an outbox message being sent, an inbox request being carried out) names the
process that holds it: ``host:pid:token``, the host as a short digest so the id fits a
narrow column. Another process may take a claim over only when its holder has certainly
stopped: the same host and a process id that no longer runs (or has exited and waits to be
reaped), or this very process id under another token (a container restarted as pid 1).
Whether a claim of another host is stale is for the caller to judge, by a lease.

Ids are made per process on first use, never before a fork: gunicorn workers forked from
one master each get their own.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket

HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]

_live: set[str] = set()  # holders in this process, whose claims are never taken over
_this_process: tuple[int, str] | None = None


def new_holder() -> str:
    """A fresh holder id in this process (a sender, say), live until :func:`retire`."""
    holder = f"{HOST}:{os.getpid()}:{secrets.token_hex(4)}"
    _live.add(holder)
    return holder


def retire(holder: str) -> None:
    _live.discard(holder)


def this_process() -> str:
    """The one holder id of this process for claims that last as long as it does."""
    global _this_process
    if _this_process is None or _this_process[0] != os.getpid():
        _this_process = (os.getpid(), new_holder())
    return _this_process[1]


def on_this_host(holder: str) -> bool:
    return holder.partition(":")[0] == HOST


def is_gone(holder: str) -> bool:
    """Whether the holder has certainly stopped; False when it can't be known from here."""
    host, _, rest = holder.partition(":")
    pid_text, _, _token = rest.partition(":")
    if holder in _live or host != HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # this process id, another life
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A process that has exited but not been reaped yet still answers ``kill 0``."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False  # no /proc here: the caller's lease decides
