"""What a person does with a nudge: answer it, skip it, snooze, or say how yesterday went.

Every function checks that the nudge or intention belongs to the person acting, in their own
workspace: a forged button or view cannot touch someone else's coaching.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.domain.team_settings import DEFAULT_TIMEZONE
from coach.services import people
from coach.store.models import Intention, Nudge, Person

MAX_INTENTION = 500
SNOOZE_DAYS = 7
Outcome = Literal["done", "not_done", "skipped"]


class NotYours(Exception):
    """The nudge or intention does not exist or belongs to someone else."""


class InvalidAnswer(Exception):
    def __init__(self, problem: Literal["empty", "too_long"]) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class NudgeRef:
    nudge_id: int
    language: str
    channel_id: str | None
    message_ts: str | None


def owned_nudge(
    session: Session, *, workspace_id: str, user_id: str, nudge_id: int
) -> tuple[Nudge, Person]:
    row = session.execute(
        select(Nudge, Person)
        .join(Person, Person.id == Nudge.person_id)
        .where(Nudge.id == nudge_id, Nudge.workspace_id == workspace_id, Person.user_id == user_id)
    ).first()
    if row is None:
        raise NotYours(f"nudge {nudge_id} is not {user_id}'s in {workspace_id}")
    return row[0], row[1]


def nudge_ref(session: Session, *, workspace_id: str, user_id: str, nudge_id: int) -> NudgeRef:
    nudge, _ = owned_nudge(session, workspace_id=workspace_id, user_id=user_id, nudge_id=nudge_id)
    return _ref(nudge)


def answer(
    session: Session, *, workspace_id: str, user_id: str, nudge_id: int, text: str, now: datetime
) -> tuple[NudgeRef, str]:
    """Store the answer as the day's intention (answering again replaces it)."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidAnswer("empty")
    if len(cleaned) > MAX_INTENTION:
        raise InvalidAnswer("too_long")
    nudge, person = owned_nudge(
        session, workspace_id=workspace_id, user_id=user_id, nudge_id=nudge_id
    )
    intention = session.scalar(select(Intention).where(Intention.nudge_id == nudge.id))
    if intention is None:
        intention = Intention(
            workspace_id=workspace_id,
            person_id=person.id,
            nudge_id=nudge.id,
            text=cleaned,
            created_at=now,
        )
        session.add(intention)
    intention.text = cleaned
    nudge.status, nudge.updated_at = "answered", now
    return _ref(nudge), cleaned


def answer_in_thread(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    channel_id: str,
    thread_ts: str,
    text: str,
    now: datetime,
) -> tuple[NudgeRef, str] | None:
    """A reply in the thread of a nudge counts as its answer; other DMs are not answers."""
    nudge = session.scalar(
        select(Nudge)
        .join(Person, Person.id == Nudge.person_id)
        .where(
            Nudge.workspace_id == workspace_id,
            Person.user_id == user_id,
            Nudge.channel_id == channel_id,
            Nudge.message_ts == thread_ts,
        )
    )
    if nudge is None:
        return None
    return answer(
        session, workspace_id=workspace_id, user_id=user_id, nudge_id=nudge.id, text=text, now=now
    )


def skip(
    session: Session, *, workspace_id: str, user_id: str, nudge_id: int, now: datetime
) -> NudgeRef:
    nudge, _ = owned_nudge(session, workspace_id=workspace_id, user_id=user_id, nudge_id=nudge_id)
    nudge.status, nudge.updated_at = "skipped", now
    return _ref(nudge)


def snooze(
    session: Session, *, workspace_id: str, user_id: str, nudge_id: int, now: datetime
) -> tuple[NudgeRef, date]:
    """No nudges for a week; returns the local date they start again."""
    nudge, person = owned_nudge(
        session, workspace_id=workspace_id, user_id=user_id, nudge_id=nudge_id
    )
    until = people.pause(
        session, workspace_id=workspace_id, user_id=user_id, days=SNOOZE_DAYS, now=now
    )
    nudge.status, nudge.updated_at = "snoozed", now
    return _ref(nudge), until.astimezone(ZoneInfo(person.tz or DEFAULT_TIMEZONE)).date()


def follow_up(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    intention_id: int,
    outcome: Outcome,
    now: datetime,
) -> tuple[str, str]:
    """Record how an intention went, without judgement; returns the language to answer in and
    the intention (a story form opens prefilled with it when it worked)."""
    row = session.execute(
        select(Intention, Person)
        .join(Person, Person.id == Intention.person_id)
        .where(
            Intention.id == intention_id,
            Intention.workspace_id == workspace_id,
            Person.user_id == user_id,
        )
    ).first()
    if row is None:
        raise NotYours(f"intention {intention_id} is not {user_id}'s in {workspace_id}")
    intention = row[0]
    intention.outcome, intention.outcome_at = outcome, now
    return people.language_of(session, workspace_id=workspace_id, user_id=user_id), intention.text


def _ref(nudge: Nudge) -> NudgeRef:
    return NudgeRef(nudge.id, nudge.language, nudge.channel_id, nudge.message_ts)
