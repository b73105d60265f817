"""admin: the unanswered nudges housekeeping walks, by workspace and day, and the outbox by
nudge (issue 17)

A partial index: answered nudges (a third, kept for good) are not in it, so housekeeping's walk
over the old unanswered ones reads only those, however many years of answers there are. Deleting
a nudge cascades to its outbox messages: without an index on outbox.nudge_id each deleted nudge
read the whole outbox.

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
    op.create_index("ix_outbox_nudge", "outbox", ["nudge_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_nudge", table_name="outbox")
    op.drop_index("ix_nudges_unanswered_day", table_name="nudges")
