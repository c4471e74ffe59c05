"""The operator commands as a real process, and what they say about a database they cannot use."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from storage.db import Database
from tests.operator.conftest import ACME, BETA
from tests.test_cli import run_bot


def test_python_m_bot_outbox_lists_the_held_messages(database: Database, tmp_path: Path) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    result = run_bot("outbox", env={"DATABASE_URL": url}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{ACME} (Acme): 1 failed, 1 parked" in result.stdout and f"{BETA}: " in result.stdout
    assert result.stderr == ""


def test_a_missing_sqlite_file_is_named_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    result = run_bot("outbox", env={"DATABASE_URL": f"sqlite:///{path}"}, cwd=tmp_path)
    assert result.returncode == 2
    assert f"There is no database at SQLite file {path}" in result.stderr
    assert not path.exists()


def test_a_database_behind_its_migrations_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)):
        pass  # a file with no schema at all
    result = run_bot(
        "purge", "--team", ACME, "--yes", env={"DATABASE_URL": f"sqlite:///{path}"}, cwd=tmp_path
    )
    assert result.returncode == 2
    assert "run `python -m bot migrate`" in result.stderr and "Traceback" not in result.stderr
