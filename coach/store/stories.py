"""9+ stories: one story by id (checked against the workspace), saving and deleting one, and
every story of a workspace as an operator exports them, with its team and principle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, selectinload

from coach.store.models import Principle, Story, StoryCredit, Team

# A story the team may see (and a celebration may show): shared, and its author agreed.
TEAM_MAY_SEE = and_(Story.share.is_(True), Story.author_consent == "given")


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


def recent_stories_of(
    session: Session, *, workspace_id: str, user_id: str, limit: int
) -> list[tuple[Story, Principle | None]]:
    """The newest stories the person wrote or filed, newest first, with their principle."""
    statement = (
        select(Story, Principle)
        .outerjoin(Principle, Principle.id == Story.principle_id)
        .where(
            Story.workspace_id == workspace_id,
            (Story.author_id == user_id) | (Story.filed_by == user_id),
        )
        .options(selectinload(Principle.behaviours))
        .order_by(Story.created_at.desc(), Story.id.desc())
        .limit(limit)
    )
    return [(story, principle) for story, principle in session.execute(statement)]


def shared_since(
    session: Session, *, team_id: int, since: datetime
) -> list[tuple[datetime, int | None]]:
    """(created at, principle id) of the team's stories from `since` on that the team may see:
    shared, and their author agreed."""
    statement = select(Story.created_at, Story.principle_id).where(
        Story.team_id == team_id,
        Story.created_at >= since,
        TEAM_MAY_SEE,
    )
    return [(created, principle_id) for created, principle_id in session.execute(statement)]


def waiting_count(session: Session, *, team_id: int) -> int:
    """How many of the team's shared, agreed stories no celebration has shown yet."""
    statement = (
        select(func.count())
        .select_from(Story)
        .where(
            Story.team_id == team_id,
            TEAM_MAY_SEE,
            Story.celebrated_at.is_(None),
        )
    )
    return int(session.scalar(statement) or 0)


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


def shared_per_team_and_principle(
    session: Session, *, workspace_id: str, since: datetime
) -> list[tuple[int, int | None, int]]:
    """(team id, principle id, how many) of the stories from `since` on that the teams may see."""
    statement = (
        select(Story.team_id, Story.principle_id, func.count())
        .where(
            Story.workspace_id == workspace_id,
            Story.created_at >= since,
            Story.team_id.is_not(None),
            TEAM_MAY_SEE,
        )
        .group_by(Story.team_id, Story.principle_id)
    )
    rows = session.execute(statement)
    return [(int(team or 0), principle, int(n)) for team, principle, n in rows]


def most_shared(
    session: Session, *, workspace_id: str, since: datetime, limit: int
) -> list[tuple[Story, Team | None, Principle | None, int]]:
    """The stories from `since` on that the teams may see with the most colleagues credited
    (the most people who made them happen), newest first among equals; with each one's team,
    principle and number of credits."""
    # Counted per story found (the primary key's prefix), not grouped over every credit ever
    # given: that read grew with the years, in every workspace.
    credits = (
        select(func.count())
        .select_from(StoryCredit)
        .where(StoryCredit.story_id == Story.id)
        .correlate(Story)
        .scalar_subquery()
        .label("credits")
    )
    statement = (
        select(Story, Team, Principle, credits)
        .outerjoin(Team, and_(Team.id == Story.team_id, Team.workspace_id == Story.workspace_id))
        .outerjoin(
            Principle,
            and_(Principle.id == Story.principle_id, Principle.workspace_id == Story.workspace_id),
        )
        .where(Story.workspace_id == workspace_id, Story.created_at >= since, TEAM_MAY_SEE)
        .order_by(credits.desc(), Story.created_at.desc(), Story.id)
        .limit(limit)
    )
    return [(s, t, p, int(n)) for s, t, p, n in session.execute(statement)]


def celebrated_since(session: Session, *, team_id: int, since: datetime) -> list[Story]:
    """The team's stories celebrated from `since` on that the team may still see, oldest first
    (with their credits)."""
    statement = (
        select(Story)
        .where(Story.team_id == team_id, Story.celebrated_at >= since, TEAM_MAY_SEE)
        .options(selectinload(Story.credits))
        .order_by(Story.celebrated_at, Story.created_at, Story.id)
    )
    return list(session.scalars(statement))


def team_story_count(session: Session, *, team_id: int) -> int:
    """How many stories name the team (all of them, private ones too): they stay when it goes."""
    statement = select(func.count()).select_from(Story).where(Story.team_id == team_id)
    return int(session.scalar(statement) or 0)
