"""The words on and around each picture, from prompts/ in the reader's language, and the drawing.

`coach/pictures/` draws from plain values and words; this module supplies the words: titles and
legends drawn on the PNG, the alt text that says the same in sentences (Slack's image blocks
require it, at most 2,000 characters), and the one-sentence reading shown beside the picture.

A `Picture` knows its words and the digest of everything it is drawn from before it is drawn;
the drawing (a tenth of a second of CPU) happens only when its PNG is asked for, so the App Home
re-uses a picture already in Slack without drawing it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from coach.pictures import Png, data_digest, heatmap
from coach.pictures import pyramid as drawing
from coach.render import Prompts
from coach.services.organisation import OrganisationView
from coach.services.pictures import TeamPyramidView

logger = logging.getLogger(__name__)

MAX_ALT = 2000  # Slack's limit for an image block's alt_text


@dataclass(frozen=True)
class Picture:
    kind: str  # what it shows, for whom: "pyramid:<team id>", "organisation"
    digest: str  # of the values and words drawn, the language and the drawing's version
    title: str  # the file's title in Slack
    alt: str
    reading: str  # one sentence beside the picture
    draw: Callable[[], Png] = field(repr=False, compare=False)

    @cached_property
    def png(self) -> Png:
        """The picture drawn (once per Picture; only when its bytes are needed)."""
        logger.debug("drawing %s (%s)", self.kind, self.digest[:12])
        return self.draw()

    @property
    def filename(self) -> str:
        return f"{self.digest[:16]}.png"


def pyramid_picture(view: TeamPyramidView, prompts: Prompts) -> Picture:
    """The team's pyramid drawn with its words, in the view's language."""

    def say(part: str, **values: object) -> str:
        return prompts.render_text(view.language, "picture_pyramid", part=part, **values)

    pyramid = view.pyramid
    reading = say(
        "reading",
        reading=pyramid.reading,
        base=pyramid.base_stories,
        total=pyramid.all_stories,
        weakest=pyramid.weakest,
    )
    layers = tuple(
        drawing.Layer(
            view.level_names.get(level.level)
            or prompts.render_text(view.language, "level_names", level=level.level),
            tuple(drawing.Brick(p.name, p.stories, p.intentions) for p in level.principles),
        )
        for level in pyramid.levels
    )
    title = say("title", team=view.team_name)
    words = drawing.PyramidWords(
        title=title,
        subtitle=say(
            "subtitle", weeks=view.weeks, first_week=view.first_week, last_week=view.last_week
        ),
        stories=say("stories"),
        intentions=say("intentions"),
        hidden=say("hidden", shared=view.minimum.shared, private=view.minimum.private),
        reading=reading,
    )
    alt_levels = [
        say(
            "alt_level",
            level=layer.name,
            principles="; ".join(
                say("alt_principle", name=b.name, stories=b.stories, intentions=b.intentions)
                for b in layer.bricks
            ),
        )
        for layer in layers
    ]
    alt = " ".join([title + ".", words.subtitle + ".", *alt_levels, reading])
    shape = drawing.Pyramid(layers)
    return Picture(
        kind=f"pyramid:{view.team_id}",
        digest=data_digest("pyramid", view.language, shape, words, alt),
        title=say("file", team=view.team_name),
        alt=_shortened(alt),
        reading=reading,
        draw=lambda: drawing.draw(shape, words),
    )


def organisation_picture(view: OrganisationView, prompts: Prompts) -> Picture:
    """The heat map of stories per principle per team, with its words, in the view's language."""

    def say(part: str, **values: object) -> str:
        return prompts.render_text(view.language, "picture_organisation", part=part, **values)

    title = say("title", organisation=view.organisation)
    words = heatmap.HeatmapWords(
        title=title,
        subtitle=say(
            "subtitle", weeks=view.weeks, first_week=view.first_week, last_week=view.last_week
        ),
        hidden=say("hidden", shared=view.minimum.shared),
        empty=say("empty"),
    )
    grid = heatmap.Heatmap(
        rows=tuple(t.name for t in view.teams),
        columns=view.principles,
        values=tuple(t.stories for t in view.teams),
    )
    alt_teams = [
        say(
            "alt_team",
            team=t.name,
            counts=None
            if t.members is None
            else ", ".join(
                say("alt_count", name=name, count=n)
                for name, n in zip(view.principles, t.stories, strict=True)
            ),
        )
        for t in view.teams
    ]
    alt = " ".join([title + ".", words.subtitle + ".", *alt_teams])
    return Picture(
        kind="organisation",
        digest=data_digest("organisation", view.language, grid, words, alt),
        title=say("file"),
        alt=_shortened(alt),
        reading="",
        draw=lambda: heatmap.draw(grid, words),
    )


def _shortened(text: str) -> str:
    return text if len(text) <= MAX_ALT else text[: MAX_ALT - 1].rstrip() + "…"
