"""Intentions: what a person said they would do on a nudge's day, and later how it went."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from coach.store.models import Intention, Nudge, Person


def save_intention(
    session: Session,
    *,
    workspace_id: str,
    person_id: int,
    nudge_id: int,
    text: str,
    now: datetime,
) -> Intention:
    """The nudge's intention, created or (answered again) replaced: one per nudge."""
    intention = session.scalar(select(Intention).where(Intention.nudge_id == nudge_id))
    if intention is None:
        intention = Intention(
            workspace_id=workspace_id,
            person_id=person_id,
            nudge_id=nudge_id,
            text=text,
            created_at=now,
        )
        session.add(intention)
    intention.text = text
    return intention


def owned_intention(
    session: Session, *, workspace_id: str, user_id: str, intention_id: int
) -> Intention | None:
    """The intention, only when it is this user's in this workspace."""
    return session.scalar(
        select(Intention)
        .join(Person, Person.id == Intention.person_id)
        .where(
            Intention.id == intention_id,
            Intention.workspace_id == workspace_id,
            Person.user_id == user_id,
        )
    )


def open_intentions(
    session: Session, *, person_ids: Collection[int], since: datetime
) -> dict[int, tuple[int, str]]:
    """Per person, their latest intention from `since` on without an outcome: (id, text)."""
    latest: dict[int, tuple[int, str]] = {}
    if not person_ids:
        return latest
    rows = session.execute(
        select(Intention.person_id, Intention.id, Intention.text)
        .where(
            Intention.person_id.in_(list(person_ids)),
            Intention.outcome.is_(None),
            Intention.created_at >= since,
        )
        .order_by(Intention.created_at)
    )
    for person_id, intention_id, text in rows:
        latest[person_id] = (intention_id, text)  # the latest one wins
    return latest


def recent_intentions(session: Session, *, person_id: int, limit: int) -> list[Intention]:
    """The person's newest intentions, newest first."""
    return list(
        session.scalars(
            select(Intention)
            .where(Intention.person_id == person_id)
            .order_by(Intention.created_at.desc(), Intention.id.desc())
            .limit(limit)
        )
    )


def intentions_per_principle(
    session: Session, *, team_id: int, since: date
) -> dict[int, tuple[int, int]]:
    """The team's intentions on nudges from `since` on, per principle id: how many, and from how
    many different people (what the group minimum for private answers looks at)."""
    rows = session.execute(
        select(Nudge.principle_id, func.count(), func.count(distinct(Nudge.person_id)))
        .join(Intention, Intention.nudge_id == Nudge.id)
        .where(Nudge.team_id == team_id, Nudge.local_date >= since)
        .group_by(Nudge.principle_id)
    )
    return {principle_id: (count, people) for principle_id, count, people in rows}
