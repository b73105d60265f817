"""Team setup: "New team" (admins) and a team's "Settings" (admins and its leads) open the team
modal; a submission goes to services/team_setup.py, which checks the role again. After the ack,
leads the coach had not met are looked up, and after a new team is saved, the bot joins its
channel if it is public, or asks the admin to invite it.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from coach.services import team_setup
from coach.services.refusals import NotPermitted
from coach.services.roles import NotAllowed
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.acking import acked
from coach.slack.listeners.home import publish_home
from coach.slack.listeners.payload import caller, first_action, int_id
from coach.slack.listeners.people import look_up
from coach.slack.listeners.refusals import ack_field_errors
from coach.slack.team_setup_blocks import (
    build_left_out_of_team,
    build_team_created,
    build_team_modal,
    read_team_input,
    team_errors,
)


def register(app: App, deps: SlackDeps) -> None:
    def submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        handle_submitted(ack, view, context, client, deps)

    app.action(ids.TEAM_ADD)(acked(handle_open, deps))
    app.action(re.compile(rf"^{ids.TEAM_SETTINGS}:"))(acked(handle_open, deps))
    app.view(ids.TEAM_MODAL)(submitted)


def handle_open(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    open_team_form(body, context, client, deps, int_id(first_action(body).get("value")))


def open_team_form(
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    deps: SlackDeps,
    team_id: int | None,
) -> None:
    """The team form: a new team (`team_id` None) or that team's settings."""
    try:
        form = team_setup.team_form(deps.core, **caller(context), team_id=team_id)
    except (NotAllowed, NotPermitted):
        return  # a refusal is logged where it happened
    view = build_team_modal(form, deps.prompts)
    if (body.get("view") or {}).get("type") == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    who, team_id = caller(context), int_id(view.get("private_metadata"))
    try:
        saved = team_setup.submit_team(
            deps.core, **who, team_id=team_id, values=read_team_input(view)
        )
    except team_setup.TeamRejected as rejected:
        ack_field_errors(ack, team_errors(rejected, deps.prompts))
        return
    except (NotAllowed, NotPermitted):
        ack()  # a refusal is logged where it happened
        return
    ack()
    deps.after_ack.run(after_team_saved, client, deps, saved, who)


def after_team_saved(
    client: WebClient, deps: SlackDeps, saved: team_setup.TeamSaved, who: dict[str, str]
) -> None:
    """After the ack: the leads confirmed, a new team's channel joined, the Home tab again."""
    if saved.unconfirmed:
        confirm_leads(client, deps, saved, who)
    if saved.created:
        message = build_team_created(deps.prompts, saved, join_channel(client, saved.channel_id))
        client.chat_postMessage(channel=who["user_id"], **message)
    publish_home(client, deps, **who)


def confirm_leads(
    client: WebClient, deps: SlackDeps, saved: team_setup.TeamSaved, who: dict[str, str]
) -> None:
    """After the ack: Slack says who the leads the coach had not met are; whoever is not a
    person of this workspace leads the team no longer, and the admin is told."""
    found = look_up(client, who["workspace_id"], saved.unconfirmed)
    settled = team_setup.settle_leads(
        deps.core, workspace_id=who["workspace_id"], team_id=saved.team_id, found=found
    )
    if settled.left_out:
        message = build_left_out_of_team(
            deps.prompts, saved.language, settled.team, settled.left_out
        )
        client.chat_postMessage(channel=who["user_id"], **message)


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
