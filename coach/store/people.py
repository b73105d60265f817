"""People as the coach knows them: one row per Slack user per workspace."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from coach.store.db import insert_or_ignore
from coach.store.models import Person, Workspace


def get_person(session: Session, *, workspace_id: str, user_id: str) -> Person | None:
    statement = select(Person).where(Person.workspace_id == workspace_id, Person.user_id == user_id)
    return session.scalar(statement)


@dataclass(frozen=True)
class Reader:
    """What choosing a person's language and naming their organisation needs, read at once."""

    own_language: str | None
    locale: str | None
    organisation: str | None  # None: no such workspace
    workspace_language: str | None


def reader(session: Session, *, workspace_id: str, user_id: str) -> Reader:
    """One statement of four columns, not two rows: a quick answer's only read (`/coach help`
    before its ack, issue 12)."""
    statement = (
        select(Person.language, Person.locale, Workspace.organisation, Workspace.language)
        .select_from(Workspace)
        .outerjoin(Person, and_(Person.workspace_id == Workspace.id, Person.user_id == user_id))
        .where(Workspace.id == workspace_id)
    )
    row = session.execute(statement).first()
    if row is None:  # no workspace: perhaps still a person (not in practice)
        person = get_person(session, workspace_id=workspace_id, user_id=user_id)
        return Reader(
            person.language if person else None, person.locale if person else None, None, None
        )
    return Reader(*row)


def ensure_person(session: Session, *, workspace_id: str, user_id: str, now: datetime) -> Person:
    """The person's row, created (with nothing known yet) the first time we meet them."""
    person = get_person(session, workspace_id=workspace_id, user_id=user_id)
    if person is None:
        person = Person(workspace_id=workspace_id, user_id=user_id, created_at=now, updated_at=now)
        session.add(person)
        session.flush()
    return person


def ensure_people(
    session: Session, *, workspace_id: str, user_ids: Collection[str], now: datetime
) -> dict[str, Person]:
    """ensure_person for many (one INSERT of the new ones, one read of all): user id -> row."""
    wanted = set(user_ids)
    known = {p.user_id: p for p in people_of(session, workspace_id=workspace_id, user_ids=wanted)}
    new = sorted(wanted - known.keys())
    if new:
        rows = [
            {"workspace_id": workspace_id, "user_id": u, "created_at": now, "updated_at": now}
            for u in new
        ]
        insert_or_ignore(session, Person, rows, unique=["workspace_id", "user_id"])
        known.update(
            (p.user_id, p) for p in people_of(session, workspace_id=workspace_id, user_ids=new)
        )
    return known


def people_of(session: Session, *, workspace_id: str, user_ids: Collection[str]) -> list[Person]:
    """The rows of those of `user_ids` the coach has met (in no particular order)."""
    if not user_ids:
        return []
    statement = select(Person).where(
        Person.workspace_id == workspace_id, Person.user_id.in_(set(user_ids))
    )
    return list(session.scalars(statement))


def active_humans(session: Session, *, workspace_id: str, user_ids: Collection[str]) -> set[str]:
    """Those of `user_ids` who are known humans of this workspace (not a bot, not deleted)."""
    if not user_ids:
        return set()
    statement = select(Person.user_id).where(
        Person.workspace_id == workspace_id,
        Person.user_id.in_(set(user_ids)),
        Person.is_bot.is_(False),
        Person.deleted.is_(False),
    )
    return set(session.scalars(statement))


def is_slack_admin(session: Session, *, workspace_id: str, user_id: str) -> bool:
    """Slack last said this (not deleted) person owns or administers the workspace."""
    statement = select(Person.slack_admin).where(
        Person.workspace_id == workspace_id,
        Person.user_id == user_id,
        Person.deleted.is_(False),
    )
    return bool(session.scalar(statement))


def due_for_nudge(session: Session, *, now: datetime, limit: int) -> list[Person]:
    """People whose next nudge is due at `now`, earliest first, locked for this transaction;
    rows another planner holds are skipped, so planners can run side by side. Across all
    workspaces: the planner serves every one."""
    statement = (
        select(Person)
        .where(Person.next_nudge_at <= now)
        .order_by(Person.next_nudge_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(statement))
