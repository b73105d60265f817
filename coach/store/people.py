"""People as the coach knows them, looked up by their Slack ids."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.store.models import Person


def people_among(
    session: Session, *, workspace_id: str, user_ids: Collection[str]
) -> dict[str, Person]:
    """The people of this workspace the coach has met, of these user ids (bots, deactivated
    accounts included: the caller decides what they may be chosen for)."""
    if not user_ids:
        return {}
    statement = select(Person).where(
        Person.workspace_id == workspace_id, Person.user_id.in_(user_ids)
    )
    return {person.user_id: person for person in session.scalars(statement)}
