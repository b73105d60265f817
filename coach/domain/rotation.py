"""What a nudge is about: the team's principle of the week and the person's next example; pure.

Both are computed from what is stored (the active catalogue, the ISO week, what a person has
already been shown), so no rotation state needs to be kept or repaired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from coach.catalog.schema import LEVELS

# Any fixed Monday works (2001-01-01 is ISO 2001-W01-1); changing it would shift every team's
# rotation, so it never changes.
ROTATION_EPOCH = date(2001, 1, 1)


@dataclass(frozen=True)
class FocusCandidate:
    """An active principle as the rotation sees it: `position` is its place in the catalogue."""

    id: str
    level: str
    position: int


def week_index(iso_year: int, iso_week: int) -> int:
    """Weeks since ROTATION_EPOCH: consecutive ISO weeks get consecutive numbers, also from
    week 53 into week 1, which `iso_week % n` or `iso_year * 52 + iso_week` would get wrong."""
    monday = date.fromisocalendar(iso_year, iso_week, 1)
    return (monday - ROTATION_EPOCH).days // 7


def rotation_order(principles: Sequence[FocusCandidate]) -> list[FocusCandidate]:
    """Operational first, then relational, then meaning; within a level by catalogue position.

    The pyramid's order: a 9+ needs a sound 7+ operational base. The id breaks ties so the
    order never depends on how the caller happened to list the principles.
    """
    for principle in principles:
        if principle.level not in LEVELS:
            raise ValueError(
                f"principle {principle.id!r} has level {principle.level!r}; expected one of {', '.join(LEVELS)}"
            )
    return sorted(principles, key=lambda p: (LEVELS.index(p.level), p.position, p.id))


def focus_principle(
    principles: Sequence[FocusCandidate],
    *,
    iso_year: int,
    iso_week: int,
    pinned: str | None,
) -> str | None:
    """The id of the team's principle in focus that ISO week, or None for an empty catalogue.

    One principle per week through `rotation_order`, round and round. A pinned principle wins
    while it is still active; archived principles are simply not passed in. Adding or archiving
    a principle changes the count, so that week the rotation may jump to another place.
    """
    index = week_index(iso_year, iso_week)  # first, so a nonexistent week fails even when pinned
    if not principles:
        return None
    if pinned is not None and any(p.id == pinned for p in principles):
        return pinned
    order = rotation_order(principles)
    return order[index % len(order)].id


def next_behaviour(behaviour_ids: Sequence[int], shown: Sequence[int]) -> int:
    """The behaviour example to show a person next.

    `behaviour_ids` are the principle's current examples in catalogue order; `shown` is what this
    person was shown for the principle, oldest first, possibly with ids no longer current.
    Examples never shown come first, in catalogue order; after that the one shown longest ago.
    So no example repeats before every current one has been shown since it last appeared, and
    each round repeats the order of the one before: catalogue order for a person who started
    after the last edit. A new example is shown at the next nudge; reordering the examples does
    not reorder the rounds of someone who has already seen them all.
    """
    if not behaviour_ids:
        raise ValueError("a principle needs at least one behaviour example")
    if len(set(behaviour_ids)) != len(behaviour_ids):
        raise ValueError(f"behaviour ids repeat: {list(behaviour_ids)}")
    # Where each id was last shown; ids no longer current are simply never looked up.
    last_shown = {behaviour_id: index for index, behaviour_id in enumerate(shown)}
    # Never shown counts as longest ago (-1); min() keeps the first of equals: catalogue order.
    return min(behaviour_ids, key=lambda behaviour_id: last_shown.get(behaviour_id, -1))
