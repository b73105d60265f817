"""Buttons on the nudge and its follow-up: ack first, then one service call and one update."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import nudge_replies, stories
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.payload import caller, clicked_in, first_action, int_id
from coach.slack.listeners.shortcuts import open_story_form
from coach.slack.nudge_blocks import build_answer_modal, build_nudge_closed, snooze_note

logger = logging.getLogger(__name__)
FOLLOW_UPS = {
    ids.FOLLOW_UP_DONE: "done",
    ids.FOLLOW_UP_NOT_DONE: "not_done",
    ids.FOLLOW_UP_SKIP: "skipped",
}


def register(app: App, deps: SlackDeps) -> None:
    def answer(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        handle_answer(body, context, client, deps)

    def skip_or_snooze(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        handle_skip_or_snooze(body, context, client, deps)

    def follow_up(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        handle_follow_up(body, context, client, deps)

    def share_story(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        open_story_form(client, body.get("trigger_id"), context, deps, source="nudge")

    def story_consent(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        handle_story_consent(body, context, client, deps)

    app.action(ids.STORY_CONSENT_YES)(story_consent)
    app.action(ids.STORY_CONSENT_NO)(story_consent)
    app.action(ids.NUDGE_ANSWER)(answer)
    app.action(ids.NUDGE_STORY)(share_story)
    app.action(ids.NUDGE_SKIP)(skip_or_snooze)
    app.action(ids.NUDGE_SNOOZE)(skip_or_snooze)
    for action_id in FOLLOW_UPS:
        app.action(action_id)(follow_up)


def handle_answer(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    nudge_id, trigger_id = int_id(action.get("value")), body.get("trigger_id")
    if nudge_id is None or not isinstance(trigger_id, str):
        return
    try:
        with deps.core.unit_of_work() as session:
            ref = nudge_replies.nudge_ref(session, **caller(context), nudge_id=nudge_id)
    except nudge_replies.NotYours:
        logger.warning("refused %s on nudge %s by %s", ids.NUDGE_ANSWER, nudge_id, context.user_id)
        return
    client.views_open(
        trigger_id=trigger_id, view=build_answer_modal(ref.nudge_id, ref.language, deps.prompts)
    )


def handle_skip_or_snooze(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    nudge_id = int_id(action.get("value"))
    if nudge_id is None:
        return
    now = deps.core.clock.now()
    try:
        with deps.core.unit_of_work() as session:
            if action.get("action_id") == ids.NUDGE_SNOOZE:
                ref, until = nudge_replies.snooze(
                    session, **caller(context), nudge_id=nudge_id, now=now
                )
                note = snooze_note(ref.language, deps.prompts, until)
            else:
                ref = nudge_replies.skip(session, **caller(context), nudge_id=nudge_id, now=now)
                note = deps.prompts.render(
                    ref.language, "nudge_closed", status="skipped", until=None
                )
    except nudge_replies.NotYours:
        logger.warning(
            "refused %s on nudge %s by %s", action.get("action_id"), nudge_id, context.user_id
        )
        return
    _close_message(body, client, note)


def handle_follow_up(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    intention_id, outcome = (
        int_id(action.get("value")),
        FOLLOW_UPS.get(str(action.get("action_id"))),
    )
    if intention_id is None or outcome is None:
        return
    try:
        with deps.core.unit_of_work() as session:
            language, intention = nudge_replies.follow_up(
                session,
                **caller(context),
                intention_id=intention_id,
                outcome=outcome,  # type: ignore[arg-type]
                now=deps.core.clock.now(),
            )
    except nudge_replies.NotYours:
        logger.warning("refused follow-up on intention %s by %s", intention_id, context.user_id)
        return
    if outcome == "done":  # it worked: perhaps a 9+ story, so offer the form with the intention
        open_story_form(
            client, body.get("trigger_id"), context, deps, source="follow_up", prefill=intention
        )
    note = deps.prompts.render(language, "follow_up_recorded", outcome=outcome)
    message = body.get("message") or {}
    block_id = action.get("block_id")
    blocks = [
        b
        if b.get("block_id") != block_id
        else {"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}
        for b in message.get("blocks") or []
    ]
    _update(body, client, blocks, str(message.get("text") or note))


def handle_story_consent(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    story_id, given = int_id(action.get("value")), action.get("action_id") == ids.STORY_CONSENT_YES
    if story_id is None:
        return
    try:
        with deps.core.unit_of_work() as session:
            language = stories.consent(
                session,
                **caller(context),
                story_id=story_id,
                given=given,
                now=deps.core.clock.now(),
            )
    except stories.UnknownDraft:
        logger.warning("refused consent on story %s by %s", story_id, context.user_id)
        return
    _close_message(
        body, client, deps.prompts.render(language, "story_consent_recorded", given=given)
    )


def _close_message(body: dict[str, Any], client: WebClient, note: str) -> None:
    message = body.get("message") or {}
    blocks = build_nudge_closed(list(message.get("blocks") or []), note)
    _update(body, client, blocks, str(message.get("text") or note))


def _update(
    body: dict[str, Any], client: WebClient, blocks: list[dict[str, Any]], text: str
) -> None:
    channel, ts = clicked_in(body)
    if channel is not None and ts is not None:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
