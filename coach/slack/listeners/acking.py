"""Listeners for buttons whose answer needs nothing from the handler: ack at once, then act."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from coach.slack.deps import SlackDeps
from coach.slack.listeners.shortcuts import open_story_form

Handler = Callable[[dict[str, Any], BoltContext, WebClient, SlackDeps], None]
Listener = Callable[[Ack, dict[str, Any], BoltContext, WebClient], None]


def acked(handle: Handler, deps: SlackDeps) -> Listener:
    """A block action listener that acks, then hands the click to `handle`."""

    def listener(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        deps.after_ack.run(handle, body, context, client, deps)

    return listener


def share_story_button(deps: SlackDeps, source: str) -> Listener:
    """A "share a 9+ story" button: opens the story form, noting where it was opened from."""

    def open_form(
        body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
    ) -> None:
        open_story_form(client, body.get("trigger_id"), context, deps, source=source)

    return acked(open_form, deps)
