"""The pyramid as a PNG: it opens, it is sized for a phone, and what it draws follows the data."""

from __future__ import annotations

import io

import numpy
from PIL import Image

from coach.domain.celebration import MinGroup
from coach.domain.pyramid import PrincipleTally, team_pyramid
from coach.picture_words import pyramid_picture
from coach.pictures.pyramid import LEVEL_COLOURS
from coach.render import Prompts
from coach.services.pictures import TeamPyramidView

PROMPTS = Prompts()
MINIMUM = MinGroup.of(3)


def tallies(stories: int, members: int) -> list[PrincipleTally]:
    people = min(6, members)  # intentions come from the team's own members
    return [
        PrincipleTally("op1", "operational", 1, "Right first time", stories, 3 * stories, people),
        PrincipleTally("op2", "operational", 2, "Clear & on time <$x$>", stories, 0, 0),
        PrincipleTally("rel1", "relational", 1, "Personal", stories),
        PrincipleTally("mean1", "meaning", 1, "Make a difference", stories),
    ]


def view(stories: int, *, members: int = 8, language: str = "en") -> TeamPyramidView:
    return TeamPyramidView(
        team_id=1,
        team_name="Noord",
        language=language,
        weeks=8,
        first_week=41,
        last_week=48,
        level_names={},
        minimum=MINIMUM,
        pyramid=team_pyramid(tallies(stories, members), members=members, minimum=MINIMUM),
    )


def image(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture.convert("RGB")


def coloured(picture: Image.Image, colour: str) -> int:
    """How many pixels are exactly `colour` (the base's bars and frame are)."""
    wanted = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return int(numpy.all(numpy.asarray(picture) == wanted, axis=-1).sum())


def test_the_picture_opens_as_a_png_wide_enough_for_a_phone() -> None:
    png = pyramid_picture(view(3), PROMPTS).png
    picture = Image.open(io.BytesIO(png.data))
    assert picture.format == "PNG"
    assert picture.size == (png.width, png.height) == (1000, png.height)
    assert 600 <= png.height <= 1600  # one screen or two on a phone, not a strip
    assert len(png.data) < 1_000_000  # Slack shows it inline without a "large file" card


def test_a_full_pyramid_draws_bars_where_an_empty_one_has_none() -> None:
    empty = image(pyramid_picture(view(0), PROMPTS).png.data)
    full = image(pyramid_picture(view(4), PROMPTS).png.data)
    assert empty.size == full.size
    base = LEVEL_COLOURS[0]
    # The base's frame is drawn in both; only the full one adds two bars of the base's colour.
    assert coloured(full, base) > coloured(empty, base) + 2 * 40 * 20


def test_a_team_of_two_gets_the_same_picture_however_many_stories_it_shared() -> None:
    none = pyramid_picture(view(0, members=2), PROMPTS)
    many = pyramid_picture(view(7, members=2), PROMPTS)
    assert none.png.data == many.png.data
    assert none.alt == many.alt and "7" not in many.alt
    assert none.reading == many.reading


def test_the_alt_text_says_what_the_picture_shows_in_the_readers_language() -> None:
    english = pyramid_picture(view(2), PROMPTS)
    assert "Right first time: 2 stories, 6 intentions" in english.alt
    assert "Clear & on time <$x$>: 2 stories" in english.alt  # as typed, not escaped twice
    assert english.reading.startswith("The operational base carries: 4 of 8 stories")
    dutch = pyramid_picture(view(2, language="nl"), PROMPTS)
    assert "Right first time: 2 verhalen, 6 voornemens" in dutch.alt
    assert dutch.png.data != english.png.data


def test_a_thin_base_suggests_pinning_its_weakest_principle() -> None:
    thin = view(0)
    thin = TeamPyramidView(
        **{
            **thin.__dict__,
            "pyramid": team_pyramid(
                [
                    PrincipleTally("op1", "operational", 1, "Right first time", 0),
                    PrincipleTally("rel1", "relational", 1, "Personal", 5),
                ],
                members=8,
                minimum=MINIMUM,
            ),
        }
    )
    reading = pyramid_picture(thin, PROMPTS).reading
    assert "0 of 5" in reading and 'Pin "Right first time"' in reading
