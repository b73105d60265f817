"""The day's coaching DM handed to Slack ahead of time (chat.scheduleMessage), as outbox rows:
a nudge, or what takes its place that day (the month's pulse DM, the question about the rhythm).

Such a row goes pending -> scheduling (claimed, leased) -> scheduled (Slack holds it:
`scheduled_id`, `sent_channel`) -> sent once its time has passed. A change that makes it wrong
turns a scheduled row into a withdrawing one (its key freed, its nudge deleted) until Slack has
deleted it. A scheduling row whose lease ran out may or may not be in Slack's queue: it is
claimed again marked ambiguous, and looked for in Slack's list before it is scheduled again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from coach.store.models import Nudge, OutboxMessage, Person, Workspace
from coach.store.outbox import AMBIGUOUS, PENDING, SENT, Claimed, Kind, lease_rows

SCHEDULING, SCHEDULED, WITHDRAWING = "scheduling", "scheduled", "withdrawing"
UNPOSTED = (PENDING, SCHEDULING, SCHEDULED)
# The messages that take a day's nudge's place: planned, handed over and withdrawn the same way.
INSTEAD = (Kind.PULSE, Kind.RHYTHM_QUESTION)
AHEAD = (Kind.NUDGE, *INSTEAD)  # what the scheduling lane hands to Slack ahead of its time


@dataclass(frozen=True)
class Held:
    """A message Slack holds for us (or is to delete): what deleting or checking it needs."""

    id: int
    key: str
    channel: str
    scheduled_id: str | None
    due_at: datetime
    nudge_id: int | None
    person_id: int | None  # None once withdrawn: nobody's any more


LIVE = "live:"  # last_error prefix of a nudge left to the live sender: not handed over


def workspaces_with_work(
    session: Session, *, now: datetime, earliest: datetime, latest: datetime
) -> list[str]:
    """Installed workspaces with a message to hand over (due in (earliest, latest]), one to
    withdraw, one whose time has passed, or a handover that may have been cut off."""
    statement = (
        select(OutboxMessage.workspace_id)
        .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
        .where(
            Workspace.uninstalled_at.is_(None),
            or_(
                _to_hand_over(earliest, latest),
                OutboxMessage.status == WITHDRAWING,
                and_(OutboxMessage.status == SCHEDULED, OutboxMessage.due_at <= now),
                and_(OutboxMessage.status == SCHEDULING, OutboxMessage.lease_until < now),
            ),
        )
        .group_by(OutboxMessage.workspace_id)
    )
    return list(session.scalars(statement))


def workspaces_holding(session: Session) -> list[str]:
    """Installed workspaces where Slack should be holding messages of ours."""
    statement = (
        select(OutboxMessage.workspace_id)
        .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
        .where(
            Workspace.uninstalled_at.is_(None),
            OutboxMessage.status.in_((SCHEDULED, WITHDRAWING)),
        )
        .group_by(OutboxMessage.workspace_id)
    )
    return list(session.scalars(statement))


def _to_hand_over(earliest: datetime, latest: datetime) -> Any:
    return and_(
        OutboxMessage.status == PENDING,
        OutboxMessage.kind.in_(AHEAD),
        OutboxMessage.due_at > earliest,
        OutboxMessage.due_at <= latest,
        or_(OutboxMessage.last_error.is_(None), ~OutboxMessage.last_error.startswith(LIVE)),
    )


def claim_to_schedule(
    session: Session,
    *,
    workspace_id: str,
    now: datetime,
    earliest: datetime,
    latest: datetime,
    limit: int,
    worker: str,
    lease: timedelta,
) -> list[Claimed]:
    """Claim up to `limit` messages due in (earliest, latest], soonest first, plus handovers
    whose lease ran out (marked ambiguous: Slack may hold them already)."""
    if limit <= 0:
        return []
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.kind.in_(AHEAD),
            or_(
                _to_hand_over(earliest, latest),
                and_(OutboxMessage.status == SCHEDULING, OutboxMessage.lease_until < now),
            ),
        )
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    taken = lease_rows(session, due, status=SCHEDULING, now=now, lease=lease, worker=worker)
    return sorted((c for c, _ in taken), key=lambda c: (c.due_at, c.id))


def still_scheduling(session: Session, ids: list[int], worker: str) -> dict[int, str]:
    """Of these claimed rows, the status of those this worker still holds, or that a change
    turned into withdrawing meanwhile (their Slack id must still be recorded, to delete it)."""
    if not ids:
        return {}
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.status)
        .where(
            OutboxMessage.id.in_(ids),
            or_(
                and_(OutboxMessage.status == SCHEDULING, OutboxMessage.claimed_by == worker),
                and_(OutboxMessage.status == WITHDRAWING, OutboxMessage.scheduled_id.is_(None)),
            ),
        )
        .with_for_update()
    )
    return {row_id: status for row_id, status in rows}


def record(session: Session, changes: list[dict[str, Any]]) -> None:
    """Write a batch's outcomes (each dict: the row's id and its new values)."""
    if changes:
        session.execute(update(OutboxMessage), changes)


def record_on_nudges(session: Session, changes: list[dict[str, Any]]) -> None:
    """Copy Slack's scheduled message ids onto the nudges (each dict: id, scheduled_message_id)."""
    if changes:
        session.execute(update(Nudge), changes)


