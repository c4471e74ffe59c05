"""PostgreSQL for the tests and benchmarks: is it there, and a fresh migrated schema in it."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from psycopg.errors import DeadlockDetected
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel

from storage.migrate import upgrade

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")


def postgres_problem(url: str = POSTGRES_URL) -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as error:  # any failure to connect means "not here"
        return f"PostgreSQL unreachable at {url}: {error.__class__.__name__}"


@contextmanager
def fresh_schema(*, prefix: str, migrated: bool = True, url: str = POSTGRES_URL) -> Iterator[str]:
    """A fresh schema (migrated to head unless told not), dropped afterwards; yields its URL."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        schema_url = f"{url}?options=-csearch_path%3D{schema}"
        if migrated:
            upgrade(schema_url)
        yield schema_url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def empty_every_table(engine: Engine, *, attempts: int = 5) -> None:
    """Every table of the schema emptied and its ids restarted, for the next test on it.

    TRUNCATE locks the tables one by one; autovacuum analysing one of them meanwhile can make
    PostgreSQL call it a deadlock and cancel the TRUNCATE. Nothing was emptied then: try again.
    """
    statement = text(f"TRUNCATE {', '.join(SQLModel.metadata.tables)} RESTART IDENTITY CASCADE")
    for attempt in range(1, attempts + 1):
        try:
            with engine.begin() as connection:
                connection.execute(statement)
            return
        except OperationalError as error:
            if not isinstance(error.orig, DeadlockDetected) or attempt == attempts:
                raise
            time.sleep(0.1 * attempt)
