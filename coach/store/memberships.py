"""Who is in which team: the human members of each team's channel, as Slack last told us."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coach.store.db import insert_or_ignore
from coach.store.models import Person, Team, TeamMember


def member_ids(session: Session, *, team_id: int) -> set[str]:
    return set(session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == team_id)))


def add_member(session: Session, *, team_id: int, user_id: str, now: datetime) -> None:
    """Nothing changes when they are a member already (their first join date counts)."""
    if session.get(TeamMember, (team_id, user_id)) is None:
        session.add(TeamMember(team_id=team_id, user_id=user_id, joined_at=now))
        session.flush()


def set_members(session: Session, *, team_id: int, user_ids: set[str], now: datetime) -> set[str]:
    """Make the team's members exactly `user_ids` (one read, one INSERT, one DELETE; a member
    already there keeps their join date); returns who joined or left."""
    current = member_ids(session, team_id=team_id)
    joined, left = user_ids - current, current - user_ids
    insert_or_ignore(
        session,
        TeamMember,
        [{"team_id": team_id, "user_id": u, "joined_at": now} for u in sorted(joined)],
        unique=["team_id", "user_id"],
    )
    if left:
        session.execute(
            delete(TeamMember).where(TeamMember.team_id == team_id, TeamMember.user_id.in_(left))
        )
    return joined | left


def remove_member(session: Session, *, team_id: int, user_id: str) -> None:
    session.execute(
        delete(TeamMember).where(TeamMember.team_id == team_id, TeamMember.user_id == user_id)
    )


def primary_team(session: Session, *, workspace_id: str, user_id: str) -> Team | None:
    """The team whose rhythm a person follows: the one they joined first (one nudge a day)."""
    statement = (
        select(Team)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(Team.workspace_id == workspace_id, TeamMember.user_id == user_id)
        .order_by(TeamMember.joined_at, Team.id)
        .limit(1)
    )
    return session.scalar(statement)


def primary_teams(session: Session, *, people: list[Person]) -> dict[int, Team]:
    """primary_team for many people (of any workspaces) in one query: person id -> team."""
    by_key = {(p.workspace_id, p.user_id): p.id for p in people}
    if not by_key:
        return {}
    statement = (
        select(TeamMember.user_id, Team)
        .join(Team, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id.in_({user for _, user in by_key}))
        .order_by(TeamMember.joined_at.desc(), Team.id.desc())  # the first one wins: last write
    )
    teams: dict[int, Team] = {}
    for user_id, team in session.execute(statement):
        person_id = by_key.get((team.workspace_id, user_id))
        if person_id is not None:
            teams[person_id] = team
    return teams
