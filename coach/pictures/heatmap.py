"""A heat map: rows by columns of counts (teams by principles, for instance), darker for more.

Pure: `draw(Heatmap, HeatmapWords) -> Png`. A cell given as None is left out: drawn in the
neutral grey with no number (the caller decided it covers too few people); `words.hidden` then
says why, once. Numbers are written in the cells while there are at most `MAX_NUMBERED` cells;
beyond that the colour alone carries them (and the legend's scale).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from coach.pictures.canvas import EMPTY, MUTED, WIDTH_PX, Png, figure, png, text

COLOURS = ("#f4fbf7", "#2eb67d", "#0b4f33")  # from no stories to the most
ROW_PX = 52
HEAD_PX = 130  # title and subtitle
COLUMN_LABELS_PX = 190  # principle names, slanted, under the grid
FOOT_PX = 90
LABEL_PX = 240  # row names on the left
MAX_NUMBERED = 120
MAX_LABEL = 22


@dataclass(frozen=True)
class Heatmap:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[int | None, ...], ...]  # one tuple per row, one value per column


@dataclass(frozen=True)
class HeatmapWords:
    title: str
    subtitle: str
    hidden: str  # why some cells are empty (drawn only when one is)
    empty: str  # what to say when there are no rows or no columns


def draw(heatmap: Heatmap, words: HeatmapWords) -> Png:
    import numpy  # with matplotlib, only when something is drawn (canvas.figure)
    from matplotlib.colors import LinearSegmentedColormap

    rows, columns = len(heatmap.rows), len(heatmap.columns)
    total = HEAD_PX + ROW_PX * max(rows, 1) + COLUMN_LABELS_PX + FOOT_PX
    fig = figure(total)
    text(fig, 20 / WIDTH_PX, 1 - 55 / total, _short(words.title, 40), fontsize=28, weight="bold")
    text(fig, 20 / WIDTH_PX, 1 - 100 / total, _short(words.subtitle, 70), fontsize=20, color=MUTED)
    if not rows or not columns:
        text(fig, 20 / WIDTH_PX, 1 - (HEAD_PX + 60) / total, words.empty, fontsize=22)
        return png(fig)
    ax = fig.add_axes(
        (
            LABEL_PX / WIDTH_PX,
            (FOOT_PX + COLUMN_LABELS_PX) / total,
            (WIDTH_PX - LABEL_PX - 30) / WIDTH_PX,
            ROW_PX * rows / total,
        )
    )
    values = numpy.ma.masked_invalid(
        numpy.array(
            [[numpy.nan if v is None else v for v in row] for row in heatmap.values], dtype=float
        )
    )
    peak = max(1.0, float(values.max()) if values.count() else 1.0)
    colours = LinearSegmentedColormap.from_list("coach", COLOURS).with_extremes(bad=EMPTY)
    ax.imshow(values, cmap=colours, vmin=0, vmax=peak, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(columns), [_short(c, MAX_LABEL) for c in heatmap.columns])
    ax.set_yticks(range(rows), [_short(r, MAX_LABEL - 4) for r in heatmap.rows])
    ax.tick_params(length=0, labelsize=17)
    for label in ax.get_xticklabels():  # slanted down to the left, under the row names' room
        label.set(rotation=40, ha="right", rotation_mode="anchor", parse_math=False)
    for label in ax.get_yticklabels():
        label.set(parse_math=False)
    ax.set_xticks(numpy.arange(-0.5, columns), minor=True)
    ax.set_yticks(numpy.arange(-0.5, rows), minor=True)
    ax.grid(which="minor", color="white", linewidth=3)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if rows * columns <= MAX_NUMBERED:
        _numbers(ax, heatmap.values, peak)
    if any(v is None for row in heatmap.values for v in row):
        note = textwrap.shorten(words.hidden, 90, placeholder="…")
        text(fig, 20 / WIDTH_PX, 30 / total, note, fontsize=18, color=MUTED)
    return png(fig)


def _numbers(ax: object, values: Sequence[Sequence[int | None]], peak: float) -> None:
    for y, row in enumerate(values):
        for x, value in enumerate(row):
            if value is not None:
                colour = "white" if value > peak / 2 else "#1d1c1d"
                text(ax, x, y, str(value), ha="center", va="center", fontsize=17, color=colour)


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
