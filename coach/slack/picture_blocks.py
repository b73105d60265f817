"""A picture on a Slack surface: an image block that refers to an uploaded file, and its reading.

Pure. The image block uses `slack_file` (no public URL needed, so it works in Socket Mode and
behind a firewall); the file must already be shared where the reader is (`slack/pictures.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.slack.blocks import Block, plain

MAX_ALT = 2000  # image block alt_text
MAX_TITLE = 2000
MAX_CONTEXT_TEXT = 3000


@dataclass(frozen=True)
class Shown:
    """An uploaded picture a reader can see: its file and its words."""

    file_id: str
    title: str
    alt: str
    reading: str


def picture_blocks(shown: Shown) -> list[Block]:
    """The picture, then its one-sentence reading as plain text (typed names stay literal)."""
    return [
        {
            "type": "image",
            "slack_file": {"id": shown.file_id},
            "alt_text": shown.alt[:MAX_ALT],
            "title": plain(shown.title[:MAX_TITLE]),
        },
        {"type": "context", "elements": [plain(shown.reading[:MAX_CONTEXT_TEXT])]},
    ]
