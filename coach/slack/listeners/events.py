"""Events API: uninstalls and revoked tokens stop all sending to a workspace; channel joins and
leaves keep the teams' members current between syncs."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from coach.delivery.directory import profile_of
from coach.services import membership, workspaces
from coach.slack.deps import SlackDeps
from coach.slack.listeners.redelivery import first_delivery

Body = dict[str, Any]


def register(app: App, deps: SlackDeps) -> None:
    def app_uninstalled(body: Body, context: BoltContext) -> None:
        if first_delivery(body, context, deps):
            handle_app_uninstalled(context, deps)

    def tokens_revoked(body: Body, event: Body, context: BoltContext) -> None:
        if first_delivery(body, context, deps):
            handle_tokens_revoked(event, context, deps)

    def member_joined(body: Body, event: Body, context: BoltContext, client: WebClient) -> None:
        if first_delivery(body, context, deps):
            handle_member_joined(event, context, client, deps)

    def member_left(body: Body, event: Body, context: BoltContext) -> None:
        if first_delivery(body, context, deps):
            handle_member_left(event, context, deps)

    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
    app.event("member_joined_channel")(member_joined)
    app.event("member_left_channel")(member_left)


def handle_app_uninstalled(context: BoltContext, deps: SlackDeps) -> None:
    team_id = str(context.team_id)
    # Sending stops before the tokens go, so whoever sees the tokens gone sees it stopped too.
    workspaces.stop_sending(deps.core, workspace_id=team_id)
    if deps.installation_store is not None:
        deps.installation_store.delete_all(enterprise_id=context.enterprise_id, team_id=team_id)


def handle_tokens_revoked(event: dict[str, Any], context: BoltContext, deps: SlackDeps) -> None:
    tokens = event.get("tokens")
    if not isinstance(tokens, dict) or not tokens.get("bot"):
        return  # only user tokens were revoked; we hold none
    team_id = str(context.team_id)
    workspaces.stop_sending(deps.core, workspace_id=team_id)  # first, as on uninstall
    if deps.installation_store is not None:
        deps.installation_store.delete_bot(enterprise_id=context.enterprise_id, team_id=team_id)


def handle_member_joined(
    event: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    """Only a team's channel matters: then who joined is read from Slack (time zone, locale)."""
    channel, user, team_id = event.get("channel"), event.get("user"), str(context.team_id)
    if not isinstance(channel, str) or not isinstance(user, str):
        return
    if not membership.is_team_channel(deps.core, workspace_id=team_id, channel_id=channel):
        return
    profile = profile_of(client.users_info(user=user, include_locale=True)["user"])
    membership.joined_channel(deps.core, workspace_id=team_id, channel_id=channel, profile=profile)


def handle_member_left(event: dict[str, Any], context: BoltContext, deps: SlackDeps) -> None:
    channel, user = event.get("channel"), event.get("user")
    if isinstance(channel, str) and isinstance(user, str):
        membership.left_channel(
            deps.core, workspace_id=str(context.team_id), channel_id=channel, user_id=user
        )
