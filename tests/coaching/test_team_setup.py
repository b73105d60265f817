"""Team setup in Slack, end to end over the stand-in: admins create a team from a channel (the bot
joins a public one, or asks to be invited to a private one); admins and the team's own leads
change its settings with the same rules as `coach team set`; nobody else changes anything."""

from __future__ import annotations

import json
import logging
from datetime import time
from typing import Any

import pytest
from sqlalchemy import select

from coach.domain.team_settings import TeamChanges
from coach.render import Prompts
from coach.services.admin_home import admin_home
from coach.slack import ids
from coach.slack.admin_home_blocks import build_team_section
from coach.store.models import Person, Principle, Team
from coach.store.teams import set_team
from coach_demo.driver import Driver
from tests.coaching.admin_steps import (
    as_shown,
    make_admin,
    opened,
    press,
    show_admin_section,
    snapshot,
)
from tests.coaching.conftest import TEAM


def team(world: Driver, channel: str) -> Team | None:
    with world.deps.unit_of_work() as session:
        found = session.scalar(select(Team).where(Team.channel_id == channel))
        if found is not None:
            _ = found.leads
            session.expunge_all()
        return found


def new_team_form(world: Driver, user: str) -> dict[str, Any]:
    home = show_admin_section(world, user)
    press(world, user, home, ids.TEAM_ADD)
    view = opened(world)
    assert view["callback_id"] == ids.TEAM_MODAL
    return view


def submit(world: Driver, user: str, view: dict[str, Any], **changes: Any) -> Any:
    status, answer = world.submit(user, view, as_shown(view, **changes))
    assert status.startswith("200")
    return json.loads(answer) if answer not in (b"", b"null") else None


def test_an_admin_creates_a_team_from_a_public_channel_and_the_bot_joins_it(
    world: Driver,
) -> None:
    world.slack.add_channel(TEAM, "C0ZUID", name="team-zuid", members=["U0ANNA", "U0BOB"])
    make_admin(world, "U0ANNA")
    view = new_team_form(world, "U0ANNA")
    answer = submit(
        world,
        "U0ANNA",
        view,
        team_channel="C0ZUID",
        team_name="Zuid",
        team_leads=["U0BOB"],
        team_nudge_time="08:30",
        team_celebrate_day="thursday",
        team_celebrate_time="15:00",
        team_timezone="Europe/Brussels",
        team_language="en",
        team_holiday_country="be",
        team_pin="daadkrachtig",
    )
    assert answer is None
    made = team(world, "C0ZUID")
    assert made is not None
    assert (made.name, [lead.user_id for lead in made.leads]) == ("Zuid", ["U0BOB"])
    assert (made.nudge_time, made.celebrate_weekday, made.celebrate_time) == (
        time(8, 30),
        3,
        time(15, 0),
    )
    assert (made.timezone, made.language, made.holiday_country) == ("Europe/Brussels", "en", "BE")
    with world.deps.unit_of_work() as session:
        assert session.get_one(Principle, made.pinned_principle_id).key == "daadkrachtig"
    assert [c.args["channel"] for c in world.slack.calls_to("conversations.join")] == ["C0ZUID"]
    assert "U0BOTACME" in world.slack.state.channels["C0ZUID"].members
    [told] = [m for m in world.dm("U0ANNA") if not m.get("files")]  # pictures for the Home
    assert told["text"].startswith(
        "✅ Team *Zuid* staat klaar, en ik ben lid geworden van <#C0ZUID>"
    )
    # The next pass reads its members, who follow the team's rhythm.
    world.at("2026-11-23T06:00:00+00:00")
    with world.deps.unit_of_work() as session:
        bob = session.scalars(select(Person).where(Person.user_id == "U0BOB")).one()
        assert bob.next_nudge_at is not None


def test_for_a_private_channel_the_admin_is_asked_to_invite_the_bot(world: Driver) -> None:
    world.slack.add_channel(TEAM, "G0GEHEIM", name="geheim", members=["U0ANNA"], is_private=True)
    make_admin(world, "U0ANNA")
    view = new_team_form(world, "U0ANNA")
    assert submit(world, "U0ANNA", view, team_channel="G0GEHEIM", team_name="Geheim") is None
    assert team(world, "G0GEHEIM") is not None
    assert world.slack.calls_to("conversations.join") == []
    [told] = [m for m in world.dm("U0ANNA") if not m.get("files")]  # pictures for the Home
    assert "nodig mij uit: typ `/invite @9+ Coach`" in told["text"]


