"""A database of the test's own with two workspaces, and ``python -m bot`` pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import Database
from tests.operator.cli import Bot, python_m_bot
from tests.storage.workspace_rows import fill_workspace

ACME, BETA = "TACME", "TBETA"


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
    url = database.engine.url.render_as_string(hide_password=False)
    with python_m_bot(monkeypatch, database_url=url, cwd=tmp_path) as run:
        yield run
