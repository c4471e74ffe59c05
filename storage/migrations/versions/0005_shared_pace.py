"""shared pace: one learned rate, pause and next post slot per workspace for all senders

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspace_pace",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("learned_at", sa.Float(), nullable=True),
        sa.Column("paused_until", UTCDateTime(), nullable=True),
        sa.Column("next_slot", sa.Float(), nullable=False),
        sa.Column("counted_at", sa.Float(), nullable=True),
        sa.Column("counted_posts", sa.Integer(), nullable=False),
        sa.Column("counted_from_rate", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("team_id"),
    )


def downgrade() -> None:
    op.drop_table("workspace_pace")
