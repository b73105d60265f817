"""Team setup: "New team" (admins) and a team's "Settings" (admins and its leads) open the team
modal; a submission goes to services/team_setup.py, which checks the role again. After a new
team is saved, the bot joins its channel if it is public, or asks the admin to invite it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from coach.render import channel_mention
from coach.services import team_setup
from coach.services.roles import NotAllowed, role_of
from coach.slack import ids
from coach.slack.blocks import section
from coach.slack.deps import SlackDeps
from coach.slack.listeners.home import publish_home
from coach.slack.listeners.payload import caller, first_action, int_id
from coach.slack.listeners.people import learn_people
from coach.slack.team_setup_blocks import build_team_modal, read_team_input, team_errors

logger = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    def clicked(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        handle_open(body, context, client, deps)

    def submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        handle_submitted(ack, view, context, client, deps)

    app.action(ids.TEAM_ADD)(clicked)
    app.action(re.compile(rf"^{ids.TEAM_SETTINGS}:"))(clicked)
    app.view(ids.TEAM_MODAL)(submitted)


def handle_open(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    team_id = int_id(first_action(body).get("value"))
    try:
        with deps.core.unit_of_work() as session:
            form = team_setup.team_form(session, **caller(context), team_id=team_id)
    except (NotAllowed, team_setup.TeamGone):
        return  # a refusal is logged where it happened
    view = build_team_modal(form, deps.prompts)
    if (body.get("view") or {}).get("type") == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    team_id = int_id(view.get("private_metadata"))
    values = read_team_input(view)
    with deps.core.unit_of_work() as session:  # only an admin's choice of leads is looked up
        admin = role_of(session, **caller(context)).admin
    if admin:
        learn_people(client, deps, str(context.team_id), list(values.leads))
    try:
        with deps.core.unit_of_work() as session:
            saved = team_setup.save_team(
                session,
                **caller(context),
                team_id=team_id,
                values=values,
                now=deps.core.clock.now(),
            )
    except (NotAllowed, team_setup.TeamGone):
        ack()
        return
    except team_setup.TeamRejected as rejected:
        errors = team_errors(rejected.problems, rejected.language, deps.prompts)
        ack(response_action="errors", errors=errors)
        return
    ack()
    if saved.created:
        outcome = join_channel(client, saved.channel_id)
        text = deps.prompts.render(
            saved.language,
            "team_created",
            part=outcome,
            team=saved.name,
            channel=channel_mention(saved.channel_id),
        )
        client.chat_postMessage(channel=str(context.user_id), text=text, blocks=[section(text)])
    publish_home(client, deps, **caller(context))


def join_channel(client: WebClient, channel_id: str) -> str:
    """Join a public channel; "joined", "present", "invite" (private: only an invitation lets
    the bot in) or "archived"."""
    try:
        channel = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as error:
        if error.response.get("error") == "channel_not_found":
            return "invite"  # a private channel the bot is not in looks like no channel at all
        raise
    if channel.get("is_archived"):
        return "archived"
    if channel.get("is_member"):
        return "present"
    if channel.get("is_private"):
        return "invite"
    client.conversations_join(channel=channel_id)
    return "joined"
