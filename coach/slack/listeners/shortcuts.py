"""Ways into the story form: /9plus, the global shortcut and the message shortcut."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import stories
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.payload import caller
from coach.slack.story_blocks import build_story_form

logger = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    def story_command(
        ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        text = command.get("text")
        open_story_form(
            client,
            command.get("trigger_id"),
            context,
            deps,
            source="command",
            prefill=text if isinstance(text, str) else "",
        )

    def global_shortcut(
        ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        open_story_form(client, shortcut.get("trigger_id"), context, deps, source="shortcut")

    def message_shortcut(
        ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        handle_message_shortcut(shortcut, context, client, deps)

    app.command(ids.STORY_COMMAND)(story_command)
    app.shortcut({"type": "shortcut", "callback_id": ids.SHARE_STORY_SHORTCUT})(global_shortcut)
    app.shortcut({"type": "message_action", "callback_id": ids.SAVE_STORY_SHORTCUT})(
        message_shortcut
    )


def handle_message_shortcut(
    shortcut: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    """Prefilled with the message, crediting its author (a person, not a bot)."""
    message, channel = _mapping(shortcut.get("message")), _mapping(shortcut.get("channel"))
    author = (
        message.get("user")
        if isinstance(message.get("user"), str) and not message.get("bot_id")
        else None
    )
    text = str(message.get("text")) if isinstance(message.get("text"), str) else ""
    open_story_form(
        client,
        shortcut.get("trigger_id"),
        context,
        deps,
        source="message",
        prefill=text,
        credited_author=author,
        message_channel=channel.get("id") if isinstance(channel.get("id"), str) else None,
        message_ts=message.get("ts") if isinstance(message.get("ts"), str) else None,
    )


def open_story_form(
    client: WebClient,
    trigger_id: Any,
    context: BoltContext,
    deps: SlackDeps,
    *,
    source: str,
    prefill: str = "",
    credited_author: str | None = None,
    message_channel: str | None = None,
    message_ts: str | None = None,
) -> None:
    if not isinstance(trigger_id, str):
        return
    who = caller(context)
    with deps.core.unit_of_work() as session:
        choices = stories.form_choices(session, **who)
    opened = client.views_open(
        trigger_id=trigger_id, view=build_story_form(choices, deps.prompts, prefill=prefill)
    )
    with deps.core.unit_of_work() as session:
        stories.open_draft(
            session,
            **who,
            view_id=str(opened["view"]["id"]),
            source=source,
            now=deps.core.clock.now(),
            credited_author=credited_author,
            message_channel=message_channel,
            message_ts=message_ts,
        )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
