"""A team's pyramid: the catalogue's levels as stacked steps, the operational base at the bottom,
each principle a row with its shared stories (a bar and the number) and its intentions.

Pure: `draw(Pyramid, PyramidWords) -> Png`. A number given as None is left out, bar and digits
both (the caller decided it covers too few people); `words.hidden` then says why, once.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from coach.pictures.canvas import EMPTY, MUTED, WIDTH_PX, Png, figure, png, text

LEVEL_COLOURS = ("#2eb67d", "#36c5f0", "#ecb22e", "#e01e5a")  # bottom step first
TINTS = ("#e3f5ec", "#e2f6fd", "#fdf4de", "#fce4eb")
ROW = 46  # pixels per principle row
LAYER_HEAD = 54  # the level's name above its rows
TOP, BOTTOM = 150, 200  # title above, legend and reading below
MARGIN = 20
STEP_NARROWING = 160  # each step is this much narrower than the one below
BAR_MAX = 170
NUMBER_ROOM = 110
CHAR_PX = 16.5  # DejaVu Sans at 22 px, an average character (for shortening long names)


@dataclass(frozen=True)
class Brick:
    """One principle: its name and numbers (None: too few people behind it, not drawn)."""

    name: str
    stories: int | None
    intentions: int | None = None


@dataclass(frozen=True)
class Layer:
    name: str
    bricks: tuple[Brick, ...]


@dataclass(frozen=True)
class Pyramid:
    layers: tuple[Layer, ...]  # the base (operational) first


@dataclass(frozen=True)
class PyramidWords:
    title: str
    subtitle: str
    stories: str  # the legend for the bars
    intentions: str  # the legend for the thin bars
    hidden: str  # why some numbers are left out (drawn only when one is)
    reading: str  # the one-sentence reading of the base


def draw(pyramid: Pyramid, words: PyramidWords) -> Png:
    heights = [LAYER_HEAD + ROW * max(1, len(layer.bricks)) for layer in pyramid.layers]
    total = TOP + sum(heights) + BOTTOM
    fig = figure(total)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_PX)
    ax.set_ylim(total, 0)  # y grows downwards, as on a page
    ax.set_axis_off()
    text(ax, MARGIN, 55, _fit(words.title, WIDTH_PX - 2 * MARGIN, 1.45), fontsize=32, weight="bold")
    text(
        ax, MARGIN, 105, _fit(words.subtitle, WIDTH_PX - 2 * MARGIN, 0.9), fontsize=20, color=MUTED
    )
    peak = max(
        (n for layer in pyramid.layers for b in layer.bricks for n in (b.stories, b.intentions))
        if any(layer.bricks for layer in pyramid.layers)
        else [0],
        key=lambda n: n or 0,
    )
    y = total - BOTTOM
    hidden = False
    for level, (layer, height) in enumerate(zip(pyramid.layers, heights, strict=True)):
        y -= height
        hidden |= _step(ax, level, layer, y, height, peak or 0)
    footer = total - BOTTOM + 40
    text(ax, MARGIN, footer, f"■ {words.stories}    ▬ {words.intentions}", fontsize=20, color=MUTED)
    notes = [words.reading] + ([words.hidden] if hidden else [])
    lines = [line for note in notes for line in textwrap.wrap(note, 60)][:4]
    for n, line in enumerate(lines):
        text(ax, MARGIN, footer + 36 * (n + 1), line, fontsize=22)
    return png(fig)


def _step(ax: object, level: int, layer: Layer, top: float, height: float, peak: int) -> bool:
    """One level as a centred step; returns whether a number was left out."""
    from matplotlib.patches import Rectangle  # loaded with the figure (canvas.figure)

    width = WIDTH_PX - 2 * MARGIN - STEP_NARROWING * level
    left = (WIDTH_PX - width) / 2
    colour, tint = LEVEL_COLOURS[level % 4], TINTS[level % 4]
    ax.add_patch(Rectangle((left, top), width, height - 6, facecolor=tint, edgecolor=colour, lw=3))  # type: ignore[attr-defined]
    text(
        ax,
        left + 16,
        top + 36,
        _fit(layer.name, width - 32, 1.1),
        fontsize=24,
        weight="bold",
        color=colour,
    )
    name_room = width - 32 - BAR_MAX - NUMBER_ROOM - 20
    bar_left = left + 16 + name_room + 10
    hidden = False
    for row, brick in enumerate(layer.bricks):
        middle = top + LAYER_HEAD + ROW * row + ROW / 2 - 4
        text(ax, left + 16, middle, _fit(brick.name, name_room, 1.0), fontsize=22, va="center")
        ax.add_patch(Rectangle((bar_left, middle - 14), BAR_MAX, 22, facecolor=EMPTY, lw=0))  # type: ignore[attr-defined]
        if brick.stories is None:
            hidden = True
        else:
            length = BAR_MAX * brick.stories / peak if peak else 0
            ax.add_patch(Rectangle((bar_left, middle - 14), length, 22, facecolor=colour, lw=0))  # type: ignore[attr-defined]
            text(
                ax,
                bar_left + BAR_MAX + 10,
                middle,
                str(brick.stories),
                fontsize=22,
                va="center",
                weight="bold",
            )
        if brick.intentions is None:
            hidden = True
        elif peak:
            length = BAR_MAX * brick.intentions / peak
            ax.add_patch(Rectangle((bar_left, middle + 10), length, 6, facecolor=MUTED, lw=0))  # type: ignore[attr-defined]
            text(
                ax,
                bar_left + BAR_MAX + 58,
                middle,
                str(brick.intentions),
                fontsize=18,
                va="center",
                color=MUTED,
            )
    return hidden


def _fit(value: str, room_px: float, scale: float) -> str:
    """`value` shortened with an ellipsis to about `room_px` pixels of type (`scale`: its size
    relative to 22 px)."""
    chars = max(4, int(room_px / (CHAR_PX * scale)))
    return value if len(value) <= chars else value[: chars - 1].rstrip() + "…"
