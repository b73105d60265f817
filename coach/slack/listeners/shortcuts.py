"""Ways into the story form: /9plus, the global shortcut and the message shortcut (the nudge,
a follow-up and the App Home open it through `open_story_form` too)."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import stories
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.payload import caller, clean_text
from coach.slack.story_blocks import build_story_form


def register(app: App, deps: SlackDeps) -> None:
    def story_command(
        ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        deps.after_ack.run(handle_story_command, command, context, client, deps)

    def global_shortcut(
        ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        form = partial(open_story_form, source="shortcut")
        deps.after_ack.run(form, client, shortcut.get("trigger_id"), context, deps)

    def message_shortcut(
        ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        deps.after_ack.run(handle_message_shortcut, shortcut, context, client, deps)

    app.command(ids.STORY_COMMAND)(story_command)
    app.shortcut({"type": "shortcut", "callback_id": ids.SHARE_STORY_SHORTCUT})(global_shortcut)
    app.shortcut({"type": "message_action", "callback_id": ids.SAVE_STORY_SHORTCUT})(
        message_shortcut
    )


def handle_story_command(
    command: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    """`/9plus what happened`: the form, prefilled with the command's text."""
    prefill = clean_text(command.get("text"))
    open_story_form(
        client, command.get("trigger_id"), context, deps, source="command", prefill=prefill
    )


def handle_message_shortcut(
    shortcut: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    """Prefilled with the message, crediting its author (a person, not a bot)."""
    message, channel = _mapping(shortcut.get("message")), _mapping(shortcut.get("channel"))
    user, text = message.get("user"), message.get("text")
    origin = stories.FromMessage(
        author=user if isinstance(user, str) and not message.get("bot_id") else None,
        channel=channel.get("id") if isinstance(channel.get("id"), str) else None,
        ts=message.get("ts") if isinstance(message.get("ts"), str) else None,
    )
    prefill = clean_text(text)
    open_story_form(
        client,
        shortcut.get("trigger_id"),
        context,
        deps,
        source="message",
        prefill=prefill,
        message=origin,
    )


def open_story_form(
    client: WebClient,
    trigger_id: Any,
    context: BoltContext,
    deps: SlackDeps,
    *,
    source: str,
    prefill: str = "",
    intention: str = "",
    message: stories.FromMessage | None = None,
) -> None:
    """Open the form (after the caller's ack) and remember it for its submission."""
    if not isinstance(trigger_id, str):
        return
    who = caller(context)
    choices = stories.story_form(deps.core, **who, principles=deps.story_principles)
    view = build_story_form(choices, deps.prompts, prefill=prefill, intention=intention)
    opened = client.views_open(trigger_id=trigger_id, view=view)
    view_id = str(opened["view"]["id"])
    stories.remember_form(deps.core, **who, view_id=view_id, source=source, message=message)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
