"""a rhythm people choose: team workdays, a person's weekdays and frequency, back-off

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workdays", sa.String(length=7), nullable=True))
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekdays", sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column("rhythm", sa.String(length=8), nullable=True))
        batch_op.add_column(
            sa.Column("quiet_nudges", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(sa.Column("rhythm_asked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("backed_off", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        for column in ("backed_off", "rhythm_asked_at", "quiet_nudges", "rhythm", "weekdays"):
            batch_op.drop_column(column)
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("workdays")
