"""The leads' preview of a celebration: add a note, post now, skip this week.

Who may act is decided in the service on every click and submission, not by who got the DM.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.domain.celebration import MAX_NOTE
from coach.services import celebrations
from coach.slack import ids
from coach.slack.celebration_blocks import CelebrationBuilder, build_note_modal
from coach.slack.deps import SlackDeps
from coach.slack.listeners.payload import caller, clicked_in, first_action, int_id, text_value
from coach.slack.nudge_blocks import build_nudge_closed

logger = logging.getLogger(__name__)
ACTIONS = {ids.CELEBRATION_POST_NOW: "post_now", ids.CELEBRATION_SKIP: "skip"}


def register(app: App, deps: SlackDeps) -> None:
    def note(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        handle_note(body, context, client, deps)

    def decide(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        handle_decision(body, context, client, deps)

    def note_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        handle_note_submitted(ack, view, context, deps)

    app.action(ids.CELEBRATION_NOTE)(note)
    for action_id in ACTIONS:
        app.action(action_id)(decide)
    app.view(ids.CELEBRATION_NOTE_MODAL)(note_submitted)


def handle_note(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    celebration_id, trigger_id = int_id(action.get("value")), body.get("trigger_id")
    if celebration_id is None or not isinstance(trigger_id, str):
        return
    try:
        with deps.core.unit_of_work() as session:
            language, note = celebrations.note_of(
                session, **caller(context), celebration_id=celebration_id
            )
    except celebrations.NotALead:
        logger.warning("refused a celebration note on %s by %s", celebration_id, context.user_id)
        return
    except celebrations.TooLate:
        return
    client.views_open(
        trigger_id=trigger_id,
        view=build_note_modal(celebration_id, language, note, deps.prompts),
    )


def handle_decision(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    celebration_id, what = int_id(action.get("value")), ACTIONS.get(str(action.get("action_id")))
    if celebration_id is None or what is None:
        return
    try:
        with deps.core.unit_of_work() as session:
            language, done = celebrations.lead_action(
                session,
                **caller(context),
                celebration_id=celebration_id,
                action=what,
                now=deps.core.clock.now(),
                messages=CelebrationBuilder(deps.prompts),
            )
    except celebrations.NotALead:
        logger.warning("refused %s on celebration %s by %s", what, celebration_id, context.user_id)
        return
    except celebrations.TooLate as late:
        language, done = str(late.args[1]), "too_late"
    note = deps.prompts.render(language, "celebration_action", action=done)
    channel, ts = clicked_in(body)
    if channel is not None and ts is not None:
        blocks = build_nudge_closed(list((body.get("message") or {}).get("blocks") or []), note)
        client.chat_update(channel=channel, ts=ts, text=note, blocks=blocks)


def handle_note_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, deps: SlackDeps
) -> None:
    celebration_id = int_id(view.get("private_metadata"))
    value = text_value(view, ids.CELEBRATION_NOTE_BLOCK, ids.CELEBRATION_NOTE_INPUT)
    if celebration_id is None:
        ack()
        logger.warning("celebration note without an id from %s", context.user_id)
        return
    try:
        with deps.core.unit_of_work() as session:
            celebrations.lead_action(
                session,
                **caller(context),
                celebration_id=celebration_id,
                action="note",
                now=deps.core.clock.now(),
                messages=CelebrationBuilder(deps.prompts),
                note=value,
            )
    except celebrations.NotALead:
        ack()
        logger.warning("refused a celebration note on %s by %s", celebration_id, context.user_id)
        return
    except (celebrations.NoteRejected, celebrations.TooLate) as problem:
        language = str(problem.args[1])
        part = "too_long" if isinstance(problem, celebrations.NoteRejected) else "too_late"
        text = deps.prompts.render(language, "celebration_note_form", part=part, limit=MAX_NOTE)
        ack(response_action="errors", errors={ids.CELEBRATION_NOTE_BLOCK: text})
        return
    ack()
