"""A person's own settings: language, nudge time, rhythm, pause. Used by `/coach` and the App
Home, inside their unit of work (so these take the session)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.orm import Session

from coach.domain.schedule import (
    MON_TO_FRI,
    Every,
    days_from_text,
    days_to_text,
    person_rhythm,
)
from coach.services.rhythm import reacted, reschedule
from coach.store.memberships import primary_team
from coach.store.models import Person, Workspace
from coach.store.people import Reader, active_humans, ensure_person, get_person, reader
from coach.store.workspaces import get_workspace

PAUSED_INDEFINITELY = datetime(9999, 12, 31, tzinfo=UTC)
FALLBACK_LANGUAGE = "en"


def language_of(session: Session, *, workspace_id: str, user_id: str) -> str:
    """The person's own choice, else the language of their Slack locale, else the catalogue's."""
    person = get_person(session, workspace_id=workspace_id, user_id=user_id)
    return language_for(person, get_workspace(session, workspace_id=workspace_id))


def language_for(person: Person | None, workspace: Workspace | None) -> str:
    return _chosen(
        Reader(
            person.language if person else None,
            person.locale if person else None,
            workspace.organisation if workspace else None,
            workspace.language if workspace else None,
        )
    )


def language_and_organisation(
    session: Session, *, workspace_id: str, user_id: str
) -> tuple[str, str]:
    """`language_of` and the organisation's name ("9+" until a catalogue names it), in one
    read."""
    found = reader(session, workspace_id=workspace_id, user_id=user_id)
    return _chosen(found), found.organisation or "9+"


def _chosen(found: Reader) -> str:
    if found.own_language:
        return found.own_language
    if found.locale:
        prefix = found.locale.split("-")[0].lower()
        if prefix in ("nl", "en"):
            return prefix
    if found.organisation and found.workspace_language:
        return found.workspace_language
    return FALLBACK_LANGUAGE


def set_language(
    session: Session, *, workspace_id: str, user_id: str, language: str, now: datetime
) -> None:
    person = ensure_person(session, workspace_id=workspace_id, user_id=user_id, now=now)
    person.language, person.updated_at = language, now
    reschedule(session, person, now=now)  # a nudge planned in the old language is planned again


def set_nudge_time(
    session: Session, *, workspace_id: str, user_id: str, at: time, now: datetime
) -> Person:
    person = ensure_person(session, workspace_id=workspace_id, user_id=user_id, now=now)
    person.nudge_time, person.updated_at = at, now
    reschedule(session, person, now=now)
    return person


def team_workdays(session: Session, *, workspace_id: str, user_id: str) -> frozenset[int]:
    """The weekdays the person's team allows (Monday to Friday without a team)."""
    team = primary_team(session, workspace_id=workspace_id, user_id=user_id)
    return (days_from_text(team.workdays) if team is not None else None) or MON_TO_FRI


def own_weekdays(session: Session, *, workspace_id: str, user_id: str) -> frozenset[int]:
    """The weekdays the person is nudged on (their choice within the team's, else the team's)."""
    allowed = team_workdays(session, workspace_id=workspace_id, user_id=user_id)
    person = get_person(session, workspace_id=workspace_id, user_id=user_id)
    own = days_from_text(person.weekdays) if person is not None else None
    return person_rhythm(allowed, own, None, backed_off=False).days


def set_weekdays(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    days: frozenset[int] | None,
    now: datetime,
) -> frozenset[int] | None:
    """Nudges only on these weekdays (None: the team's). Returns the days that were stored, or
    None with nothing changed when some of them are outside what the team allows."""
    allowed = team_workdays(session, workspace_id=workspace_id, user_id=user_id)
    if days is not None and not days <= allowed:
        return None
    person = ensure_person(session, workspace_id=workspace_id, user_id=user_id, now=now)
    person.weekdays = None if days is None or days == allowed else days_to_text(days)
    person.updated_at = now
    reacted(session, person, now=now)
    reschedule(session, person, now=now)
    return days or allowed


def set_rhythm(
    session: Session, *, workspace_id: str, user_id: str, every: Every, now: datetime
) -> None:
    """How often: every workday of theirs, three times a week, or weekly."""
    person = ensure_person(session, workspace_id=workspace_id, user_id=user_id, now=now)
    person.rhythm, person.updated_at = every, now
    reacted(session, person, now=now)
    reschedule(session, person, now=now)


def pause(
    session: Session, *, workspace_id: str, user_id: str, days: int | None, now: datetime
) -> datetime:
    """Pause nudges for `days` (or until resumed); returns the moment they start again."""
    person = ensure_person(session, workspace_id=workspace_id, user_id=user_id, now=now)
    person.paused_until = PAUSED_INDEFINITELY if days is None else now + timedelta(days=days)
    person.updated_at = now
    reschedule(session, person, now=now)
    return person.paused_until


def resume(session: Session, *, workspace_id: str, user_id: str, now: datetime) -> None:
    person = ensure_person(session, workspace_id=workspace_id, user_id=user_id, now=now)
    person.paused_until, person.updated_at = None, now
    reschedule(session, person, now=now)


def are_people(session: Session, *, workspace_id: str, user_ids: Collection[str]) -> bool:
    """Every one of them is a known, active human of this workspace (not a bot, not deleted)."""
    wanted = set(user_ids)
    return active_humans(session, workspace_id=workspace_id, user_ids=wanted) == wanted
