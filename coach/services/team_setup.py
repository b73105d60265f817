"""Team setup from Slack: admins create a team from a channel; admins and the team's own leads
change its settings. The rules are coach/domain/team_settings.py's (the same as `coach team
set`), and services/teams.py's update_team stores them and moves the members' next nudges.

Leads the coach has not met yet are made leads provisionally (the modal must close within
Slack's 3 seconds); `settle_leads`, with Slack's answer, takes off again whoever is not a person
of this workspace.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coach.catalog.localize import principle_text
from coach.deps import Deps
from coach.domain.schedule import MON_TO_FRI, days_from_text, days_to_text
from coach.domain.team_settings import (
    CELEBRATION_PICTURES,
    DEFAULT_CELEBRATE,
    DEFAULT_HOLIDAYS,
    DEFAULT_NUDGE_TIME,
    DEFAULT_TIMEZONE,
    WEEKDAY_NAMES,
    InvalidSetting,
    TeamChanges,
    check_celebration_picture,
    check_holiday_country,
    check_language,
    check_pin,
    check_team_name,
    check_timezone,
    parse_celebrate,
    parse_clock_time,
)
from coach.services.chosen_people import LeftOutReason, settle, sort_chosen
from coach.services.membership import Profile
from coach.services.people import language_of
from coach.services.refusals import FormRejected, NotPermitted
from coach.services.roles import Role, require_admin, require_team_manager
from coach.services.teams import update_team
from coach.store.catalog import get_principle, load_catalog
from coach.store.pulse import PulseRule, latest_rule
from coach.store.teams import UnknownPrinciple, get_team, get_team_by_id
from coach.store.workspaces import get_workspace

NO_PIN = "none"
# The pulse choices of the form: (on, with the ownership statements) each; applied next month.
PULSE_CHOICES = {
    "off": (False, False),
    "monthly": (True, False),
    "monthly_ownership": (True, True),
}


@dataclass(frozen=True)
class TeamInput:
    """The team form's values as typed or chosen (None: left empty)."""

    channel_id: str | None = None  # only when creating
    name: str | None = None
    leads: tuple[str, ...] = ()
    nudge_time: str | None = None  # HH:MM
    celebrate_day: str | None = None  # monday ... sunday
    celebrate_time: str | None = None  # HH:MM
    timezone: str | None = None
    language: str | None = None
    holiday_country: str | None = None
    workdays: str | None = None  # weekday digits, "01234" for Monday to Friday
    pin: str | None = None  # a principle id, or "none"
    pulse: str | None = None  # one of PULSE_CHOICES; None leaves it (an older form)
    celebration_picture: str | None = None  # one of CELEBRATION_PICTURES; None leaves it


@dataclass(frozen=True)
class PinChoice:
    key: str
    name: str
    level: str


@dataclass(frozen=True)
class TeamForm:
    team_id: int | None  # None: a new team
    language: str  # the person's
    current: TeamInput
    pins: tuple[PinChoice, ...] = field(default=())
    admin: bool = True  # a lead (not an admin) changes the rhythm, not the name or the leads


@dataclass(frozen=True)
class TeamSaved:
    team_id: int
    channel_id: str
    name: str
    created: bool
    language: str  # the person's who saved it
    unconfirmed: tuple[str, ...] = ()  # leads Slack has yet to confirm


@dataclass(frozen=True)
class LeadsSettled:
    team: str  # its name
    left_out: tuple[tuple[str, LeftOutReason], ...]  # no longer leads, and why


class TeamRejected(FormRejected):
    """Problems by field (channel, name, leads, nudge_time, celebrate_day, ...): a code each."""


class TeamGone(NotPermitted):
    """The team was deleted, or belongs to another workspace."""


def team_form(core: Deps, *, workspace_id: str, user_id: str, team_id: int | None) -> TeamForm:
    """The form to create a team (admins) or to change one (admins and its leads); raises
    NotAllowed or TeamGone."""
    with core.unit_of_work() as session:
        return _team_form(session, workspace_id=workspace_id, user_id=user_id, team_id=team_id)


