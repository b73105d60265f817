"""Nudges: one person's HKI question of one local day, where it landed and what became of it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import distinct, func, insert, select, update
from sqlalchemy.orm import Session

from coach.store.models import Behaviour, Intention, Nudge, Person

ID_CHUNK = 5000  # ids per IN list: within SQLite's and PostgreSQL's bound-parameter limits


def record_nudges(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Queued nudges, one per person (each row: workspace_id, person_id, team_id, local_date,
    principle_id, behaviour_id, language, now), in one INSERT; their ids, in the order of
    `rows`."""
    if not rows:
        return []
    values = [
        {
            "workspace_id": row["workspace_id"],
            "person_id": row["person_id"],
            "team_id": row["team_id"],
            "local_date": row["local_date"],
            "principle_id": row["principle_id"],
            "behaviour_id": row["behaviour_id"],
            "language": row["language"],
            "status": "queued",
            "created_at": row["now"],
            "updated_at": row["now"],
        }
        for row in rows
    ]
    inserted = session.execute(
        insert(Nudge).values(values).returning(Nudge.person_id, Nudge.local_date, Nudge.id)
    )
    ids = {(person, day): nudge_id for person, day, nudge_id in inserted}
    return [ids[(row["person_id"], row["local_date"])] for row in rows]


def nudged_on(
    session: Session, *, person_ids: Collection[int], days: Collection[date]
) -> set[tuple[int, date]]:
    """(person id, local day) of the nudges these people have on these days."""
    if not person_ids or not days:
        return set()
    rows = session.execute(
        select(Nudge.person_id, Nudge.local_date).where(
            Nudge.person_id.in_(list(person_ids)), Nudge.local_date.in_(list(days))
        )
    )
    return {(person_id, day) for person_id, day in rows}


def principles_shown(
    session: Session, *, person_ids: Collection[int], since: date, until: date
) -> set[tuple[int, int, date]]:
    """(person id, principle id, local day) of these people's nudges from `since` to `until`
    (both included): whose nudge this week already showed a principle's customer voice."""
    if not person_ids:
        return set()
    rows = session.execute(
        select(Nudge.person_id, Nudge.principle_id, Nudge.local_date).where(
            Nudge.person_id.in_(list(person_ids)),
            Nudge.local_date >= since,
            Nudge.local_date <= until,
        )
    )
    return {(person_id, principle_id, day) for person_id, principle_id, day in rows}


def last_shown(
    session: Session, *, person_ids: Collection[int], behaviour_ids: Collection[int]
) -> dict[tuple[int, int], date]:
    """When each of these people was last shown each of these examples: (person id, behaviour
    id) -> local day, absent when never. One index probe per pair (ix_nudges_person_behaviour_day),
    so the cost follows the catalogue's size, not the years of history."""
    if not person_ids or not behaviour_ids:
        return {}
    last = (
        select(func.max(Nudge.local_date))
        .where(Nudge.person_id == Person.id, Nudge.behaviour_id == Behaviour.id)
        .correlate(Person, Behaviour)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Person.id, Behaviour.id, last)
        .select_from(Person)
        .join(Behaviour, Behaviour.id.in_(list(behaviour_ids)))
        .where(Person.id.in_(list(person_ids)))
    )
    return {(person_id, behaviour_id): day for person_id, behaviour_id, day in rows if day}


def set_delivered(session: Session, *, changes: list[dict[str, Any]]) -> None:
    """Bulk update of sent nudges: each change has the nudge's `id` and its new `status`,
    `channel_id` and `message_ts`."""
    if changes:
        session.execute(update(Nudge), changes)


def owned_nudge(
    session: Session, *, workspace_id: str, user_id: str, nudge_id: int
) -> tuple[Nudge, Person] | None:
    """The nudge with its person, only when it is this user's in this workspace."""
    row = session.execute(
        select(Nudge, Person)
        .join(Person, Person.id == Nudge.person_id)
        .where(Nudge.id == nudge_id, Nudge.workspace_id == workspace_id, Person.user_id == user_id)
    ).first()
    return None if row is None else (row[0], row[1])


def nudge_in_thread(
    session: Session, *, workspace_id: str, user_id: str, channel_id: str, thread_ts: str
) -> Nudge | None:
    """This user's nudge posted as the message `thread_ts` in `channel_id`, if it is one."""
    return session.scalar(
        select(Nudge)
        .join(Person, Person.id == Nudge.person_id)
        .where(
            Nudge.workspace_id == workspace_id,
            Person.user_id == user_id,
            Nudge.channel_id == channel_id,
            Nudge.message_ts == thread_ts,
        )
    )


def answered_since(session: Session, *, team_id: int, since: date) -> list[tuple[date, int]]:
    """(local day, person id) of each of the team's nudges from `since` on that got an answer.

    Two reads, each bounded by the team's nudges of those days: the nudges by team and day
    (ix_nudges_team_day), then which of them have an intention, by its unique nudge id. (As one
    join, PostgreSQL hashed a scan of every intention of every team.)"""
    asked = session.execute(
        select(Nudge.id, Nudge.local_date, Nudge.person_id).where(
            Nudge.team_id == team_id, Nudge.local_date >= since
        )
    ).all()
    ids = [nudge_id for nudge_id, _, _ in asked]
    answered: set[int] = set()
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        answered.update(
            session.scalars(select(Intention.nudge_id).where(Intention.nudge_id.in_(chunk)))
        )
    return [(day, person_id) for nudge_id, day, person_id in asked if nudge_id in answered]


def answering_people(
    session: Session, *, workspace_id: str, team_ids: list[int], since: date
) -> dict[int, int]:
    """Team id -> how many different people answered one of its nudges from `since` on.

    The nudge's status says it was answered (whether or not retention deleted the answer's
    words since), so no intention is read: joined to them, PostgreSQL hashed every intention
    of every year. Each team's nudges since `since` are one range of `ix_nudges_team_day`."""
    if not team_ids:
        return {}
    rows = session.execute(
        select(Nudge.team_id, func.count(distinct(Nudge.person_id)))
        .where(
            Nudge.workspace_id == workspace_id,
            Nudge.team_id.in_(team_ids),
            Nudge.local_date >= since,
            Nudge.status == "answered",
        )
        .group_by(Nudge.team_id)
    )
    return {int(team_id or 0): int(people) for team_id, people in rows}