def to_withdraw(
    session: Session, *, workspace_id: str, now: datetime, limit: int, lease: timedelta
) -> list[Held]:
    """Up to `limit` withdrawn messages to delete in Slack, leased so one process deletes each."""
    rows = list(
        session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.status == WITHDRAWING,
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
            )
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        row.lease_until = now + lease
    return [_held(row) for row in rows]


def forget_rows(session: Session, ids: list[int]) -> None:
    """Rows whose Slack message is deleted (or never was in Slack's queue)."""
    if ids:
        session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .execution_options(synchronize_session=False)
        )


def posted_by_now(session: Session, *, workspace_id: str, now: datetime) -> list[Held]:
    """Scheduled rows whose time has passed (Slack posted them): now sent, as of their time."""
    rows = list(
        session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.status == SCHEDULED,
                OutboxMessage.due_at <= now,
            )
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        row.status, row.sent_at, row.lease_until = SENT, row.due_at, None
    return [_held(row) for row in rows]


def held_in_slack(session: Session, *, workspace_id: str) -> list[Held]:
    """Every row whose message Slack should be holding (scheduled or to withdraw)."""
    rows = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.status.in_((SCHEDULED, WITHDRAWING)),
            OutboxMessage.scheduled_id.is_not(None),
        )
    )
    return [_held(row) for row in rows]


def handed_over_ids(session: Session, *, workspace_id: str) -> set[str]:
    """Slack ids the coach knows it handed over, whatever became of them since."""
    return set(
        session.scalars(
            select(OutboxMessage.scheduled_id).where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.scheduled_id.is_not(None),
            )
        )
    )


def look_again(session: Session, ids: list[int], *, now: datetime) -> None:
    """Scheduled rows Slack did not list: ambiguous, so the next handover looks for each in its
    DM at its minute first (a list read page by page can miss one) and adopts or re-hands it."""
    if ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == SCHEDULED)
            .values(status=SCHEDULING, lease_until=now, last_error=AMBIGUOUS)
            .execution_options(synchronize_session=False)
        )


def unposted_nudges(
    session: Session, *, workspace_id: str, person_id: int, now: datetime
) -> list[tuple[Nudge, OutboxMessage]]:
    """A person's nudges planned for later and not posted yet, with their outbox rows."""
    rows = session.execute(
        select(Nudge, OutboxMessage)
        .join(OutboxMessage, OutboxMessage.nudge_id == Nudge.id)
        .where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.person_id == person_id,
            OutboxMessage.status.in_(UNPOSTED),
            OutboxMessage.due_at > now,
        )
    )
    return [(nudge, row) for nudge, row in rows]


def unposted_instead(
    session: Session, *, workspace_id: str, now: datetime, person_id: int | None = None
) -> list[OutboxMessage]:
    """Pulse DMs and questions about the rhythm planned for later and not posted yet (pending,
    or in Slack's queue), of one person or (`person_id` None) of the whole workspace."""
    statement = select(OutboxMessage).where(
        OutboxMessage.workspace_id == workspace_id,
        OutboxMessage.kind.in_(INSTEAD),
        OutboxMessage.status.in_(UNPOSTED),
        OutboxMessage.due_at > now,
    )
    if person_id is not None:
        statement = statement.where(OutboxMessage.person_id == person_id)
    return list(session.scalars(statement))