def submit_team(
    core: Deps, *, workspace_id: str, user_id: str, team_id: int | None, values: TeamInput
) -> TeamSaved:
    """Save the team form in one transaction; raises TeamRejected, NotAllowed or TeamGone."""
    with core.unit_of_work() as session:
        return save_team(
            session,
            workspace_id=workspace_id,
            user_id=user_id,
            team_id=team_id,
            values=values,
            now=core.clock.now(),
        )


def settle_leads(
    core: Deps, *, workspace_id: str, team_id: int, found: Mapping[str, Profile | None]
) -> LeadsSettled:
    """After the ack: what Slack said about the provisional leads (None: not a user of this
    workspace). Whoever is not a person of this workspace leads the team no longer."""
    with core.unit_of_work() as session:
        team = get_team_by_id(session, workspace_id=workspace_id, team_id=team_id)
        if team is None:  # deleted meanwhile
            return LeadsSettled("", ())
        settled = settle(session, workspace_id=workspace_id, found=found, now=core.clock.now())
        gone = {user_id for user_id, _ in settled.left_out}
        team.leads = [lead for lead in team.leads if lead.user_id not in gone]
        return LeadsSettled(team.name, settled.left_out)


def _team_form(
    session: Session, *, workspace_id: str, user_id: str, team_id: int | None
) -> TeamForm:
    role = _require(session, workspace_id, user_id, team_id, "team.open")
    language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    pins = _pins(session, workspace_id, language)
    if team_id is None:
        workspace = get_workspace(session, workspace_id=workspace_id)
        return TeamForm(
            team_id=None,
            language=language,
            current=TeamInput(
                nudge_time=f"{DEFAULT_NUDGE_TIME:%H:%M}",
                celebrate_day=WEEKDAY_NAMES[DEFAULT_CELEBRATE[0]].lower(),
                celebrate_time=f"{DEFAULT_CELEBRATE[1]:%H:%M}",
                timezone=DEFAULT_TIMEZONE,
                language=workspace.language if workspace is not None else language,
                holiday_country=DEFAULT_HOLIDAYS,
                workdays=days_to_text(MON_TO_FRI),
                pin=NO_PIN,
                pulse="off",
                celebration_picture=CELEBRATION_PICTURES[0],
            ),
            pins=pins,
        )
    team = get_team_by_id(session, workspace_id=workspace_id, team_id=team_id)
    if team is None:
        raise TeamGone(team_id)
    pinned = (
        get_principle(session, workspace_id=workspace_id, principle_id=team.pinned_principle_id)
        if team.pinned_principle_id
        else None
    )
    return TeamForm(
        team_id=team.id,
        language=language,
        current=TeamInput(
            channel_id=team.channel_id,
            name=team.name,
            leads=tuple(lead.user_id for lead in team.leads),
            nudge_time=f"{team.nudge_time:%H:%M}",
            celebrate_day=WEEKDAY_NAMES[team.celebrate_weekday].lower(),
            celebrate_time=f"{team.celebrate_time:%H:%M}",
            timezone=team.timezone,
            language=team.language,
            holiday_country=team.holiday_country,
            workdays=team.workdays or days_to_text(MON_TO_FRI),
            pin=pinned.key if pinned is not None and pinned.archived_at is None else NO_PIN,
            pulse=_pulse_choice(latest_rule(session, workspace_id=workspace_id, team_id=team.id)),
            celebration_picture=team.celebration_picture,
        ),
        pins=pins,
        admin=role.admin,
    )


