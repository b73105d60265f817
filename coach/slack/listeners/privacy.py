"""`/coach my-data`'s file and `/coach forget-me`'s buttons."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from coach.render import Prompts
from coach.services import privacy
from coach.services.coach_command import DataReady
from coach.services.refusals import NotPermitted
from coach.slack import ids
from coach.slack.blocks import build_forget_answer, text_blocks
from coach.slack.deps import SlackDeps
from coach.slack.listeners.payload import caller, first_action

logger = logging.getLogger(__name__)
MY_DATA_FILE = "9plus-coach-my-data.json"


def register(app: App, deps: SlackDeps) -> None:
    def forget_me(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        deps.after_ack.run(handle_forget_me, body, context, respond, deps)

    def keep_me(ack: Ack, context: BoltContext, respond: Respond) -> None:
        ack()
        deps.after_ack.run(handle_keep_me, context, respond, deps)

    app.action(ids.FORGET_ME_YES)(forget_me)
    app.action(ids.FORGET_ME_CANCEL)(keep_me)


def send_my_data(
    client: WebClient, respond: Respond, prompts: Prompts, ready: DataReady, language: str
) -> None:
    """After the ack: the data as a JSON file in the person's DM; if that fails, say so."""
    content = json.dumps(ready.data, ensure_ascii=False, indent=2)
    try:
        channel = client.conversations_open(users=ready.user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=channel,
            content=content,
            filename=MY_DATA_FILE,
            title=prompts.render(language, "my_data", part="title"),
            initial_comment=prompts.render(language, "my_data", part="comment"),
        )
    except SlackClientError:
        logger.warning("could not send %s their data", ready.user_id, exc_info=True)
        failed = prompts.render(language, "my_data", part="failed")
        respond(text=failed, blocks=text_blocks(failed), response_type="ephemeral")


def handle_forget_me(
    body: dict[str, Any], context: BoltContext, respond: Respond, deps: SlackDeps
) -> None:
    """After the ack: forget the person who clicked, if the question was theirs."""
    confirmed_for = str(first_action(body).get("value"))
    try:
        answered = privacy.forget_me(deps.core, **caller(context), confirmed_for=confirmed_for)
    except NotPermitted:
        return
    text, blocks = build_forget_answer(answered, deps.prompts)
    respond(text=text, blocks=blocks, replace_original=True)


def handle_keep_me(context: BoltContext, respond: Respond, deps: SlackDeps) -> None:
    """After the ack: the person keeps their data; the question says so."""
    answered = privacy.keep_me(deps.core, **caller(context))
    text, blocks = build_forget_answer(answered, deps.prompts)
    respond(text=text, blocks=blocks, replace_original=True)
