"""The story form's submission: checked and saved by one service call, acked at once (errors
under the fields), then Slack is asked about colleagues the coach had not met yet."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import stories
from coach.services.refusals import NotPermitted
from coach.services.story_form import StoryRejected, Submission
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.payload import (
    caller,
    checked_values,
    selected_users,
    selected_value,
    text_value,
)
from coach.slack.listeners.people import look_up
from coach.slack.listeners.refusals import ack_field_errors
from coach.slack.listeners.story_edits import show_edited
from coach.slack.story_blocks import StoryMessageBuilder, build_left_out_of_story, story_errors


def register(app: App, deps: SlackDeps) -> None:
    def story_submitted(
        ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        handle_story_submitted(ack, view, context, client, deps)

    app.view(ids.STORY_FORM)(story_submitted)


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
    deps.after_ack.run(after_story_saved, client, deps, saved, who)


def after_story_saved(
    client: WebClient, deps: SlackDeps, saved: stories.StorySaved, who: dict[str, str]
) -> None:
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
