"""summaries: channel subscriptions to the daily summary; indexes for windows of history

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SUBSCRIBED = sa.text("stopped_at IS NULL")
_MOVED = sa.text("from_id IS NOT NULL")


def upgrade() -> None:
    op.create_table(
        "summary_subscriptions",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("post_at", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("working_days", sa.String(length=64), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("assignee_id", sa.String(length=32), nullable=True),
        sa.Column("quiet", sa.Boolean(), nullable=False),
        sa.Column("subscribed_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("stopped_at", UTCDateTime(), nullable=True),
        sa.Column("next_post_at", UTCDateTime(), nullable=False),
        sa.Column("last_posted_on", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("team_id", "channel_id"),
    )
    op.create_index(
        "ix_summary_next_post",
        "summary_subscriptions",
        ["next_post_at"],
        postgresql_where=_SUBSCRIBED,
        sqlite_where=_SUBSCRIBED,
    )
    op.create_index("ix_tasks_team_closed", "tasks", ["team_id", "closed_at"])
    op.create_index(
        "ix_task_events_from",
        "task_events",
        ["team_id", "from_id"],
        postgresql_where=_MOVED,
        sqlite_where=_MOVED,
    )


def downgrade() -> None:
    op.drop_index("ix_task_events_from", table_name="task_events")
    op.drop_index("ix_tasks_team_closed", table_name="tasks")
    op.drop_index("ix_summary_next_post", table_name="summary_subscriptions")
    op.drop_table("summary_subscriptions")
