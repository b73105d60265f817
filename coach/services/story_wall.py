"""`/coach wall`: a lead's team's celebrated stories of the last weeks, for a team meeting.

Only stories the team still may see (shared, their author agreed) and that a celebration showed
already, so the wall repeats what the channel saw; it counts nothing and ranks nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.store.catalog import get_principle, principle_text_of
from coach.store.stories import celebrated_since
from coach.store.teams import get_team, get_team_by_id, led_team_ids

WALL_WEEKS = 4


@dataclass(frozen=True)
class WallStory:
    text: str
    author_id: str
    for_team: bool
    credits: tuple[str, ...]
    principle: str | None
    day: date  # celebrated, in the team's time zone


@dataclass(frozen=True)
class WallReady:
    team_name: str
    channel_id: str
    weeks: int
    stories: tuple[WallStory, ...]
    screen: bool  # DM the lead a page for a screen instead of posting in the channel


@dataclass(frozen=True)
class NotALead:
    pass


def story_wall(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    channel_id: str,
    screen: bool,
    language: str,
    now: datetime,
) -> WallReady | NotALead:
    """The wall of the team whose channel the command came from if the person leads it, else
    of the first team they lead; NotALead when they lead none."""
    led = led_team_ids(session, workspace_id=workspace_id, user_id=user_id)
    here = get_team(session, workspace_id=workspace_id, channel_id=channel_id)
    team_id = here.id if here is not None and here.id in led else min(led, default=None)
    team = get_team_by_id(session, workspace_id=workspace_id, team_id=team_id) if team_id else None
    if team is None:
        return NotALead()
    zone = ZoneInfo(team.timezone)
    stories = []
    for story in celebrated_since(
        session, team_id=team.id, since=now - timedelta(weeks=WALL_WEEKS)
    ):
        principle = (
            get_principle(session, workspace_id=workspace_id, principle_id=story.principle_id)
            if story.principle_id is not None
            else None
        )
        stories.append(
            WallStory(
                text=story.text,
                author_id=story.author_id,
                for_team=story.for_team,
                credits=tuple(c.user_id for c in story.credits),
                principle=principle_text_of(principle, language).name if principle else None,
                day=(story.celebrated_at or now).astimezone(zone).date(),
            )
        )
    return WallReady(team.name, team.channel_id, WALL_WEEKS, tuple(stories), screen)
