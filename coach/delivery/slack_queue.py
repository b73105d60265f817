"""What Slack's queue of scheduled messages says about one planned DM, and single calls whose answer
matters only as ok, an error code or a 429: shared by ahead.py and reconcile.py."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from coach.delivery.outcomes import RateLimited, classify_error
from coach.store.outbox import Claimed

logger = logging.getLogger(__name__)

DELETE = "chat.deleteScheduledMessage"


@dataclass(frozen=True)
class Handed:
    channel: str
    scheduled_id: str


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


@dataclass(frozen=True)
class Back:
    error: str
    live: bool  # post it live rather than hand it over again
    ambiguous: bool = False


Result = Handed | Posted | Back


def look_for(client: WebClient, row: Claimed, post_at: int, now: datetime) -> Result | None:
    """After a cut-off handover: is this message in Slack's queue (adopt it; delete doubles), or
    already posted (its time passed)? None: neither, hand it over (or post it) afresh."""
    channel = str(client.conversations_open(users=row.channel)["channel"]["id"])
    page = client.chat_scheduledMessages_list(
        channel=channel, oldest=str(post_at), latest=str(post_at)
    )
    found = [str(item["id"]) for item in page.get("scheduled_messages") or []]
    if found:
        for double in found[1:]:
            call(client, DELETE, channel=channel, scheduled_message_id=double)
        logger.info("%s was in Slack's queue already; not scheduling it again", row.key)
        return Handed(channel, found[0])
    if now.timestamp() < post_at:
        return None
    history = client.conversations_history(channel=channel, oldest=str(post_at - 1), limit=20)
    for message in history.get("messages") or []:
        if message.get("bot_id") and float(message.get("ts", 0)) < post_at + 600:
            logger.info("%s was posted by Slack already; not posting it again", row.key)
            return Posted(channel, str(message["ts"]))
    return Back("not_found", live=True)


def call(client: WebClient, method: str, **args: Any) -> str | RateLimited | None:
    """One call whose answer matters only as ok / an error code / a 429."""
    try:
        client.api_call(method, json=args)
    except SlackApiError as error:
        outcome = classified(error)
        if isinstance(outcome, RateLimited):
            return outcome
        return str(error.response.get("error") or f"http_{error.response.status_code}")
    except (SlackClientError, OSError, TimeoutError) as error:
        return f"connection: {error}"
    return None


def classified(error: SlackApiError) -> Any:
    headers = {k.lower(): v for k, v in (error.response.headers or {}).items()}
    retry_after = headers.get("retry-after")
    return classify_error(
        error.response.status_code,
        str(error.response.get("error") or ""),
        retry_after[0] if isinstance(retry_after, list) else retry_after,
    )
