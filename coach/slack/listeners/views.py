"""Modal submissions: validate on the field, save, then update the nudge in place."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import nudge_replies, stories, story_edits
from coach.services.people import language_of
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
from coach.slack.listeners.people import learn_people
from coach.slack.listeners.story_edits import show_edited
from coach.slack.nudge_blocks import MAX_INTENTION, build_nudge_closed
from coach.slack.story_blocks import StoryMessageBuilder

logger = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    def answer_submitted(
        ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        handle_answer_submitted(ack, view, context, client, deps)

    def story_submitted(
        ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        handle_story_submitted(ack, view, context, client, deps)

    app.view(ids.ANSWER_MODAL)(answer_submitted)
    app.view(ids.STORY_FORM)(story_submitted)


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


def handle_story_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    submission = stories.Submission(
        text=text_value(view, ids.STORY_TEXT_BLOCK, ids.STORY_TEXT),
        principle=selected_value(view, ids.STORY_PRINCIPLE_BLOCK, ids.STORY_PRINCIPLE),
        colleagues=selected_users(view, ids.STORY_COLLEAGUES_BLOCK, ids.STORY_COLLEAGUES),
        team_id=selected_value(view, ids.STORY_TEAM_BLOCK, ids.STORY_TEAM),
        share=selected_value(view, ids.STORY_CONSENT_BLOCK, ids.STORY_CONSENT) != "private",
        for_team=checked_values(view, ids.STORY_FOR_TEAM_BLOCK, ids.STORY_FOR_TEAM) == ["for_team"],
    )
    who = caller(context)
    learn_people(client, deps, who["workspace_id"], submission.colleagues)
    messages, edited = StoryMessageBuilder(deps.prompts), None
    try:
        with deps.core.unit_of_work() as session:
            stories.submit(
                session,
                **who,
                view_id=str(view.get("id")),
                submission=submission,
                now=deps.core.clock.now(),
                messages=messages,
            )
            edited = story_edits.edited(
                session,
                workspace_id=who["workspace_id"],
                view_id=str(view.get("id")),
                messages=messages,
            )
    except stories.StoryRejected as rejected:
        language = _language(deps, context)
        errors = {
            field: deps.prompts.render(
                language, "story_problem", code=code, limit=stories.MAX_STORY
            )
            for field, code in rejected.problems.items()
        }
        ack(response_action="errors", errors=errors)
        return
    except stories.UnknownDraft:
        logger.warning(
            "refused a story form that %s did not open (view %s)", context.user_id, view.get("id")
        )
    ack()
    show_edited(client, edited, who["user_id"])
