"""What every picture shares: a figure sized for a phone, readable type, PNG bytes out.

Slack shows an image block at the width of the message pane; on a phone that is about 360
points, so the figures are drawn 1000 pixels wide with type of at least 22 pixels (≈ 8 points
on the phone after scaling). Typed text (team and principle names) is drawn as it is: matplotlib
would read `$...$` as mathematics, so `parse_math` is off on every text.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass, is_dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_PX = 1000
DPI = 100
FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs on every machine
TEXT = "#1d1c1d"  # Slack's own text colour
MUTED = "#616061"
EMPTY = "#eeeeee"
# Part of every picture's data digest: raise it when a drawing changes for the same values and
# words, so every reader gets the new picture (at most a day later, as with changed data).
DRAWING_VERSION = 1


@dataclass(frozen=True)
class Png:
    """A drawn picture: its bytes, its pixel size and a digest of the bytes."""

    data: bytes
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def data_digest(*parts: object) -> str:
    """A stable digest of what a picture is drawn from (plain values and dataclasses of them)
    and of DRAWING_VERSION: equal digests, equal pictures, known before anything is drawn."""
    values = [asdict(p) if is_dataclass(p) and not isinstance(p, type) else p for p in parts]
    encoded = json.dumps(
        [DRAWING_VERSION, *values], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(encoded.encode()).hexdigest()


def figure(height_px: int) -> Figure:
    """A white figure WIDTH_PX wide; plain `Figure` (not pyplot): no global state, thread-safe."""
    # matplotlib (about a second to import) loads with the first drawing, not with every process
    # that only digests a picture's data or never draws (the web lane, most CLI commands).
    import matplotlib

    matplotlib.use("Agg")  # no display; must come before pyplot is imported anywhere
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, facecolor="white")
    fig.set_layout_engine(None)
    return fig


def text(target: Any, x: float, y: float, value: str, **style: Any) -> Any:
    """Draw `value` literally (no mathtext), in the shared font and colour unless told."""
    style.setdefault("color", TEXT)
    style.setdefault("fontfamily", FONT)
    return target.text(x, y, value, parse_math=False, **style)


def png(fig: Figure) -> Png:
    """The figure as PNG bytes; no timestamp or software tag, so equal pictures are equal bytes."""
    buffer = io.BytesIO()
    # zlib level 1: a third of the encoding time of the default 6, for a few per cent more bytes.
    fig.savefig(
        buffer, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1}
    )
    width, height = (round(float(v)) for v in fig.get_size_inches() * DPI)
    return Png(buffer.getvalue(), width, height)
