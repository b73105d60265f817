"""scheduled nudges: the id Slack gave a nudge handed over with chat.scheduleMessage (on the
outbox row, which outlives a withdrawn nudge until Slack has deleted it, and on the nudge), and
a shared budget per workspace and Slack method for the Tier 3 methods (issue 12)

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("scheduled_id", sa.String(32), nullable=True))
    with op.batch_alter_table("nudges") as batch:
        batch.add_column(sa.Column("scheduled_message_id", sa.String(32), nullable=True))
    op.create_table(
        "slack_budgets",
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("method", sa.String(48), nullable=False),
        sa.Column("tokens", sa.Double(), server_default="0", nullable=False),
        sa.Column("tokens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("parked_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_slack_budgets_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "method", name="pk_slack_budgets"),
    )


def downgrade() -> None:
    op.drop_table("slack_budgets")
    with op.batch_alter_table("nudges") as batch:
        batch.drop_column("scheduled_message_id")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("scheduled_id")
