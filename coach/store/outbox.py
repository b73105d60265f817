"""The outbox: messages owed, claimed by one sender at a time, never enqueued twice.

On PostgreSQL claims take `FOR UPDATE SKIP LOCKED`, so any number of processes can send side
by side; on SQLite (one process) the same statements run without the lock clause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from coach.store.db import insert_or_ignore
from coach.store.models import OutboxMessage, Person, Workspace

PENDING, SENDING, SENT, FAILED, DROPPED = "pending", "sending", "sent", "failed", "dropped"
AMBIGUOUS = "ambiguous"  # last_error of a row that may have reached Slack


class Kind(StrEnum):
    """What a queued message is: the sender finds its hooks by kind, so one spelling each.

    The values are stored (`outbox.kind`, 16 characters at most): never rename one."""

    NUDGE = "nudge"
    STORY_SAVED = "story_saved"
    STORY_CONSENT = "story_consent"
    STORY_THANKS = "story_thanks"
    CELEBRATION = "celebration"
    CELEBRATION_REPLY = "celeb_reply"
    CELEBRATION_PREVIEW = "celeb_preview"
    CELEBRATION_PROBLEM = "celeb_problem"
    RHYTHM_QUESTION = "rhythm_question"
    PULSE = "pulse"  # the monthly team pulse, instead of that day's nudge
    CELEBRATION_PICTURE = "celeb_picture"  # the team's pyramid, uploaded into the thread


# The payload of a message that takes a day's nudge's place (the pulse DM, the question about
# the rhythm) records what it was composed for ({"language": ..., "team_id": ...}), so a change
# that makes it wrong is noticed while it waits (services/scheduled_nudges.py). Only the
# payload's text and blocks are sent to Slack.
COMPOSED_FOR = "composed_for"

INTERACTIVE, BULK = 0, 1  # outbox lanes: the sender claims the interactive lane first
# What a person waits for right after a click or a form; everything else is bulk (nudges and
# celebrations, queued by the thousand at 09:00 or on Friday afternoon).
INTERACTIVE_KINDS = frozenset(
    {
        Kind.STORY_SAVED,
        Kind.STORY_CONSENT,
        Kind.STORY_THANKS,
        Kind.CELEBRATION_PREVIEW,
        Kind.CELEBRATION_PROBLEM,
    }
)


def lane_of(kind: str) -> int:
    return INTERACTIVE if kind in INTERACTIVE_KINDS else BULK


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
    due_at: datetime
    expires_at: datetime
    ambiguous: bool  # an earlier attempt may have reached Slack: look before posting again
    person_id: int | None
    nudge_id: int | None


@dataclass(frozen=True)
class Finished:
    """How one queued message ended, for its kind's hook (e.g. to remember a nudge's ts)."""

    workspace_id: str
    key: str
    status: str  # SENT, FAILED or DROPPED
    channel: str | None  # where it landed, when SENT
    ts: str | None
    error: str | None = None
    nudge_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)  # what was (or would have been) sent


def enqueue(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert outbox rows, skipping any whose key exists; returns how many were new."""
    return insert_or_ignore(session, OutboxMessage, rows, unique=["key"])


