"""What a person's App Home shows, by role, as plain values (Block Kit lives in the Slack layer).

Everyone: this week's principle in focus with the customer's voice and behaviour examples, their
own nudge settings, their last intentions and stories. A team lead also: the team's last eight
weeks (stories per principle, participation) and the next celebration. Admins also get the
catalogue and team editors (composed by the admin side). The monthly team pulse
(services/pulse_results.py) shows for the person's own team and the teams they lead, and admins
see each team's latest result beside the others.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.catalog.localize import PrincipleText
from coach.deps import Deps
from coach.domain.celebration import MinGroup
from coach.domain.schedule import (
    EVERY,
    MON_TO_FRI,
    Every,
    days_from_text,
    iso_week,
    person_rhythm,
)
from coach.domain.team_settings import (
    DEFAULT_NUDGE_TIME,
    DEFAULT_TIMEZONE,
    InvalidSetting,
    check_language,
    parse_clock_time,
)
from coach.services import people
from coach.services.admin_home import AdminHome, TeamRow, admin_home, team_row
from coach.services.celebration_plan import member_count, this_weeks_moment
from coach.services.membership import Profile, apply_profile
from coach.services.nudging import week_focus
from coach.services.organisation import ORGANISATION_WEEKS, OrganisationView, organisation_of
from coach.services.people import PAUSED_INDEFINITELY, language_for
from coach.services.pictures import TeamPyramidView, team_pyramid_of
from coach.services.pulse_results import (
    OrganisationLine,
    TeamPulse,
    organisation_pulse,
    pulses_seen_by,
)
from coach.services.roles import role_of
from coach.store.catalog import list_principles, principle_text_of
from coach.store.celebrations import OPEN, celebration_status
from coach.store.intentions import recent_intentions
from coach.store.memberships import primary_team
from coach.store.models import Person, Story, Team
from coach.store.nudges import answered_since
from coach.store.people import get_person
from coach.store.stories import recent_stories_of, shared_since, waiting_count
from coach.store.teams import get_team_by_id
from coach.store.workspaces import get_workspace

logger = logging.getLogger(__name__)

Setting = Literal["nudge_time", "language", "pause", "resume", "weekdays", "rhythm"]
PAUSE_DAYS = 7  # the Home's pause button
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
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # the days they are nudged on
    allowed: tuple[int, ...] = (0, 1, 2, 3, 4)  # the team's workdays, to choose from
    every: Every = "daily"  # their own choice (a back-off does not change it)


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
    stories: tuple[tuple[str, int | None], ...]  # (principle name, count), most first
    participants: int | None  # None: too few people to show (MinGroup)


@dataclass(frozen=True)
class TeamOverview:
    team: TeamRow  # the team's settings, as the admin's team list shows them
    members: int | None  # None here and below: the team is too small to show numbers
    weeks: tuple[WeekRow, ...]  # newest first
    next_celebration: datetime | None  # local time
    waiting: int | None  # shared stories not yet celebrated
    pyramid: TeamPyramidView  # the picture of the same eight weeks


@dataclass(frozen=True)
class Home:
    workspace_id: str
    user_id: str
    language: str
    focus: Focus | None
    settings: MySettings
    intentions: tuple[IntentionLine, ...]
    stories: tuple[StoryLine, ...]
    teams: tuple[TeamOverview, ...]
    more_teams: tuple[str, ...]
    admin: bool
    pulses: tuple[TeamPulse, ...] = ()  # the own team's and the led teams' monthly pulse
    organisation: tuple[OrganisationLine, ...] = ()  # admins: each team's latest pulse shown


@dataclass(frozen=True)
class HomeView:
    """The whole tab: the person's home, and for admins the catalogue and team editors."""

    home: Home
    admin: AdminHome | None
    organisation: OrganisationView | None = None  # admins: which principles live where


def home_view(core: Deps, *, workspace_id: str, user_id: str) -> HomeView:
    with core.unit_of_work() as session:
        return _view(session, workspace_id, user_id, core.clock.now(), _minimum(core))


