"""The outbox: messages owed, claimed by one sender at a time, never enqueued twice.

On PostgreSQL claims take `FOR UPDATE SKIP LOCKED`, so any number of processes can send side
by side; on SQLite (one process) the same statements run without the lock clause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from coach.store.models import OutboxMessage, Workspace

PENDING, SENDING, SENT, FAILED, DROPPED = "pending", "sending", "sent", "failed", "dropped"


@dataclass(frozen=True)
class Claimed:
    """A claimed row, detached from its session: what the sender needs to post it."""

    id: int
    workspace_id: str
    key: str
    kind: str
    channel: str
    payload: dict[str, Any]
    attempts: int
    expires_at: datetime
    ambiguous: bool  # an earlier attempt may have reached Slack: look before posting again


def enqueue(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert outbox rows, skipping any whose key exists; returns how many were new."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(OutboxMessage).values(rows).on_conflict_do_nothing(index_elements=["key"])
    result = session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def workspaces_with_due(session: Session, *, now: datetime) -> list[str]:
    """Workspaces that have something to send now and are not waiting out a 429."""
    statement = (
        select(OutboxMessage.workspace_id)
        .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
        .where(
            _claimable(now),
            Workspace.uninstalled_at.is_(None),
            or_(Workspace.send_parked_until.is_(None), Workspace.send_parked_until <= now),
        )
        .group_by(OutboxMessage.workspace_id)
        .order_by(func.min(OutboxMessage.due_at))
    )
    return list(session.scalars(statement))


def take_budget(
    session: Session, *, workspace_id: str, now: datetime, per_minute: int, burst: int, want: int
) -> int:
    """Take up to `want` sends from the workspace's shared token bucket (row-locked)."""
    statement = select(Workspace).where(Workspace.id == workspace_id).with_for_update()
    workspace = session.scalars(statement).one()
    if workspace.send_tokens_at is None:
        tokens = float(burst)
    else:
        elapsed = max((now - workspace.send_tokens_at).total_seconds(), 0.0)
        tokens = min(float(burst), workspace.send_tokens + elapsed * per_minute / 60.0)
    granted = max(0, min(want, int(tokens)))
    workspace.send_tokens, workspace.send_tokens_at = tokens - granted, now
    return granted


def give_back_budget(session: Session, *, workspace_id: str, count: int) -> None:
    if count > 0:
        session.execute(
            update(Workspace)
            .where(Workspace.id == workspace_id)
            .values(send_tokens=Workspace.send_tokens + count)
        )


def claim(
    session: Session, *, workspace_id: str, now: datetime, limit: int, worker: str, lease: timedelta
) -> list[Claimed]:
    """Claim up to `limit` due rows of one workspace, oldest first."""
    if limit <= 0:
        return []
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.workspace_id == workspace_id, _claimable(now))
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = []
    for row in session.scalars(statement):
        ambiguous = row.status == SENDING  # its lease ran out: that sender may have posted it
        row.status, row.lease_until, row.claimed_by = SENDING, now + lease, worker
        row.attempts += 1
        claimed.append(
            Claimed(
                id=row.id,
                workspace_id=row.workspace_id,
                key=row.key,
                kind=row.kind,
                channel=row.channel,
                payload=row.payload,
                attempts=row.attempts,
                expires_at=row.expires_at,
                ambiguous=ambiguous or row.last_error == "ambiguous",
            )
        )
    return claimed


def _claimable(now: datetime) -> Any:
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now),
    )


def get(session: Session, outbox_id: int) -> OutboxMessage:
    return session.get_one(OutboxMessage, outbox_id)
