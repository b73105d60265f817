"""The team's pyramid in the celebration: in the month's first one, in its thread, unless off."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from coach.store.models import Team
from coach_demo.driver import Driver
from tests.coaching.conftest import add_story

FIRST_OF_DECEMBER = "2026-12-04T15:00:00+00:00"  # Friday 4 December, 16:00 in Amsterdam
LAST_OF_NOVEMBER = "2026-11-27T15:00:00+00:00"


def files_in(world: Driver, channel: str = "C0NOORD") -> list[dict[str, Any]]:
    return [m for m in world.slack.messages_in(channel) if m.get("files")]


def celebrate(world: Driver, due: str) -> None:
    world.at(due.replace("T15:00", "T06:00"))  # members known
    add_story(world, "Monteur kwam binnen het uur")
    for minute in ("00", "01", "02", "03"):
        world.at(due.replace(":00:00+", f":{minute}:00+"))


def test_the_month_s_first_celebration_has_the_pyramid_in_its_thread(world: Driver) -> None:
    celebrate(world, FIRST_OF_DECEMBER)
    post = next(m for m in world.slack.messages_in("C0NOORD") if m.get("blocks"))
    (picture,) = files_in(world)
    assert picture["thread_ts"] == post["ts"]
    assert picture["files"][0]["mimetype"] == "image/png"
    assert "De operationele basis" in picture["text"]  # the reading, in the team's language
    png = world.slack.uploaded_file(picture["files"][0]["id"])
    assert png is not None and png.startswith(b"\x89PNG")
    world.at("2026-12-11T15:05:00+00:00")  # the next week: no picture again
    assert len(files_in(world)) == 1


def test_other_weeks_and_teams_that_turned_it_off_get_no_picture(world: Driver) -> None:
    celebrate(world, LAST_OF_NOVEMBER)
    assert files_in(world) == []
    with world.deps.unit_of_work() as session:
        session.execute(update(Team).values(celebration_picture="off"))
    celebrate(world, FIRST_OF_DECEMBER)
    assert files_in(world) == []
    assert len([m for m in world.slack.messages_in("C0NOORD") if m.get("blocks")]) >= 2
