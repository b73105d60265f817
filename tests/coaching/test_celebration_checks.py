"""Each team's next celebration check is stored, so a pass with nothing due reads no team, and
a change to the team's rhythm is seen on the next pass."""

from __future__ import annotations

from datetime import datetime, time

from coach.store.celebrations import teams_to_plan
from coach_demo.driver import Driver
from tests.coaching.conftest import add_story, set_leads
from tests.coaching.test_celebrations import channel_posts


def teams_looked_at(world: Driver, iso: str) -> list[str]:
    with world.deps.unit_of_work() as session:
        return [t.name for t in teams_to_plan(session, now=datetime.fromisoformat(iso))]


def test_a_pass_with_nothing_due_looks_at_no_team(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # Monday: Friday 16:00 is the moment
    assert teams_looked_at(world, "2026-11-25T10:00:00+00:00") == []
    # The leads' preview comes two hours before Friday 16:00 Amsterdam (15:00 UTC).
    assert teams_looked_at(world, "2026-11-27T12:59:00+00:00") == []
    assert teams_looked_at(world, "2026-11-27T13:00:00+00:00") == ["Noord"]
    add_story(world, "Mevrouw Jansen belde om te bedanken")
    world.at("2026-11-27T13:00:00+00:00")
    world.at("2026-11-27T15:00:00+00:00")
    assert len(channel_posts(world)) == 1
    # Posted: not looked at again within its window (12 hours), then once, for next week.
    assert teams_looked_at(world, "2026-11-27T20:00:00+00:00") == []
    world.at("2026-11-28T04:00:00+00:00")
    assert teams_looked_at(world, "2026-11-28T10:00:00+00:00") == []
    assert teams_looked_at(world, "2026-12-04T13:00:00+00:00") == ["Noord"]


def test_a_moved_celebration_is_posted_at_its_new_moment(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # the check is set for Friday
    add_story(world, "Monteur kwam binnen het uur")
    set_leads(world, "U0ANNA", celebrate=(1, time(10, 0)))  # Tuesday 10:00 from this week on
    world.at("2026-11-24T09:00:00+00:00")  # Tuesday 10:00 in Amsterdam
    [post] = channel_posts(world)
    assert "Monteur kwam binnen het uur" in str(post["blocks"])
