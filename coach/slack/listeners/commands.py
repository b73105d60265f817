"""Slash commands: ack with the answer; the work is a quick database call, no Slack calls.

`/coach my-data` sends its file after the ack."""

from __future__ import annotations

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


def register(app: App, deps: SlackDeps) -> None:
    def coach_command(
        ack: Ack,
        command: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        handle_coach(ack, command, context, deps, client=client, respond=respond)

    app.command(ids.COACH_COMMAND)(coach_command)


def handle_coach(
    ack: Ack,
    command: dict[str, Any],
    context: BoltContext,
    deps: SlackDeps,
    *,
    client: WebClient,
    respond: Respond,
) -> None:
    parsed = parse_coach_command(clean_text(command.get("text")))
    where = str(command.get("channel_id") or "")
    reply = run_coach_command(deps.core, **caller(context), command=parsed, channel_id=where)
    blocks = build_coach_reply(reply.outcome, reply.language, deps.prompts)
    ack(response_type="ephemeral", text=fallback_text(blocks), blocks=blocks)
    if isinstance(reply.outcome, DataReady):  # the file goes after the ack: Slack waits 3 s
        deps.after_ack.run(
            send_my_data, client, respond, deps.prompts, reply.outcome, reply.language
        )
    if isinstance(reply.outcome, WallReady):
        wall = partial(put_up_wall, language=reply.language, user_id=caller(context)["user_id"])
        deps.after_ack.run(wall, client, respond, deps, reply.outcome)
