"""Databases for the tests: SQLite always, PostgreSQL where reachable.

PostgreSQL is looked for at $TEST_POSTGRES_URL (default 127.0.0.1:5432, database test).
Where it is unreachable its tests skip with the reason, unless REQUIRE_POSTGRES=1 (as in
CI), which turns that into a failure so CI can never pass by skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from storage.db import make_engine
from storage.migrate import upgrade
from tests.postgres_schema import fresh_schema, postgres_problem


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
