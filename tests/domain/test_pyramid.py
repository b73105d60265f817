"""The team's pyramid as data: which numbers may be drawn and what the base's reading says."""

from __future__ import annotations

from coach.domain.celebration import MinGroup
from coach.domain.pyramid import PrincipleTally, team_pyramid

MINIMUM = MinGroup.of(3)


def tally(
    key: str, level: str, stories: int, intentions: int = 0, people: int = 0
) -> PrincipleTally:
    position = int(key[-1])
    return PrincipleTally(key, level, position, key.upper(), stories, intentions, people)


BASE = [tally("op1", "operational", 4, 9, 5), tally("op2", "operational", 1, 6, 4)]
UPPER = [tally("rel1", "relational", 2), tally("mean1", "meaning", 1)]


def test_a_team_of_two_shows_no_number_at_all() -> None:
    pyramid = team_pyramid(BASE + UPPER, members=2, minimum=MINIMUM)
    assert pyramid.shown == (
        ("OP1", None, None),
        ("OP2", None, None),
        ("REL1", None, None),
        ("MEAN1", None, None),
    )
    assert pyramid.reading == "unknown"
    assert (pyramid.base_stories, pyramid.all_stories, pyramid.weakest) == (None, None, None)


def test_intentions_are_shown_only_where_five_people_are_behind_them() -> None:
    pyramid = team_pyramid(BASE + UPPER, members=8, minimum=MINIMUM)
    assert pyramid.shown[:2] == (("OP1", 4, 9), ("OP2", 1, None))


def test_the_base_comes_first_in_pyramid_order() -> None:
    pyramid = team_pyramid(list(reversed(UPPER + BASE)), members=8, minimum=MINIMUM)
    assert [level.level for level in pyramid.levels] == ["operational", "relational", "meaning"]
    assert [p.name for p in pyramid.levels[0].principles] == ["OP1", "OP2"]


def test_a_base_with_most_of_the_stories_carries() -> None:
    pyramid = team_pyramid(BASE + UPPER, members=8, minimum=MINIMUM)
    assert (pyramid.reading, pyramid.base_stories, pyramid.all_stories) == ("carries", 5, 8)


def test_a_base_that_few_stories_are_about_is_thin_and_its_weakest_principle_is_named() -> None:
    thin = [tally("op1", "operational", 1), tally("op2", "operational", 0)]
    upper = [tally("rel1", "relational", 6), tally("mean1", "meaning", 3)]
    pyramid = team_pyramid(thin + upper, members=8, minimum=MINIMUM)
    assert (pyramid.reading, pyramid.weakest) == ("thin", "OP2")


def test_a_base_where_most_principles_have_no_story_is_thin_however_many_it_has() -> None:
    base = [tally("op1", "operational", 9), tally("op2", "operational", 0)]
    base.append(tally("op3", "operational", 0))
    assert team_pyramid(base + UPPER, members=8, minimum=MINIMUM).reading == "thin"


def test_no_stories_at_all_suggests_starting_at_the_base() -> None:
    quiet = [tally("op1", "operational", 0), tally("rel1", "relational", 0)]
    pyramid = team_pyramid(quiet, members=8, minimum=MINIMUM)
    assert (pyramid.reading, pyramid.weakest) == ("empty", "OP1")
