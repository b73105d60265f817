"""`/coach days` and `/coach rhythm`: a person's rhythm within what their team allows."""

from __future__ import annotations

from coach_demo.driver import Driver
from tests.coaching.conftest import set_leads
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
