"""Buttons on the nudge and its follow-up: ack first, then one service call and one update."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from coach.services import nudge_replies, stories
from coach.services.refusals import NotPermitted
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.acking import acked, share_story_button
from coach.slack.listeners.payload import caller, clicked_in, first_action, int_id
from coach.slack.listeners.shortcuts import open_story_form
from coach.slack.nudge_blocks import (
    build_answer_modal,
    build_follow_up_recorded,
    build_nudge_closed,
    closed_note,
)

logger = logging.getLogger(__name__)
FOLLOW_UPS: dict[str, nudge_replies.Outcome] = {
    ids.FOLLOW_UP_DONE: "done",
    ids.FOLLOW_UP_NOT_DONE: "not_done",
    ids.FOLLOW_UP_SKIP: "skipped",
}
RHYTHM_CHOICES: dict[str, nudge_replies.RhythmChoice] = {
    ids.RHYTHM_WEEKLY: "weekly",
    ids.RHYTHM_DAILY: "daily",
    ids.RHYTHM_PAUSE: "pause",
}


def register(app: App, deps: SlackDeps) -> None:
    app.action(ids.STORY_CONSENT_YES)(acked(handle_story_consent, deps))
    app.action(ids.STORY_CONSENT_NO)(acked(handle_story_consent, deps))
    app.action(ids.NUDGE_ANSWER)(acked(handle_answer, deps))
    app.action(ids.NUDGE_STORY)(share_story_button(deps, "nudge"))
    app.action(ids.NUDGE_SKIP)(acked(handle_skip_or_snooze, deps))
    app.action(ids.NUDGE_SNOOZE)(acked(handle_skip_or_snooze, deps))
    for action_id in FOLLOW_UPS:
        app.action(action_id)(acked(handle_follow_up, deps))
    for action_id in RHYTHM_CHOICES:
        app.action(action_id)(acked(handle_rhythm_choice, deps))


def handle_answer(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    nudge_id, trigger_id = int_id(first_action(body).get("value")), body.get("trigger_id")
    if nudge_id is None or not isinstance(trigger_id, str):
        return
    try:
        ref = nudge_replies.nudge_to_answer(
            deps.core, **caller(context), nudge_id=nudge_id, clicked_in=clicked_in(body)
        )
    except NotPermitted:
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
    snoozed = action.get("action_id") == ids.NUDGE_SNOOZE
    close = nudge_replies.snooze if snoozed else nudge_replies.skip
    try:
        closed = close(deps.core, **caller(context), nudge_id=nudge_id)
    except NotPermitted:
        return
    _close_message(body, client, closed_note(closed, deps.prompts))


def handle_follow_up(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    intention_id = int_id(action.get("value"))
    outcome = FOLLOW_UPS.get(str(action.get("action_id")))
    if intention_id is None or outcome is None:
        return
    try:
        followed = nudge_replies.follow_up(
            deps.core, **caller(context), intention_id=intention_id, outcome=outcome
        )
    except NotPermitted:
        return
    if followed.outcome == "done":  # it worked: perhaps a 9+ story; the intention as a cue
        intention = followed.intention
        open_story_form(
            client, body.get("trigger_id"), context, deps, source="follow_up", intention=intention
        )
    message = body.get("message") or {}
    original = list(message.get("blocks") or [])
    text, blocks = build_follow_up_recorded(
        original, action.get("block_id"), followed, deps.prompts
    )
    _update(body, client, blocks, str(message.get("text") or text))


def handle_rhythm_choice(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    choice = RHYTHM_CHOICES.get(str(action.get("action_id")))
    if choice is None:
        return
    try:
        chosen = nudge_replies.choose_rhythm(
            deps.core, **caller(context), asked=str(action.get("value")), choice=choice
        )
    except NotPermitted:  # not the person it asked: logged by the service
        return
    note = deps.prompts.render(chosen.language, "rhythm_answered", choice=chosen.choice)
    _close_message(body, client, note)


def handle_story_consent(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    story_id, given = int_id(action.get("value")), action.get("action_id") == ids.STORY_CONSENT_YES
    if story_id is None:
        return
    try:
        language = stories.consent(deps.core, **caller(context), story_id=story_id, given=given)
    except NotPermitted:  # not the credited author: logged by the service
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
