"""The organisation's view on an admin's Home: heat map, participation, untouched principles,
the week's stories with the most colleagues in them; numbers only over enough people."""

from __future__ import annotations

from typing import Any

from coach.store.workspaces import add_admin
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM, add_story, set_leads, shown_text


def make_admin(world: Driver, user: str = "U0ANNA") -> None:
    with world.deps.unit_of_work() as session:
        add_admin(session, workspace_id=TEAM, user_id=user, added_by="test", now=world.clock.now())


def organisation(view: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The blocks of the organisation's section: from its header to the admin's own header."""
    assert view is not None
    blocks = view["blocks"]
    start = next(
        n for n, b in enumerate(blocks) if b["type"] == "header" and "organisatie" in str(b)
    )
    end = next(n for n, b in enumerate(blocks) if n > start and b["type"] == "header")
    return blocks[start:end]


def test_an_admin_sees_the_organisation_with_its_heat_map(world: Driver) -> None:
    set_leads(world, "U0BOB")
    set_leads(world, "U0KEN", channel="C0ZUID", name="Zuid")
    make_admin(world)
    world.at("2026-11-23T08:00:00+00:00")
    add_story(world, "Klant <!channel> blij", credits=("U0BOB", "U0KEN"))
    add_story(world, "Snel geholpen", principle="daadkrachtig")
    view = world.open_home("U0ANNA")
    blocks = organisation(view)
    (image,) = [b for b in blocks if b["type"] == "image"]
    assert "verhalen per principe per team." in image["alt_text"]
    assert "Noord: Goed geregeld 1, Daadkrachtig 1, Passie voor techniek 0" in image["alt_text"]
    text = shown_text([{"blocks": blocks}])
    assert "Noord: te weinig om te tellen" in text  # 3 members, but HKI answers need 5
    assert "Geen gedeeld verhaal in 6 weken*: Passie voor techniek, Oprecht betrokken" in text
    # The week's stories, the most colleagues first, typed text escaped.
    assert text.index("Klant &lt;!channel&gt; blij") < text.index("Snel geholpen")
    assert "met 2 collega's" in text and "<!channel>" not in text
    png = world.slack.uploaded_file(image["slack_file"]["id"])
    assert png is not None and png.startswith(b"\x89PNG")
    assert view is not None and len(view["blocks"]) <= 100


def test_a_team_too_small_has_no_numbers_in_the_organisation_s_view(world: Driver) -> None:
    world.slack.add_channel(TEAM, "C0KLEIN", name="klein", members=["U0KEN", "U0BOTACME"])
    set_leads(world, "U0KEN", channel="C0KLEIN", name="Klein")
    make_admin(world)
    world.at("2026-11-23T08:00:00+00:00")
    add_story(world, "Alleen Ken", author="U0KEN", channel="C0KLEIN")
    view = world.open_home("U0ANNA")
    (image,) = [b for b in organisation(view) if b["type"] == "image"]
    assert "Klein: te klein om getallen te tonen." in image["alt_text"]
    assert "Klein: te weinig om te tellen" in shown_text([{"blocks": organisation(view)}])


def test_people_who_are_not_admins_see_no_organisation(world: Driver) -> None:
    set_leads(world, "U0BOB")
    world.at("2026-11-23T08:00:00+00:00")
    view = world.open_home("U0BOB")
    assert view is not None and "organisatie in één oogopslag" not in str(view)
