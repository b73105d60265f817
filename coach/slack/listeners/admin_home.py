"""The admin's workspace part of the App Home: a team's menu (settings, rename, remove), the
added admins' Remove buttons and the retention period. Every click and submission goes to a
service that checks the role again, in the same transaction as the change (the CLI's own
functions in services/administration.py), so a forged one changes nothing; a refusal is logged
where it was decided.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import admin_home, administration
from coach.services.refusals import NotPermitted
from coach.slack import ids
from coach.slack.admin_dialog_blocks import (
    build_retention_modal,
    build_team_remove_modal,
    build_team_rename_modal,
    rename_errors,
    retention_errors,
)
from coach.slack.deps import SlackDeps
from coach.slack.listeners.acking import acked
from coach.slack.listeners.home import publish_home
from coach.slack.listeners.payload import caller, first_action, int_id, text_value
from coach.slack.listeners.refusals import ack_field_errors
from coach.slack.listeners.team_setup import open_team_form

View = dict[str, Any]
# Not the caller's to do (not an admin, the last admin), or no longer there (a team removed in
# another tab): nothing changes, and the service has logged why.
REFUSED = (NotPermitted, LookupError)
DIALOGS: dict[str, Callable[[admin_home.TeamChoice, Any], View]] = {
    "rename": build_team_rename_modal,
    "remove": build_team_remove_modal,
}


def register(app: App, deps: SlackDeps) -> None:
    def renamed(ack: Ack, view: View, context: BoltContext, client: WebClient) -> None:
        handle_rename_submitted(ack, view, context, client, deps)

    def removed(ack: Ack, view: View, context: BoltContext, client: WebClient) -> None:
        handle_remove_submitted(ack, view, context, client, deps)

    def retention(ack: Ack, view: View, context: BoltContext, client: WebClient) -> None:
        handle_retention_submitted(ack, view, context, client, deps)

    app.action(re.compile(rf"^{ids.TEAM_MENU}:"))(acked(handle_team_menu, deps))
    app.action(re.compile(rf"^{ids.ADMIN_REMOVE}:"))(acked(handle_admin_remove, deps))
    app.action(ids.RETENTION_EDIT)(acked(handle_retention_open, deps))
    app.view(ids.TEAM_RENAME_MODAL)(renamed)
    app.view(ids.TEAM_REMOVE_MODAL)(removed)
    app.view(ids.RETENTION_MODAL)(retention)


def handle_team_menu(body: View, context: BoltContext, client: WebClient, deps: SlackDeps) -> None:
    """ "settings:TEAM_ID" opens the team form; "rename:CHANNEL" and "remove:CHANNEL" a dialog."""
    chosen = (first_action(body).get("selected_option") or {}).get("value")
    op, _, arg = str(chosen or "").partition(":")
    if op == "settings" and (team_id := int_id(arg)) is not None:
        open_team_form(body, context, client, deps, team_id)
        return
    build = DIALOGS.get(op)
    if build is None:
        return
    try:
        choice = admin_home.team_choice(deps.core, **caller(context), channel_id=arg)
    except REFUSED:
        return
    show_modal(client, body, build(choice, deps.prompts))


def handle_admin_remove(
    body: View, context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    who = caller(context)
    user_id = str(first_action(body).get("value") or "")
    try:
        administration.remove_admin(
            deps.core, workspace_id=who["workspace_id"], user_id=user_id, by=who["user_id"]
        )
    except REFUSED:
        return
    publish_home(client, deps, **who)


def handle_retention_open(
    body: View, context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    try:
        form = admin_home.retention_form(deps.core, **caller(context))
    except REFUSED:
        return
    show_modal(client, body, build_retention_modal(form, deps.prompts))


def handle_rename_submitted(
    ack: Ack, view: View, context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    who, channel_id = caller(context), str(view.get("private_metadata") or "")
    name = text_value(view, ids.TEAM_RENAME_BLOCK, ids.TEAM_RENAME_INPUT)
    try:
        administration.rename_team(
            deps.core,
            workspace_id=who["workspace_id"],
            channel_id=channel_id,
            name=name,
            by=who["user_id"],
        )
    except administration.TeamNameRejected as rejected:
        ack_field_errors(ack, rename_errors(rejected, deps.prompts))
        return
    except REFUSED:
        ack()
        return
    ack()
    deps.after_ack.run(refresh_home, client, deps, who)


def handle_remove_submitted(
    ack: Ack, view: View, context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    ack()  # nothing to show in the dialog; removing a team may take longer than Slack waits
    channel_id = str(view.get("private_metadata") or "")
    deps.after_ack.run(remove_team, client, deps, caller(context), channel_id)


def remove_team(client: WebClient, deps: SlackDeps, who: dict[str, str], channel_id: str) -> None:
    """After the ack: the team goes, and the admin's Home tab shows it gone."""
    try:
        administration.remove_team(
            deps.core, workspace_id=who["workspace_id"], channel_id=channel_id, by=who["user_id"]
        )
    except REFUSED:
        return
    publish_home(client, deps, **who)


def handle_retention_submitted(
    ack: Ack, view: View, context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    who = caller(context)
    text = text_value(view, ids.RETENTION_BLOCK, ids.RETENTION_INPUT)
    try:
        admin_home.save_retention(deps.core, **who, text=text)
    except admin_home.RetentionRejected as rejected:
        ack_field_errors(ack, retention_errors(rejected, deps.prompts))
        return
    except REFUSED:
        ack()
        return
    ack()
    deps.after_ack.run(refresh_home, client, deps, who)


def refresh_home(client: WebClient, deps: SlackDeps, who: dict[str, str]) -> None:
    """After the ack: the admin's Home tab as the change left it."""
    publish_home(client, deps, **who)


def show_modal(client: WebClient, body: View, view: View) -> None:
    """Open the dialog, or push it when the click came from a modal (the teams' browser)."""
    if (body.get("view") or {}).get("type") == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)
