"""Databases for the tests: SQLite always, PostgreSQL where reachable.

PostgreSQL is looked for at $TEST_POSTGRES_URL (default 127.0.0.1:5432, database test).
Where it is unreachable its tests skip with the reason, unless REQUIRE_POSTGRES=1 (as in
CI), which turns that into a failure so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from storage.db import make_engine
from storage.migrate import upgrade
from tests.postgres_schema import empty_every_table, fresh_schema, postgres_problem


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A fresh schema in the test database, migrated to head, dropped afterwards."""
    problem = postgres_problem()
    if problem:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(problem + " (REQUIRE_POSTGRES=1)")
        pytest.skip(problem)
    with fresh_schema(prefix="handoff_test") as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("db") / "handoff.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated database of each kind; tests run inside a transaction rolled back after."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_schema_url")
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def committed_database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_url: str) -> Iterator[str]:
    """A migrated database of each kind for tests that commit (several engines or threads share it):
    SQLite, a copy of its own; PostgreSQL, the session's schema, emptied afterwards."""
    if request.param == "sqlite":
        path = tmp_path / "handoff.db"
        source_path = sqlite_url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(path)) as copy:
            source.backup(copy)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_schema_url")
    yield url
    engine = make_engine(url)
    empty_every_table(engine)
    engine.dispose()


@pytest.fixture
def committed_engine(committed_database_url: str) -> Iterator[Engine]:
    """An engine on ``committed_database_url``: what a test commits there is gone after it."""
    engine = make_engine(committed_database_url)
    yield engine
    engine.dispose()
