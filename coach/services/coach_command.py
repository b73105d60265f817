"""What `/coach ...` does, as plain outcomes the Slack layer turns into a reply."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.catalog.schema import CatalogSpec
from coach.deps import Deps
from coach.domain import coach_command as cmd
from coach.domain.team_settings import DEFAULT_TIMEZONE
from coach.services import people, privacy
from coach.services.story_wall import NotALead, WallReady, story_wall
from coach.store.catalog import load_catalog
from coach.store.people import get_person
from coach.store.workspaces import get_workspace

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Usage:
    """How to use `/coach` (the answer to `/coach help`), worded for the organisation."""

    organisation: str


@dataclass(frozen=True)
class Principles:
    catalog: CatalogSpec | None


@dataclass(frozen=True)
class LanguageSet:
    pass


@dataclass(frozen=True)
class TimeSet:
    at: time


@dataclass(frozen=True)
class WeekdaysSet:
    """The weekdays now in use, or (`allowed` only) a refusal: some were not the team's."""

    days: frozenset[int] | None
    allowed: frozenset[int]


@dataclass(frozen=True)
class RhythmSet:
    every: str
    days: frozenset[int]


@dataclass(frozen=True)
class Paused:
    until: date | None


@dataclass(frozen=True)
class Resumed:
    pass


@dataclass(frozen=True)
class NotUnderstood:
    text: str
    organisation: str


@dataclass(frozen=True)
class Invalid:
    kind: str
    given: str


@dataclass(frozen=True)
class DataReady:
    """Everything stored about the person, to be sent to them as a file after the ack."""

    user_id: str
    data: dict[str, Any]


@dataclass(frozen=True)
class NothingStored:
    pass


@dataclass(frozen=True)
class ForgetAsked:
    user_id: str
    summary: privacy.ForgetSummary


Outcome = (
    Usage
    | Principles
    | LanguageSet
    | TimeSet
    | WeekdaysSet
    | RhythmSet
    | Paused
    | Resumed
    | NotUnderstood
    | Invalid
    | DataReady
    | NothingStored
    | ForgetAsked
    | WallReady
    | NotALead
)


@dataclass(frozen=True)
class CoachReply:
    language: str  # the person's, after the command (`/coach language en` answers in English)
    outcome: Outcome


def run_coach_command(
    core: Deps,
    *,
    workspace_id: str,
    user_id: str,
    command: cmd.CoachCommand,
    channel_id: str = "",
) -> CoachReply:
    """Carry out the command in one transaction; returns what happened, to be said in the
    person's language. `channel_id`: where it was typed (`/coach wall` there picks that team)."""
    with core.unit_of_work() as session:
        if isinstance(command, cmd.Help):  # the commonest: one read, nothing to change
            language, organisation = people.language_and_organisation(
                session, workspace_id=workspace_id, user_id=user_id
            )
            return CoachReply(language, Usage(organisation))
        outcome = _run(
            session,
            command,
            workspace_id,
            user_id,
            core.clock.now(),
            core.settings.pulse_key,
            channel_id,
        )
        return CoachReply(
            people.language_of(session, workspace_id=workspace_id, user_id=user_id), outcome
        )


@dataclass(frozen=True)
class DmHelp:
    """What a direct message to the bot that is not an answer gets: a short help."""

    language: str
    organisation: str


def dm_help(core: Deps, *, workspace_id: str, user_id: str) -> DmHelp:
    """Help for someone who wrote to the bot ("hi, what is this?"), in their language."""
    with core.unit_of_work() as session:
        language, organisation = people.language_and_organisation(
            session, workspace_id=workspace_id, user_id=user_id
        )
        return DmHelp(language, organisation)


def _run(
    session: Session,
    command: cmd.CoachCommand,
    workspace_id: str,
    user_id: str,
    now: datetime,
    pulse_key: bytes | None,
    channel_id: str,
) -> Outcome:
    ids = {"workspace_id": workspace_id, "user_id": user_id}
    match command:
        case cmd.Help():
            return Usage(_organisation(session, workspace_id))
        case cmd.ShowPrinciples():
            return Principles(load_catalog(session, workspace_id=workspace_id))
        case cmd.SetLanguage(language=language):
            people.set_language(session, **ids, language=language, now=now)
            return LanguageSet()
        case cmd.SetTime(at=at):
            people.set_nudge_time(session, **ids, at=at, now=now)
            return TimeSet(at)
        case cmd.SetWeekdays(days=weekdays):
            chosen = people.set_weekdays(session, **ids, days=weekdays, now=now)
            return WeekdaysSet(chosen, people.team_workdays(session, **ids))
        case cmd.SetRhythm(every=every):
            people.set_rhythm(session, **ids, every=every, now=now)
            return RhythmSet(every, people.own_weekdays(session, **ids))
        case cmd.Pause(days=days):
            until = people.pause(session, **ids, days=days, now=now)
            return Paused(None if days is None else _local_date(session, until, **ids))
        case cmd.Resume():
            people.resume(session, **ids, now=now)
            return Resumed()
        case cmd.MyData():
            data = privacy.my_data(session, **ids, now=now, pulse_key=pulse_key)
            return NothingStored() if data is None else DataReady(user_id, data)
        case cmd.ForgetMe():
            return ForgetAsked(user_id, privacy.forget_summary(session, **ids))
        case cmd.Wall(screen=screen):
            language = people.language_of(session, **ids)
            wall = story_wall(
                session, **ids, channel_id=channel_id, screen=screen, language=language, now=now
            )
            if isinstance(wall, NotALead):
                logger.warning(
                    "refused /coach wall by %s in %s: leads no team", user_id, workspace_id
                )
            return wall
        case cmd.BadArgument(kind=kind, given=given):
            return Invalid(kind, given)
        case cmd.Unknown(text=text):
            return NotUnderstood(text, _organisation(session, workspace_id))


def _organisation(session: Session, workspace_id: str) -> str:
    workspace = get_workspace(session, workspace_id=workspace_id)
    return workspace.organisation if workspace is not None and workspace.organisation else "9+"


def _local_date(session: Session, at: datetime, *, workspace_id: str, user_id: str) -> date:
    person = get_person(session, workspace_id=workspace_id, user_id=user_id)
    zone = person.tz if person is not None and person.tz else DEFAULT_TIMEZONE
    return at.astimezone(ZoneInfo(zone)).date()
