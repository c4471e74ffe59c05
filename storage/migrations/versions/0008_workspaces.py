"""workspaces: OAuth installations (slack_sdk's stores), each workspace's install state,
workspace-wide calendar and summary defaults, and the message a task was delegated from

Revision ID: 0008
Revises: 0007

The three ``slack_*`` tables are slack_sdk's ``SQLAlchemyInstallationStore`` and
``SQLAlchemyOAuthStateStore`` schema, written out here so that a new slack_sdk cannot change
a database behind Alembic's back (``tests/storage/test_migrations.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _bot_columns(*, enterprise_url: bool = False) -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        *([sa.Column("enterprise_url", sa.String(length=200), nullable=True)] if enterprise_url else []),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        sa.Column("bot_token", sa.String(length=200), nullable=True),
        sa.Column("bot_id", sa.String(length=32), nullable=True),
        sa.Column("bot_user_id", sa.String(length=32), nullable=True),
        sa.Column("bot_scopes", sa.String(length=1000), nullable=True),
        sa.Column("bot_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "slack_installations",
        *_bot_columns(enterprise_url=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("user_token", sa.String(length=200), nullable=True),
        sa.Column("user_scopes", sa.String(length=1000), nullable=True),
        sa.Column("user_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("user_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("incoming_webhook_url", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_channel", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_channel_id", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_configuration_url", sa.String(length=200), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sa.String(length=32), nullable=True),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )
    op.create_table(
        "slack_bots",
        *_bot_columns(),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
    )
    op.create_index("slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"])
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("state", sa.String(length=200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "workspaces",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        # Who installed the bot (OAuth): they may change the workspace's settings like an admin.
        sa.Column("installed_by", sa.String(length=32), nullable=True),
        sa.Column("installed_at", UTCDateTime(), nullable=False),
        # Set by app_uninstalled / tokens_revoked: nothing is sent there until it is installed again.
        sa.Column("uninstalled_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("team_id"),
    )
    with op.batch_alter_table("workspace_settings") as batch:
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("quiet_hours", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("working_days", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("summary_time", sa.String(length=5), nullable=True))
    with op.batch_alter_table("tasks") as batch:
        # "Delegate this message": the permalink of the message the task was made from.
        batch.add_column(sa.Column("source_link", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("source_link")
    with op.batch_alter_table("workspace_settings") as batch:
        for column in ("summary_time", "working_days", "quiet_hours", "timezone"):
            batch.drop_column(column)
    op.drop_table("workspaces")
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
