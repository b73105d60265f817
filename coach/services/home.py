"""What a person's App Home shows, by role, as plain values (Block Kit lives in the Slack layer).

Everyone: this week's principle in focus with the customer's voice and behaviour examples, their
own nudge settings, their last intentions and stories. A team lead also: the team's last eight
weeks (stories per principle, participation) and the next celebration. Admins also get the
catalogue and team editors (composed by the admin side).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from coach.catalog.localize import PrincipleText
from coach.domain.schedule import iso_week
from coach.domain.team_settings import DEFAULT_NUDGE_TIME, DEFAULT_TIMEZONE
from coach.services.admin_home import TeamRow, team_row
from coach.services.celebration_plan import member_count, this_weeks_moment
from coach.services.nudging import week_focus
from coach.services.people import PAUSED_INDEFINITELY, language_for
from coach.services.rhythm import primary_team
from coach.services.roles import role_of
from coach.store.catalog import principle_text_of
from coach.store.celebrations import OPEN
from coach.store.models import (
    Celebration,
    Intention,
    Nudge,
    Person,
    Principle,
    Story,
    Team,
    Workspace,
)

RECENT = 5  # intentions and stories shown; `/coach my-data` has them all
WEEKS = 8  # the lead's overview
MAX_TEAMS = 4  # teams a lead sees in full on the home tab (the rest are named)


@dataclass(frozen=True)
class Focus:
    team_name: str
    principle: PrincipleText


@dataclass(frozen=True)
class MySettings:
    nudge_time: time
    own_time: bool  # False: the team's time
    language: str
    paused_until: date | None
    paused_indefinitely: bool


@dataclass(frozen=True)
class IntentionLine:
    day: date
    text: str
    outcome: str | None


@dataclass(frozen=True)
class StoryLine:
    day: date
    text: str
    principle: str | None
    status: str  # celebrated, shared, private, waiting (for the author's consent), refused


@dataclass(frozen=True)
class WeekRow:
    iso_year: int
    iso_week: int
    stories: tuple[tuple[str, int], ...]  # (principle name, count), most first
    participants: int


@dataclass(frozen=True)
class TeamOverview:
    team: TeamRow  # the team's settings, as the admin's team list shows them
    members: int
    weeks: tuple[WeekRow, ...]  # newest first
    next_celebration: datetime | None  # local time
    waiting: int  # shared stories not yet celebrated


@dataclass(frozen=True)
class Home:
    user_id: str
    language: str
    focus: Focus | None
    settings: MySettings
    intentions: tuple[IntentionLine, ...]
    stories: tuple[StoryLine, ...]
    teams: tuple[TeamOverview, ...]
    more_teams: tuple[str, ...]
    admin: bool


def home_of(session: Session, *, workspace_id: str, user_id: str, now: datetime) -> Home:
    person = session.scalar(
        select(Person).where(Person.workspace_id == workspace_id, Person.user_id == user_id)
    )
    workspace = session.get(Workspace, workspace_id)
    language = language_for(person, workspace)
    team = primary_team(session, person) if person is not None else None
    tz = ZoneInfo((person.tz if person and person.tz else None) or DEFAULT_TIMEZONE)
    role = role_of(session, workspace_id=workspace_id, user_id=user_id)
    led = [session.get_one(Team, team_id) for team_id in role.lead_of]
    return Home(
        user_id=user_id,
        language=language,
        focus=_focus(session, team, now, language),
        settings=_settings(person, team, language, tz, now),
        intentions=_intentions(session, person, tz),
        stories=_stories(session, workspace_id, user_id, language, tz),
        teams=tuple(_overview(session, t, now, language) for t in led[:MAX_TEAMS]),
        more_teams=tuple(t.name for t in led[MAX_TEAMS:]),
        admin=role.admin,
    )


def _focus(session: Session, team: Team | None, now: datetime, language: str) -> Focus | None:
    if team is None:
        return None
    principle = week_focus(session, team, now.astimezone(ZoneInfo(team.timezone)).date())
    if principle is None:
        return None
    return Focus(team.name, principle_text_of(principle, language))


def _settings(
    person: Person | None, team: Team | None, language: str, tz: ZoneInfo, now: datetime
) -> MySettings:
    own = person.nudge_time if person is not None else None
    paused = person.paused_until if person is not None else None
    if paused is not None and paused <= now:
        paused = None  # a pause that has run out
    return MySettings(
        nudge_time=own or (team.nudge_time if team is not None else DEFAULT_NUDGE_TIME),
        own_time=own is not None,
        language=language,
        paused_until=paused.astimezone(tz).date() if paused is not None else None,
        paused_indefinitely=paused is not None and paused >= PAUSED_INDEFINITELY,
    )


def _intentions(session: Session, person: Person | None, tz: ZoneInfo) -> tuple[IntentionLine, ...]:
    if person is None:
        return ()
    rows = session.scalars(
        select(Intention)
        .where(Intention.person_id == person.id)
        .order_by(Intention.created_at.desc(), Intention.id.desc())
        .limit(RECENT)
    ).all()
    return tuple(IntentionLine(i.created_at.astimezone(tz).date(), i.text, i.outcome) for i in rows)


def _stories(
    session: Session, workspace_id: str, user_id: str, language: str, tz: ZoneInfo
) -> tuple[StoryLine, ...]:
    rows = session.execute(
        select(Story, Principle)
        .outerjoin(Principle, Principle.id == Story.principle_id)
        .where(
            Story.workspace_id == workspace_id,
            (Story.author_id == user_id) | (Story.filed_by == user_id),
        )
        .options(selectinload(Principle.behaviours))
        .order_by(Story.created_at.desc(), Story.id.desc())
        .limit(RECENT)
    ).all()
    return tuple(
        StoryLine(
            story.created_at.astimezone(tz).date(),
            story.text,
            principle_text_of(principle, language).name if principle else None,
            _status(story),
        )
        for story, principle in rows
    )


def _status(story: Story) -> str:
    if story.celebrated_at is not None:
        return "celebrated"
    if not story.share:
        return "private"
    return {"given": "shared", "pending": "waiting"}.get(story.author_consent, "refused")


def _overview(session: Session, team: Team, now: datetime, language: str) -> TeamOverview:
    zone = ZoneInfo(team.timezone)
    this_monday = now.astimezone(zone).date() - timedelta(days=now.astimezone(zone).weekday())
    first = this_monday - timedelta(weeks=WEEKS - 1)
    since = datetime.combine(first, time(), zone)
    names = {
        p.id: principle_text_of(p, language).name
        for p in session.scalars(
            select(Principle)
            .where(Principle.workspace_id == team.workspace_id)
            .options(selectinload(Principle.behaviours))
        )
    }
    stories: dict[tuple[int, int], Counter[str]] = {}
    for created, principle_id in session.execute(
        select(Story.created_at, Story.principle_id).where(  # only what the team may see
            Story.team_id == team.id,
            Story.created_at >= since,
            Story.share.is_(True),
            Story.author_consent == "given",
        )
    ):
        key = iso_week(created.astimezone(zone).date())
        name = names.get(principle_id, "") if principle_id is not None else ""  # "": not sure
        stories.setdefault(key, Counter())[name] += 1
    answered: dict[tuple[int, int], set[int]] = {}
    for day, person_id in session.execute(
        select(Nudge.local_date, Nudge.person_id)
        .join(Intention, Intention.nudge_id == Nudge.id)
        .where(Nudge.team_id == team.id, Nudge.local_date >= first)
    ):
        answered.setdefault(iso_week(day), set()).add(person_id)
    weeks = []
    for back in range(WEEKS):
        year, week = iso_week(this_monday - timedelta(weeks=back))
        counts = stories.get((year, week), Counter())
        weeks.append(
            WeekRow(year, week, tuple(counts.most_common()), len(answered.get((year, week), ())))
        )
    return TeamOverview(
        team=team_row(team, names),
        members=member_count(session, team),
        weeks=tuple(weeks),
        next_celebration=_next_celebration(session, team, now),
        waiting=_waiting(session, team),
    )


def _next_celebration(session: Session, team: Team, now: datetime) -> datetime | None:
    """This week's moment if it is still to come, else next week's (local time)."""
    for ahead in (timedelta(), timedelta(weeks=1)):
        moment = this_weeks_moment(team, now + ahead)
        if moment is None:
            continue
        year, week, due = moment
        done = session.scalar(
            select(Celebration.status).where(
                Celebration.team_id == team.id,
                Celebration.iso_year == year,
                Celebration.iso_week == week,
            )
        )
        if due > now and (done is None or done in OPEN):
            return due.astimezone(ZoneInfo(team.timezone))
    return None


def _waiting(session: Session, team: Team) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Story)
            .where(
                Story.team_id == team.id,
                Story.share.is_(True),
                Story.author_consent == "given",
                Story.celebrated_at.is_(None),
            )
        )
        or 0
    )
