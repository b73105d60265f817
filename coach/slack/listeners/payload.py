"""Plain values out of Slack payloads, checked: the one place listeners take them apart."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from slack_bolt import BoltContext

MAX_ID = 2**31 - 1  # our ids are INTEGER columns: a larger number is not one of ours
# Valid in JSON ("\u0000", "\ud800") but storable in no database: they would make the save fail
# and what the person typed vanish, so they are taken out where text enters.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def first_action(body: dict[str, Any]) -> dict[str, Any]:
    """The clicked element of a block_actions payload ({} when the shape is odd)."""
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return first if isinstance(first, dict) else {}


def chosen_value(action: dict[str, Any]) -> str:
    """What an input element sends: a time, one option's value, or several values as "a,b"."""
    several = action.get("selected_options")
    if isinstance(several, list):
        return ",".join(str(o.get("value")) for o in several if isinstance(o, dict))
    one = action.get("selected_time") or (action.get("selected_option") or {}).get("value")
    return str(one or "")


def int_id(value: Any) -> int | None:
    """A database id sent back to us in a button value or private_metadata, or None."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
        return number if number <= MAX_ID else None
    return None


def clean_text(value: Any) -> str:
    """Typed text as the database can keep it ("" when it is not text at all)."""
    return UNSTORABLE.sub("", value) if isinstance(value, str) else ""


def caller(context: BoltContext) -> dict[str, str]:
    """The workspace and user Slack vouches for (never ids taken from values)."""
    return {"workspace_id": str(context.team_id), "user_id": str(context.user_id)}


def clicked_in(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(channel, message ts) of the message a block_actions click came from, when there is one."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    ts = (body.get("message") or {}).get("ts") or container.get("message_ts")
    return (
        channel if isinstance(channel, str) else None,
        ts if isinstance(ts, str) else None,
    )


def _element(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    values = ((view.get("state") or {}).get("values") or {}).get(block_id) or {}
    element = values.get(action_id) if isinstance(values, dict) else None
    return element if isinstance(element, dict) else {}


def text_value(view: dict[str, Any], block_id: str, action_id: str) -> str:
    """A submitted modal's text input ("" when absent or odd)."""
    return clean_text(_element(view, block_id, action_id).get("value"))


def selected_value(view: dict[str, Any], block_id: str, action_id: str) -> str | None:
    option = _element(view, block_id, action_id).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    return value if isinstance(value, str) else None


def checked_values(view: dict[str, Any], block_id: str, action_id: str) -> list[str]:
    options = _element(view, block_id, action_id).get("selected_options")
    if not isinstance(options, list):
        return []
    return [str(o.get("value")) for o in options if isinstance(o, dict)]


def selected_users(view: dict[str, Any], block_id: str, action_id: str) -> list[str]:
    users = _element(view, block_id, action_id).get("selected_users")
    return [u for u in users if isinstance(u, str)] if isinstance(users, list) else []


PULSE_VALUE = re.compile(r"^([0-9]{4})-([0-9]{2}):([0-9]{1,10}):([a-z]{1,16}):([0-9]{1,2})$")


def pulse_tap(value: Any) -> tuple[date, int, str, int] | None:
    """(month, team id, question, score) of a pulse button's value, or None when it is not one
    of ours; whether the score and question are the month's is the service's to check."""
    match = PULSE_VALUE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, team, question, score = match.groups()
    team_id = int_id(team)
    if team_id is None or not 1 <= int(month) <= 12 or int(year) < 2000:
        return None
    return date(int(year), int(month), 1), team_id, question, int(score)