def unposted_in_workspace(
    session: Session, *, workspace_id: str, now: datetime
) -> list[tuple[Nudge, OutboxMessage]]:
    """Every nudge of the workspace planned for later and not posted yet."""
    rows = session.execute(
        select(Nudge, OutboxMessage)
        .join(OutboxMessage, OutboxMessage.nudge_id == Nudge.id)
        .where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.status.in_(UNPOSTED),
            OutboxMessage.due_at > now,
        )
    )
    return [(nudge, row) for nudge, row in rows]


def people_by_id(session: Session, *, workspace_id: str, ids: Collection[int]) -> list[Person]:
    if not ids:
        return []
    return list(
        session.scalars(
            select(Person).where(Person.workspace_id == workspace_id, Person.id.in_(list(ids)))
        )
    )


def withdraw(session: Session, nudge: Nudge, row: OutboxMessage) -> None:
    """Take back a nudge not posted yet (`withdraw_row`), and the nudge with it."""
    withdraw_row(session, row)
    session.delete(nudge)
    session.flush()


def withdraw_row(session: Session, row: OutboxMessage) -> None:
    """Take back a message not posted yet: a pending row goes; a row Slack holds (or may hold)
    stays as withdrawing, cut loose from the person and the key (so the day's message can be
    planned again under it), until Slack has deleted it."""
    if row.status == PENDING:
        session.delete(row)
    else:
        if row.status == SCHEDULED:  # a handover in flight keeps its lease, to record its id
            row.lease_until = None
        row.status, row.key = WITHDRAWING, f"{row.key}:withdrawn:{row.id}"
        row.nudge_id, row.person_id, row.payload = None, None, {}
        row.channel = row.sent_channel or row.channel
    session.flush()


def was_posted(session: Session, *, workspace_id: str, key: str, now: datetime) -> bool:
    """Whether the message queued under `key` has reached its reader: posted live, or by
    Slack's schedule (its time has passed; the next pass records it as sent, without a ts)."""
    status = session.scalar(
        select(OutboxMessage.status).where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.key == key,
            or_(
                OutboxMessage.status == SENT,
                and_(OutboxMessage.status == SCHEDULED, OutboxMessage.due_at <= now),
            ),
        )
    )
    return status is not None


def learn_ts(session: Session, *, nudge_id: int, channel: str, ts: str) -> None:
    """Where a scheduled nudge landed, learnt from a click on it or a reply in its thread."""
    session.execute(
        update(Nudge)
        .where(Nudge.id == nudge_id, Nudge.message_ts.is_(None))
        .values(channel_id=channel, message_ts=ts)
        .execution_options(synchronize_session=False)
    )


def scheduled_nudge_in(
    session: Session, *, workspace_id: str, person_id: int, channel: str, around: datetime
) -> Nudge | None:
    """The person's scheduled nudge that Slack posted in `channel` at `around` (a thread's ts),
    while its ts is not known yet: Slack posts a scheduled message at its time."""
    return session.scalar(
        select(Nudge)
        .join(OutboxMessage, OutboxMessage.nudge_id == Nudge.id)
        .where(
            Nudge.workspace_id == workspace_id,
            Nudge.person_id == person_id,
            Nudge.message_ts.is_(None),
            Nudge.scheduled_message_id.is_not(None),
            OutboxMessage.sent_channel == channel,
            OutboxMessage.due_at <= around,
            OutboxMessage.due_at > around - POSTS_WITHIN,
        )
        .order_by(OutboxMessage.due_at.desc())
        .limit(1)
    )


POSTS_WITHIN = timedelta(minutes=10)  # how late Slack may post a scheduled message, at most


def _held(row: OutboxMessage) -> Held:
    channel = row.sent_channel or row.channel
    return Held(row.id, row.key, channel, row.scheduled_id, row.due_at, row.nudge_id, row.person_id)


def mark_posted(session: Session, held: list[Held]) -> None:
    """Nudges whose scheduled message Slack has posted: sent (unless answered meanwhile)."""
    for item in held:
        if item.nudge_id is None:
            continue
        session.execute(
            update(Nudge)
            .where(Nudge.id == item.nudge_id, Nudge.status == "queued")
            .values(status="sent", channel_id=item.channel)
            .execution_options(synchronize_session=False)
        )
