"""the team pulse: each team's pulse setting by month, and the anonymous answers (eNPS and the
ownership statements) with no person in them (issue 15)

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _owners(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f(f"fk_{table}_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f(f"fk_{table}_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
    ]


WORKSPACE = ("workspace_id", sa.String(length=32))
TEAM = ("team_id", sa.Integer())


def upgrade() -> None:
    op.create_table(
        "team_pulse_settings",
        sa.Column(*TEAM, nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column(*WORKSPACE, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("statements", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "starts", name=op.f("pk_team_pulse_settings")),
        *_owners("team_pulse_settings"),
    )
    op.create_table(
        "pulse_answers",
        sa.Column(*WORKSPACE, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column(*TEAM, nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "month", "token", name=op.f("pk_pulse_answers")),
        *_owners("pulse_answers"),
    )
    op.create_index("ix_pulse_answers_team_month", "pulse_answers", ["team_id", "month"])
    op.create_table(
        "pulse_statement_answers",
        sa.Column(*WORKSPACE, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("statement", sa.String(16), nullable=False),
        sa.Column(*TEAM, nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "workspace_id",
            "month",
            "token",
            "statement",
            name=op.f("pk_pulse_statement_answers"),
        ),
        *_owners("pulse_statement_answers"),
    )
    op.create_index(
        "ix_pulse_statement_answers_team_month", "pulse_statement_answers", ["team_id", "month"]
    )


def downgrade() -> None:
    op.drop_index("ix_pulse_statement_answers_team_month", table_name="pulse_statement_answers")
    op.drop_table("pulse_statement_answers")
    op.drop_index("ix_pulse_answers_team_month", table_name="pulse_answers")
    op.drop_table("pulse_answers")
    op.drop_table("team_pulse_settings")
