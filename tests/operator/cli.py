"""``python -m bot …`` run in the test's process: ``bot.__main__.main`` with DATABASE_URL set."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.__main__ import main

Bot = Callable[..., int]


@contextmanager
def python_m_bot(monkeypatch: pytest.MonkeyPatch, *, database_url: str, cwd: Path) -> Iterator[Bot]:
    """``bot("outbox", "retry")`` runs ``python -m bot outbox retry``; stdin is no terminal."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.chdir(cwd)  # no .env but the test's
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield lambda *args: main(list(args))
    finally:
        root.handlers[:] = handlers  # main() set up the process's logging
        root.setLevel(level)


class Terminal(io.StringIO):
    """A person at a terminal, who will type what the StringIO holds."""

    def isatty(self) -> bool:
        return True


def at_terminal(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("".join(f"{answer}\n" for answer in answers)))
