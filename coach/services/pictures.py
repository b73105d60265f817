"""What the pictures show, read from the database as plain values (drawing and wording live in
`coach/picture_words.py` and `coach/pictures/`), and which Slack file already shows a picture.

A team's pyramid covers the last `PYRAMID_WEEKS` weeks, the current one included, in the team's
time zone: the lead's Home, the celebration and the report all read it through `team_pyramid_of`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.catalog.schema import LevelSpec
from coach.deps import Deps
from coach.domain.celebration import MinGroup
from coach.domain.pyramid import PrincipleTally, TeamPyramid, team_pyramid
from coach.domain.schedule import iso_week
from coach.services.celebration_plan import member_count
from coach.store.catalog import list_principles, load_levels, principle_text_of
from coach.store.intentions import intentions_per_principle
from coach.store.models import PictureFile, Team
from coach.store.pictures import latest_picture_file, picture_file, remember_picture_file
from coach.store.stories import shared_since

PYRAMID_WEEKS = 8
REFRESH_AFTER = timedelta(hours=20)  # a changed Home picture is uploaded at most about daily


@dataclass(frozen=True)
class TeamPyramidView:
    """A team's pyramid with what its words need: the team, the weeks, the levels' own names."""

    team_id: int
    team_name: str
    language: str
    weeks: int
    first_week: int
    last_week: int
    level_names: dict[str, str]  # the organisation's names in the reader's language, where given
    minimum: MinGroup
    pyramid: TeamPyramid


def team_pyramid_of(
    session: Session, team: Team, *, now: datetime, minimum: MinGroup, language: str
) -> TeamPyramidView:
    zone = ZoneInfo(team.timezone)
    today = now.astimezone(zone).date()
    first = today - timedelta(days=today.weekday(), weeks=PYRAMID_WEEKS - 1)
    stories = Counter(
        principle_id
        for _, principle_id in shared_since(
            session, team_id=team.id, since=datetime.combine(first, time(), zone)
        )
    )
    intentions = intentions_per_principle(session, team_id=team.id, since=first)
    tallies = [
        PrincipleTally(
            key=p.key,
            level=p.level,
            position=p.position,
            name=principle_text_of(p, language).name,
            stories=stories.get(p.id, 0),
            intentions=intentions.get(p.id, (0, 0))[0],
            intention_people=intentions.get(p.id, (0, 0))[1],
        )
        for p in list_principles(session, workspace_id=team.workspace_id)
        if p.archived_at is None
    ]
    levels = load_levels(session, workspace_id=team.workspace_id)
    return TeamPyramidView(
        team_id=team.id,
        team_name=team.name,
        language=language,
        weeks=PYRAMID_WEEKS,
        first_week=iso_week(first)[1],
        last_week=iso_week(today)[1],
        level_names={level: _level_name(spec, language) for level, spec in levels.items()},
        minimum=minimum,
        pyramid=team_pyramid(tallies, members=member_count(session, team), minimum=minimum),
    )


def _level_name(spec: LevelSpec, language: str) -> str:
    variant = spec.translations.get(language)  # type: ignore[call-overload]
    return (variant or spec).name


@dataclass(frozen=True)
class SharedPicture:
    """A picture as it is shared in a conversation: its file and its own words."""

    file_id: str
    title: str
    alt: str
    reading: str


def shown_file(
    core: Deps, *, workspace_id: str, channel_id: str, digest: str, kind: str
) -> SharedPicture | None:
    """The Slack file to show instead of uploading: the one with exactly this picture in that
    conversation, else this kind's picture uploaded there in the last REFRESH_AFTER (with the
    words of that older picture, so its alt text still says what it shows).

    Sharing a file into a DM posts it there, so every changed picture would be a new message;
    a picture up to a day old on the Home tab (today's numbers are in the text beside it) is
    the lesser evil than a DM full of pictures."""
    where = {"workspace_id": workspace_id, "channel_id": channel_id}
    with core.unit_of_work() as session:
        row = picture_file(session, **where, digest=digest) or latest_picture_file(
            session, **where, kind=kind, since=core.clock.now() - REFRESH_AFTER
        )
        return None if row is None else SharedPicture(row.file_id, row.title, row.alt, row.reading)


def file_shown(
    core: Deps, *, workspace_id: str, channel_id: str, digest: str, kind: str, shared: SharedPicture
) -> None:
    """Remember that `shared.file_id` shows this picture in that conversation."""
    with core.unit_of_work() as session:
        remember_picture_file(
            session,
            PictureFile(
                workspace_id=workspace_id,
                channel_id=channel_id,
                digest=digest,
                kind=kind,
                file_id=shared.file_id,
                title=shared.title,
                alt=shared.alt,
                reading=shared.reading,
                created_at=core.clock.now(),
            ),
        )


def first_of_month(day: date) -> bool:
    """The month's first celebration falls in its first seven days: the pyramid goes with it."""
    return day.day <= 7
