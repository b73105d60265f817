"""Answering the team pulse: a tap on the pulse DM becomes an anonymous answer.

The answer row holds the team, the month and a token: HMAC-SHA256 over the workspace, the
person's row id and the month, under `Settings.pulse_key` (made from a secret the server holds,
not the database). The token refuses a second answer of the same person in the same month, and
`/coach my-data` recomputes it to say in which months someone answered; from the database alone
nobody can tell whose token is whose.

A tap is checked on the server whatever the button said: the clicker was asked this month's
pulse (its DM was sent), is a member of that team, the month is still open, the score and the
statement are ones the month asks.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy.orm import Session

from coach.deps import Deps
from coach.domain.pulse import (
    AGREE_SCORES,
    ENPS_SCORES,
    is_open,
    local_today,
    month_of,
    months_back,
    statements_for,
)
from coach.services.people import language_for
from coach.services.refusals import NotPermitted
from coach.store import pulse as store
from coach.store.memberships import member_ids
from coach.store.models import Person, Team
from coach.store.people import get_person
from coach.store.scheduled import was_posted
from coach.store.teams import get_team_by_id
from coach.store.workspaces import get_workspace

logger = logging.getLogger(__name__)
ENPS = "enps"  # the question key of the eNPS question; the others are statement keys
MY_DATA_MONTHS = 36  # how far back `my-data` looks for the person's answers

Outcome = Literal["recorded", "already", "closed"]


@dataclass(frozen=True)
class PulseContent:
    """What a pulse DM shows, and which of its questions this person answered."""

    team_id: int
    team_name: str
    month: date
    language: str
    statements: tuple[str, ...]  # () when the team asks the eNPS question only
    enps_done: bool = False
    done: frozenset[str] = frozenset()
    outcome: Outcome | None = None  # what the last tap did


class PulseRefused(NotPermitted):
    """A tap that is not the clicker's to make (forged score, another team, a month not asked)."""


def invite_key(person_id: int, month: date) -> str:
    """The outbox key of a person's pulse DM of `month`: one a month, whatever happens."""
    return f"pulse:{person_id}:{month:%Y-%m}"


def token(key: bytes, *, workspace_id: str, person_id: int, month: date) -> str:
    message = f"{workspace_id}:{person_id}:{month:%Y-%m}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def answer(
    core: Deps,
    *,
    workspace_id: str,
    user_id: str,
    team_id: int,
    month: date,
    question: str,
    score: int,
) -> PulseContent:
    """Record one tap; raises PulseRefused. A second answer to the same question is not
    recorded (outcome "already"), nor one after the pulse closed ("closed")."""
    key = core.settings.pulse_key
    with core.unit_of_work() as session:
        person, team = _checked(session, workspace_id, user_id, team_id, month, core.clock.now())
        rule = store.pulse_rules(
            session, workspace_id=workspace_id, team_ids=[team.id], month=month
        )
        statements = _statements(rule.get(team.id), month)
        if not _valid(question, score, statements):
            raise _refuse("a question or score the month does not ask", user_id, workspace_id)
        if key is None:  # no server secret set: an answer could not be kept anonymous
            raise _refuse("no secret to make answer tokens with", user_id, workspace_id)
        secret = token(key, workspace_id=workspace_id, person_id=person.id, month=month)
        today = local_today(core.clock.now(), person.tz or team.timezone)
        outcome: Outcome = "closed"
        if is_open(month, today, team.holiday_country):
            added = _add(session, workspace_id, team.id, month, secret, question, score)
            outcome = "recorded" if added else "already"
        enps_done, done = store.answered(
            session, workspace_id=workspace_id, month=month, token=secret
        )
        language = language_for(person, get_workspace(session, workspace_id=workspace_id))
        return PulseContent(
            team.id, team.name, month, language, statements, enps_done, done, outcome
        )


def months_answered(session: Session, key: bytes | None, person: Person, today: date) -> list[date]:
    """The months in which this person answered a pulse (for my-data), found by recomputing
    their tokens: the answers themselves never name them."""
    if key is None:
        return []
    tokens = {
        token(key, workspace_id=person.workspace_id, person_id=person.id, month=month)
        for month in months_back(month_of(today), MY_DATA_MONTHS)
    }
    return store.months_answered(session, workspace_id=person.workspace_id, tokens=tokens)


def _checked(
    session: Session, workspace_id: str, user_id: str, team_id: int, month: date, now: datetime
) -> tuple[Person, Team]:
    person = get_person(session, workspace_id=workspace_id, user_id=user_id)
    team = get_team_by_id(session, workspace_id=workspace_id, team_id=team_id)
    if person is None or team is None:
        raise _refuse("an unknown person or team", user_id, workspace_id)
    if user_id not in member_ids(session, team_id=team.id):
        raise _refuse(f"team {team_id}, not theirs", user_id, workspace_id)
    # Sent live or by Slack's schedule: either way the tap, not message metadata, names the month.
    if not was_posted(
        session, workspace_id=workspace_id, key=invite_key(person.id, month), now=now
    ):
        raise _refuse(f"the pulse of {month:%Y-%m}, never sent to them", user_id, workspace_id)
    return person, team


def _add(
    session: Session,
    workspace_id: str,
    team_id: int,
    month: date,
    secret: str,
    question: str,
    score: int,
) -> bool:
    if question == ENPS:
        return store.add_answer(
            session,
            workspace_id=workspace_id,
            team_id=team_id,
            month=month,
            token=secret,
            score=score,
        )
    return store.add_statement_answer(
        session,
        workspace_id=workspace_id,
        team_id=team_id,
        month=month,
        token=secret,
        statement=question,
        score=score,
    )


def _statements(rule: store.PulseRule | None, month: date) -> tuple[str, ...]:
    return statements_for(month) if rule is not None and rule.statements else ()


def _valid(question: str, score: int, statements: tuple[str, ...]) -> bool:
    if question == ENPS:
        return score in ENPS_SCORES
    return question in statements and score in AGREE_SCORES


def _refuse(what: str, user_id: str, workspace_id: str) -> PulseRefused:
    logger.warning("refused a pulse answer by %s in %s: %s", user_id, workspace_id, what)
    return PulseRefused(what)
