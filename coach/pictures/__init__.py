"""Pictures: pure drawing functions from plain values to PNG bytes (matplotlib, Agg backend).

No database, no Slack, no wording of its own: callers hand in the numbers (already checked
against the group minimum: None means "leave it out") and the words (from prompts/, in the
reader's language). Each drawing returns a `Png`; `canvas.py` holds what every picture shares
(size for a phone, fonts, no mathtext from typed text, deterministic PNG bytes).

    pyramid.draw(Pyramid(...), PyramidWords(...)) -> Png   # a team's levels and principles
    heatmap.draw(Heatmap(...), HeatmapWords(...)) -> Png   # rows x columns of counts
    data_digest(values, words, ...) -> str   # what the picture will be, without drawing it
"""

from coach.pictures.canvas import Png, data_digest

__all__ = ["Png", "data_digest"]
