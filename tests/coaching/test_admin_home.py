"""Administering from the admin's App Home, end to end over the stand-in (signed requests, the
real Home tab): admins list and remove admins (never themselves as the last one; Slack's own
owners and admins stay), rename and remove teams (the stories stay), and set the retention
period with a field error for a bad number. A forged click or submission from someone who is
not an admin changes nothing."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import select

from coach.services.roles import role_of
from coach.slack import ids
from coach.store.models import Admin, Story, Team, Workspace
from coach_demo.driver import Driver
from tests.coaching.admin_steps import as_shown, make_admin, opened, press, snapshot
from tests.coaching.conftest import TEAM, add_story, set_leads, shown_text


def home(world: Driver, user: str) -> dict[str, Any]:
    """`user` opens their Home tab; the view published for them, with its id."""
    world.open_home(user)
    return shown(world, user)


def shown(world: Driver, user: str) -> dict[str, Any]:
    """The Home tab as `user` sees it now (as last published), with its id."""
    view = world.slack.home_view(TEAM, user)
    assert view is not None
    return {**view, "id": world.slack.state.home_views[(TEAM, user)]}


def submit(world: Driver, user: str, view: dict[str, Any], **changes: Any) -> Any:
    status, answer = world.submit(user, view, as_shown(view, **changes))
    assert status.startswith("200")
    return json.loads(answer) if answer not in (b"", b"null") else None


def team_block(view: dict[str, Any], name: str) -> dict[str, Any]:
    return next(
        b
        for b in view["blocks"]
        if b.get("block_id", "").startswith("admin_t_") and f"*{name}*" in b["text"]["text"]
    )


def menu(world: Driver, user: str, view: dict[str, Any], name: str, op: str) -> None:
    """`user` picks `op` (settings, rename, remove) from the menu of team `name` in `view`."""
    block = team_block(view, name)
    action_id = block["accessory"]["action_id"]
    value = next(o["value"] for o in block["accessory"]["options"] if o["value"].startswith(op))
    press(world, user, view, action_id, value)


def is_admin(world: Driver, user: str) -> bool:
    with world.deps.unit_of_work() as session:
        return role_of(session, workspace_id=TEAM, user_id=user).admin


def workspace_state(world: Driver) -> tuple[Any, ...]:
    """Everything the workspace part could change: admins, retention, teams, stories' teams."""
    with world.deps.unit_of_work() as session:
        admins = sorted(session.scalars(select(Admin.user_id)))
        retention = session.get_one(Workspace, TEAM).retention_days
        stories = sorted((i, t) for i, t in session.execute(select(Story.id, Story.team_id)))
    return snapshot(world), admins, retention, stories


def removable(view: dict[str, Any]) -> list[str]:
    """Whose Remove buttons the admins' list shows."""
    return [
        b["accessory"]["value"]
        for b in view["blocks"]
        if b.get("block_id", "").startswith("admin_a_") and "accessory" in b
    ]


def test_an_admin_removes_another_but_not_themselves_as_the_last_and_slack_admins_stay(
    world: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    world.slack.add_user(TEAM, "U0OWNER", name="owner", real_name="Owner", is_owner=True)
    home(world, "U0OWNER")  # Slack says they own the workspace
    make_admin(world, "U0ANNA")
    make_admin(world, "U0BOB")
    anna = home(world, "U0ANNA")
    assert removable(anna) == ["U0ANNA", "U0BOB"]  # the owner has no button: Slack decides
    assert "<@U0OWNER>" in shown_text([anna])
    button = next(b for b in anna["blocks"] if b.get("block_id") == "admin_a_U0BOB")["accessory"]
    assert button["confirm"]["style"] == "danger"  # Slack asks "are you sure?" first

    press(world, "U0ANNA", anna, f"{ids.ADMIN_REMOVE}:U0BOB")
    assert not is_admin(world, "U0BOB")
    assert removable(shown(world, "U0ANNA")) == ["U0ANNA"]  # redrawn

    # A forged removal of the owner changes nothing: they are an admin through Slack.
    press(
        world, "U0ANNA", {**anna, "blocks": _with_button(anna, "U0OWNER")}, "admin_remove:U0OWNER"
    )
    assert is_admin(world, "U0OWNER")

    # With the owner gone from Slack's admins, Anna is the last one: no button, and a forged
    # click on the old one is refused.
    world.slack.state.users["U0OWNER"].is_owner = False
    home(world, "U0OWNER")
    assert removable(home(world, "U0ANNA")) == []
    caplog.set_level(logging.WARNING, logger="coach.services.administration")
    press(world, "U0ANNA", anna, f"{ids.ADMIN_REMOVE}:U0ANNA")
    assert is_admin(world, "U0ANNA")
    assert "the last admin" in caplog.text


def test_an_admin_renames_a_team_and_a_bad_name_stays_in_the_dialog(world: Driver) -> None:
    make_admin(world, "U0ANNA")
    menu(world, "U0ANNA", home(world, "U0ANNA"), "Noord", "rename")
    dialog = opened(world)
    assert dialog["callback_id"] == ids.TEAM_RENAME_MODAL
    answer = submit(world, "U0ANNA", dialog, team_rename="   ")
    assert answer["response_action"] == "errors"
    assert answer["errors"][ids.TEAM_RENAME_BLOCK] == "Een teamnaam heeft 1 tot 80 tekens."
    assert submit(world, "U0ANNA", dialog, team_rename="x" * 81)["response_action"] == "errors"
    assert submit(world, "U0ANNA", dialog, team_rename="  Noord & Oost ") is None
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Team.name)).all() == ["Noord & Oost"]
    assert "*Noord &amp; Oost*" in shown_text([shown(world, "U0ANNA")])