def opened(core: Deps, *, workspace_id: str, user_id: str, profile: Profile) -> HomeView:
    """The tab was opened: remember who they are now (as Slack just said), then show it."""
    now = core.clock.now()
    with core.unit_of_work() as session:
        apply_profile(session, workspace_id=workspace_id, profile=profile, now=now)
        return _view(session, workspace_id, user_id, now, _minimum(core))


def change_setting(
    core: Deps, *, workspace_id: str, user_id: str, setting: Setting, value: str = ""
) -> HomeView:
    """Save one of the Home's controls (`value`: the time or language chosen) and show the tab
    again; a value the controls cannot send is logged and changes nothing."""
    ids = {"workspace_id": workspace_id, "user_id": user_id}
    now = core.clock.now()
    with core.unit_of_work() as session:
        try:
            match setting:
                case "nudge_time":
                    people.set_nudge_time(session, **ids, at=parse_clock_time(value), now=now)
                case "language":
                    people.set_language(session, **ids, language=check_language(value), now=now)
                case "pause":
                    people.pause(session, **ids, days=PAUSE_DAYS, now=now)
                case "resume":
                    people.resume(session, **ids, now=now)
                case "weekdays":
                    people.set_weekdays(session, **ids, days=_weekdays(value), now=now)
                case "rhythm":
                    people.set_rhythm(session, **ids, every=_every(value), now=now)
        except InvalidSetting as problem:
            logger.warning("ignored a home setting from %s: %s", user_id, problem)
        return _view(session, workspace_id, user_id, now, _minimum(core))


def _weekdays(value: str) -> frozenset[int] | None:
    """The Home's checkboxes, as "0,2"; none ticked: the team's days again."""
    days = days_from_text(value.replace(",", ""))
    if value and days is None:
        raise InvalidSetting(f"{value!r} is not a list of weekdays")
    return days


def _every(value: str) -> Every:
    for every in EVERY:
        if value == every:
            return every
    raise InvalidSetting(f"{value!r} is not one of {EVERY}")


def _minimum(core: Deps) -> MinGroup:
    return MinGroup.of(core.settings.coach_min_group)


def _view(
    session: Session, workspace_id: str, user_id: str, now: datetime, minimum: MinGroup
) -> HomeView:
    home = home_of(session, workspace_id=workspace_id, user_id=user_id, now=now, minimum=minimum)
    if not home.admin:
        return HomeView(home, None)
    ids = {"workspace_id": workspace_id, "language": home.language}
    return HomeView(
        home,
        admin_home(session, **ids, viewer=user_id),
        organisation_of(session, **ids, now=now, weeks=ORGANISATION_WEEKS, minimum=minimum),
    )


