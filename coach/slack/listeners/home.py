"""The App Home tab: published when someone opens it and again after each change made on it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from coach.delivery.directory import profile_of
from coach.services import home
from coach.slack import ids
from coach.slack.admin_home_blocks import build_admin_section
from coach.slack.deps import SlackDeps
from coach.slack.home_blocks import build_home
from coach.slack.listeners.acking import acked, share_story_button
from coach.slack.listeners.payload import caller, chosen_value, first_action
from coach.slack.listeners.redelivery import first_delivery
from coach.slack.organisation_blocks import build_organisation
from coach.slack.pictures import organisation_picture_shown, team_pictures

SETTINGS: dict[str, home.Setting] = {
    ids.HOME_TIME: "nudge_time",
    ids.HOME_LANGUAGE: "language",
    ids.HOME_PAUSE: "pause",
    ids.HOME_RESUME: "resume",
    ids.HOME_WEEKDAYS: "weekdays",
    ids.HOME_RHYTHM: "rhythm",
}


def register(app: App, deps: SlackDeps) -> None:
    def opened(
        body: dict[str, Any], event: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        if first_delivery(body, context, deps):
            handle_home_opened(event, context, client, deps)

    app.event("app_home_opened")(opened)
    for action_id in SETTINGS:
        app.action(action_id)(acked(handle_home_action, deps))
    app.action(ids.HOME_SHARE_STORY)(share_story_button(deps, "home"))


def handle_home_opened(
    event: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    if event.get("tab") != "home":
        return
    who = caller(context)
    # Who they are now (time zone, language, whether they are a workspace admin), from Slack.
    profile = profile_of(client.users_info(user=who["user_id"], include_locale=True)["user"])
    _publish(client, deps, home.opened(deps.core, **who, profile=profile))


def handle_home_action(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    setting = SETTINGS.get(str(action.get("action_id")))
    if setting is None:
        return
    view = home.change_setting(
        deps.core, **caller(context), setting=setting, value=chosen_value(action)
    )
    _publish(client, deps, view)


def publish_home(client: WebClient, deps: SlackDeps, *, workspace_id: str, user_id: str) -> None:
    """Draw the person's Home tab as it is now: their own part, their teams, and for admins the
    catalogue and team editors."""
    _publish(client, deps, home.home_view(deps.core, workspace_id=workspace_id, user_id=user_id))


def _publish(client: WebClient, deps: SlackDeps, view: home.HomeView) -> None:
    language = view.home.language
    admin = build_admin_section(view.admin, deps.prompts, language) if view.admin else None
    if view.organisation is not None:
        picture = organisation_picture_shown(client, deps, view.home, view.organisation)
        admin = [*build_organisation(view.organisation, deps.prompts, picture), *(admin or [])]
    shown = team_pictures(client, deps, view.home)
    client.views_publish(
        user_id=view.home.user_id, view=build_home(view.home, deps.prompts, admin, shown)
    )
