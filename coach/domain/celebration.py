"""A team's weekly celebration, assembled from plain values; pure (no Slack, no database).

Seed 001: sharing 9+ stories is for activation, never control. So the celebration groups the
week's shared stories by principle, counts the team as a whole ("12 of 15 colleagues asked
themselves an HKI question") and never ranks or counts individuals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from coach.catalog.schema import LEVELS
from coach.domain.pulse import Enps

PREVIEW_AHEAD = timedelta(hours=2)  # the leads' preview comes this long before the post
LATE_LIMIT = timedelta(hours=12)  # a celebration not posted by then waits for next week's
MAX_NOTE = 500
PRIVATE_MIN_GROUP = 5  # counts drawn from private DM answers never cover fewer people


@dataclass(frozen=True)
class MinGroup:
    """How many people a team-level number must cover before anyone but the person sees it.

    Seed 001 again: a count over one or two people points at them ("1 of 2 colleagues..."). So
    a number is shown only when it covers `shared` people, or `private` when it is drawn from
    private answers (intentions); below that the line is left out, never "fewer than 3".
    """

    shared: int = 3
    private: int = PRIVATE_MIN_GROUP

    @classmethod
    def of(cls, min_group: int) -> MinGroup:
        """The setting COACH_MIN_GROUP; private answers need at least PRIVATE_MIN_GROUP."""
        return cls(min_group, max(min_group, PRIVATE_MIN_GROUP))

    def shown(self, number: int, *, people: int, private: bool = False) -> int | None:
        """`number` if the `people` it covers are enough, else None (leave the line out)."""
        return number if people >= (self.private if private else self.shared) else None


@dataclass(frozen=True)
class CelebrationStory:
    id: int
    text: str
    author_id: str
    for_team: bool  # a lead filed it for the team: the post names the team, not the lead
    credits: tuple[str, ...]
    principle_key: str | None
    created_at: datetime


@dataclass(frozen=True)
class PrincipleInfo:
    key: str
    level: str
    position: int
    name: str


@dataclass(frozen=True)
class PrincipleWeek:
    """One principle as the team lived it this week: its stories and HKI intentions."""

    key: str | None  # None: stories filed without a principle ("not sure")
    name: str | None
    stories: tuple[CelebrationStory, ...]
    intentions: int


@dataclass(frozen=True)
class Focus:
    name: str
    hki_question: str


@dataclass(frozen=True)
class PulseLine:
    month: date
    enps: Enps


@dataclass(frozen=True)
class CelebrationContent:
    language: str
    team_name: str
    channel_id: str
    iso_week: int
    groups: tuple[PrincipleWeek, ...]
    participants: int | None  # colleagues with an HKI intention this week; None: too few
    members: int
    counted: bool  # the team is big enough for story counts (MinGroup.shared)
    next_focus: Focus | None
    note: str | None
    # The team's pulse month that closed just before (from 5 answers on), as one line: the
    # team's own number and an invitation to talk, never beside another team's.
    pulse: PulseLine | None = None

    @property
    def quiet(self) -> bool:
        return not any(group.stories for group in self.groups)

    @property
    def story_ids(self) -> list[int]:
        return [story.id for group in self.groups for story in group.stories]


def group_by_principle(
    stories: Iterable[CelebrationStory],
    principles: Sequence[PrincipleInfo],
    intentions: dict[str, int],
) -> tuple[PrincipleWeek, ...]:
    """Stories per principle in pyramid order (operational first), oldest story first; a
    principle with intentions but no story still gets its line; unsorted stories come last."""
    by_key: dict[str | None, list[CelebrationStory]] = {}
    for story in sorted(stories, key=lambda s: (s.created_at, s.id)):
        known = story.principle_key in {p.key for p in principles}
        by_key.setdefault(story.principle_key if known else None, []).append(story)
    ordered = sorted(principles, key=lambda p: (LEVELS.index(p.level), p.position, p.key))
    groups = [
        PrincipleWeek(p.key, p.name, tuple(by_key.get(p.key, ())), intentions.get(p.key, 0))
        for p in ordered
        if by_key.get(p.key) or intentions.get(p.key)
    ]
    if by_key.get(None):
        groups.append(PrincipleWeek(None, None, tuple(by_key[None]), 0))
    return tuple(groups)
