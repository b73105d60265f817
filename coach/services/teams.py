"""Changing a team: store the settings, then move its members' next nudge to match; a change
of the monthly pulse applies from the next month."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from coach.domain.pulse import local_today, month_of, next_month
from coach.domain.team_settings import TeamChanges
from coach.services.membership import reschedule_all
from coach.store.memberships import member_ids
from coach.store.models import Team
from coach.store.pulse import latest_rule, set_rule
from coach.store.teams import set_team


def update_team(
    session: Session, *, workspace_id: str, channel_id: str, changes: TeamChanges, now: datetime
) -> tuple[Team, bool]:
    team, created = set_team(
        session, workspace_id=workspace_id, channel_id=channel_id, changes=changes, now=now
    )
    if changes.pulse is not None or changes.pulse_statements is not None:
        set_pulse(session, team=team, changes=changes, now=now)
    members = member_ids(session, team_id=team.id)
    reschedule_all(session, workspace_id=workspace_id, user_ids=members, now=now)
    return team, created


def set_pulse(session: Session, *, team: Team, changes: TeamChanges, now: datetime) -> date:
    """Change the team's monthly pulse from the next month in its timezone (this month's pulse
    keeps the rule it was asked or announced with); returns that month."""
    starts = next_month(month_of(local_today(now, team.timezone)))
    latest = latest_rule(session, workspace_id=team.workspace_id, team_id=team.id)
    set_rule(
        session,
        workspace_id=team.workspace_id,
        team_id=team.id,
        starts=starts,
        enabled=latest.enabled if changes.pulse is None else changes.pulse,
        statements=latest.statements
        if changes.pulse_statements is None
        else changes.pulse_statements,
    )
    return starts
