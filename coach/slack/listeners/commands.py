"""Slash commands: `/coach` acks at once and answers through the command's response_url after
the ack, on the after-ack pool: no transaction stands between Slack and its ack, however busy
the database (issue 12). The person sees the same ephemeral answer, a moment later.

`/coach my-data` sends its file after that answer."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from coach.domain.coach_command import parse_coach_command
from coach.services.coach_command import DataReady, run_coach_command
from coach.services.story_wall import WallReady
from coach.slack import ids
from coach.slack.blocks import build_coach_reply, fallback_text
from coach.slack.deps import SlackDeps
from coach.slack.listeners.payload import caller, clean_text
from coach.slack.listeners.privacy import send_my_data
from coach.slack.wall import put_up_wall

logger = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    def coach_command(
        ack: Ack,
        command: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond | None,
    ) -> None:
        ack()
        if respond is None:  # no response_url: not a command Slack sent
            logger.warning("ignored a /coach without a response_url")
            return
        sorry = partial(respond, response_type="ephemeral", text=deps.prompts.render("en", "error"))
        deps.after_ack.run(answer_coach, command, context, client, respond, deps, on_error=sorry)

    app.command(ids.COACH_COMMAND)(coach_command)


def answer_coach(
    command: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    deps: SlackDeps,
) -> None:
    parsed = parse_coach_command(clean_text(command.get("text")))
    where = str(command.get("channel_id") or "")
    reply = run_coach_command(deps.core, **caller(context), command=parsed, channel_id=where)
    blocks = build_coach_reply(reply.outcome, reply.language, deps.prompts)
    respond(response_type="ephemeral", text=fallback_text(blocks), blocks=blocks)
    if isinstance(reply.outcome, DataReady):
        send_my_data(client, respond, deps.prompts, reply.outcome, reply.language)
    if isinstance(reply.outcome, WallReady):
        user_id = caller(context)["user_id"]
        put_up_wall(client, respond, deps, reply.outcome, language=reply.language, user_id=user_id)
