"""Picture files: which Slack file shows a picture (by the digest of its data, words and drawing
version: picture_words.Picture.digest) in a conversation, with the words of that picture."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.store.db import insert_or_ignore
from coach.store.models import PictureFile


def picture_file(
    session: Session, *, workspace_id: str, channel_id: str, digest: str
) -> PictureFile | None:
    """The file already shared in `channel_id` with exactly this picture, if there is one."""
    return session.get(PictureFile, (workspace_id, channel_id, digest))


def latest_picture_file(
    session: Session, *, workspace_id: str, channel_id: str, kind: str, since: datetime
) -> PictureFile | None:
    """The newest file of this kind of picture shared in `channel_id` from `since` on."""
    return session.scalar(
        select(PictureFile)
        .where(
            PictureFile.workspace_id == workspace_id,
            PictureFile.channel_id == channel_id,
            PictureFile.kind == kind,
            PictureFile.created_at >= since,
        )
        .order_by(PictureFile.created_at.desc())
        .limit(1)
    )


def remember_picture_file(session: Session, row: PictureFile) -> None:
    """Record an upload; when two uploads of one picture race, the first one recorded stays."""
    values = {c.name: getattr(row, c.name) for c in PictureFile.__table__.columns}
    insert_or_ignore(
        session, PictureFile, [values], unique=["workspace_id", "channel_id", "digest"]
    )
