"""The outbox's hooks for celebrations: recompose a post or reply just before it is sent, and
record what happened once it was.

A story is celebrated only when the message showing it landed; a post that could not be made
leaves every story for next week's, and the leads hear why. The sender calls these inside the
transaction that records the batch, so they take its session and `now`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.domain.celebration import MinGroup
from coach.services.celebration_plan import CelebrationMessages, assemble, undeliverable
from coach.services.pictures import first_of_month, team_pyramid_of
from coach.store import celebrations as store
from coach.store import outbox
from coach.store.models import Celebration, Team
from coach.store.teams import get_team_by_id

# Slack allows about one post per second per channel; a 429 would park the whole workspace.
REPLY_SPACING = timedelta(seconds=1.5)
logger = logging.getLogger(__name__)


def refresh_post(
    session: Session,
    row: outbox.Claimed,
    *,
    now: datetime,
    messages: CelebrationMessages,
    minimum: MinGroup,
) -> dict[str, Any] | None:
    """The post as it should read now, just before it is sent: a story deleted, made private or
    forgotten since it was queued (Slack was down, the workspace rate-limited) is left out."""
    celebration = _celebration_of(session, row.workspace_id, row.key)
    if celebration is None or celebration.status != "queued":
        return None
    team = get_team_by_id(session, workspace_id=row.workspace_id, team_id=celebration.team_id)
    if team is None:
        return None
    return messages.post(assemble(session, team, celebration, now, minimum))


def refresh_reply(session: Session, row: outbox.Claimed) -> dict[str, Any] | None:
    """A thread reply just before it is sent: stories deleted, made private or forgotten since
    the post went out are taken out of it."""
    payload = dict(row.payload)
    per_block = payload.get("block_story_ids")
    if not isinstance(per_block, list) or len(per_block) != len(payload.get("blocks") or []):
        return None
    wanted = [i for i in per_block if isinstance(i, int)]
    still = store.still_celebrated(session, workspace_id=row.workspace_id, story_ids=wanted)
    if still == set(wanted):
        return None
    keep = [n for n, i in enumerate(per_block) if i is None or i in still]
    payload["blocks"] = [payload["blocks"][n] for n in keep]
    payload["block_story_ids"] = [per_block[n] for n in keep]
    payload["story_ids"] = [i for i in payload["block_story_ids"] if i is not None]
    return payload


def celebration_finished(
    session: Session,
    finished: list[outbox.Finished],
    *,
    now: datetime,
    messages: CelebrationMessages,
    minimum: MinGroup,
) -> None:
    """Outbox hook for posts: on success the post's stories are celebrated and its thread
    replies queued; on failure the stories wait for next week and the leads hear why."""
    for item in finished:
        celebration = _celebration_of(session, item.workspace_id, item.key)
        if celebration is None:
            continue
        team = get_team_by_id(session, workspace_id=item.workspace_id, team_id=celebration.team_id)
        if team is None:
            continue
        if item.status != outbox.SENT:
            undeliverable(session, celebration, team, item.error or item.status, now, messages)
            continue
        celebration.status, celebration.updated_at = "posted", now
        _celebrate(session, celebration, item.payload.get("story_ids"), now)
        replies = [
            outbox.message(
                workspace_id=team.workspace_id,
                key=f"{item.key}:reply:{n}",
                kind=outbox.Kind.CELEBRATION_REPLY,
                channel=item.channel or team.channel_id,
                payload={**part, "thread_ts": item.ts},
                now=now,
                due_at=now + REPLY_SPACING * n,
                expires_at=now + timedelta(days=1),
            )
            for n, part in enumerate(item.payload.get("thread") or [], start=1)
        ]
        outbox.enqueue(session, [*replies, *_picture(session, item, team, now, messages, minimum)])


def _picture(
    session: Session,
    item: outbox.Finished,
    team: Team,
    now: datetime,
    messages: CelebrationMessages,
    minimum: MinGroup,
) -> list[dict[str, Any]]:
    """The team's pyramid for the thread, after the replies: in the month's first celebration,
    unless the team turned it off."""
    local_day = now.astimezone(ZoneInfo(team.timezone)).date()
    if team.celebration_picture != "monthly" or not first_of_month(local_day):
        return []
    view = team_pyramid_of(session, team, now=now, minimum=minimum, language=team.language)
    replies = len(item.payload.get("thread") or [])
    return [
        outbox.message(
            workspace_id=team.workspace_id,
            key=f"{item.key}:picture",
            kind=outbox.Kind.CELEBRATION_PICTURE,
            channel=item.channel or team.channel_id,
            payload={**messages.picture(view), "thread_ts": item.ts},
            now=now,
            due_at=now + REPLY_SPACING * (replies + 1),
            expires_at=now + timedelta(days=1),
        )
    ]


def reply_finished(session: Session, finished: list[outbox.Finished], *, now: datetime) -> None:
    """Outbox hook for thread replies: their stories are celebrated once they are there; a
    reply that could not be posted leaves its stories for next week."""
    for item in finished:
        if item.status != outbox.SENT:
            logger.warning("celebration reply %s not posted: %s", item.key, item.error)
            continue
        celebration = _celebration_of(session, item.workspace_id, item.key)
        if celebration is not None:
            _celebrate(session, celebration, item.payload.get("story_ids"), now)


def _celebration_of(session: Session, workspace_id: str, key: str) -> Celebration | None:
    """The celebration an outbox key belongs to: `celebration:{id}` and `...:reply:{n}`."""
    celebration_id = int(key.split(":")[1])
    return store.get_celebration(session, workspace_id=workspace_id, celebration_id=celebration_id)


def _celebrate(session: Session, celebration: Celebration, story_ids: Any, now: datetime) -> None:
    store.mark_celebrated(
        session,
        workspace_id=celebration.workspace_id,
        celebration_id=celebration.id,
        story_ids=[i for i in story_ids or [] if isinstance(i, int)],
        now=now,
    )
