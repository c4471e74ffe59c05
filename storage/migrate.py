"""Alembic, driven from code: `python -m bot migrate` and the tests use this."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from storage.db import normalize_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser treats % as interpolation; URLs may hold %-escapes in passwords.
    config.set_main_option("sqlalchemy.url", normalize_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
    if normalize_url(database_url).startswith("sqlite"):
        _analyze(database_url)


def _analyze(database_url: str) -> None:
    """Give SQLite's planner statistics; without them it can pick a poor index as tables grow.

    PostgreSQL's autovacuum keeps its own statistics.
    """
    engine = create_engine(normalize_url(database_url), poolclass=NullPool)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA analysis_limit=1000")  # samples: fast on any size
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def pending(engine: Engine) -> bool:
    """True when the database is not at the latest migration (or has no schema at all)."""
    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current != heads
