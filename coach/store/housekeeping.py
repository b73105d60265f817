"""Housekeeping: what the bot no longer needs, deleted a small batch at a time.

Each function deletes at most `limit` rows and returns how many it deleted, so the caller commits
after every batch and no transaction holds many rows or runs long.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, exists, literal_column, select, tuple_
from sqlalchemy.orm import Session, aliased

from coach.store.models import (
    Intention,
    Nudge,
    OutboxMessage,
    PictureFile,
    SlackEvent,
    Story,
    StoryDraft,
    Workspace,
)
from coach.store.outbox import DROPPED, FAILED, SENT, Kind

FINISHED = (SENT, FAILED, DROPPED)
# A story's messages: their keys keep an edit from sending them twice and the confirmation's
# channel and ts let an edit rewrite it, so they stay while the story can still be edited.
STORY_KINDS = (Kind.STORY_SAVED, Kind.STORY_CONSENT, Kind.STORY_THANKS)


# As the partial index ix_nudges_unanswered_day spells it, literally, so both databases use it.
NOT_ANSWERED = Nudge.status != literal_column("'answered'")


def workspace_ids(session: Session) -> list[str]:
    """Every workspace, installed or not: each keeps its own history."""
    return list(session.scalars(select(Workspace.id).order_by(Workspace.id)))


def delete_finished_messages(
    session: Session, *, workspace_id: str, before: datetime, limit: int
) -> int:
    """Sent, failed and dropped messages due before `before`, except a story's messages."""
    batch = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.status.in_(FINISHED),
            OutboxMessage.due_at < before,
            OutboxMessage.kind.not_in(STORY_KINDS),
        )
        .limit(limit)
    )
    return delete_messages(session, workspace_id=workspace_id, ids=list(session.scalars(batch)))


def finished_story_messages(
    session: Session, *, workspace_id: str, before: datetime, after_id: int, limit: int
) -> list[tuple[int, str]]:
    """(id, key) of a story's finished messages due before `before`, from id `after_id` on."""
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.key)
        .where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.status.in_(FINISHED),
            OutboxMessage.due_at < before,
            OutboxMessage.kind.in_(STORY_KINDS),
            OutboxMessage.id > after_id,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return [(row_id, key) for row_id, key in rows]


def editable_stories(session: Session, *, workspace_id: str, story_ids: list[int]) -> set[int]:
    """Which of these stories still exist and were not celebrated (so may still be edited)."""
    if not story_ids:
        return set()
    return set(
        session.scalars(
            select(Story.id).where(
                Story.workspace_id == workspace_id,
                Story.id.in_(story_ids),
                Story.celebrated_at.is_(None),
            )
        )
    )


def delete_messages(session: Session, *, workspace_id: str, ids: list[int]) -> int:
    """Delete these outbox rows of the workspace; returns how many."""
    if not ids:
        return 0
    result = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.workspace_id == workspace_id, OutboxMessage.id.in_(ids)
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def delete_drafts(session: Session, *, workspace_id: str, before: datetime, limit: int) -> int:
    """Story forms opened before `before`: a submission of one is refused as unknown."""
    view_ids = list(
        session.scalars(
            select(StoryDraft.view_id)
            .where(StoryDraft.workspace_id == workspace_id, StoryDraft.created_at < before)
            .limit(limit)
        )
    )
    if not view_ids:
        return 0
    result = session.execute(
        delete(StoryDraft).where(
            StoryDraft.workspace_id == workspace_id, StoryDraft.view_id.in_(view_ids)
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def delete_slack_events(session: Session, *, before: datetime, limit: int) -> int:
    """Event ids received before `before`: Slack retries an event within minutes, not days.

    The one delete across workspaces: these are Slack's delivery ids, not a workspace's data."""
    event_ids = list(
        session.scalars(
            select(SlackEvent.event_id).where(SlackEvent.received_at < before).limit(limit)
        )
    )
    if not event_ids:
        return 0
    result = session.execute(delete(SlackEvent).where(SlackEvent.event_id.in_(event_ids)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def unanswered_nudges(
    session: Session, *, workspace_id: str, before: date, after: tuple[date, int], limit: int
) -> list[tuple[int, date, bool]]:
    """(id, day, superseded) of the nudges from before `before` nobody answered, in (day, id)
    order after `after`; superseded: the person was shown the same example on a later day
    (so the rotation no longer needs this one to know when they last saw it)."""
    newer = aliased(Nudge)
    superseded = exists().where(
        newer.person_id == Nudge.person_id,
        newer.behaviour_id == Nudge.behaviour_id,
        newer.local_date > Nudge.local_date,
    )
    rows = session.execute(
        select(Nudge.id, Nudge.local_date, superseded)
        .where(
            Nudge.workspace_id == workspace_id,
            NOT_ANSWERED,
            Nudge.local_date < before,
            tuple_(Nudge.local_date, Nudge.id) > tuple_(*after),
            ~exists().where(Intention.nudge_id == Nudge.id),
        )
        .order_by(Nudge.local_date, Nudge.id)
        .limit(limit)
    )
    return [(nudge_id, day, bool(later)) for nudge_id, day, later in rows]


def delete_nudges(session: Session, *, workspace_id: str, ids: list[int]) -> int:
    """Delete these nudges of the workspace (their outbox rows, long gone, would go with them)."""
    if not ids:
        return 0
    result = session.execute(
        delete(Nudge).where(Nudge.workspace_id == workspace_id, Nudge.id.in_(ids))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def superseded_picture_files(
    session: Session, *, workspace_id: str, before: datetime, limit: int
) -> list[tuple[str, str, str]]:
    """(channel id, digest, file id) of picture files uploaded before `before` that are no
    longer their reader's current picture of that kind (a newer one was uploaded), oldest first."""
    newer = aliased(PictureFile)
    replaced = exists().where(
        newer.workspace_id == PictureFile.workspace_id,
        newer.channel_id == PictureFile.channel_id,
        newer.kind == PictureFile.kind,
        newer.created_at > PictureFile.created_at,
    )
    rows = session.execute(
        select(PictureFile.channel_id, PictureFile.digest, PictureFile.file_id)
        .where(PictureFile.workspace_id == workspace_id, PictureFile.created_at < before, replaced)
        .order_by(PictureFile.created_at)
        .limit(limit)
    )
    return [(channel_id, digest, file_id) for channel_id, digest, file_id in rows]


def delete_picture_files(
    session: Session, *, workspace_id: str, keys: list[tuple[str, str]]
) -> int:
    """Delete these (channel id, digest) picture file rows of the workspace; returns how many."""
    if not keys:
        return 0
    result = session.execute(
        delete(PictureFile).where(
            PictureFile.workspace_id == workspace_id,
            tuple_(PictureFile.channel_id, PictureFile.digest).in_(keys),
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
