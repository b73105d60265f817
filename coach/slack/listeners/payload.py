"""Plain values out of Slack payloads, checked: the one place listeners take them apart."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

MAX_ID_DIGITS = 17  # our ids fit; anything longer is not one of ours


def first_action(body: dict[str, Any]) -> dict[str, Any]:
    """The clicked element of a block_actions payload ({} when the shape is odd)."""
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return first if isinstance(first, dict) else {}


def int_id(value: Any) -> int | None:
    """A database id sent back to us in a button value or private_metadata, or None."""
    if isinstance(value, str) and value.isdigit() and len(value) <= MAX_ID_DIGITS:
        return int(value)
    return None


def caller(context: BoltContext) -> dict[str, str]:
    """The workspace and user Slack vouches for (never ids taken from values)."""
    return {"workspace_id": str(context.team_id), "user_id": str(context.user_id)}
