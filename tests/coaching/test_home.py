"""The App Home tab, by role: everyone's own coaching, a lead's team overview; within limits."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from coach.domain.team_settings import TeamChanges
from coach.services.roles import role_of
from coach.store.models import Intention, Nudge, Person, Story
from coach.store.teams import set_team
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM, add_story, set_leads, shown_text


def texts(view: dict[str, Any] | None) -> str:
    assert view is not None
    return shown_text([view])


def element(view: dict[str, Any] | None, action_id: str) -> dict[str, Any]:
    assert view is not None
    return next(
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )


def person(world: Driver, user: str) -> Person:
    with world.deps.unit_of_work() as session:
        found = session.scalars(select(Person).where(Person.user_id == user)).one()
        session.expunge(found)
        return found


def test_an_employee_sees_the_week_s_principle_their_settings_and_their_coaching(
    world: Driver,
) -> None:
    world.at("2026-11-23T08:00:00+00:00")  # Anna's first nudge
    view = world.open_home("U0ANNA")
    shown = texts(view)
    assert "*Goed geregeld* centraal in Noord" in shown
    assert ">Ik kies voor X als totaaldienstverlener" in shown  # the customer's voice
    assert "• Streef naar in één keer goed." in shown
    assert "om 09:00 (de tijd van je team)" in shown
    assert "Nog geen voornemens" in shown and "Nog geen verhalen" in shown
    assert element(view, "home_time")["initial_time"] == "09:00"
    assert element(view, "home_language")["initial_option"]["value"] == "nl"
    assert view is not None and len(view["blocks"]) <= 100


def test_settings_changed_on_the_home_tab_take_effect_and_show(world: Driver) -> None:
    world.at("2026-11-23T08:00:00+00:00")
    world.open_home("U0ANNA")
    view = world.act_in_home(
        "U0ANNA", {"type": "timepicker", "action_id": "home_time", "selected_time": "07:45"}
    )
    assert "om 07:45." in texts(view)
    assert person(world, "U0ANNA").nudge_time == time(7, 45)
    due = person(world, "U0ANNA").next_nudge_at
    assert due is not None and due.astimezone(ZoneInfo("Europe/Amsterdam")).time() == time(7, 45)
    view = world.act_in_home("U0ANNA", {"type": "button", "action_id": "home_pause", "value": "x"})
    assert "Nu even pauze: tot 30-11-2026." in texts(view)
    element(view, "home_resume")
    view = world.act_in_home("U0ANNA", {"type": "button", "action_id": "home_resume", "value": "x"})
    assert "pauze" not in texts(view)
    view = world.act_in_home(
        "U0ANNA",
        {
            "type": "static_select",
            "action_id": "home_language",
            "selected_option": {"text": {"type": "plain_text", "text": "English"}, "value": "en"},
        },
    )
    assert "This week Noord focuses on *Well arranged*" in texts(view)  # the English variant
    assert person(world, "U0ANNA").language == "en"


def test_a_forged_setting_changes_nothing(world: Driver) -> None:
    world.at("2026-11-23T08:00:00+00:00")
    world.open_home("U0ANNA")
    world.act_in_home(
        "U0ANNA", {"type": "timepicker", "action_id": "home_time", "selected_time": "25:99"}
    )
    world.act_in_home(
        "U0ANNA",
        {"type": "static_select", "action_id": "home_language", "selected_option": {"value": "fr"}},
    )
    assert (person(world, "U0ANNA").nudge_time, person(world, "U0ANNA").language) == (None, None)


def test_intentions_and_stories_appear_escaped_with_their_state(world: Driver) -> None:
    world.at("2026-11-23T08:00:00+00:00")
    with world.deps.unit_of_work() as session:
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        nudge = session.scalars(select(Nudge).where(Nudge.person_id == anna.id)).one()
        now = world.clock.now()
        session.add(
            Intention(
                workspace_id=TEAM,
                person_id=anna.id,
                nudge_id=nudge.id,
                text="Klant <!channel> nabellen",
                outcome="done",
                created_at=now,
            )
        )
        session.add(
            Story(
                workspace_id=TEAM,
                author_id="U0ANNA",
                filed_by="U0ANNA",
                principle_id=nudge.principle_id,
                text="Mevrouw <@U0BOB> was blij",
                share=False,
                author_consent="given",
                source="command",
                created_at=now,
                updated_at=now,
            )
        )
    shown = texts(world.open_home("U0ANNA"))
    assert "Klant &lt;!channel&gt; nabellen · gelukt" in shown
    assert "Mevrouw &lt;@U0BOB&gt; was blij" in shown and "privé" in shown
    assert "<!channel>" not in shown and "<@U0BOB>" not in shown


def test_a_lead_sees_eight_weeks_of_the_team_and_the_next_celebration(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    world.at("2026-11-23T08:00:00+00:00")
    add_story(world, "Een mooi verhaal")
    add_story(world, "Nog een", principle="daadkrachtig", at=world.clock.now() - timedelta(weeks=2))
    shown = texts(world.open_home("U0ANNA"))
    assert "*Je team Noord* in <#C0NOORD> · 3 collega's" in shown
    assert "Week 48: Goed geregeld 1\n" in shown + "\n"
    assert "Week 46: Daadkrachtig 1" in shown
    assert "Week 41:" in shown and "Week 40:" not in shown  # eight weeks
    assert "*Volgende viering*: vrijdag 27-11 om 16:00, met 2 verhalen." in shown
    assert "vraag om 09:00 · viering vrijdag 16:00 · Europe/Amsterdam" in shown
    assert "*Je team" not in texts(world.open_home("U0BOB"))  # not a lead


def test_workspace_admins_are_known_from_slack_when_they_open_the_home(world: Driver) -> None:
    world.slack.add_user(TEAM, "U0BOSS", name="boss", real_name="Boss", is_admin=True)
    world.at("2026-11-23T06:00:00+00:00")
    world.open_home("U0BOSS")
    with world.deps.unit_of_work() as session:
        assert role_of(session, workspace_id=TEAM, user_id="U0BOSS").admin
        assert not role_of(session, workspace_id=TEAM, user_id="U0ANNA").admin


def test_two_years_of_history_stays_within_limits(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    world.at("2026-11-23T08:00:00+00:00")
    start = world.clock.now() - timedelta(days=730)
    keys = ["goed-geregeld", "daadkrachtig", "passie-voor-techniek", "oprecht-betrokken"]
    for n in range(730):
        add_story(
            world, f"Verhaal {n} " + "x" * 990, principle=keys[n % 4], at=start + timedelta(days=n)
        )
    view = world.open_home("U0ANNA")
    assert view is not None and len(view["blocks"]) <= 100
    assert all(len(b["text"]["text"]) <= 3000 for b in view["blocks"] if b.get("text"))
    assert "Verhaal 729 " in texts(view)  # the newest
    assert "Verhaal 700 " not in texts(view)


def test_the_share_button_opens_the_story_form(world: Driver) -> None:
    world.at("2026-11-23T08:00:00+00:00")
    world.open_home("U0ANNA")
    world.act_in_home("U0ANNA", {"type": "button", "action_id": "home_share_story", "value": "x"})
    assert world.slack.calls_to("views.open")[-1].response["view"]["callback_id"] == "story_form"


def test_a_pause_that_has_run_out_is_not_shown(world: Driver) -> None:
    world.at("2026-11-23T08:00:00+00:00")
    world.open_home("U0ANNA")
    world.act_in_home("U0ANNA", {"type": "button", "action_id": "home_pause", "value": "x"})
    world.clock.set(datetime.fromisoformat("2026-12-09T08:00:00+00:00"))
    view = world.open_home("U0ANNA")
    assert "pauze" not in texts(view)
    element(view, "home_pause")


def test_the_lead_s_overview_counts_only_what_the_team_may_see(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    world.at("2026-11-23T08:00:00+00:00")
    add_story(world, "Gedeeld")
    add_story(world, "Privé", principle="daadkrachtig", share=False)
    shown = texts(world.open_home("U0ANNA"))
    assert "Week 48: Goed geregeld 1\n" in shown + "\n"  # the private one is not counted


def action_ids(view: dict[str, Any] | None) -> set[str]:
    assert view is not None
    found = set()
    for block in view["blocks"]:
        for e in [*block.get("elements", []), block.get("accessory") or {}]:
            if "action_id" in e:
                found.add(e["action_id"])
    return found


def test_an_admin_who_leads_many_teams_gets_everything_within_limits(world: Driver) -> None:
    from coach.catalog.schema import CatalogSpec
    from coach.store.catalog import load_catalog, replace_catalog
    from coach.store.workspaces import add_admin

    with world.deps.unit_of_work() as session:
        add_admin(
            session, workspace_id=TEAM, user_id="U0ANNA", added_by="test", now=world.clock.now()
        )
        catalog = load_catalog(session, workspace_id=TEAM)
        assert catalog is not None
        big = catalog.model_dump(mode="json", by_alias=True)
        base = big["principles"][0]
        levels = ("operational", "relational", "meaning")
        big["principles"] = [
            {**base, "id": f"p{n:02d}", "name": f"Principe {n}", "level": levels[n % 3]}
            for n in range(60)
        ]
        replace_catalog(
            session,
            workspace_id=TEAM,
            catalog=CatalogSpec.model_validate(big),
            actor="test",
            now=world.clock.now(),
        )
        for n in range(6):
            world.slack.add_channel(
                TEAM, f"C0T{n:02d}", name=f"t{n}", members=["U0ANNA", "U0BOTACME"]
            )
            set_team(
                session,
                workspace_id=TEAM,
                channel_id=f"C0T{n:02d}",
                changes=TeamChanges(name=f"Team {n}", leads=("U0ANNA",)),
                now=world.clock.now(),
            )
    world.at("2026-11-23T08:00:00+00:00")
    view = world.open_home("U0ANNA")  # the stand-in refuses a view beyond Slack's limits
    assert view is not None and len(view["blocks"]) <= 100
    shown = texts(view)
    assert "Je leidt ook: Team 4, Team 5." in shown  # four teams in full, the rest named
    assert "catalog_add" in action_ids(view) and "team_add" in action_ids(view)
    assert {a for a in action_ids(view) if a.endswith(":lead")}  # the leads' settings buttons
    bob = world.open_home("U0BOB")
    assert not {a for a in action_ids(bob) if a.startswith(("catalog", "team"))}


def test_a_story_s_state_and_its_text_are_on_separate_lines(world: Driver) -> None:
    world.at("2026-11-23T08:00:00+00:00")
    add_story(world, "Mevrouw Peters belde terug")
    shown = texts(world.open_home("U0ANNA"))
    assert "· *Goed geregeld* · komt in de viering\nMevrouw Peters belde terug" in shown
    add_story(world, "Mrs Peters called back", author="U0BOB")  # Bob reads English
    assert " · in the next celebration\nMrs Peters called back" in texts(world.open_home("U0BOB"))
