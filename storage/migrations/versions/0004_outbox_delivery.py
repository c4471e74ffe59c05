"""outbox delivery: sender ids on claims, maybe-sent marks, partial indexes

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")
SENDING = sa.text("status = 'sending'")
SENT = sa.text("status = 'sent'")


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("maybe_sent", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_index("ix_outbox_pending")
    # Partial indexes: both PostgreSQL and SQLite keep only the rows the sender looks for.
    op.create_index("ix_outbox_pending", "outbox", ["id"], postgresql_where=PENDING, sqlite_where=PENDING)
    op.create_index(
        "ix_outbox_claims", "outbox", ["claimed_by"], postgresql_where=SENDING, sqlite_where=SENDING
    )
    op.create_index("ix_outbox_sent", "outbox", ["sent_at"], postgresql_where=SENT, sqlite_where=SENT)


def downgrade() -> None:
    op.drop_index("ix_outbox_sent", table_name="outbox")
    op.drop_index("ix_outbox_claims", table_name="outbox")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_pending", ["status", "team_id", "id"], unique=False)
        batch_op.drop_column("maybe_sent")
        batch_op.drop_column("claimed_by")