def home_of(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    now: datetime,
    minimum: MinGroup,
) -> Home:
    person = get_person(session, workspace_id=workspace_id, user_id=user_id)
    language = language_for(person, get_workspace(session, workspace_id=workspace_id))
    team = primary_team(session, workspace_id=workspace_id, user_id=user_id) if person else None
    tz = ZoneInfo((person.tz if person and person.tz else None) or DEFAULT_TIMEZONE)
    role = role_of(session, workspace_id=workspace_id, user_id=user_id)
    led = [
        team
        for team_id in role.lead_of
        if (team := get_team_by_id(session, workspace_id=workspace_id, team_id=team_id))
    ]
    names = _principle_names(session, workspace_id, language) if led else {}
    return Home(
        workspace_id=workspace_id,
        user_id=user_id,
        language=language,
        focus=_focus(session, team, now, language),
        settings=_settings(person, team, language, tz, now),
        intentions=_intentions(session, person, tz),
        stories=_stories(session, workspace_id, user_id, language, tz),
        teams=tuple(_overview(session, t, now, minimum, names, language) for t in led[:MAX_TEAMS]),
        more_teams=tuple(t.name for t in led[MAX_TEAMS:]),
        admin=role.admin,
        pulses=pulses_seen_by(
            session, teams=[*([team] if team else []), *led[:MAX_TEAMS]], now=now, minimum=minimum
        ),
        organisation=organisation_pulse(
            session, workspace_id=workspace_id, now=now, minimum=minimum
        )
        if role.admin
        else (),
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
    allowed = days_from_text(team.workdays) if team is not None else None
    rhythm = person_rhythm(
        allowed,
        days_from_text(person.weekdays) if person is not None else None,
        person.rhythm if person is not None else None,
        backed_off=False,
    )
    return MySettings(
        nudge_time=own or (team.nudge_time if team is not None else DEFAULT_NUDGE_TIME),
        own_time=own is not None,
        language=language,
        paused_until=paused.astimezone(tz).date() if paused is not None else None,
        paused_indefinitely=paused is not None and paused >= PAUSED_INDEFINITELY,
        weekdays=tuple(sorted(rhythm.days)),
        allowed=tuple(sorted(allowed or MON_TO_FRI)),
        every=rhythm.every,
    )


def _intentions(session: Session, person: Person | None, tz: ZoneInfo) -> tuple[IntentionLine, ...]:
    if person is None:
        return ()
    rows = recent_intentions(session, person_id=person.id, limit=RECENT)
    return tuple(IntentionLine(i.created_at.astimezone(tz).date(), i.text, i.outcome) for i in rows)


def _stories(
    session: Session, workspace_id: str, user_id: str, language: str, tz: ZoneInfo
) -> tuple[StoryLine, ...]:
    rows = recent_stories_of(session, workspace_id=workspace_id, user_id=user_id, limit=RECENT)
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


def _principle_names(session: Session, workspace_id: str, language: str) -> dict[int, str]:
    """Every principle's name in the reader's language, archived ones too (old stories)."""
    return {
        p.id: principle_text_of(p, language).name
        for p in list_principles(session, workspace_id=workspace_id)
    }


def _overview(
    session: Session,
    team: Team,
    now: datetime,
    minimum: MinGroup,
    names: dict[int, str],
    language: str,
) -> TeamOverview:
    """The lead's view of the team: only numbers that cover enough people (`minimum`); story
    names without counts and no participation for a small team."""
    zone = ZoneInfo(team.timezone)
    this_monday = now.astimezone(zone).date() - timedelta(days=now.astimezone(zone).weekday())
    first = this_monday - timedelta(weeks=WEEKS - 1)
    since = datetime.combine(first, time(), zone)
    stories: dict[tuple[int, int], Counter[str]] = {}
    for created, principle_id in shared_since(session, team_id=team.id, since=since):
        key = iso_week(created.astimezone(zone).date())
        name = names.get(principle_id, "") if principle_id is not None else ""  # "": not sure
        stories.setdefault(key, Counter())[name] += 1
    answered: dict[tuple[int, int], set[int]] = {}
    for day, person_id in answered_since(session, team_id=team.id, since=first):
        answered.setdefault(iso_week(day), set()).add(person_id)
    members = member_count(session, team)
    counted = minimum.shown(members, people=members) is not None
    weeks = []
    for back in range(WEEKS):
        year, week = iso_week(this_monday - timedelta(weeks=back))
        counts = stories.get((year, week), Counter())
        people = len(answered.get((year, week), ()))
        weeks.append(
            WeekRow(
                year,
                week,
                tuple((name, n if counted else None) for name, n in counts.most_common()),
                minimum.shown(people, people=people, private=True),
            )
        )
    return TeamOverview(
        team=team_row(team, names),
        members=members if counted else None,
        weeks=tuple(weeks),
        next_celebration=_next_celebration(session, team, now),
        waiting=waiting_count(session, team_id=team.id) if counted else None,
        pyramid=team_pyramid_of(session, team, now=now, minimum=minimum, language=language),
    )


def _next_celebration(session: Session, team: Team, now: datetime) -> datetime | None:
    """This week's moment if it is still to come, else next week's (local time)."""
    for ahead in (timedelta(), timedelta(weeks=1)):
        moment = this_weeks_moment(team, now + ahead)
        if moment is None:
            continue
        year, week, due = moment
        done = celebration_status(session, team_id=team.id, iso_year=year, iso_week=week)
        if due > now and (done is None or done in OPEN):
            return due.astimezone(ZoneInfo(team.timezone))
    return None
