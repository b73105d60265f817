"""`/coach days` and `/coach rhythm`: a person's rhythm within what their team allows."""

from __future__ import annotations

from coach_demo.driver import Driver
from tests.coaching.conftest import set_leads
from tests.coaching.test_home import element
from tests.coaching.test_privacy import coach


def said(reply: dict[str, object]) -> str:
    return str(reply["text"])


def nudges(world: Driver, user: str) -> int:
    return sum(1 for m in world.dm(user) if m.get("bot_id") and m.get("blocks"))


def test_days_outside_the_teams_are_refused_until_the_team_works_then(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    refused = said(coach(world, "U0ANNA", "dagen za"))
    assert "maandag, dinsdag, woensdag, donderdag en vrijdag" in refused
    assert "niets veranderd" in refused
    set_leads(world, workdays=frozenset(range(6)))  # `team set --workdays mon,...,sat`
    assert "alleen op zaterdag" in said(coach(world, "U0ANNA", "dagen za"))
    world.at("2026-11-23T08:00:00+00:00")  # Monday: no nudge for Anna, Bob's comes
    assert nudges(world, "U0ANNA") == 0
    world.at("2026-11-28T08:00:00+00:00")  # Saturday 09:00 in Amsterdam
    assert nudges(world, "U0ANNA") == 1


def test_weekly_means_one_nudge_a_week(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    reply = said(coach(world, "U0BOB", "rhythm weekly"))
    assert "once a week" in reply and "Monday, Tuesday, Wednesday, Thursday and Friday" in reply
    for day in range(23, 28):  # Bob is in New York: 09:00 there is 14:00 UTC
        world.at(f"2026-11-{day}T14:00:00+00:00")
    assert nudges(world, "U0BOB") == 1


def test_what_is_not_a_rhythm_says_what_is(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    assert "`/coach ritme wekelijks`" in said(coach(world, "U0ANNA", "ritme soms"))
    assert "`/coach days mon,wed`" in said(coach(world, "U0BOB", "days someday"))
    assert "`/coach rhythm daily|3x|weekly`" in said(coach(world, "U0BOB", "help"))


def test_days_and_rhythm_chosen_on_the_home_tab(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    view = world.open_home("U0ANNA")
    days = element(view, "home_weekdays")
    assert [o["text"]["text"] for o in days["options"]] == [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
    ]
    assert len(days["initial_options"]) == 5  # every workday of the team
    chosen = [o for o in days["options"] if o["value"] in ("0", "2")]
    view = world.act_in_home(
        "U0ANNA", {"type": "checkboxes", "action_id": "home_weekdays", "selected_options": chosen}
    )
    assert [o["value"] for o in element(view, "home_weekdays")["initial_options"]] == ["0", "2"]
    view = world.act_in_home(
        "U0ANNA",
        {
            "type": "static_select",
            "action_id": "home_rhythm",
            "selected_option": {"value": "weekly"},
        },
    )
    assert element(view, "home_rhythm")["initial_option"]["value"] == "weekly"
    for day in range(23, 28):
        world.at(f"2026-11-{day}T08:00:00+00:00")
    assert nudges(world, "U0ANNA") == 1  # Monday only: weekly on Monday and Wednesday
    # What the controls cannot send changes nothing.
    world.act_in_home(
        "U0ANNA",
        {
            "type": "static_select",
            "action_id": "home_rhythm",
            "selected_option": {"value": "hourly"},
        },
    )
    world.act_in_home(
        "U0ANNA",
        {"type": "checkboxes", "action_id": "home_weekdays", "selected_options": [{"value": "9"}]},
    )
    view = world.open_home("U0ANNA")
    assert element(view, "home_rhythm")["initial_option"]["value"] == "weekly"
    assert len(element(view, "home_weekdays")["initial_options"]) == 2