def test_team_settings_are_checked_on_their_fields_with_the_cli_s_rules(world: Driver) -> None:
    world.slack.add_channel(TEAM, "C0ZUID", name="team-zuid", members=["U0ANNA"])
    make_admin(world, "U0ANNA")
    view = new_team_form(world, "U0ANNA")
    answer = submit(
        world,
        "U0ANNA",
        view,
        team_channel="C0NOORD",
        team_name=" ",
        team_timezone="Europe/Atlantis",
        team_holiday_country="XX",
        team_nudge_time="25:00",
        team_pin="no-such-principle",
    )
    assert answer == {
        "response_action": "errors",
        "errors": {
            "team_channel": "Dit kanaal is al een team; wijzig de instellingen van dat team.",
            "team_name": "Vul dit in.",
            "team_nudge_time": "Gebruik een tijd zoals 09:00.",
            "team_timezone": "Dit is geen tijdzone uit de IANA-lijst; gebruik bijvoorbeeld "
            "Europe/Amsterdam.",
            "team_holiday_country": "De feestdagenkalender kent dit land niet; gebruik een code "
            "zoals NL, BE of DE.",
        },
    }
    answer = submit(world, "U0ANNA", view, team_channel="C0ZUID", team_name="Zuid", team_pin="x-y")
    assert answer == {
        "response_action": "errors",
        "errors": {
            "team_pin": "Dit principe is net gearchiveerd; kies een ander of laat de focus wisselen."
        },
    }
    assert team(world, "C0ZUID") is None
    assert world.slack.calls_to("conversations.join") == []