def test_an_admin_removes_a_team_after_a_dialog_and_its_stories_stay(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # a pass: the team's members are read from Slack
    make_admin(world, "U0ANNA")
    story = add_story(world, "Klant op tijd geholpen", author="U0BOB")
    menu(world, "U0ANNA", home(world, "U0ANNA"), "Noord", "remove")
    dialog = opened(world)
    assert dialog["callback_id"] == ids.TEAM_REMOVE_MODAL
    text = shown_text([dialog])
    assert "*Noord*" in text and "1 verhaal blijft bewaard" in text
    assert "3 leden krijgen er geen vragen meer van" in text  # Anna, Bob, Ken (not the robot)
    assert submit(world, "U0ANNA", dialog) is None
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Team)).all() == []
        kept = session.get_one(Story, story)
        assert (kept.text, kept.team_id) == ("Klant op tijd geholpen", None)
    assert "Noord" not in shown_text([shown(world, "U0ANNA")])


def test_an_admin_sets_the_retention_period_and_a_bad_number_stays_in_the_dialog(
    world: Driver,
) -> None:
    make_admin(world, "U0BOB")  # Bob reads English
    view = home(world, "U0BOB")
    assert "kept until someone deletes them" in shown_text([view])
    press(world, "U0BOB", view, ids.RETENTION_EDIT)
    dialog = opened(world)
    for bad in ("0", "36501", "thirty", "-5", "1e3", "٣٠"):
        answer = submit(world, "U0BOB", dialog, retention=bad)
        assert answer["response_action"] == "errors", bad
        assert "from 1 to 36500" in answer["errors"][ids.RETENTION_BLOCK]
    assert submit(world, "U0BOB", dialog, retention=" 30 ") is None
    with world.deps.unit_of_work() as session:
        assert session.get_one(Workspace, TEAM).retention_days == 30
    assert "deleted 30 days after" in shown_text([shown(world, "U0BOB")])
    press(world, "U0BOB", shown(world, "U0BOB"), ids.RETENTION_EDIT)
    again = opened(world)
    assert again["blocks"][1]["element"]["initial_value"] == "30"
    assert submit(world, "U0BOB", again, retention="") is None  # empty: keep everything
    with world.deps.unit_of_work() as session:
        assert session.get_one(Workspace, TEAM).retention_days is None


def test_forged_admin_clicks_and_submissions_from_a_lead_or_a_member_change_nothing(
    world: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    make_admin(world, "U0ANNA")
    set_leads(world, "U0KEN")  # Ken leads Noord but is no admin
    story = add_story(world, "Een verhaal", author="U0BOB")
    anna = home(world, "U0ANNA")
    menu(world, "U0ANNA", anna, "Noord", "rename")
    rename = opened(world)
    menu(world, "U0ANNA", anna, "Noord", "remove")
    remove = opened(world)
    press(world, "U0ANNA", anna, ids.RETENTION_EDIT)
    retention = opened(world)
    forged = {**anna, "blocks": _with_button(anna, "U0ANNA")}
    before, opens = workspace_state(world), len(world.slack.calls_to("views.open"))
    caplog.set_level(logging.WARNING, logger="coach.services.roles")
    for user in ("U0KEN", "U0BOB"):
        press(world, user, forged, f"{ids.ADMIN_REMOVE}:U0ANNA")
        menu(world, user, anna, "Noord", "rename")
        menu(world, user, anna, "Noord", "remove")
        press(world, user, anna, ids.RETENTION_EDIT)
        assert submit(world, user, rename, team_rename="Van mij") is None
        assert submit(world, user, remove) is None
        assert submit(world, user, retention, retention="1") is None
        assert submit(world, user, retention, retention="nul") is None  # no hint for them either
    assert workspace_state(world) == before
    assert len(world.slack.calls_to("views.open")) == opens
    with world.deps.unit_of_work() as session:
        assert session.get_one(Story, story).team_id is not None
    refusals = [r.getMessage() for r in caplog.records if r.name == "coach.services.roles"]
    assert len(refusals) == 16
    assert sum("by U0KEN" in r for r in refusals) == 8


def _with_button(view: dict[str, Any], user: str) -> list[dict[str, Any]]:
    """The view's blocks plus a forged Remove button for `user` (one the app never draws)."""
    forged = {
        "type": "section",
        "block_id": f"admin_a_{user}",
        "text": {"type": "mrkdwn", "text": user},
        "accessory": {
            "type": "button",
            "action_id": f"{ids.ADMIN_REMOVE}:{user}",
            "value": user,
            "text": {"type": "plain_text", "text": "Remove"},
        },
    }
    return [*view["blocks"], forged]
