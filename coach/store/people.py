"""People as the coach knows them: one row per Slack user per workspace."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.store.models import Person


def people_of(session: Session, *, workspace_id: str, user_ids: Collection[str]) -> list[Person]:
    """The rows of those of `user_ids` the coach has met (in no particular order)."""
    if not user_ids:
        return []
    statement = select(Person).where(
        Person.workspace_id == workspace_id, Person.user_id.in_(set(user_ids))
    )
    return list(session.scalars(statement))
