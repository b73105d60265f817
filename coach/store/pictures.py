"""Picture files: which Slack file shows a picture (by the digest of its PNG) in a conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.store.db import insert_or_ignore
from coach.store.models import PictureFile


def picture_file(
    session: Session, *, workspace_id: str, channel_id: str, digest: str
) -> str | None:
    """The file already shared in `channel_id` with exactly this picture, if there is one."""
    return session.scalar(
        select(PictureFile.file_id).where(
            PictureFile.workspace_id == workspace_id,
            PictureFile.channel_id == channel_id,
            PictureFile.digest == digest,
        )
    )


def remember_picture_file(
    session: Session,
    *,
    workspace_id: str,
    channel_id: str,
    digest: str,
    file_id: str,
    now: datetime,
) -> None:
    """Record an upload; when two uploads of one picture race, the first one recorded stays."""
    row = {
        "workspace_id": workspace_id,
        "channel_id": channel_id,
        "digest": digest,
        "file_id": file_id,
        "created_at": now,
    }
    insert_or_ignore(session, PictureFile, [row], unique=["workspace_id", "channel_id", "digest"])
