"""Steps for the admin side's tests: make someone an admin, show them the admin section in their
Home tab (published through the stand-in, so Slack's limits are checked), press its buttons and
menus, and read the modals that opened."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from slack_sdk import WebClient
from sqlalchemy import func, select

from coach.render import Prompts
from coach.services.admin_home import admin_home
from coach.slack.admin_home_blocks import build_admin_section
from coach.store.catalog import load_catalog
from coach.store.models import CatalogChange, Team, Workspace
from coach.store.workspaces import add_admin
from coach_demo.driver import Driver
from slack_standin import payloads
from tests.coaching.conftest import TEAM, TOKEN


def make_admin(world: Driver, user: str) -> None:
    with world.deps.unit_of_work() as session:
        add_admin(session, workspace_id=TEAM, user_id=user, added_by="test", now=world.clock.now())


def show_admin_section(world: Driver, user: str, language: str = "nl") -> dict[str, Any]:
    """Publish the admin section as `user`'s Home tab; returns the view with its id."""
    with world.deps.unit_of_work() as session:
        home = admin_home(session, workspace_id=TEAM, language=language, viewer=user)
    blocks = build_admin_section(home, Prompts(), language)
    client = WebClient(token=TOKEN, base_url=world.slack.api_url)
    published = client.views_publish(user_id=user, view={"type": "home", "blocks": blocks})
    return dict(published["view"])


def press(
    world: Driver, user: str, view: dict[str, Any], action_id: str, option: str | None = None
) -> tuple[str, bytes]:
    """`user` presses the button `action_id` in `view` (a Home tab or a modal), or picks the
    option whose value is `option` from that overflow menu."""
    block, element = _find(view, action_id)
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block["block_id"],
        "type": element["type"],
        "action_ts": "1700000000.000001",
    }
    if element["type"] == "overflow":
        action["selected_option"] = next(o for o in element["options"] if o["value"] == option)
    else:
        action["value"], action["text"] = element["value"], element["text"]
    body = payloads.block_actions(
        team_id=TEAM,
        team_domain=world.team_domain,
        user_id=user,
        user_name=user.lower(),
        api_app_id=world.slack.app_id,
        trigger_id=world.slack.new_trigger_id(TEAM, user),
        actions=[action],
        view=view,
    )
    return world.post(urlencode({"payload": json.dumps(body)}).encode())


def opened(world: Driver, method: str = "views.open") -> dict[str, Any]:
    """The modal the app opened (or pushed) last, as Slack answered it."""
    return dict(world.slack.calls_to(method)[-1].response["view"])


def text_input(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def chosen(value: str | None) -> dict[str, Any]:
    option = (
        None if value is None else {"value": value, "text": {"type": "plain_text", "text": value}}
    )
    return {"type": "static_select", "selected_option": option}


def snapshot(world: Driver) -> tuple[Any, ...]:
    """Everything an admin action could change: the catalogue, its version, the audit log, teams."""
    with world.deps.unit_of_work() as session:
        catalog = load_catalog(session, workspace_id=TEAM)
        version = session.get_one(Workspace, TEAM).catalog_version
        changes = session.scalar(select(func.count()).select_from(CatalogChange))
        teams = [
            (
                t.channel_id,
                t.name,
                t.nudge_time,
                t.celebrate_weekday,
                t.celebrate_time,
                t.timezone,
                t.language,
                t.holiday_country,
                t.pinned_principle_id,
                t.celebration_picture,
                tuple(lead.user_id for lead in t.leads),
            )
            for t in session.scalars(select(Team).order_by(Team.id))
        ]
    return catalog, version, changes, teams


def _find(view: dict[str, Any], action_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for block in view["blocks"]:
        elements = [block.get("accessory") or {}, *block.get("elements", [])]
        for element in elements:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block, element
    raise AssertionError(f"no {action_id} in the view")


def as_shown(view: dict[str, Any], **changes: Any) -> dict[str, dict[str, Any]]:
    """state.values of a modal submitted as it was shown, with `changes` by block id (a str for
    text inputs and selects' values, a list for multi selects, None to empty a field)."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, bid = block["element"], block["block_id"]
        kind = element["type"]
        if kind == "plain_text_input":
            current: dict[str, Any] = text_input(element.get("initial_value"))
            if bid in changes:
                current = text_input(changes[bid])
        elif kind == "static_select":
            initial = element.get("initial_option")
            current = chosen(changes[bid] if bid in changes else initial and initial["value"])
        elif kind == "timepicker":
            current = {"type": kind, "selected_time": changes.get(bid, element.get("initial_time"))}
        elif kind == "multi_users_select":
            users = changes.get(bid, element.get("initial_users", []))
            current = {"type": kind, "selected_users": users}
        elif kind == "conversations_select":
            current = {"type": kind, "selected_conversation": changes.get(bid)}
        elif kind == "checkboxes":
            initial_values = [o["value"] for o in element.get("initial_options", [])]
            ticked = changes.get(bid, initial_values)
            options = [o for o in element["options"] if o["value"] in ticked]
            current = {"type": kind, "selected_options": options}
        else:
            raise AssertionError(f"no test value for {kind}")
        values[bid] = {element["action_id"]: current}
    return values
