"""Changing a team: store the settings, then move its members' next nudge to match."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from coach.domain.team_settings import TeamChanges
from coach.services.membership import reschedule_all
from coach.store.memberships import member_ids
from coach.store.models import Team
from coach.store.teams import set_team


def update_team(
    session: Session, *, workspace_id: str, channel_id: str, changes: TeamChanges, now: datetime
) -> tuple[Team, bool]:
    team, created = set_team(
        session, workspace_id=workspace_id, channel_id=channel_id, changes=changes, now=now
    )
    members = member_ids(session, team_id=team.id)
    reschedule_all(session, workspace_id=workspace_id, user_ids=members, now=now)
    return team, created
