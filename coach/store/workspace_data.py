"""Every row of one workspace, counted or deleted (`coach workspace delete`), and the rows a
workspace's retention period has run out on.

Each table is scoped to the workspace by its own workspace column, or by the row it belongs to
(a behaviour by its principle, a lead by its team, ...). `SCOPES` names every table, so a new
table without a scope fails the test that checks it, instead of being left behind.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Table, delete, func, select
from sqlalchemy.orm import Session

from coach.store import slack_tables
from coach.store.models import (
    Base,
    Intention,
    OutboxMessage,
    Principle,
    Story,
    Team,
    Workspace,
)
from coach.store.outbox import PENDING, SENDING, Kind

Scope = Callable[[Table, str], ColumnElement[bool]]


def _own_column(table: Table, workspace_id: str) -> ColumnElement[bool]:
    return table.c.workspace_id == workspace_id


def _installed_team(table: Table, workspace_id: str) -> ColumnElement[bool]:
    return table.c.team_id == workspace_id  # slack_sdk calls the workspace a team


def _of_principle(table: Table, workspace_id: str) -> ColumnElement[bool]:
    return table.c.principle_id.in_(
        select(Principle.id).where(Principle.workspace_id == workspace_id)
    )


def _of_team(table: Table, workspace_id: str) -> ColumnElement[bool]:
    return table.c.team_id.in_(select(Team.id).where(Team.workspace_id == workspace_id))


def _of_story(table: Table, workspace_id: str) -> ColumnElement[bool]:
    return table.c.story_id.in_(select(Story.id).where(Story.workspace_id == workspace_id))


def _the_workspace(table: Table, workspace_id: str) -> ColumnElement[bool]:
    return table.c.id == workspace_id


# Table name -> how its rows belong to a workspace; None: rows of no workspace (an OAuth state
# lives ten minutes, before anyone knows which workspace will install).
SCOPES: dict[str, Scope | None] = {
    "workspaces": _the_workspace,
    "behaviours": _of_principle,
    "team_leads": _of_team,
    "team_members": _of_team,
    "story_credits": _of_story,
    slack_tables.INSTALLATIONS: _installed_team,
    slack_tables.BOTS: _installed_team,
    slack_tables.OAUTH_STATES: None,
}


def _scope(table: Table) -> Scope | None:
    if table.name in SCOPES:
        return SCOPES[table.name]
    if "workspace_id" in table.c:
        return _own_column
    raise LookupError(f"table {table.name} has no workspace scope: add it to SCOPES")


def _tables_children_first() -> list[tuple[Table, Scope]]:
    scoped = [(table, _scope(table)) for table in reversed(Base.metadata.sorted_tables)]
    return [(table, scope) for table, scope in scoped if scope is not None]


def count_rows(session: Session, *, workspace_id: str) -> dict[str, int]:
    """How many rows each table holds for the workspace (tables with none are left out)."""
    counts = {}
    for table, scope in _tables_children_first():
        found = session.scalar(
            select(func.count()).select_from(table).where(scope(table, workspace_id))
        )
        if found:
            counts[table.name] = int(found)
    return counts


def delete_rows(session: Session, *, workspace_id: str) -> dict[str, int]:
    """Delete every row of the workspace in the caller's transaction, children before parents
    (no cascade is relied on); returns how many went per table."""
    deleted = {}
    for table, scope in _tables_children_first():
        result = session.execute(delete(table).where(scope(table, workspace_id)))
        if result.rowcount:  # type: ignore[attr-defined]
            deleted[table.name] = int(result.rowcount)  # type: ignore[attr-defined]
    session.expire_all()
    return deleted


def retention_periods(session: Session) -> list[tuple[str, int]]:
    """(workspace id, days) of every workspace that keeps intentions for a limited time."""
    rows = session.execute(
        select(Workspace.id, Workspace.retention_days)
        .where(Workspace.retention_days.is_not(None))
        .order_by(Workspace.id)
    )
    return [(workspace_id, days) for workspace_id, days in rows if days is not None]


def set_retention(session: Session, *, workspace_id: str, days: int | None) -> bool:
    """Set the workspace's retention period; False when the workspace is unknown."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        return False
    workspace.retention_days = days
    return True


def delete_expired_batch(
    session: Session, *, workspace_id: str, days: int, now: datetime, limit: int
) -> int:
    """Delete up to `limit` intentions created more than `days` before `now`, and up to `limit`
    finished nudge messages as old (a follow-up nudge quotes the day's intention); returns how
    many rows went. Call again until it returns 0; each call is meant for its own transaction."""
    before = now - timedelta(days=days)
    intentions = list(
        session.scalars(
            select(Intention.id)
            .where(Intention.workspace_id == workspace_id, Intention.created_at < before)
            .order_by(Intention.id)
            .limit(limit)
        )
    )
    messages = list(
        session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.kind == Kind.NUDGE,
                OutboxMessage.status.not_in((PENDING, SENDING)),
                OutboxMessage.created_at < before,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )
    if intentions:
        session.execute(delete(Intention).where(Intention.id.in_(intentions)))
    if messages:
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(messages)))
    return len(intentions) + len(messages)
