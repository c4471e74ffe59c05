"""Inserting a row once: ``INSERT … ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def insert_once(session: Session, row: SQLModel) -> bool:
    """Insert a row guarded by a unique key; False (and nothing written) if the key exists.

    Only a unique-key conflict means "already there" (``ON CONFLICT DO NOTHING``); any
    other integrity error (NOT NULL, a foreign key) is a bug and is raised. The row's
    generated primary key is set on it.
    """
    table = type(row).__table__  # type: ignore[attr-defined]
    values = {
        column.name: getattr(row, column.name)
        for column in table.columns
        if not (column.primary_key and getattr(row, column.name) is None)
    }
    keys = list(table.primary_key.columns)
    statement = dialect_insert(session, type(row)).values(**values).on_conflict_do_nothing()
    inserted = session.execute(statement.returning(*keys)).first()
    if inserted is None:
        return False
    for column, value in zip(keys, inserted, strict=True):
        setattr(row, column.name, value)
    return True


def dialect_insert(session: Session, model: type[SQLModel]) -> Any:
    """The INSERT of the session's database, which knows ON CONFLICT."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"no insert-once for {dialect}")  # pragma: no cover