def message(
    *,
    workspace_id: str,
    key: str,
    kind: Kind,
    channel: str,
    payload: dict[str, Any],
    now: datetime,
    expires_at: datetime,
    due_at: datetime | None = None,
    person_id: int | None = None,
    nudge_id: int | None = None,
    composed_for: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A new outbox row for `enqueue`: pending, due at `due_at` (default: now); `composed_for`
    goes into the payload under COMPOSED_FOR."""
    if composed_for is not None:
        payload = {**payload, COMPOSED_FOR: composed_for}
    return {
        "workspace_id": workspace_id,
        "key": key,
        "kind": kind,
        "channel": channel,
        "payload": payload,
        "person_id": person_id,
        "nudge_id": nudge_id,
        "status": PENDING,
        "lane": lane_of(kind),
        "due_at": due_at or now,
        "expires_at": expires_at,
        "attempts": 0,
        "created_at": now,
    }


@dataclass(frozen=True)
class Waiting:
    """Messages of one kind not sent yet: how many, and when the oldest of them was queued."""

    kind: str
    messages: int
    oldest_queued_at: datetime


def waiting(session: Session) -> list[Waiting]:
    """The outbox's backlog by kind, for /metrics (an operator's view, across workspaces).

    Only unsent rows are read, through `ix_outbox_due` (status first): the sent ones, by far
    the most, are not visited."""
    statement = (
        select(OutboxMessage.kind, func.count(), func.min(OutboxMessage.created_at))
        .where(OutboxMessage.status.in_((PENDING, SENDING)))
        .group_by(OutboxMessage.kind)
    )
    return [Waiting(kind, count, oldest) for kind, count, oldest in session.execute(statement)]


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
        .order_by(func.min(OutboxMessage.lane), func.min(OutboxMessage.due_at))
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
    """Claim up to `limit` due rows of one workspace in one statement: the interactive lane
    first, then oldest first.

    A row whose lease ran out was being sent by a process that died: it is marked ambiguous,
    so the sender looks for it in Slack before posting it again.
    """
    if limit <= 0:
        return []
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.workspace_id == workspace_id, _claimable(now))
        .order_by(OutboxMessage.lane, OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    taken = lease_rows(session, due, status=SENDING, now=now, lease=lease, worker=worker)
    return [c for c, _ in sorted(taken, key=lambda t: (t[1], t[0].due_at, t[0].id))]


def lease_rows(
    session: Session,
    due: Select[Any],
    *,
    status: str,
    now: datetime,
    lease: timedelta,
    worker: str,
) -> list[tuple[Claimed, int]]:
    """Lease the rows `due` selects to `worker` under `status`, in one statement; each with its
    lane. A row that was in `status` already had a lease that ran out (its process died while
    talking to Slack): it comes back marked ambiguous, to be looked for in Slack first."""
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(
            status=status,
            lease_until=now + lease,
            claimed_by=worker,
            attempts=OutboxMessage.attempts + 1,
            last_error=case(
                (OutboxMessage.status == status, AMBIGUOUS), else_=OutboxMessage.last_error
            ),
        )
        .returning(
            OutboxMessage.id,
            OutboxMessage.workspace_id,
            OutboxMessage.key,
            OutboxMessage.kind,
            OutboxMessage.channel,
            OutboxMessage.payload,
            OutboxMessage.attempts,
            OutboxMessage.lane,
            OutboxMessage.due_at,
            OutboxMessage.expires_at,
            OutboxMessage.last_error,
            OutboxMessage.person_id,
            OutboxMessage.nudge_id,
        )
        .execution_options(synchronize_session=False)
    )
    return [
        (
            Claimed(
                id=row.id,
                workspace_id=row.workspace_id,
                key=row.key,
                kind=row.kind,
                channel=row.channel,
                payload=row.payload,
                attempts=row.attempts,
                due_at=row.due_at,
                expires_at=row.expires_at,
                ambiguous=row.last_error == AMBIGUOUS,
                person_id=row.person_id,
                nudge_id=row.nudge_id,
            ),
            row.lane,
        )
        for row in session.execute(statement)
    ]


def still_ours(session: Session, ids: list[int], worker: str) -> set[int]:
    """Which of these claimed rows this worker still holds (a lease may have run out)."""
    if not ids:
        return set()
    statement = select(OutboxMessage.id).where(
        OutboxMessage.id.in_(ids),
        OutboxMessage.status == SENDING,
        OutboxMessage.claimed_by == worker,
    )
    return set(session.scalars(statement.with_for_update()))


def finish(session: Session, changes: list[dict[str, Any]]) -> None:
    """Write the outcome of a batch in one executemany (each dict: id plus new values)."""
    if changes:
        session.execute(update(OutboxMessage), changes)


def sent_message(session: Session, *, workspace_id: str, key: str) -> tuple[str, str] | None:
    """Where the message queued under `key` landed (channel, ts), once it was sent."""
    row = session.execute(
        select(OutboxMessage.sent_channel, OutboxMessage.sent_ts).where(
            OutboxMessage.workspace_id == workspace_id, OutboxMessage.key == key
        )
    ).first()
    if row is None or row.sent_channel is None or row.sent_ts is None:
        return None
    return row.sent_channel, row.sent_ts


def posted_blocks(
    session: Session, *, workspace_id: str, nudge_id: int, channel: str, ts: str
) -> list[dict[str, Any]] | None:
    """The blocks of the nudge message that landed at (channel, ts), as we sent them; None once
    housekeeping deleted its row (`ix_outbox_nudge`)."""
    payload = session.scalar(
        select(OutboxMessage.payload).where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.nudge_id == nudge_id,
            OutboxMessage.sent_channel == channel,
            OutboxMessage.sent_ts == ts,
        )
    )
    blocks = payload.get("blocks") if isinstance(payload, dict) else None
    return blocks if isinstance(blocks, list) else None


def is_queued(session: Session, *, workspace_id: str, key: str) -> bool:
    """Whether a message was queued under `key` (whatever became of it since)."""
    found = session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.workspace_id == workspace_id, OutboxMessage.key == key
        )
    )
    return found is not None


def due_moments(
    session: Session, *, kind: Kind, person_ids: list[int], since: datetime
) -> set[tuple[int, datetime]]:
    """(person, due_at) of the people's messages of this kind due after `since`: e.g. which
    day's message was their pulse, queued when the day was planned."""
    if not person_ids:
        return set()
    rows = session.execute(
        select(OutboxMessage.person_id, OutboxMessage.due_at).where(
            OutboxMessage.kind == kind,
            OutboxMessage.person_id.in_(person_ids),
            OutboxMessage.due_at > since,
        )
    )
    return {(person_id, due_at) for person_id, due_at in rows if person_id is not None}


def drop_pending(session: Session, *, workspace_id: str, keys: list[str]) -> int:
    """Forget queued messages not yet claimed (their subject is gone); returns how many.

    A key also covers its later rounds (`key:...`, e.g. a consent question asked again)."""
    if not keys:
        return 0
    result = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.workspace_id == workspace_id,
            or_(OutboxMessage.key.in_(keys), *(OutboxMessage.key.like(f"{k}:%") for k in keys)),
            OutboxMessage.status == PENDING,
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _claimable(now: datetime) -> Any:
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now),
    )


def set_payload(session: Session, row_id: int, payload: dict[str, Any]) -> None:
    """A claimed row's content, recomposed just before sending (see Sender's refresh)."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(payload=payload)
        .execution_options(synchronize_session=False)
    )


def park_workspace(session: Session, *, workspace_id: str, until: datetime) -> None:
    """No sending to the workspace before `until` (Slack answered 429); a later park wins."""
    workspace = session.get_one(Workspace, workspace_id)
    if workspace.send_parked_until is None or workspace.send_parked_until < until:
        workspace.send_parked_until = until


def mark_unreachable(session: Session, *, person_id: int, error: str) -> None:
    """Slack says the person cannot be written to: no more nudges until they are seen again."""
    person = session.get_one(Person, person_id)
    person.unreachable, person.next_nudge_at = error[:64], None
