"""Files in blocks: an image's `slack_file` must name an uploaded image the reader can see.

Slack refuses a block whose file is not shared where the message goes, or with the person whose
Home tab shows it: `invalid slack file [json-pointer:/blocks/0/slack_file]` (slackapi/bolt-python
#1251, java-slack-sdk #1349); a file uploaded without a channel is seen by nobody but the
uploader. Only png, jpg and gif can be shown (slack-file-object reference).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slack_standin.state import SlackState, Upload

IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif")


def _slack_files(blocks: Any, at: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for n, block in enumerate(blocks if isinstance(blocks, list) else []):
        if isinstance(block, dict) and isinstance(block.get("slack_file"), dict):
            yield f"{at}/{n}/slack_file", block["slack_file"]
        for m, element in enumerate(block.get("elements") or [] if isinstance(block, dict) else []):
            if isinstance(element, dict) and isinstance(element.get("slack_file"), dict):
                yield f"{at}/{n}/elements/{m}/slack_file", element["slack_file"]


def _upload(state: SlackState, team_id: str, file: dict[str, Any]) -> Upload | None:
    file_id = file.get("id")
    if file_id is None:
        url = str(file.get("url") or "")
        file_id = next((u.file_id for u in state.uploads.values() if u.permalink == url), None)
    upload = state.uploads.get(str(file_id))
    return upload if upload is not None and upload.team_id == team_id else None


def slack_file_problems(
    state: SlackState, team_id: str, blocks: Any, at: str, *, seen_in: set[str]
) -> list[str]:
    """Problems of the blocks' `slack_file`s for a reader who sees the channels `seen_in`."""
    problems = []
    for pointer, file in _slack_files(blocks, at):
        upload = _upload(state, team_id, file)
        if (
            upload is None
            or not upload.completed
            or not upload.filename.lower().endswith(IMAGE_TYPES)
            or not upload.shared_in & seen_in
        ):
            problems.append(f"invalid slack file [json-pointer:{pointer}]")
    return problems
