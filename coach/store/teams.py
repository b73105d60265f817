"""Teams: a channel with its leads and its rhythm."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, union, update
from sqlalchemy.orm import Session, selectinload

from coach.domain.schedule import MON_TO_FRI, days_to_text
from coach.domain.team_settings import (
    DEFAULT_CELEBRATE,
    DEFAULT_HOLIDAYS,
    DEFAULT_NUDGE_TIME,
    DEFAULT_TIMEZONE,
    TeamChanges,
)
from coach.store.catalog import active_principle_id
from coach.store.models import Nudge, OutboxMessage, Team, TeamLead, TeamMember, Workspace
from coach.store.outbox import PENDING
from coach.store.workspaces import ensure_workspace


def get_team(session: Session, *, workspace_id: str, channel_id: str) -> Team | None:
    statement = (
        select(Team)
        .where(Team.workspace_id == workspace_id, Team.channel_id == channel_id)
        .options(selectinload(Team.leads))
    )
    return session.scalar(statement)


def list_teams(session: Session, *, workspace_id: str) -> list[Team]:
    """The workspace's teams with their leads, by name."""
    statement = (
        select(Team)
        .where(Team.workspace_id == workspace_id)
        .options(selectinload(Team.leads))
        .order_by(Team.name, Team.id)
    )
    return list(session.scalars(statement))


def get_team_by_id(session: Session, *, workspace_id: str, team_id: int) -> Team | None:
    team = session.get(Team, team_id)
    return team if team is not None and team.workspace_id == workspace_id else None


def led_team_ids(session: Session, *, workspace_id: str, user_id: str) -> list[int]:
    """The ids of the teams this person leads, by team name."""
    statement = (
        select(Team.id)
        .join(TeamLead, TeamLead.team_id == Team.id)
        .where(Team.workspace_id == workspace_id, TeamLead.user_id == user_id)
        .order_by(Team.name)
    )
    return list(session.scalars(statement))


def stale_teams(session: Session, *, synced_before: datetime) -> list[tuple[int, str, str]]:
    """(team id, workspace id, channel id) of every installed workspace's team whose members
    were not read from Slack since `synced_before` (or ever). Across workspaces: one pass
    serves them all."""
    found: dict[int, tuple[int, str, str]] = {}
    # Two index searches (ix_teams_members_synced_at), not one `IS NULL OR <`, which SQLite
    # answers by scanning every team.
    for condition in (Team.members_synced_at.is_(None), Team.members_synced_at < synced_before):
        statement = (
            select(Team.id, Team.workspace_id, Team.channel_id)
            .join(Workspace, Workspace.id == Team.workspace_id)
            .where(Workspace.uninstalled_at.is_(None), condition)
        )
        found.update(
            (row.id, (row.id, row.workspace_id, row.channel_id))
            for row in session.execute(statement)
        )
    return [found[team_id] for team_id in sorted(found)]


def set_team(
    session: Session, *, workspace_id: str, channel_id: str, changes: TeamChanges, now: datetime
) -> tuple[Team, bool]:
    """Create the team of `channel_id` or update it; returns the team and whether it is new."""
    workspace = ensure_workspace(session, workspace_id=workspace_id, now=now)
    pinned = _principle_id(session, workspace_id, changes.pin) if changes.pin else None
    team = get_team(session, workspace_id=workspace_id, channel_id=channel_id)
    created = team is None
    if team is None:
        team = Team(
            workspace_id=workspace_id,
            channel_id=channel_id,
            name=channel_id,
            nudge_time=DEFAULT_NUDGE_TIME,
            celebrate_weekday=DEFAULT_CELEBRATE[0],
            celebrate_time=DEFAULT_CELEBRATE[1],
            timezone=DEFAULT_TIMEZONE,
            holiday_country=DEFAULT_HOLIDAYS,
            language=workspace.language or "nl",
            created_at=now,
        )
        session.add(team)
    if changes.name is not None:
        team.name = changes.name
    if changes.nudge_time is not None:
        team.nudge_time = changes.nudge_time
    if changes.celebrate is not None:
        team.celebrate_weekday, team.celebrate_time = changes.celebrate
    if changes.timezone is not None:
        team.timezone = changes.timezone
    if changes.holiday_country is not None:
        team.holiday_country = changes.holiday_country
    if changes.language is not None:
        team.language = changes.language
    if changes.workdays is not None:
        team.workdays = None if changes.workdays == MON_TO_FRI else days_to_text(changes.workdays)
    if changes.pin is not None:
        team.pinned_principle_id = pinned
    if changes.celebration_picture is not None:
        team.celebration_picture = changes.celebration_picture
    if changes.leads is not None:
        team.leads = [TeamLead(user_id=user_id) for user_id in dict.fromkeys(changes.leads)]
    team.updated_at = now
    team.celebration_check_at = None  # its moment may have moved: the next pass works it out
    session.flush()
    return team, created


class UnknownPrinciple(ValueError):
    """A pin names a principle the workspace's active catalogue does not have."""


def _principle_id(session: Session, workspace_id: str, key: str) -> int | None:
    if not key:
        return None
    principle_id = active_principle_id(session, workspace_id=workspace_id, key=key)
    if principle_id is None:
        raise UnknownPrinciple(f"workspace {workspace_id} has no active principle {key!r}")
    return principle_id


def teams_of_person(session: Session, *, workspace_id: str, user_id: str) -> list[tuple[int, str]]:
    """(id, name) of the teams this person is a member or a lead of, by name."""
    member = select(TeamMember.team_id).where(TeamMember.user_id == user_id)
    lead = select(TeamLead.team_id).where(TeamLead.user_id == user_id)
    rows = session.execute(
        select(Team.id, Team.name)
        .where(Team.workspace_id == workspace_id, Team.id.in_(union(member, lead)))
        .order_by(Team.name)
    ).all()
    return [(row.id, row.name) for row in rows]


def member_counts(session: Session, *, workspace_id: str) -> dict[int, int]:
    """Team id -> how many members Slack last listed in its channel."""
    rows = session.execute(
        select(TeamMember.team_id, func.count())
        .join(Team, Team.id == TeamMember.team_id)
        .where(Team.workspace_id == workspace_id)
        .group_by(TeamMember.team_id)
    )
    return {team_id: int(count) for team_id, count in rows}


def remove_team(session: Session, *, workspace_id: str, team_id: int, now: datetime) -> int:
    """Delete the team with its leads, members and celebrations (ON DELETE CASCADE); its stories
    and past nudges stay, no longer naming it. Its nudges still queued are not sent (dropped);
    returns how many."""
    queued = select(OutboxMessage.id).join(Nudge, Nudge.id == OutboxMessage.nudge_id)
    queued = queued.where(
        Nudge.workspace_id == workspace_id,
        Nudge.team_id == team_id,
        OutboxMessage.status == PENDING,
    )
    ids = list(session.scalars(queued))
    if ids:
        session.execute(
            update(Nudge)
            .where(Nudge.id.in_(select(OutboxMessage.nudge_id).where(OutboxMessage.id.in_(ids))))
            .values(status="dropped", updated_at=now)
        )
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    session.execute(delete(Team).where(Team.workspace_id == workspace_id, Team.id == team_id))
    session.expire_all()
    return len(ids)
