"""Story drafts: the story forms people opened (one row per Slack view), so a submission is
checked against the form it came from: who opened it, from where, crediting whom, editing what.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from coach.store.models import StoryDraft


def open_draft(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    view_id: str,
    source: str,
    now: datetime,
    credited_author: str | None = None,
    message_channel: str | None = None,
    message_ts: str | None = None,
    edit_of: int | None = None,
) -> StoryDraft:
    """Record the form `view_id` (a view id is Slack's, so a second open replaces the row)."""
    return session.merge(
        StoryDraft(
            view_id=view_id,
            workspace_id=workspace_id,
            user_id=user_id,
            source=source,
            credited_author=credited_author,
            message_channel=message_channel,
            message_ts=message_ts,
            edit_of=edit_of,
            created_at=now,
        )
    )


def find_draft(session: Session, *, workspace_id: str, view_id: str) -> StoryDraft | None:
    """The form `view_id` if it was opened in this workspace."""
    draft = session.get(StoryDraft, view_id)
    return draft if draft is not None and draft.workspace_id == workspace_id else None
