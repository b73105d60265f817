"""Edit and Delete on a saved story's confirmation: ack, one service call, then answer."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import story_edits
from coach.slack import ids
from coach.slack.blocks import section
from coach.slack.deps import SlackDeps
from coach.slack.listeners.payload import caller, clicked_in, first_action, int_id
from coach.slack.story_blocks import build_story_form

logger = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    def edit(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        handle_edit(body, context, client, deps)

    def delete(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        handle_delete(body, context, client, deps)

    app.action(ids.STORY_EDIT)(edit)
    app.action(ids.STORY_DELETE)(delete)


def handle_edit(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    """Open the form with the story as saved; the draft makes its submission an edit."""
    story_id, trigger_id = _story_id(body), body.get("trigger_id")
    if story_id is None or not isinstance(trigger_id, str):
        return
    who = caller(context)
    try:
        with deps.core.unit_of_work() as session:
            form = story_edits.edit_form(session, **who, story_id=story_id)
    except story_edits.Refused as refused:
        _refused(body, context, client, deps, refused, story_id)
        return
    opened = client.views_open(
        trigger_id=trigger_id,
        view=build_story_form(form.choices, deps.prompts, current=form.current),
    )
    with deps.core.unit_of_work() as session:
        story_edits.open_edit(
            session,
            **who,
            story_id=story_id,
            view_id=str(opened["view"]["id"]),
            now=deps.core.clock.now(),
        )


def handle_delete(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    story_id = _story_id(body)
    if story_id is None:
        return
    who = caller(context)
    try:
        with deps.core.unit_of_work() as session:
            done = story_edits.delete(session, **who, story_id=story_id)
    except story_edits.Refused as refused:
        _refused(body, context, client, deps, refused, story_id)
        return
    note = deps.prompts.render(done.language, "story_changed", change="deleted")
    if done.channel is not None and done.ts is not None:
        client.chat_update(channel=done.channel, ts=done.ts, text=note, blocks=[section(note)])
    else:
        _tell(body, context, client, note)


def show_edited(
    client: WebClient, confirmation: story_edits.Confirmation | None, user_id: str
) -> None:
    """After an edit, the confirmation DM shows the story as saved now (or a new DM says it)."""
    if confirmation is None or confirmation.payload is None:
        return
    if confirmation.channel is not None and confirmation.ts is not None:
        client.chat_update(channel=confirmation.channel, ts=confirmation.ts, **confirmation.payload)
    else:
        client.chat_postMessage(channel=user_id, **confirmation.payload)


def _refused(
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    deps: SlackDeps,
    refused: story_edits.Refused,
    story_id: int,
) -> None:
    if refused.reason == "not_yours":  # a forged click, or a story deleted meanwhile
        logger.warning("refused a change to story %s by %s", story_id, context.user_id)
        return
    _tell(
        body,
        context,
        client,
        deps.prompts.render(refused.language, "story_changed", change=refused.reason),
    )


def _tell(body: dict[str, Any], context: BoltContext, client: WebClient, text: str) -> None:
    """An ephemeral answer to the person who clicked, where they clicked (their DM)."""
    channel, _ = clicked_in(body)
    if channel is not None:
        client.chat_postEphemeral(
            channel=channel, user=str(context.user_id), text=text, blocks=[section(text)]
        )


def _story_id(body: dict[str, Any]) -> int | None:
    return int_id(first_action(body).get("value"))
