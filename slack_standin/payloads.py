"""What Slack sends to an app, as plain dicts: slash commands, interactivity, Events API
callbacks and Socket Mode envelopes. Pure functions: every id and instant is an argument.

Shapes follow the request bodies Slack's own SDK tests use (bolt-python tests/scenario_tests,
python-slack-sdk tests/slack_sdk/socket_mode; copies in shared/slack-payloads), with key names
checked against the key-complete samples of Slack's Java SDK.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from slack_standin.clock import as_utc

# Slack's deprecated per-app verification token; apps that verify signatures ignore it.
VERIFICATION_TOKEN = "verification_token"  # noqa: S105 - a placeholder, not a credential


def slack_ts(at: datetime) -> str:
    """Slack's "seconds.micros" timestamp of an aware instant."""
    micros = int(as_utc(at).timestamp() * 1_000_000)
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def _team(team_id: str, domain: str, enterprise_id: str | None) -> dict[str, Any]:
    team: dict[str, Any] = {"id": team_id, "domain": domain}
    if enterprise_id:
        team.update(enterprise_id=enterprise_id, enterprise_name=domain)
    return team


def _user(user_id: str, user_name: str, team_id: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


# ---- slash commands (form fields) ---------------------------------------------------------------
def slash_command(
    *,
    team_id: str,
    team_domain: str,
    channel_id: str,
    channel_name: str,
    user_id: str,
    user_name: str,
    command: str,
    text: str,
    trigger_id: str,
    response_url: str,
    api_app_id: str,
    token: str = VERIFICATION_TOKEN,
    enterprise_id: str | None = None,
) -> dict[str, str]:
    fields = {
        "token": token,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    if enterprise_id:
        fields["enterprise_id"] = enterprise_id
    return fields


# ---- interactivity (form field payload=<json>) ---------------------------------------------------
def button_action(
    *, action_id: str, block_id: str, value: str, text: str, at: datetime
) -> dict[str, Any]:
    return {
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "value": value,
        "type": "button",
        "action_ts": slack_ts(at),
    }


def block_actions(
    *,
    team_id: str,
    team_domain: str,
    user_id: str,
    user_name: str,
    api_app_id: str,
    trigger_id: str,
    actions: Sequence[Mapping[str, Any]],
    message: Mapping[str, Any] | None = None,
    channel: Mapping[str, str] | None = None,
    view: Mapping[str, Any] | None = None,
    response_url: str | None = None,
    token: str = VERIFICATION_TOKEN,
    enterprise_id: str | None = None,
) -> dict[str, Any]:
    """A click in a message (pass `message` and `channel`) or in a view (pass `view`)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": token,
        "trigger_id": trigger_id,
        "team": _team(team_id, team_domain, enterprise_id),
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [dict(a) for a in actions],
    }
    if message is not None and channel is not None:
        payload["container"] = {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel["id"],
            "is_ephemeral": False,
        }
        payload["channel"] = dict(channel)
        payload["message"] = dict(message)
        payload["state"] = {"values": {}}
    elif view is not None:
        payload["container"] = {"type": "view", "view_id": view["id"]}
        payload["view"] = dict(view)
    else:
        raise ValueError("block_actions comes from a message (message + channel) or a view")
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def view_submission(
    *,
    team_id: str,
    team_domain: str,
    user_id: str,
    user_name: str,
    api_app_id: str,
    trigger_id: str,
    view: Mapping[str, Any],
    values: Mapping[str, Mapping[str, Any]],
    token: str = VERIFICATION_TOKEN,
    enterprise_id: str | None = None,
) -> dict[str, Any]:
    """`view` as views.open answered it; `values` as state.values: {block_id: {action_id: {...}}}."""
    submitted = {**view, "state": {"values": {k: dict(v) for k, v in values.items()}}}
    return {
        "type": "view_submission",
        "team": _team(team_id, team_domain, enterprise_id),
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": token,
        "trigger_id": trigger_id,
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_closed(
    *,
    team_id: str,
    team_domain: str,
    user_id: str,
    user_name: str,
    api_app_id: str,
    view: Mapping[str, Any],
    is_cleared: bool = False,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    return {
        "type": "view_closed",
        "team": _team(team_id, team_domain, None),
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": token,
        "view": dict(view),
        "is_cleared": is_cleared,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def global_shortcut(
    *,
    team_id: str,
    team_domain: str,
    user_id: str,
    user_name: str,
    callback_id: str,
    trigger_id: str,
    at: datetime,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    return {
        "type": "shortcut",
        "token": token,
        "action_ts": slack_ts(at),
        "team": _team(team_id, team_domain, None),
        "user": {"id": user_id, "username": user_name, "team_id": team_id},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
    }


def message_shortcut(
    *,
    team_id: str,
    team_domain: str,
    user_id: str,
    user_name: str,
    callback_id: str,
    trigger_id: str,
    channel_id: str,
    channel_name: str,
    message: Mapping[str, Any],
    response_url: str,
    at: datetime,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """`message` is the message the shortcut was used on, e.g. from conversations.history."""
    return {
        "type": "message_action",
        "token": token,
        "action_ts": slack_ts(at),
        "team": _team(team_id, team_domain, None),
        "user": {"id": user_id, "name": user_name},
        "channel": {"id": channel_id, "name": channel_name},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "message_ts": message["ts"],
        "message": dict(message),
        "response_url": response_url,
    }


def user_message(*, user_id: str, team_id: str, text: str, ts: str) -> dict[str, Any]:
    """A message as a person typed it (the `message` of a shortcut or an event)."""
    return {"type": "message", "text": text, "user": user_id, "ts": ts, "team": team_id}


# ---- Events API ---------------------------------------------------------------------------------
def event_callback(
    *,
    team_id: str,
    api_app_id: str,
    bot_user_id: str,
    event: Mapping[str, Any],
    event_id: str,
    event_time: datetime,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """The envelope of every Events API delivery; a retry keeps `event_id`."""
    return {
        "token": token,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(as_utc(event_time).timestamp()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{event.get('type', 'event')}-{team_id}",
    }


def url_verification(*, challenge: str, token: str = VERIFICATION_TOKEN) -> dict[str, Any]:
    return {"token": token, "challenge": challenge, "type": "url_verification"}


def message_event(
    *,
    user_id: str,
    channel_id: str,
    channel_type: str,
    text: str,
    ts: str,
    team_id: str,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """`message.im` (channel_type "im") or `message.channels` ("channel") from a person."""
    event: dict[str, Any] = {
        "type": "message",
        "user": user_id,
        "text": text,
        "ts": ts,
        "team": team_id,
        "channel": channel_id,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def app_home_opened_event(
    *, user_id: str, channel_id: str, tab: str, at: datetime, view: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": channel_id,
        "tab": tab,
        "event_ts": slack_ts(at),
    }
    if view is not None:
        event["view"] = dict(view)
    return event


def member_channel_event(
    *, joined: bool, user_id: str, channel_id: str, team_id: str, at: datetime
) -> dict[str, Any]:
    """`member_joined_channel` or `member_left_channel` of a public channel."""
    event: dict[str, Any] = {
        "type": "member_joined_channel" if joined else "member_left_channel",
        "user": user_id,
        "channel": channel_id,
        "channel_type": "C",
        "team": team_id,
        "event_ts": slack_ts(at),
    }
    return event


def app_uninstalled_event(*, at: datetime) -> dict[str, Any]:
    return {"type": "app_uninstalled", "event_ts": slack_ts(at)}


def tokens_revoked_event(*, bot_user_ids: Sequence[str], at: datetime) -> dict[str, Any]:
    return {
        "type": "tokens_revoked",
        "tokens": {"oauth": [], "bot": list(bot_user_ids)},
        "event_ts": slack_ts(at),
    }


# ---- Socket Mode --------------------------------------------------------------------------------
def socket_envelope(
    *,
    envelope_id: str,
    kind: str,
    payload: Mapping[str, Any],
    retry_attempt: int = 0,
    retry_reason: str = "",
) -> dict[str, Any]:
    """`kind` is events_api, interactive or slash_commands. Slack takes a response payload in
    the ack of slash commands, view submissions and options loads only."""
    accepts = kind == "slash_commands" or payload.get("type") in (
        "view_submission",
        "block_suggestion",
    )
    envelope: dict[str, Any] = {
        "envelope_id": envelope_id,
        "payload": dict(payload),
        "type": kind,
        "accepts_response_payload": accepts,
    }
    if kind == "events_api":
        envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
    return envelope
