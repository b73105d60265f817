"""The leads' preview of a celebration: add a note, post now, skip this week.

Who may act is decided in the service on every click and submission, not by who got the DM.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import celebration_actions
from coach.services.refusals import FormRejected, NotPermitted
from coach.slack import ids
from coach.slack.celebration_blocks import (
    CelebrationBuilder,
    build_decided_preview,
    build_note_modal,
    note_errors,
)
from coach.slack.deps import SlackDeps
from coach.slack.listeners.acking import acked
from coach.slack.listeners.payload import caller, clicked_in, first_action, int_id, text_value
from coach.slack.listeners.refusals import ack_field_errors

logger = logging.getLogger(__name__)
ACTIONS = {ids.CELEBRATION_POST_NOW: "post_now", ids.CELEBRATION_SKIP: "skip"}


def register(app: App, deps: SlackDeps) -> None:
    def note_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        handle_note_submitted(ack, view, context, deps)

    app.action(ids.CELEBRATION_NOTE)(acked(handle_note, deps))
    for action_id in ACTIONS:
        app.action(action_id)(acked(handle_decision, deps))
    app.view(ids.CELEBRATION_NOTE_MODAL)(note_submitted)


def handle_note(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    celebration_id, trigger_id = int_id(action.get("value")), body.get("trigger_id")
    if celebration_id is None or not isinstance(trigger_id, str):
        return
    try:
        form = celebration_actions.open_note(
            deps.core, **caller(context), celebration_id=celebration_id
        )
    except NotPermitted:  # not a lead (logged by the service), or too late for a note
        return
    view = build_note_modal(celebration_id, form.language, form.note, deps.prompts)
    client.views_open(trigger_id=trigger_id, view=view)


def handle_decision(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    celebration_id, what = int_id(action.get("value")), ACTIONS.get(str(action.get("action_id")))
    if celebration_id is None or what is None:
        return
    try:
        decided = celebration_actions.decide(
            deps.core,
            **caller(context),
            celebration_id=celebration_id,
            action=what,
            messages=CelebrationBuilder(deps.prompts),
        )
    except NotPermitted:  # not a lead: logged by the service
        return
    channel, ts = clicked_in(body)
    if channel is not None and ts is not None:
        blocks = list((body.get("message") or {}).get("blocks") or [])
        answer = build_decided_preview(blocks, decided.language, decided.done, deps.prompts)
        client.chat_update(channel=channel, ts=ts, **answer)


def handle_note_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, deps: SlackDeps
) -> None:
    celebration_id = int_id(view.get("private_metadata"))
    if celebration_id is None:
        ack()
        logger.warning("celebration note without an id from %s", context.user_id)
        return
    try:
        celebration_actions.save_note(
            deps.core,
            **caller(context),
            celebration_id=celebration_id,
            note=text_value(view, ids.CELEBRATION_NOTE_BLOCK, ids.CELEBRATION_NOTE_INPUT),
        )
    except FormRejected as rejected:  # too long, or the celebration closed meanwhile
        ack_field_errors(ack, note_errors(rejected, deps.prompts))
        return
    except NotPermitted:  # not a lead: logged by the service; the modal just closes
        pass
    ack()
