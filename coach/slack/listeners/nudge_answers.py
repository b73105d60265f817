"""Answers to a nudge, from its answer modal or as a reply in its thread: store the intention,
then rewrite the nudge in place so the answer shows where the question was."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import coach_command, nudge_replies
from coach.services.refusals import NotPermitted
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.acking import share_story_button
from coach.slack.listeners.payload import caller, clean_text, int_id, text_value
from coach.slack.listeners.redelivery import first_delivery
from coach.slack.listeners.refusals import ack_field_errors
from coach.slack.nudge_blocks import answer_errors, build_dm_help, build_nudge_answered

logger = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    def answer_submitted(
        ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        handle_answer_submitted(ack, view, context, client, deps)

    def direct_message(
        body: dict[str, Any], event: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        if first_delivery(body, context, deps):
            handle_direct_message(event, context, client, deps)

    app.view(ids.ANSWER_MODAL)(answer_submitted)
    app.event({"type": "message", "channel_type": "im"})(direct_message)
    app.action(ids.DM_SHARE_STORY)(share_story_button(deps, "dm"))


def handle_answer_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    nudge_id = int_id(view.get("private_metadata"))
    if nudge_id is None:
        ack()
        logger.warning("answer modal without a nudge id from %s", context.user_id)
        return
    text = text_value(view, ids.ANSWER_BLOCK, ids.ANSWER_INPUT)
    try:
        answered = nudge_replies.answer(deps.core, **caller(context), nudge_id=nudge_id, text=text)
    except nudge_replies.InvalidAnswer as rejected:
        ack_field_errors(ack, answer_errors(rejected, deps.prompts))
        return
    except NotPermitted:
        ack()
        return
    ack()
    deps.after_ack.run(acknowledge_in_dm, client, deps, answered)


def handle_direct_message(
    event: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    """A reply in the thread of a nudge is its answer; a message of its own ("hi, what is
    this?") gets a short help. Edits, joins and the bot's own messages get nothing (they come
    with a subtype or a bot_id); Slack's redeliveries are dropped before (`redelivery.py`)."""
    thread_ts, text, channel = (
        event.get("thread_ts"),
        clean_text(event.get("text")),
        event.get("channel"),
    )
    if event.get("subtype") or event.get("bot_id") or not isinstance(channel, str):
        return
    if thread_ts is None:
        help_in_dm(client, context, deps, channel)
        return
    if not (isinstance(thread_ts, str) and text):
        return
    answered = nudge_replies.answer_in_thread(
        deps.core, **caller(context), channel_id=channel, thread_ts=thread_ts, text=text
    )
    if answered is not None:
        acknowledge_in_dm(client, deps, answered)


def help_in_dm(client: WebClient, context: BoltContext, deps: SlackDeps, channel: str) -> None:
    who = caller(context)
    found = coach_command.dm_help(deps.core, **who)
    help_message = build_dm_help(found.language, found.organisation, who["user_id"], deps.prompts)
    client.chat_postMessage(channel=channel, **help_message)


def acknowledge_in_dm(client: WebClient, deps: SlackDeps, answered: nudge_replies.Answered) -> None:
    """Rewrite the nudge message itself, as it was posted, without its buttons."""
    channel, ts = answered.nudge.channel_id, answered.nudge.message_ts
    if channel is None or ts is None:
        return
    original = answered.posted_blocks
    if original is None:  # its outbox row is housekept: ask Slack what it shows
        history = client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
        messages = history.get("messages") or []
        found = messages[0] if messages and messages[0].get("ts") == ts else {}
        original = list(found.get("blocks") or [])
    text, blocks = build_nudge_answered(original, answered, deps.prompts)
    client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
