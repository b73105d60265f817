"""Modal submissions: validate on the field, save, then update the nudge in place."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import stories, story_edits
from coach.services.people import language_of
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.payload import (
    caller,
    checked_values,
    selected_users,
    selected_value,
    text_value,
)
from coach.slack.listeners.people import learn_people
from coach.slack.listeners.story_edits import show_edited
from coach.slack.story_blocks import StoryMessageBuilder

logger = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    def story_submitted(
        ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        handle_story_submitted(ack, view, context, client, deps)

    app.view(ids.STORY_FORM)(story_submitted)


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
