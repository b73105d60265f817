"""The organisation's view for the people who run the 9+ programme (admins): which principles
live in which teams, as plain values (the heat map and the report draw them).

Over the last `weeks` weeks: shared stories per principle per team, how many colleagues of each
team answered an HKI question; the principles no team shared a story about in the last
`UNTOUCHED_WEEKS` weeks; this week's three stories with the most colleagues credited. Seed 001:
activation, not control, so every number follows the group minimum (a small team's cells are
left empty, participation needs `MinGroup.private` people) and nothing ranks people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.catalog.schema import LEVELS
from coach.deps import Deps
from coach.domain.celebration import MinGroup
from coach.domain.schedule import iso_week
from coach.domain.team_settings import DEFAULT_TIMEZONE
from coach.services.celebration_plan import member_count
from coach.services.people import language_of
from coach.services.roles import require_admin
from coach.store.catalog import list_principles, principle_text_of
from coach.store.models import Principle
from coach.store.nudges import answering_people
from coach.store.stories import most_shared, shared_per_team_and_principle
from coach.store.teams import list_teams
from coach.store.workspaces import get_workspace

ORGANISATION_WEEKS = 12
UNTOUCHED_WEEKS = 6
TOP_STORIES = 3


@dataclass(frozen=True)
class TeamLine:
    name: str
    channel_id: str
    stories: tuple[int | None, ...]  # per principle, as `OrganisationView.principles`
    members: int | None  # None here and below: too few people to show
    participants: int | None  # colleagues who answered an HKI question in the period


@dataclass(frozen=True)
class TopStory:
    text: str
    team: str | None
    principle: str | None
    author_id: str
    for_team: bool  # filed by a lead for the whole team: name the team, not a person
    credits: int


@dataclass(frozen=True)
class OrganisationView:
    organisation: str
    language: str
    weeks: int
    first_week: int
    last_week: int
    principles: tuple[str, ...]  # active principles in pyramid order: the heat map's columns
    teams: tuple[TeamLine, ...]
    untouched: tuple[str, ...]
    top: tuple[TopStory, ...]
    minimum: MinGroup


def organisation_view(
    core: Deps, *, workspace_id: str, user_id: str, weeks: int = ORGANISATION_WEEKS
) -> OrganisationView:
    """The view for an admin (checked here, on the server), in their language."""
    with core.unit_of_work() as session:
        require_admin(session, workspace_id=workspace_id, user_id=user_id, action="organisation")
        return organisation_of(
            session,
            workspace_id=workspace_id,
            now=core.clock.now(),
            weeks=weeks,
            minimum=MinGroup.of(core.settings.coach_min_group),
            language=language_of(session, workspace_id=workspace_id, user_id=user_id),
        )


def organisation_of(
    session: Session,
    *,
    workspace_id: str,
    now: datetime,
    weeks: int,
    minimum: MinGroup,
    language: str,
) -> OrganisationView:
    zone = ZoneInfo(DEFAULT_TIMEZONE)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    principles = sorted(
        (p for p in list_principles(session, workspace_id=workspace_id) if p.archived_at is None),
        key=lambda p: (LEVELS.index(p.level), p.position, p.key),
    )
    counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    for team_id, principle_id, n in shared_per_team_and_principle(
        session, workspace_id=workspace_id, since=_start(first, zone)
    ):
        counts[team_id][principle_id] = n
    teams = list_teams(session, workspace_id=workspace_id)
    answered = answering_people(
        session, workspace_id=workspace_id, team_ids=[t.id for t in teams], since=first
    )
    lines = []
    for team in teams:
        members = member_count(session, team)
        counted = minimum.shown(members, people=members) is not None
        per = counts.get(team.id, {})
        people = answered.get(team.id, 0)
        lines.append(
            TeamLine(
                name=team.name,
                channel_id=team.channel_id,
                stories=tuple(per.get(p.id, 0) if counted else None for p in principles),
                members=members if counted else None,
                participants=minimum.shown(people, people=people, private=True)
                if counted
                else None,
            )
        )
    workspace = get_workspace(session, workspace_id=workspace_id)
    return OrganisationView(
        organisation=workspace.organisation if workspace is not None else "",
        language=language,
        weeks=weeks,
        first_week=iso_week(first)[1],
        last_week=iso_week(today)[1],
        principles=tuple(principle_text_of(p, language).name for p in principles),
        teams=tuple(lines),
        untouched=_untouched(session, workspace_id, principles, monday, zone, language),
        top=_top(session, workspace_id, _start(monday, zone), language),
        minimum=minimum,
    )


def _start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def _untouched(
    session: Session,
    workspace_id: str,
    principles: list[Principle],
    monday: date,
    zone: ZoneInfo,
    language: str,
) -> tuple[str, ...]:
    """Principles no team shared a story about in the last UNTOUCHED_WEEKS weeks."""
    since = _start(monday - timedelta(weeks=UNTOUCHED_WEEKS - 1), zone)
    touched = {
        principle_id
        for _, principle_id, _ in shared_per_team_and_principle(
            session, workspace_id=workspace_id, since=since
        )
    }
    return tuple(principle_text_of(p, language).name for p in principles if p.id not in touched)


def _top(
    session: Session, workspace_id: str, since: datetime, language: str
) -> tuple[TopStory, ...]:
    rows = most_shared(session, workspace_id=workspace_id, since=since, limit=TOP_STORIES)
    return tuple(
        TopStory(
            text=story.text,
            team=team.name if team is not None else None,
            principle=principle_text_of(principle, language).name if principle else None,
            author_id=story.author_id,
            for_team=story.for_team,
            credits=credits,
        )
        for story, team, principle, credits in rows
    )