def test_a_lead_changes_their_own_team_s_settings_and_its_members_follow(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # members known, next nudges planned
    with world.deps.unit_of_work() as session:
        set_team(
            session,
            workspace_id=TEAM,
            channel_id="C0NOORD",
            changes=TeamChanges(leads=("U0BOB",)),
            now=world.clock.now(),
        )
        home = admin_home(session, workspace_id=TEAM, language="en")
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        before = anna.next_nudge_at
    noord = next(t for t in home.teams if t.channel_id == "C0NOORD")
    section = {"id": "V0LEAD", "type": "home", "blocks": build_team_section(noord, Prompts(), "en")}
    press(world, "U0BOB", section, f"{ids.TEAM_SETTINGS}:{noord.id}:lead")
    view = opened(world)
    assert view["private_metadata"] == str(noord.id)
    assert not any(b["block_id"] == "team_channel" for b in view["blocks"] if "block_id" in b)
    shown = {b.get("block_id") for b in view["blocks"]}
    assert "team_name" not in shown and "team_leads" not in shown  # for admins
    forged = {
        **as_shown(view, team_nudge_time="07:15", team_workdays=["0", "1", "2", "3", "4", "5"]),
        "team_name": {"team_name": {"type": "plain_text_input", "value": "Noord!"}},
        "team_leads": {
            "team_leads": {"type": "multi_users_select", "selected_users": ["U0KEN", "U0ROBOT"]}
        },
    }
    status, answer = world.submit("U0BOB", view, forged)
    assert status.startswith("200") and answer in (b"", b"null")
    changed = team(world, "C0NOORD")
    assert changed is not None and (changed.name, changed.nudge_time) == ("Noord", time(7, 15))
    assert changed.workdays == "012345"  # a Saturday team now
    assert [lead.user_id for lead in changed.leads] == ["U0BOB"]  # a lead cannot name leads
    with world.deps.unit_of_work() as session:
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        assert anna.next_nudge_at is not None and anna.next_nudge_at < before  # type: ignore[operator]
    # No join, nothing to tell for an existing team (the Home shares the lead their pyramid).
    assert [m for m in world.dm("U0BOB") if not m.get("files")] == []


def test_a_lead_turns_the_celebration_picture_off_and_a_member_s_forgery_changes_nothing(
    world: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # the people known, with their languages
    with world.deps.unit_of_work() as session:
        set_team(
            session,
            workspace_id=TEAM,
            channel_id="C0NOORD",
            changes=TeamChanges(leads=("U0ANNA",)),
            now=world.clock.now(),
        )
        home = admin_home(session, workspace_id=TEAM, language="nl")
    noord = next(t for t in home.teams if t.channel_id == "C0NOORD")
    section = {"id": "V0LEAD", "type": "home", "blocks": build_team_section(noord, Prompts(), "nl")}
    press(world, "U0ANNA", section, f"{ids.TEAM_SETTINGS}:{noord.id}:lead")
    view = opened(world)
    (picture,) = [b for b in view["blocks"] if b.get("block_id") == "team_celebration_picture"]
    assert picture["label"]["text"] == "Piramide als afbeelding bij de viering"  # Anna's Dutch
    assert picture["element"]["initial_option"]["value"] == "monthly"
    assert [o["text"]["text"] for o in picture["element"]["options"]] == [
        "Maandelijks, bij de eerste viering van de maand",
        "Uit",
    ]
    assert submit(world, "U0ANNA", view, team_celebration_picture="off") is None
    assert team(world, "C0NOORD").celebration_picture == "off"  # type: ignore[union-attr]
    press(world, "U0ANNA", section, f"{ids.TEAM_SETTINGS}:{noord.id}:lead")
    again = opened(world)
    (shown,) = [b for b in again["blocks"] if b.get("block_id") == "team_celebration_picture"]
    assert shown["element"]["initial_option"]["value"] == "off"
    wrong = submit(world, "U0ANNA", again, team_celebration_picture="weekly")  # not on the form
    assert wrong["response_action"] == "errors" and "team_celebration_picture" in wrong["errors"]
    caplog.set_level(logging.WARNING, logger="coach.services.roles")
    assert submit(world, "U0KEN", again, team_celebration_picture="monthly") is None  # a member
    assert team(world, "C0NOORD").celebration_picture == "off"  # type: ignore[union-attr]
    assert any("by U0KEN" in r.getMessage() for r in caplog.records)


def test_leads_cannot_touch_other_teams_nor_create_one_and_nobody_else_can_either(
    world: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    world.slack.add_channel(TEAM, "C0ZUID", name="team-zuid", members=["U0KEN"])
    with world.deps.unit_of_work() as session:
        set_team(
            session,
            workspace_id=TEAM,
            channel_id="C0ZUID",
            changes=TeamChanges(name="Zuid", leads=("U0KEN",)),
            now=world.clock.now(),
        )
    make_admin(world, "U0ANNA")
    anna_new = new_team_form(world, "U0ANNA")
    home = show_admin_section(world, "U0ANNA")
    noord = next(b for b in home["blocks"] if b.get("block_id", "").startswith("admin_t_"))
    noord_id = noord["block_id"].removeprefix("admin_t_")
    settings = f"settings:{noord_id}"
    press(world, "U0ANNA", home, f"{ids.TEAM_MENU}:{noord_id}", settings)
    anna_noord = opened(world)
    world.slack.add_channel(TEAM, "C0WEST", name="west", members=["U0KEN"])
    before = [
        (t.channel_id, t.name, t.nudge_time)
        for t in (team(world, "C0NOORD"), team(world, "C0ZUID"))
        if t is not None
    ]
    everything = snapshot(world)
    opens = len(world.slack.calls_to("views.open"))
    caplog.set_level(logging.WARNING, logger="coach.services.roles")
    ken_home = show_admin_section(world, "U0KEN")  # as if Ken (lead of Zuid) had the buttons
    press(world, "U0KEN", ken_home, ids.TEAM_ADD)
    press(world, "U0KEN", ken_home, f"{ids.TEAM_MENU}:{noord_id}", settings)
    forged = {"team_timezone": "Asia/Tokyo", "team_nudge_time": "05:00"}
    assert submit(world, "U0KEN", anna_noord, team_name="Van Ken", **forged) is None
    assert submit(world, "U0KEN", anna_new, team_channel="C0WEST", team_name="West") is None
    assert submit(world, "U0BOB", anna_noord, team_name="Van Bob", **forged) is None
    after = [
        (t.channel_id, t.name, t.nudge_time)
        for t in (team(world, "C0NOORD"), team(world, "C0ZUID"))
        if t is not None
    ]
    assert after == before and team(world, "C0WEST") is None
    assert snapshot(world) == everything  # no setting of any team changed
    assert len(world.slack.calls_to("views.open")) == opens
    refusals = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(refusals) == 5
    assert sum("by U0KEN" in r for r in refusals) == 4 and "by U0BOB" in refusals[-1]


def test_an_admin_cannot_make_a_bot_or_a_stranger_lead(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # the bot of team Noord's channel is known
    make_admin(world, "U0ANNA")
    view = new_team_form(world, "U0ANNA")
    world.slack.add_channel(TEAM, "C0ZUID", name="zuid", members=["U0ANNA", "U0BOTACME"])
    answer = submit(
        world, "U0ANNA", view, team_channel="C0ZUID", team_name="Zuid", team_leads=["U0ROBOT"]
    )
    assert answer is not None and "team_leads" in answer["errors"]
    assert team(world, "C0ZUID") is None


def test_leads_the_coach_has_not_met_are_checked_with_slack_after_the_modal_closes(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    make_admin(world, "U0ANNA")
    view = new_team_form(world, "U0ANNA")
    world.slack.add_channel(TEAM, "C0ZUID", name="zuid", members=["U0ANNA"])
    world.slack.add_user(TEAM, "U0LIZ", name="liz", real_name="Liz")
    world.slack.add_user(TEAM, "U0HELPER", name="helper", real_name="Helper", is_bot=True)
    leads = ["U0KEN", "U0LIZ", "U0HELPER", "U0NOBODY"]
    answer = submit(
        world, "U0ANNA", view, team_channel="C0ZUID", team_name="Zuid", team_leads=leads
    )
    assert answer is None  # the modal closes at once; Slack is asked after
    made = team(world, "C0ZUID")
    assert made is not None and [lead.user_id for lead in made.leads] == ["U0KEN", "U0LIZ"]
    told = [m["text"] for m in world.dm("U0ANNA") if not m.get("files")]
    assert told[0] == (
        "⚠️ <@U0HELPER> is geen teamleider van *Zuid* geworden: "
        "Slack kent dit account als een bot.\n"
        "⚠️ <@U0NOBODY> is geen teamleider van *Zuid* geworden: "
        "dit is geen collega uit deze werkruimte."
    )
    assert told[1].startswith("✅ Team *Zuid* staat klaar")
