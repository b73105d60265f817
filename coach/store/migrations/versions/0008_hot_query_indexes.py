"""hot query indexes: a team's week, a person's history, a team's and a person's stories (the
uncelebrated ones apart), what a lead did, the outbox by person, and the drafts housekeeping
expires (issue 17)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UNCELEBRATED = sa.text("celebrated_at IS NULL")
LEAD_ACTED = sa.text("lead_action_by IS NOT NULL")
NO_OUTCOME = sa.text("outcome IS NULL")


def upgrade() -> None:
    op.create_index("ix_nudges_team_day", "nudges", ["team_id", "local_date"])
    op.create_index(
        "ix_nudges_person_behaviour_day", "nudges", ["person_id", "behaviour_id", "local_date"]
    )
    op.create_index("ix_intentions_person_created", "intentions", ["person_id", "created_at"])
    op.create_index(
        "ix_intentions_open",
        "intentions",
        ["person_id", "created_at"],
        postgresql_where=NO_OUTCOME,
        sqlite_where=NO_OUTCOME,
    )
    op.create_index("ix_stories_team_created", "stories", ["team_id", "created_at"])
    op.create_index(
        "ix_stories_team_uncelebrated",
        "stories",
        ["team_id", "created_at"],
        postgresql_where=UNCELEBRATED,
        sqlite_where=UNCELEBRATED,
    )
    op.create_index("ix_stories_workspace_author", "stories", ["workspace_id", "author_id"])
    op.create_index("ix_stories_workspace_filed_by", "stories", ["workspace_id", "filed_by"])
    op.create_index(
        "ix_celebrations_lead_action",
        "celebrations",
        ["workspace_id", "lead_action_by"],
        postgresql_where=LEAD_ACTED,
        sqlite_where=LEAD_ACTED,
    )
    op.create_index("ix_outbox_workspace_channel", "outbox", ["workspace_id", "channel"])
    op.create_index("ix_outbox_person", "outbox", ["person_id"])
    op.create_index("ix_story_drafts_created_at", "story_drafts", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_story_drafts_created_at", table_name="story_drafts")
    op.drop_index("ix_outbox_person", table_name="outbox")
    op.drop_index("ix_outbox_workspace_channel", table_name="outbox")
    op.drop_index("ix_celebrations_lead_action", table_name="celebrations")
    op.drop_index("ix_stories_workspace_filed_by", table_name="stories")
    op.drop_index("ix_stories_workspace_author", table_name="stories")
    op.drop_index("ix_stories_team_uncelebrated", table_name="stories")
    op.drop_index("ix_stories_team_created", table_name="stories")
    op.drop_index("ix_intentions_open", table_name="intentions")
    op.drop_index("ix_intentions_person_created", table_name="intentions")
    op.drop_index("ix_nudges_person_behaviour_day", table_name="nudges")
    op.drop_index("ix_nudges_team_day", table_name="nudges")
