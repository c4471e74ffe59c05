"""Databases for the tests: SQLite always, PostgreSQL where reachable.

PostgreSQL is looked for at $TEST_POSTGRES_URL (default 127.0.0.1:5432, database test).
Where it is unreachable its tests skip with the reason, unless REQUIRE_POSTGRES=1 (as in
CI), which turns that into a failure so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from storage.db import make_engine
from storage.migrate import upgrade

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")


def _postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as error:  # any failure to connect means "not here"
        return f"PostgreSQL unreachable at {POSTGRES_URL}: {error.__class__.__name__}"


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A fresh schema in the test database, migrated to head, dropped afterwards."""
    problem = _postgres_reachable()
    if problem:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(problem + " (REQUIRE_POSTGRES=1)")
        pytest.skip(problem)
    schema = f"handoff_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
