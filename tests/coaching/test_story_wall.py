"""`/coach wall`: a lead puts the last four weeks' celebrated stories up for the team meeting,
as one message in the team channel or as a page in their DM; nobody else can."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from coach.store.models import Story
from coach_demo.driver import Driver
from tests.coaching.conftest import add_story, set_leads, shown_text
from tests.coaching.test_privacy import coach


def celebrate(world: Driver, story_id: int, days_ago: int) -> None:
    with world.deps.unit_of_work() as session:
        at = world.clock.now() - timedelta(days=days_ago)
        session.execute(update(Story).where(Story.id == story_id).values(celebrated_at=at))


def scene(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    world.at("2026-11-23T08:00:00+00:00")
    celebrate(world, add_story(world, "Klant <!channel> & monteur *blij*", credits=("U0BOB",)), 3)
    celebrate(world, add_story(world, "Ketel in één keer goed", principle="daadkrachtig"), 24)
    celebrate(world, add_story(world, "Van lang geleden"), 40)
    add_story(world, "Nog niet gevierd")
    celebrate(world, add_story(world, "Privé", share=False), 3)


def test_a_lead_puts_the_story_wall_up_in_the_team_channel(world: Driver) -> None:
    scene(world)
    reply = coach(world, "U0ANNA", "wall")
    assert reply["text"].startswith("De verhalenmuur van je team over de laatste 4 weken")
    [wall] = [m for m in world.slack.messages_in("C0NOORD") if m.get("bot_id")]
    text = shown_text([wall])
    assert wall["blocks"][0]["text"]["text"] == "Noord: onze 9+ verhalen van de laatste 4 weken"
    assert ">Klant &lt;!channel&gt; &amp; monteur *blij*" in text and "<!channel>" not in text
    assert "— <@U0ANNA>, <@U0BOB> · _Goed geregeld_" in text
    assert text.index("Ketel in één keer goed") < text.index("Klant")  # oldest first
    for absent in ("Van lang geleden", "Nog niet gevierd", "Privé"):
        assert absent not in text


def test_with_screen_the_lead_gets_the_page_in_their_dm(world: Driver) -> None:
    scene(world)
    reply = coach(world, "U0ANNA", "muur scherm")
    assert reply["text"].startswith("Een pagina met de verhalenmuur van Noord")
    [message] = [m for m in world.dm("U0ANNA") if m.get("files")]
    page = world.slack.uploaded_file(message["files"][0]["id"])
    assert page is not None
    html = page.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Ketel in één keer goed" in html
    assert "Klant &lt;!channel&gt; &amp; monteur *blij*" in html
    assert "Van lang geleden" not in html and "Privé" not in html
    assert [m for m in world.slack.messages_in("C0NOORD") if m.get("bot_id")] == []


def test_someone_who_leads_no_team_puts_up_nothing(world: Driver) -> None:
    scene(world)
    reply = coach(world, "U0BOB", "wall")
    assert reply["text"].startswith("Only team leads can put up a story wall")
    assert [m for m in world.slack.messages_in("C0NOORD") if m.get("bot_id")] == []
    assert not [c for c in world.slack.calls if c.method.startswith("files.")]


def test_a_wall_that_cannot_be_posted_says_why(world: Driver) -> None:
    scene(world)
    world.slack.fail_next("chat.postMessage", error="not_in_channel")
    coach(world, "U0ANNA", "wall")
    answer = world.slack.calls_to("response_url")[-1]  # after the answer to the command
    assert "not_in_channel" in answer.args["text"]
