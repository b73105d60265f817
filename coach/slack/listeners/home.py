"""The App Home tab: published when someone opens it and again after each change made on it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.delivery.directory import profile_of
from coach.domain.team_settings import InvalidSetting, check_language, parse_clock_time
from coach.services import people
from coach.services.admin_home import admin_home
from coach.services.home import home_of
from coach.services.membership import apply_profile
from coach.slack import ids
from coach.slack.admin_home_blocks import build_admin_section
from coach.slack.deps import SlackDeps
from coach.slack.home_blocks import build_home
from coach.slack.listeners.payload import caller, first_action
from coach.slack.listeners.shortcuts import open_story_form

logger = logging.getLogger(__name__)
PAUSE_DAYS = 7


def register(app: App, deps: SlackDeps) -> None:
    def opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        handle_home_opened(event, context, client, deps)

    def changed(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        handle_home_action(body, context, client, deps)

    app.event("app_home_opened")(opened)
    for action_id in (ids.HOME_TIME, ids.HOME_LANGUAGE, ids.HOME_PAUSE, ids.HOME_RESUME):
        app.action(action_id)(changed)

    def share(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        open_story_form(client, body.get("trigger_id"), context, deps, source="home")

    app.action(ids.HOME_SHARE_STORY)(share)


def handle_home_opened(
    event: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    if event.get("tab") != "home":
        return
    user = str(context.user_id)
    # Who they are now (time zone, language, whether they are a workspace admin), from Slack.
    profile = profile_of(client.users_info(user=user, include_locale=True)["user"])
    with deps.core.unit_of_work() as session:
        apply_profile(
            session, workspace_id=str(context.team_id), profile=profile, now=deps.core.clock.now()
        )
    publish_home(client, deps, workspace_id=str(context.team_id), user_id=user)


def handle_home_action(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    action = first_action(body)
    who = caller(context)
    now = deps.core.clock.now()
    try:
        with deps.core.unit_of_work() as session:
            match action.get("action_id"):
                case ids.HOME_TIME:
                    at = parse_clock_time(str(action.get("selected_time") or ""))
                    people.set_nudge_time(session, **who, at=at, now=now)
                case ids.HOME_LANGUAGE:
                    chosen = (action.get("selected_option") or {}).get("value")
                    people.set_language(
                        session, **who, language=check_language(str(chosen)), now=now
                    )
                case ids.HOME_PAUSE:
                    people.pause(session, **who, days=PAUSE_DAYS, now=now)
                case ids.HOME_RESUME:
                    people.resume(session, **who, now=now)
    except InvalidSetting as problem:
        logger.warning("ignored a home setting from %s: %s", context.user_id, problem)
    publish_home(client, deps, **who)


def publish_home(client: WebClient, deps: SlackDeps, *, workspace_id: str, user_id: str) -> None:
    """Draw the person's Home tab as it is now: their own part, their teams, and for admins the
    catalogue and team editors."""
    with deps.core.unit_of_work() as session:
        home = home_of(
            session, workspace_id=workspace_id, user_id=user_id, now=deps.core.clock.now()
        )
        admin = (
            admin_home(session, workspace_id=workspace_id, language=home.language)
            if home.admin
            else None
        )
    extra = build_admin_section(admin, deps.prompts, home.language) if admin else None
    client.views_publish(user_id=user_id, view=build_home(home, deps.prompts, extra))
