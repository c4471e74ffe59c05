"""request path: inbox of acknowledged requests, task numbers taken last, linked-task index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 23:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("request_key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("error_id", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "request_key", name="uq_inbox_team_request"),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index("ix_tasks_team_linked", ["team_id", "linked_to"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_team_linked")
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
    op.drop_table("inbox")
