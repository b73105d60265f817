"""The story form's submission: checked and saved by one service call, acked at once (errors
under the fields), then Slack is asked about colleagues the coach had not met yet."""

from __future__ import annotations

import logging  # TEMPORARY
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import nudge_replies, stories  # TEMPORARY
from coach.services.people import language_of  # TEMPORARY
from coach.services.refusals import NotPermitted
from coach.services.story_form import StoryRejected, Submission
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.payload import (
    caller,
    checked_values,
    int_id,
    selected_users,
    selected_value,
    text_value,
)
from coach.slack.listeners.people import look_up
from coach.slack.listeners.refusals import ack_field_errors
from coach.slack.listeners.story_edits import show_edited
from coach.slack.nudge_blocks import MAX_INTENTION, build_nudge_closed  # TEMPORARY
from coach.slack.story_blocks import StoryMessageBuilder, build_left_out_of_story, story_errors

logger = logging.getLogger(__name__)  # TEMPORARY


def register(app: App, deps: SlackDeps) -> None:
    def story_submitted(
        ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        handle_story_submitted(ack, view, context, client, deps)

    app.view(ids.STORY_FORM)(story_submitted)

    def answer_submitted(  # TEMPORARY
        ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        handle_answer_submitted(ack, view, context, client, deps)

    app.view(ids.ANSWER_MODAL)(answer_submitted)


def handle_story_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    who, messages = caller(context), StoryMessageBuilder(deps.prompts)
    try:
        saved = stories.submit_story(
            deps.core, **who, view_id=str(view.get("id")), submission=_read(view), messages=messages
        )
    except StoryRejected as rejected:
        ack_field_errors(ack, story_errors(rejected, deps.prompts))
        return
    except NotPermitted:
        ack()  # logged where refused
        return
    ack()
    show_edited(client, saved.edited, who["user_id"])
    if saved.unconfirmed:
        confirm_colleagues(client, deps, saved, who["workspace_id"])


def confirm_colleagues(
    client: WebClient, deps: SlackDeps, saved: stories.StorySaved, workspace_id: str
) -> None:
    """After the ack: Slack says who the colleagues the coach had not met are; whoever is not a
    person of this workspace is taken off the story again, and the filer is told."""
    settled = stories.settle_colleagues(
        deps.core,
        workspace_id=workspace_id,
        story_id=saved.story_id,
        found=look_up(client, workspace_id, saved.unconfirmed),
        messages=StoryMessageBuilder(deps.prompts),
    )
    if settled.left_out:
        message = build_left_out_of_story(deps.prompts, settled.language, settled.left_out)
        client.chat_postMessage(channel=settled.filer, **message)


def _read(view: dict[str, Any]) -> Submission:
    return Submission(
        text=text_value(view, ids.STORY_TEXT_BLOCK, ids.STORY_TEXT),
        principle=selected_value(view, ids.STORY_PRINCIPLE_BLOCK, ids.STORY_PRINCIPLE),
        colleagues=selected_users(view, ids.STORY_COLLEAGUES_BLOCK, ids.STORY_COLLEAGUES),
        team_id=selected_value(view, ids.STORY_TEAM_BLOCK, ids.STORY_TEAM),
        share=selected_value(view, ids.STORY_CONSENT_BLOCK, ids.STORY_CONSENT) != "private",
        for_team=checked_values(view, ids.STORY_FOR_TEAM_BLOCK, ids.STORY_FOR_TEAM) == ["for_team"],
    )


# TEMPORARY (removed in the last commit): the nudge answer moves to listeners/nudge_answers.py.
def handle_answer_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    nudge_id = int_id(view.get("private_metadata"))
    text = text_value(view, ids.ANSWER_BLOCK, ids.ANSWER_INPUT)
    if nudge_id is None:
        ack()
        logger.warning("answer modal without a nudge id from %s", context.user_id)
        return
    try:
        with deps.core.unit_of_work() as session:
            ref, saved = nudge_replies.answer(
                session,
                workspace_id=str(context.team_id),
                user_id=str(context.user_id),
                nudge_id=nudge_id,
                text=text,
                now=deps.core.clock.now(),
            )
    except nudge_replies.InvalidAnswer as problem:
        language = _language(deps, context)
        message = (
            deps.prompts.render(language, "intention_too_long", limit=MAX_INTENTION)
            if problem.problem == "too_long"
            else deps.prompts.render(language, "answer_modal", part="label")
        )
        ack(response_action="errors", errors={ids.ANSWER_BLOCK: message})
        return
    except nudge_replies.NotYours:
        ack()
        logger.warning("refused an answer to nudge %s from %s", nudge_id, context.user_id)
        return
    ack()
    acknowledge_in_dm(client, deps, ref, saved)


def acknowledge_in_dm(
    client: WebClient, deps: SlackDeps, ref: nudge_replies.NudgeRef, intention: str
) -> None:
    """Rewrite the nudge message itself: the answer shows where the question was."""
    if ref.channel_id is None or ref.message_ts is None:
        return
    note = deps.prompts.render(ref.language, "answered", intention=intention)
    history = client.conversations_history(
        channel=ref.channel_id, latest=ref.message_ts, inclusive=True, limit=1
    )
    messages = history.get("messages") or []
    original = messages[0] if messages and messages[0].get("ts") == ref.message_ts else {}
    blocks = build_nudge_closed(list(original.get("blocks") or []), note)
    client.chat_update(channel=ref.channel_id, ts=ref.message_ts, text=note, blocks=blocks)


def _language(deps: SlackDeps, context: BoltContext) -> str:
    with deps.core.unit_of_work() as session:
        return language_of(session, workspace_id=str(context.team_id), user_id=str(context.user_id))
