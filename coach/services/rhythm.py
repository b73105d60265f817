"""When a person's next nudge is due, from their team's rhythm and their own settings."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.domain.schedule import next_nudge_instant
from coach.store.models import Person, Team, TeamMember, Workspace

CATCH_UP = timedelta(hours=2)  # a nudge missed by less than this is still sent; older ones not


def primary_teams(session: Session, people: list[Person]) -> dict[int, Team]:
    """primary_team for many people in one query: person id -> team."""
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


def primary_team(session: Session, person: Person) -> Team | None:
    """The team whose rhythm a person follows: the one they joined first (one nudge a day)."""
    statement = (
        select(Team)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(Team.workspace_id == person.workspace_id, TeamMember.user_id == person.user_id)
        .order_by(TeamMember.joined_at, Team.id)
        .limit(1)
    )
    return session.scalar(statement)


_LOOK_UP = object()


def reschedule(
    session: Session,
    person: Person,
    *,
    now: datetime,
    after: datetime | None = None,
    team: Team | object | None = _LOOK_UP,
) -> None:
    """Recompute when this person's next nudge is due (None: not at all).

    By default the first nudge instant after `now - CATCH_UP`: one that is due now and still
    catchable counts (a person who joins at 09:30 gets today's 09:00 nudge); the planner skips
    a day that already has its nudge and passes `after` to move on past it.
    """
    if team is _LOOK_UP:
        team = primary_team(session, person)
    assert team is None or isinstance(team, Team)  # noqa: S101 - narrows the sentinel away
    workspace = session.get(Workspace, person.workspace_id)
    if (
        team is None
        or person.unreachable
        or person.deleted
        or person.is_bot
        or workspace is None
        or workspace.uninstalled_at is not None
    ):
        person.next_nudge_at = None
        return
    try:
        person.next_nudge_at = next_nudge_instant(
            after if after is not None else now - CATCH_UP,
            tz=person.tz or team.timezone,
            at=person.nudge_time or team.nudge_time,
            holiday_country=team.holiday_country,
            paused_until=person.paused_until,
        )
    except ValueError:  # paused until further notice, or no workday within the search horizon
        person.next_nudge_at = None
