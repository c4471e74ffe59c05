"""Operator commands run as ``python -m bot …`` would run them: ``bot.__main__.main`` on a database
of its own, found through DATABASE_URL."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.__main__ import main
from storage.db import Database
from tests.storage.workspace_rows import fill_workspace

ACME, BETA = "TACME", "TBETA"

Bot = Callable[..., int]


@pytest.fixture
def database(committed_database_url: str) -> Iterator[Database]:
    """Two workspaces with a row in every table; each has one failed and one parked message."""
    db = Database.from_url(committed_database_url)
    with db.session_scope() as session:
        fill_workspace(session, ACME, name="Acme")
        fill_workspace(session, BETA)
    yield db
    db.engine.dispose()


@pytest.fixture
def bot(database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Bot]:
    """``bot("outbox", "retry")`` runs ``python -m bot outbox retry`` in this process; no terminal."""
    monkeypatch.setenv("DATABASE_URL", database.engine.url.render_as_string(hide_password=False))
    monkeypatch.chdir(tmp_path)  # no .env but the test's
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield lambda *args: main(list(args))
    root.handlers[:] = handlers  # main() set up the process's logging
    root.setLevel(level)


class Terminal(io.StringIO):
    """A person at a terminal, who will type ``answers``."""

    def isatty(self) -> bool:
        return True


def at_terminal(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("".join(f"{answer}\n" for answer in answers)))
