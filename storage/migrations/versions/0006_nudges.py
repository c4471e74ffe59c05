"""nudges: when each task is checked next, the nudges decided, snoozes, working hours, series

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("assignee_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("done_when", sa.Text(), nullable=True),
        sa.Column("every", sa.String(length=32), nullable=False),
        sa.Column("next_due_at", UTCDateTime(), nullable=False),
        sa.Column("next_offer_at", UTCDateTime(), nullable=False),
        sa.Column("request_key", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("stopped_at", UTCDateTime(), nullable=True),
        sa.Column("stop_reason", sa.String(length=32), nullable=True),
        sa.Column("stop_request_key", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "request_key", name="uq_series_team_request"),
    )
    running = sa.text("stopped_at IS NULL")
    op.create_index(
        "ix_series_next_offer",
        "series",
        ["next_offer_at"],
        postgresql_where=running,
        sqlite_where=running,
    )
    with op.batch_alter_table("tasks") as tasks:
        tasks.add_column(sa.Column("health", sa.String(length=16), nullable=True))
        tasks.add_column(sa.Column("health_reason", sa.Text(), nullable=True))
        tasks.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        tasks.add_column(sa.Column("next_check_at", UTCDateTime(), nullable=True))
        tasks.add_column(sa.Column("repeats", sa.String(length=32), nullable=True))
        tasks.create_foreign_key("fk_tasks_series_id_series", "series", ["series_id"], ["id"])
        tasks.create_unique_constraint("uq_tasks_series_due", ["series_id", "due_at"])
    checked = sa.text("next_check_at IS NOT NULL")
    op.create_index(
        "ix_tasks_next_check", "tasks", ["next_check_at"], postgresql_where=checked, sqlite_where=checked
    )
    # Open tasks made before nudges existed are looked at by the first sweep.
    op.execute(
        "UPDATE tasks SET next_check_at = updated_at"
        " WHERE status NOT IN ('approved', 'cancelled', 'taken_back')"
    )
    op.create_table(
        "task_nudges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient_id", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=64), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "team_id", "task_id", "kind", "recipient_id", "period", name="uq_task_nudges_key"
        ),
    )
    op.create_table(
        "nudge_snoozes",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("until", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"]),
        sa.PrimaryKeyConstraint("team_id", "task_id", "user_id"),
    )
    op.create_table(
        "user_settings",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("quiet_hours", sa.String(length=32), nullable=True),
        sa.Column("working_days", sa.String(length=64), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id"),
    )
    op.create_table(
        "workspace_settings",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("nudge_overrides", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    with op.batch_alter_table("user_profiles") as profiles:
        profiles.add_column(sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("user_profiles") as profiles:
        profiles.drop_column("is_admin")
    op.drop_table("workspace_settings")
    op.drop_table("user_settings")
    op.drop_table("nudge_snoozes")
    op.drop_table("task_nudges")
    op.drop_index("ix_tasks_next_check", table_name="tasks")
    with op.batch_alter_table("tasks") as tasks:
        tasks.drop_constraint("uq_tasks_series_due", type_="unique")
        tasks.drop_constraint("fk_tasks_series_id_series", type_="foreignkey")
        tasks.drop_column("repeats")
        tasks.drop_column("next_check_at")
        tasks.drop_column("series_id")
        tasks.drop_column("health_reason")
        tasks.drop_column("health")
    op.drop_index("ix_series_next_offer", table_name="series")
    op.drop_table("series")
