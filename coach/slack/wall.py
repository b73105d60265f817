"""`/coach wall` after the ack: the message in the team channel, or the page in the lead's DM."""

from __future__ import annotations

import logging

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from coach.report import wall_html
from coach.services.story_wall import WallReady
from coach.slack.deps import SlackDeps
from coach.slack.wall_blocks import build_wall

logger = logging.getLogger(__name__)


def put_up_wall(
    client: WebClient,
    respond: Respond,
    deps: SlackDeps,
    wall: WallReady,
    *,
    language: str,
    user_id: str,
) -> None:
    try:
        if wall.screen:
            title = deps.prompts.render_text(language, "wall", part="file", team=wall.team_name)
            channel = str(client.conversations_open(users=user_id)["channel"]["id"])
            client.files_upload_v2(
                channel=channel,
                content=wall_html(wall, deps.prompts, language).encode("utf-8"),
                filename="story-wall.html",
                title=title,
            )
        else:
            message = build_wall(wall, deps.prompts, language)
            client.chat_postMessage(
                channel=wall.channel_id, **message, unfurl_links=False, unfurl_media=False
            )
    except SlackApiError as error:
        reason = str(error.response.get("error") or "error")
        logger.warning("story wall of %s not put up: %s", wall.team_name, reason)
        respond(
            text=deps.prompts.render(language, "wall", part="failed", reason=reason),
            response_type="ephemeral",
            replace_original=False,
        )