def save_team(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    team_id: int | None,
    values: TeamInput,
    now: datetime,
) -> TeamSaved:
    """Create the team of `values.channel_id` (team_id None) or change team `team_id`.

    Leads may change their team's rhythm; its name and who leads it are for admins (whatever a
    forged submission carries). Leads must be people of this workspace, not bots: one the
    coach has not met yet is a lead until `settle_leads` hears otherwise."""
    role = _require(session, workspace_id, user_id, team_id, "team.save")
    language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    problems: dict[str, str] = {}
    if team_id is None:
        channel_id = values.channel_id or ""
        if not _slack_id(channel_id, "CG"):
            problems["channel"] = "required"
        elif get_team(session, workspace_id=workspace_id, channel_id=channel_id) is not None:
            problems["channel"] = "taken"
    else:
        team = get_team_by_id(session, workspace_id=workspace_id, team_id=team_id)
        if team is None:
            raise TeamGone(team_id)
        channel_id = team.channel_id
    changes = _changes(values, problems)
    chosen = sort_chosen(session, workspace_id=workspace_id, user_ids=changes.leads or ())
    if role.admin and chosen.refused:
        problems["leads"] = "invalid"
    if not role.admin:
        changes = replace(changes, name=None, leads=None)
        problems.pop("name", None)
        problems.pop("leads", None)
    if problems:
        raise TeamRejected(language, problems)
    try:
        team, created = update_team(
            session, workspace_id=workspace_id, channel_id=channel_id, changes=changes, now=now
        )
    except UnknownPrinciple:
        raise TeamRejected(language, {"pin": "gone"}) from None
    return TeamSaved(
        team_id=team.id,
        channel_id=team.channel_id,
        name=team.name,
        created=created,
        language=language,
        unconfirmed=chosen.unconfirmed if role.admin else (),
    )


def _changes(values: TeamInput, problems: dict[str, str]) -> TeamChanges:
    def checked(name: str, value: str | None, check: Callable[[str], Any]) -> Any:
        if value is None or not value.strip():
            problems[name] = "required"
            return None
        try:
            return check(value)
        except InvalidSetting:
            problems[name] = "invalid"
            return None

    leads = tuple(dict.fromkeys(values.leads))
    if not all(_slack_id(lead, "UW") for lead in leads):
        problems["leads"] = "invalid"
    nudge_time = checked("nudge_time", values.nudge_time, parse_clock_time)
    day = checked("celebrate_day", values.celebrate_day, lambda d: parse_celebrate(f"{d} 00:00"))
    at = checked("celebrate_time", values.celebrate_time, parse_clock_time)
    pulse = PULSE_CHOICES.get(values.pulse) if values.pulse is not None else None
    if values.pulse is not None and pulse is None:
        problems["pulse"] = "invalid"
    picture = values.celebration_picture
    return TeamChanges(
        celebration_picture=None
        if picture is None
        else checked("celebration_picture", picture, check_celebration_picture),
        pulse=pulse[0] if pulse else None,
        pulse_statements=pulse[1] if pulse else None,
        name=checked("name", values.name, check_team_name),
        leads=leads,
        nudge_time=nudge_time,
        celebrate=(day[0], at) if day is not None and at is not None else None,
        timezone=checked("timezone", values.timezone, lambda z: check_timezone(z.strip())),
        holiday_country=checked("holiday_country", values.holiday_country, check_holiday_country),
        language=checked("language", values.language, check_language),
        # No day ticked (or an older form without them): the workdays stay as they are.
        workdays=checked("workdays", values.workdays, _workdays) if values.workdays else None,
        pin=checked("pin", values.pin or NO_PIN, check_pin),
    )


def _workdays(digits: str) -> frozenset[int]:
    days = days_from_text(digits)
    if days is None:
        raise InvalidSetting(f"{digits!r} is not a list of weekdays")
    return days


def _pulse_choice(rule: PulseRule) -> str:
    """The form's choice for the team's newest pulse rule (perhaps one starting next month)."""
    return next(
        key
        for key, value in PULSE_CHOICES.items()
        if value == (rule.enabled, rule.enabled and rule.statements)
    )


def _require(
    session: Session, workspace_id: str, user_id: str, team_id: int | None, action: str
) -> Role:
    if team_id is None:
        return require_admin(session, workspace_id=workspace_id, user_id=user_id, action=action)
    return require_team_manager(
        session, workspace_id=workspace_id, user_id=user_id, team_id=team_id, action=action
    )


def _pins(session: Session, workspace_id: str, language: str) -> tuple[PinChoice, ...]:
    catalog = load_catalog(session, workspace_id=workspace_id)
    if catalog is None:
        return ()
    return tuple(
        PinChoice(key=p.id, name=principle_text(p, language).name, level=p.level)
        for p in catalog.principles
    )


def _slack_id(value: str, prefixes: str) -> bool:
    return 2 < len(value) <= 32 and value[0] in prefixes and value.isalnum() and value.isupper()
