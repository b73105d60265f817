"""Events API: uninstalls and revoked tokens stop all sending to a workspace."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from coach.delivery.directory import profile_of
from coach.services import membership, nudge_replies
from coach.slack.deps import SlackDeps
from coach.slack.listeners.views import acknowledge_in_dm
from coach.store.workspaces import mark_uninstalled


def register(app: App, deps: SlackDeps) -> None:
    def app_uninstalled(context: BoltContext) -> None:
        handle_app_uninstalled(context, deps)

    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        handle_tokens_revoked(event, context, deps)

    def direct_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        handle_direct_message(event, context, client, deps)

    def member_joined(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        handle_membership(event, context, client, deps, joined=True)

    def member_left(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        handle_membership(event, context, client, deps, joined=False)

    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
    app.event({"type": "message", "channel_type": "im"})(direct_message)
    app.event("member_joined_channel")(member_joined)
    app.event("member_left_channel")(member_left)


def handle_app_uninstalled(context: BoltContext, deps: SlackDeps) -> None:
    team_id = str(context.team_id)
    if deps.installation_store is not None:
        deps.installation_store.delete_all(enterprise_id=context.enterprise_id, team_id=team_id)
    with deps.core.unit_of_work() as session:
        mark_uninstalled(session, workspace_id=team_id, now=deps.core.clock.now())


def handle_tokens_revoked(event: dict[str, Any], context: BoltContext, deps: SlackDeps) -> None:
    tokens = event.get("tokens")
    if not isinstance(tokens, dict) or not tokens.get("bot"):
        return  # only user tokens were revoked; we hold none
    team_id = str(context.team_id)
    if deps.installation_store is not None:
        deps.installation_store.delete_bot(enterprise_id=context.enterprise_id, team_id=team_id)
    with deps.core.unit_of_work() as session:
        mark_uninstalled(session, workspace_id=team_id, now=deps.core.clock.now())


def handle_direct_message(
    event: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    """A reply in the thread of a nudge is its answer; other direct messages are left alone."""
    thread_ts, text, channel = event.get("thread_ts"), event.get("text"), event.get("channel")
    if (
        event.get("subtype")
        or event.get("bot_id")
        or not all(isinstance(v, str) for v in (thread_ts, text, channel))
    ):
        return
    with deps.core.unit_of_work() as session:
        try:
            answered = nudge_replies.answer_in_thread(
                session,
                workspace_id=str(context.team_id),
                user_id=str(context.user_id),
                channel_id=str(channel),
                thread_ts=str(thread_ts),
                text=str(text),
                now=deps.core.clock.now(),
            )
        except nudge_replies.InvalidAnswer:
            return
    if answered is not None:
        ref, intention = answered
        acknowledge_in_dm(client, deps, ref, intention)


def handle_membership(
    event: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps, *, joined: bool
) -> None:
    channel, user = event.get("channel"), event.get("user")
    if not isinstance(channel, str) or not isinstance(user, str):
        return
    team_id, now = str(context.team_id), deps.core.clock.now()
    with deps.core.unit_of_work() as session:
        team = membership.team_of_channel(session, workspace_id=team_id, channel_id=channel)
        if team is None:
            return
        if not joined:
            membership.member_left(session, team=team, user_id=user, now=now)
            return
    profile = profile_of(client.users_info(user=user, include_locale=True)["user"])
    with deps.core.unit_of_work() as session:
        team = membership.team_of_channel(session, workspace_id=team_id, channel_id=channel)
        membership.apply_profile(session, workspace_id=team_id, profile=profile, now=now)
        if team is not None and not profile.is_bot and not profile.deleted:
            membership.member_joined(session, team=team, user_id=user, now=now)
