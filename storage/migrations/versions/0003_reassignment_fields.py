"""reassignment history as fields

A reassignment used to be recorded as the text "U1->U2" in ``task_events.text``; it is now
two columns, ``from_id`` and ``to_id``. Existing rows are converted both ways.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENTS = sa.table(
    "task_events",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("text", sa.Text()),
    sa.column("from_id", sa.String()),
    sa.column("to_id", sa.String()),
)
_REASSIGNED = "reassigned"
_ARROW = "->"


def upgrade() -> None:
    with op.batch_alter_table("task_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("from_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("to_id", sa.String(length=32), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_EVENTS.c.id, _EVENTS.c.text).where(
            _EVENTS.c.kind == _REASSIGNED, _EVENTS.c.text.contains(_ARROW)
        )
    ).all()
    for row_id, text in rows:
        old, new = text.split(_ARROW, 1)
        connection.execute(
            sa.update(_EVENTS)
            .where(_EVENTS.c.id == row_id)
            .values(from_id=old.strip(), to_id=new.strip(), text=None)
        )


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_EVENTS.c.id, _EVENTS.c.from_id, _EVENTS.c.to_id).where(
            _EVENTS.c.kind == _REASSIGNED, _EVENTS.c.from_id.is_not(None), _EVENTS.c.to_id.is_not(None)
        )
    ).all()
    for row_id, old, new in rows:
        connection.execute(
            sa.update(_EVENTS).where(_EVENTS.c.id == row_id).values(text=f"{old}{_ARROW}{new}")
        )
    with op.batch_alter_table("task_events", schema=None) as batch_op:
        batch_op.drop_column("to_id")
        batch_op.drop_column("from_id")
