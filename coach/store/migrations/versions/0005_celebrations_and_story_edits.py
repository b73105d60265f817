"""celebrations and story edits

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "celebrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("iso_year", sa.Integer(), nullable=False),
        sa.Column("iso_week", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("lead_action", sa.String(length=16), nullable=True),
        sa.Column("lead_action_by", sa.String(length=32), nullable=True),
        sa.Column("lead_action_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("problem", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_celebrations_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_celebrations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_celebrations")),
        sa.UniqueConstraint(
            "team_id", "iso_year", "iso_week", name=op.f("uq_celebrations_team_id")
        ),
    )
    with op.batch_alter_table("celebrations", schema=None) as batch_op:
        batch_op.create_index("ix_celebrations_due", ["status", "due_at"], unique=False)

    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("for_team", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("celebration_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_stories_celebration_id_celebrations"),
            "celebrations",
            ["celebration_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("story_drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edit_of", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_story_drafts_edit_of_stories"),
            "stories",
            ["edit_of"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("story_drafts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_story_drafts_edit_of_stories"), type_="foreignkey")
        batch_op.drop_column("edit_of")

    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_stories_celebration_id_celebrations"), type_="foreignkey"
        )
        batch_op.drop_column("celebration_id")
        batch_op.drop_column("for_team")

    with op.batch_alter_table("celebrations", schema=None) as batch_op:
        batch_op.drop_index("ix_celebrations_due")

    op.drop_table("celebrations")
