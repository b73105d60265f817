"""Who is in which team: a team's members are the human members of its Slack channel.

The Slack side (reading channel members and profiles) is done by the caller, outside any
transaction; these store what Slack said and move the people's next nudge to match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from coach.deps import Deps
from coach.services.rhythm import reschedule
from coach.store.memberships import add_member, primary_teams, remove_member
from coach.store.models import Person
from coach.store.people import ensure_person, get_person, people_of
from coach.store.teams import get_team, stale_teams

STALE_AFTER = timedelta(hours=6)


@dataclass(frozen=True)
class Profile:
    """What Slack's users.info / users.list says about a person."""

    user_id: str
    tz: str | None
    locale: str | None
    is_bot: bool
    deleted: bool
    slack_admin: bool = False  # owner, primary owner or admin of the workspace

    @property
    def human(self) -> bool:
        return not self.is_bot and not self.deleted


def apply_profile(
    session: Session,
    *,
    workspace_id: str,
    profile: Profile,
    now: datetime,
    then_reschedule: bool = True,
) -> Person:
    person = ensure_person(session, workspace_id=workspace_id, user_id=profile.user_id, now=now)
    profile_into(person, profile, now)
    if then_reschedule:
        reschedule(session, person, now=now)
    return person


def profile_into(person: Person, profile: Profile, now: datetime) -> bool:
    """What Slack says about the person, onto their row; whether that changed what their
    nudges depend on (time zone, language, being a deactivated account or a bot)."""
    before = _nudged_by(person)
    if person.deleted and not profile.deleted:
        person.unreachable = None  # reactivated: worth trying again
    person.tz, person.locale = profile.tz or person.tz, profile.locale or person.locale
    person.is_bot, person.deleted = profile.is_bot, profile.deleted
    person.slack_admin = profile.slack_admin and not profile.deleted
    person.profile_synced_at, person.updated_at = now, now
    return _nudged_by(person) != before


def _nudged_by(person: Person) -> tuple[object, ...]:
    return (person.tz, person.locale, person.is_bot, person.deleted, person.unreachable)


def is_team_channel(core: Deps, *, workspace_id: str, channel_id: str) -> bool:
    """Whether the channel is a team's: only then is a member's profile worth reading."""
    with core.unit_of_work() as session:
        return get_team(session, workspace_id=workspace_id, channel_id=channel_id) is not None


def joined_channel(core: Deps, *, workspace_id: str, channel_id: str, profile: Profile) -> None:
    """Someone joined a channel: remember their profile; a human joins the channel's team."""
    now = core.clock.now()
    with core.unit_of_work() as session:
        person = apply_profile(session, workspace_id=workspace_id, profile=profile, now=now)
        team = get_team(session, workspace_id=workspace_id, channel_id=channel_id)
        if team is not None and profile.human:
            add_member(session, team_id=team.id, user_id=profile.user_id, now=now)
            reschedule(session, person, now=now)


def left_channel(core: Deps, *, workspace_id: str, channel_id: str, user_id: str) -> None:
    now = core.clock.now()
    with core.unit_of_work() as session:
        team = get_team(session, workspace_id=workspace_id, channel_id=channel_id)
        if team is None:
            return
        remove_member(session, team_id=team.id, user_id=user_id)
        person = get_person(session, workspace_id=workspace_id, user_id=user_id)
        if person is not None:
            reschedule(session, person, now=now)


def teams_to_sync(core: Deps) -> dict[str, list[tuple[int, str]]]:
    """Per installed workspace, (team id, channel id) of the teams whose members were not read
    from Slack within STALE_AFTER."""
    with core.unit_of_work() as session:
        stale = stale_teams(session, synced_before=core.clock.now() - STALE_AFTER)
    by_workspace: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for team_id, workspace_id, channel_id in stale:
        by_workspace[workspace_id].append((team_id, channel_id))
    return dict(by_workspace)


def reschedule_all(
    session: Session, *, workspace_id: str, user_ids: Iterable[str], now: datetime
) -> None:
    """Reschedule many people with one membership query."""
    people = people_of(session, workspace_id=workspace_id, user_ids=set(user_ids))
    teams = primary_teams(session, people=people)
    for person in people:
        reschedule(session, person, now=now, team=teams.get(person.id))
