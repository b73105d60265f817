"""lanes: the outbox's lane (interactive messages before the morning's nudges) and each team's
next celebration check and last member sync, indexed (a pass looks only at the teams whose
moment is near or whose members are stale; issue 12)

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The kinds a person waits for after a click or a form (0 = interactive); the rest are bulk (1).
INTERACTIVE_KINDS = (
    "story_saved",
    "story_consent",
    "story_thanks",
    "celeb_preview",
    "celeb_problem",
)


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lane", sa.SmallInteger(), nullable=False, server_default=sa.text("1"))
        )
        batch_op.create_index("ix_outbox_lane_due", ["status", "lane", "due_at"], unique=False)
    outbox = sa.table("outbox", sa.column("kind", sa.String), sa.column("lane", sa.SmallInteger))
    op.execute(outbox.update().where(outbox.c.kind.in_(INTERACTIVE_KINDS)).values(lane=0))
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("celebration_check_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_teams_celebration_check_at", ["celebration_check_at"], unique=False
        )
        batch_op.create_index("ix_teams_members_synced_at", ["members_synced_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_index("ix_teams_members_synced_at")
        batch_op.drop_index("ix_teams_celebration_check_at")
        batch_op.drop_column("celebration_check_at")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_lane_due")
        batch_op.drop_column("lane")
