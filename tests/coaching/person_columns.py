"""Which columns hold a person, found in the models (and slack_sdk's install tables) by one
rule, so a table added later is covered by the privacy tests without anyone listing it.

The rule: a column holds a person when it is a foreign key to `people.id`, or when its name is
`user_id`, `author_id` or `actor`, or ends in `_user_id`, `_author` or `_by`; except the names in
NOT_A_PERSON, each with its reason.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Table, select
from sqlalchemy.orm import Session

import coach.store.slack_tables  # noqa: F401  (declares the install tables in the metadata)
from coach.store.models import Base

NOT_A_PERSON = {
    "bot_user_id": "the app's own bot user in the workspace (slack_sdk's install tables)",
    "claimed_by": "the process that leased an outbox row to send it",
}


def holds_a_person(column: Column[Any]) -> bool:
    if any(key.column.table.name == "people" for key in column.foreign_keys):
        return True
    name = column.name
    if name in NOT_A_PERSON:
        return False
    return name in {"user_id", "author_id", "actor"} or name.endswith(
        ("_user_id", "_author", "_by")
    )


PERSON_COLUMNS: dict[str, Column[Any]] = {
    f"{table.name}.{column.name}": column
    for table in Base.metadata.sorted_tables
    for column in table.columns
    if holds_a_person(column)
}
PERSON_TABLES: list[Table] = [
    table
    for table in Base.metadata.sorted_tables
    if any(holds_a_person(column) for column in table.columns)
]


def refers_to(column: Column[Any], *, user_id: str, person_id: int | None) -> Any:
    """The condition "this column names the person": their user id, or their `people` row."""
    if any(key.column.table.name == "people" for key in column.foreign_keys):
        return column == person_id
    return column == user_id


def rows_of_person_tables(session: Session) -> dict[str, list[str]]:
    """Every row of every table holding a person, comparable (sorted reprs)."""
    return {
        table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
        for table in PERSON_TABLES
    }
