"""Alembic owns the schema: after `upgrade head` the database matches the models exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import storage.models  # noqa: F401  (registers the tables)
from bot.core.tasks import EventKind
from storage import repositories as repo
from storage.migrate import alembic_config


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_reassignment_text_becomes_fields_and_back(tmp_path: Path) -> None:
    """Revision 0002 converts a reassignment recorded as "U1->U2" into from/to, and back."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0001")
    engine = create_engine(url)
    at = datetime(2026, 11, 1, tzinfo=UTC).isoformat()
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO tasks (id, team_id, number, owner_id, assignee_id, title, status, rework_count,"
                " created_at, updated_at, version) VALUES (1, 'T1', 1, 'UOWNER', 'UBOB', 'Ship it',"
                " 'awaiting_acceptance', 0, :at, :at, 1)"
            ),
            {"at": at},
        )
        connection.execute(
            text(
                "INSERT INTO task_events (id, team_id, task_id, kind, actor_id, at, text) VALUES"
                " (1, 'T1', 1, 'reassigned', 'UOWNER', :at, 'UALICE->UBOB'),"
                " (2, 'T1', 1, 'reported', 'UALICE', :at, 'a->b is done')"
            ),
            {"at": at},
        )

    command.upgrade(config, "0003")
    assert _events(engine) == [
        ("reassigned", None, "UALICE", "UBOB"),
        ("reported", "a->b is done", None, None),
    ]
    history = repo.history(Session(engine), team_id="T1", task_id=1)
    assert (history[0].kind, history[0].from_id, history[0].to_id) == (EventKind.REASSIGNED, "UALICE", "UBOB")

    command.downgrade(config, "0001")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT kind, text FROM task_events ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [("reassigned", "UALICE->UBOB"), ("reported", "a->b is done")]
    engine.dispose()


def _events(engine: Engine) -> list[tuple[str, str | None, str | None, str | None]]:
    with engine.connect() as connection:
        query = text("SELECT kind, text, from_id, to_id FROM task_events ORDER BY id")
        rows = connection.execute(query).all()
    return [tuple(row) for row in rows]
