"""Who is in which team: a team's members are the human members of its Slack channel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coach.services.people import ensure_person
from coach.services.rhythm import primary_teams, reschedule
from coach.store.models import Person, Team, TeamMember


@dataclass(frozen=True)
class Profile:
    """What Slack's users.info / users.list says about a person."""

    user_id: str
    tz: str | None
    locale: str | None
    is_bot: bool
    deleted: bool
    slack_admin: bool = False  # owner, primary owner or admin of the workspace


def team_of_channel(session: Session, *, workspace_id: str, channel_id: str) -> Team | None:
    return session.scalar(
        select(Team).where(Team.workspace_id == workspace_id, Team.channel_id == channel_id)
    )


def apply_profile(
    session: Session,
    *,
    workspace_id: str,
    profile: Profile,
    now: datetime,
    then_reschedule: bool = True,
) -> Person:
    person = ensure_person(session, workspace_id=workspace_id, user_id=profile.user_id, now=now)
    if person.deleted and not profile.deleted:
        person.unreachable = None  # reactivated: worth trying again
    person.tz, person.locale = profile.tz or person.tz, profile.locale or person.locale
    person.is_bot, person.deleted = profile.is_bot, profile.deleted
    person.slack_admin = profile.slack_admin and not profile.deleted
    person.profile_synced_at, person.updated_at = now, now
    if then_reschedule:
        reschedule(session, person, now=now)
    return person


def member_joined(session: Session, *, team: Team, user_id: str, now: datetime) -> None:
    _join(session, team, user_id, now)
    person = ensure_person(session, workspace_id=team.workspace_id, user_id=user_id, now=now)
    reschedule(session, person, now=now)


def member_left(session: Session, *, team: Team, user_id: str, now: datetime) -> None:
    _leave(session, team, user_id)
    person = session.scalar(
        select(Person).where(Person.workspace_id == team.workspace_id, Person.user_id == user_id)
    )
    if person is not None:
        reschedule(session, person, now=now)


def replace_members(
    session: Session, *, team: Team, user_ids: Iterable[str], now: datetime
) -> set[str]:
    """Make the team's members equal to the channel's human members as Slack listed them.

    Returns the user ids whose membership changed; the caller reschedules them once (with
    `reschedule_all`), even when several teams changed.
    """
    wanted = set(user_ids)
    current = set(session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == team.id)))
    for user_id in sorted(wanted - current):
        _join(session, team, user_id, now)
        ensure_person(session, workspace_id=team.workspace_id, user_id=user_id, now=now)
    for user_id in sorted(current - wanted):
        _leave(session, team, user_id)
    team.members_synced_at = now
    return wanted ^ current


def reschedule_all(
    session: Session, *, workspace_id: str, user_ids: Iterable[str], now: datetime
) -> None:
    """Reschedule many people with one membership query."""
    wanted = set(user_ids)
    if not wanted:
        return
    people = list(
        session.scalars(
            select(Person).where(Person.workspace_id == workspace_id, Person.user_id.in_(wanted))
        )
    )
    teams = primary_teams(session, people)
    for person in people:
        reschedule(session, person, now=now, team=teams.get(person.id))


def _join(session: Session, team: Team, user_id: str, now: datetime) -> None:
    if session.get(TeamMember, (team.id, user_id)) is None:
        session.add(TeamMember(team_id=team.id, user_id=user_id, joined_at=now))
        session.flush()


def _leave(session: Session, team: Team, user_id: str) -> None:
    session.execute(
        delete(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == user_id)
    )
