"""9+ stories: one story by id (checked against the workspace), saving and deleting one, and
every story of a workspace as an operator exports them, with its team and principle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, selectinload

from coach.store.models import Principle, Story, Team


@dataclass(frozen=True)
class StoryRow:
    """One story with the names an export shows; plain values, detached from the session."""

    id: int
    created_at: datetime
    updated_at: datetime
    author: str
    filed_by: str
    team: str | None
    team_channel: str | None
    principle_key: str | None
    principle: str | None  # the name in the catalogue's own language
    level: str | None
    text: str
    shared: bool
    author_consent: str
    source: str
    celebrated_at: datetime | None
    credited: tuple[str, ...]


def stories_for_export(
    session: Session, *, workspace_id: str, since: datetime | None = None
) -> list[StoryRow]:
    """Every story of the workspace created at or after `since`, oldest first."""
    statement = (
        select(Story, Team, Principle)
        # The joins repeat the workspace so a row can never borrow another tenant's names.
        .outerjoin(Team, and_(Team.id == Story.team_id, Team.workspace_id == Story.workspace_id))
        .outerjoin(
            Principle,
            and_(Principle.id == Story.principle_id, Principle.workspace_id == Story.workspace_id),
        )
        .where(Story.workspace_id == workspace_id)
        .options(selectinload(Story.credits))
        .order_by(Story.created_at, Story.id)
    )
    if since is not None:
        statement = statement.where(Story.created_at >= since)
    return [_row(story, team, principle) for story, team, principle in session.execute(statement)]


def _row(story: Story, team: Team | None, principle: Principle | None) -> StoryRow:
    return StoryRow(
        id=story.id,
        created_at=story.created_at,
        updated_at=story.updated_at,
        author=story.author_id,
        filed_by=story.filed_by,
        team=team.name if team else None,
        team_channel=team.channel_id if team else None,
        principle_key=principle.key if principle else None,
        principle=principle.name if principle else None,
        level=principle.level if principle else None,
        text=story.text,
        shared=story.share,
        author_consent=story.author_consent,
        source=story.source,
        celebrated_at=story.celebrated_at,
        credited=tuple(credit.user_id for credit in story.credits),
    )


def get_story(session: Session, *, workspace_id: str, story_id: int) -> Story | None:
    """The story `story_id` if it is this workspace's (an id from a button is never trusted)."""
    story = session.get(Story, story_id)
    return story if story is not None and story.workspace_id == workspace_id else None


def story_of_author(
    session: Session, *, workspace_id: str, user_id: str, story_id: int
) -> Story | None:
    """The story `story_id` if `user_id` is its author (whose consent it waits for)."""
    statement = select(Story).where(
        Story.id == story_id, Story.workspace_id == workspace_id, Story.author_id == user_id
    )
    return session.scalar(statement)


def add_story(session: Session, story: Story) -> Story:
    """Save a new story with its credits; it has its id afterwards."""
    session.add(story)
    session.flush()
    return story


def delete_story(session: Session, story: Story) -> None:
    """Delete the story; its credits go with it, drafts that saved it forget it."""
    session.delete(story)
    session.flush()
