"""A team's pyramid as plain values: stories (and intentions) per principle per level, only the
numbers that cover enough people, and the one reading that matters first: does the operational
base carry?

Seed 001 ("7+ first"): a 9+ experience can only be worked on once there is a reasonably running,
sufficient (7+) operational base. So the reading looks at the base before anything else: it
carries when at least half its principles had a shared story in the period and it holds at least
a third of all the team's stories; otherwise it is thin, and the suggestion is to pin the
operational principle with the fewest stories for the coming weeks. Pure: no Slack, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coach.catalog.schema import LEVELS
from coach.domain.celebration import MinGroup

Reading = Literal["carries", "thin", "empty", "unknown"]  # unknown: too few people to say
BASE = LEVELS[0]


@dataclass(frozen=True)
class PrincipleTally:
    """One principle's period, as the store counted it."""

    key: str
    level: str
    position: int
    name: str
    stories: int  # shared stories the team may see
    intentions: int = 0
    intention_people: int = 0  # how many people those intentions came from


@dataclass(frozen=True)
class PrincipleBar:
    name: str
    stories: int | None  # None: left out (too few people)
    intentions: int | None


@dataclass(frozen=True)
class LevelBars:
    level: str
    principles: tuple[PrincipleBar, ...]


@dataclass(frozen=True)
class TeamPyramid:
    levels: tuple[LevelBars, ...]  # the base first
    reading: Reading
    base_stories: int | None  # None when the reading is unknown
    all_stories: int | None
    weakest: str | None  # the base principle to pin while the base is thin

    @property
    def shown(self) -> tuple[tuple[str, int | None, int | None], ...]:
        """Every (name, stories, intentions) drawn: what a test of the group minimum reads."""
        return tuple(
            (p.name, p.stories, p.intentions) for level in self.levels for p in level.principles
        )


def team_pyramid(
    tallies: Sequence[PrincipleTally], *, members: int, minimum: MinGroup
) -> TeamPyramid:
    """The pyramid of a team of `members` people. Story counts need the team to be at least
    `minimum.shared` people; a principle's intentions need `minimum.private` people behind them."""
    counted = minimum.shown(members, people=members) is not None
    ordered = sorted(tallies, key=lambda t: (LEVELS.index(t.level), t.position, t.key))
    levels = tuple(
        LevelBars(
            level,
            tuple(
                PrincipleBar(
                    t.name,
                    t.stories if counted else None,
                    # People who have left may be among those behind the intentions: a
                    # team too small for story counts shows none of these either.
                    minimum.shown(t.intentions, people=t.intention_people, private=True)
                    if counted
                    else None,
                )
                for t in ordered
                if t.level == level
            ),
        )
        for level in LEVELS
    )
    if not counted:
        return TeamPyramid(levels, "unknown", None, None, None)
    base = [t for t in ordered if t.level == BASE]
    base_stories = sum(t.stories for t in base)
    total = sum(t.stories for t in ordered)
    weakest = min(base, key=lambda t: t.stories).name if base else None
    return TeamPyramid(levels, _reading(base, total), base_stories, total, weakest)


def _reading(base: Sequence[PrincipleTally], total: int) -> Reading:
    if total == 0:
        return "empty"
    lived = sum(1 for t in base if t.stories > 0)
    carries = base and 2 * lived >= len(base) and 3 * sum(t.stories for t in base) >= total
    return "carries" if carries else "thin"
