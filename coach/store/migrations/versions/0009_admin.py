"""admin: the unanswered nudges housekeeping walks, by workspace and day (issue 17)

A partial index: answered nudges (a third, kept for good) are not in it, so housekeeping's walk
over the old unanswered ones reads only those, however many years of answers there are.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NOT_ANSWERED = sa.text("status <> 'answered'")


def upgrade() -> None:
    op.create_index(
        "ix_nudges_unanswered_day",
        "nudges",
        ["workspace_id", "local_date"],
        postgresql_where=NOT_ANSWERED,
        sqlite_where=NOT_ANSWERED,
    )


def downgrade() -> None:
    op.drop_index("ix_nudges_unanswered_day", table_name="nudges")
