"""Edit and Delete on a saved story's confirmation: ack, one service call, then answer."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from coach.services import story_edits
from coach.services.refusals import NotPermitted
from coach.services.stories import AlreadyCelebrated
from coach.services.story_messages import Confirmation
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.acking import acked
from coach.slack.listeners.payload import caller, clicked_in, first_action, int_id
from coach.slack.story_blocks import build_story_form, build_story_note


def register(app: App, deps: SlackDeps) -> None:
    app.action(ids.STORY_EDIT)(acked(handle_edit, deps))
    app.action(ids.STORY_DELETE)(acked(handle_delete, deps))


def handle_edit(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    """Open the form with the story as saved; the draft makes its submission an edit."""
    story_id, trigger_id, who = _story_id(body), body.get("trigger_id"), caller(context)
    if story_id is None or not isinstance(trigger_id, str):
        return
    try:
        form = story_edits.edit_form(deps.core, **who, story_id=story_id)
    except AlreadyCelebrated as refused:
        _tell(body, context, client, build_story_note(deps.prompts, refused.language, "celebrated"))
        return
    except NotPermitted:
        return  # logged where refused
    view = build_story_form(form.choices, deps.prompts, current=form.current)
    opened = client.views_open(trigger_id=trigger_id, view=view)
    story_edits.remember_edit(
        deps.core, **who, story_id=story_id, view_id=str(opened["view"]["id"])
    )


def handle_delete(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    story_id = _story_id(body)
    if story_id is None:
        return
    try:
        done = story_edits.delete(deps.core, **caller(context), story_id=story_id)
    except NotPermitted:
        return  # logged where refused
    note = build_story_note(deps.prompts, done.language, "deleted")
    if done.channel is not None and done.ts is not None:
        client.chat_update(channel=done.channel, ts=done.ts, **note)
    else:
        _tell(body, context, client, note)


def show_edited(client: WebClient, confirmation: Confirmation | None, user_id: str) -> None:
    """After an edit, the confirmation DM shows the story as saved now (or a new DM says it)."""
    if confirmation is None or confirmation.payload is None:
        return
    if confirmation.channel is not None and confirmation.ts is not None:
        client.chat_update(channel=confirmation.channel, ts=confirmation.ts, **confirmation.payload)
    else:
        client.chat_postMessage(channel=user_id, **confirmation.payload)


def _tell(
    body: dict[str, Any], context: BoltContext, client: WebClient, message: dict[str, Any]
) -> None:
    """An ephemeral answer to the person who clicked, where they clicked (their DM)."""
    channel, _ = clicked_in(body)
    if channel is not None:
        client.chat_postEphemeral(channel=channel, user=str(context.user_id), **message)


def _story_id(body: dict[str, Any]) -> int | None:
    return int_id(first_action(body).get("value"))
