"""9+ stories through the form: every way in, validation on the field, whole or nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from coach.store.models import Story, StoryCredit
from coach_demo.driver import Driver
from slack_standin import payloads
from tests.coaching.conftest import TEAM, set_leads

VALUES_OK = {
    "text": {
        "story_text": {
            "type": "plain_text_input",
            "value": "Mevrouw Jansen belde om te bedanken <!channel>",
        }
    },
    "principle": {
        "story_principle": {"type": "static_select", "selected_option": {"value": "goed-geregeld"}}
    },
    "colleagues": {"story_colleagues": {"type": "multi_users_select", "selected_users": ["U0BOB"]}},
    "consent": {"story_consent": {"type": "radio_buttons", "selected_option": {"value": "share"}}},
}


def slash(world: Driver, user: str, text: str) -> dict[str, Any]:
    fields = world.slack.slash_command(
        TEAM, user_id=user, channel_id="C0NOORD", command="/9plus", text=text
    )
    status, _ = world.post(urlencode(fields).encode())
    assert status.startswith("200")
    return world.slack.calls_to("views.open")[-1].response["view"]


def stories(world: Driver) -> list[Story]:
    with world.deps.unit_of_work() as session:
        return list(session.scalars(select(Story)))


def values(**changes: Any) -> dict[str, Any]:
    return {**VALUES_OK, **changes}


def test_a_story_from_the_slash_command_is_saved_and_confirmed(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # the team's members are known
    view = slash(world, "U0ANNA", "Mevrouw Jansen belde")
    text_element = view["blocks"][0]["element"]
    assert (
        text_element["initial_value"] == "Mevrouw Jansen belde"
        and text_element["max_length"] == 1000
    )
    status, answer = world.submit("U0ANNA", view, VALUES_OK)
    assert status.startswith("200") and answer in (b"", b"null")
    [story] = stories(world)
    assert (story.author_id, story.filed_by, story.share, story.author_consent) == (
        "U0ANNA",
        "U0ANNA",
        True,
        "given",
    )
    world.passes.deliver()
    [confirmation] = world.dm("U0ANNA")
    text = json.dumps(confirmation, ensure_ascii=False)
    assert (
        "Goed geregeld" in text and "Mevrouw Jansen belde om te bedanken &lt;!channel&gt;" in text
    )
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(StoryCredit.user_id)).all() == ["U0BOB"]


def test_the_same_submission_twice_saves_one_story(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    view = slash(world, "U0ANNA", "")
    world.submit("U0ANNA", view, VALUES_OK)
    world.submit("U0ANNA", view, VALUES_OK)
    assert len(stories(world)) == 1
    world.passes.deliver()
    assert len(world.dm("U0ANNA")) == 1


def test_bad_input_gets_errors_on_the_fields_and_saves_nothing(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    view = slash(world, "U0ANNA", "")
    cases = [
        ({"text": {"story_text": {"value": "   \n  "}}}, {"text": "Vertel kort wat er gebeurde."}),
        (
            {"text": {"story_text": {"value": "x" * 1001}}},
            {"text": "Houd het kort: hooguit 1000 tekens."},
        ),
        (
            {"colleagues": {"story_colleagues": {"selected_users": ["U0ROBOT"]}}},
            {"colleagues": "Kies alleen collega's uit deze werkruimte (geen bots)."},
        ),
        (
            {"principle": {"story_principle": {"selected_option": {"value": "no-such"}}}},
            {
                "principle": 'Dit principe is net gearchiveerd; kies een ander of "Weet ik niet zeker".'
            },
        ),
        (
            {"team": {"story_team": {"selected_option": {"value": "999"}}}},
            {"team": "Kies een van je eigen teams."},
        ),
    ]
    for change, errors in cases:
        status, answer = world.submit("U0ANNA", view, values(**change))
        assert status.startswith("200")
        assert json.loads(answer) == {"response_action": "errors", "errors": errors}
    assert stories(world) == []


def test_colleagues_the_coach_has_not_met_are_checked_with_slack_after_the_form_closes(
    world: Driver,
) -> None:
    """Slack is asked about them only after the ack (its 3 seconds); a bot, a deactivated
    account or a stranger is then taken off the story, never messaged, and the filer told why."""
    world.at("2026-11-23T06:00:00+00:00")  # Bob is known; the others are not
    world.slack.add_user(TEAM, "U0LIZ", name="liz", real_name="Liz", locale="en-GB")
    world.slack.add_user(TEAM, "U0HELPER", name="helper", real_name="Helper", is_bot=True)
    world.slack.add_user(TEAM, "U0GONE", name="gone", real_name="Gone", deleted=True)
    chosen = ["U0BOB", "U0LIZ", "U0HELPER", "U0GONE", "U0EVE"]
    view = slash(world, "U0ANNA", "")
    _, answer = world.submit(
        "U0ANNA", view, values(colleagues={"story_colleagues": {"selected_users": chosen}})
    )
    assert answer in (b"", b"null")
    assert [c.args["user"] for c in world.slack.calls_to("users.info")] == chosen[1:]
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(StoryCredit.user_id)).all() == ["U0BOB", "U0LIZ"]
    [told] = world.dm("U0ANNA")
    assert told["text"] == (
        "⚠️ Ik heb <@U0HELPER> niet bij je 9+ verhaal genoemd: Slack kent dit account als een bot.\n"
        "⚠️ Ik heb <@U0GONE> niet bij je 9+ verhaal genoemd: dit account is gedeactiveerd.\n"
        "⚠️ Ik heb <@U0EVE> niet bij je 9+ verhaal genoemd: dit is geen collega uit deze werkruimte."
    )
    world.passes.deliver()
    assert "Thank you! <@U0ANNA> mentioned you" in world.dm("U0LIZ")[0]["text"]
    assert len(world.dm("U0BOB")) == 1
    messaged = {c.args["channel"] for c in world.slack.calls_to("chat.postMessage")}
    assert "U0LIZ" in messaged and messaged.isdisjoint({"U0HELPER", "U0GONE", "U0EVE"})


def test_emoji_only_and_right_to_left_stories_are_kept_as_typed(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    for text in ("🎉🎉🎉", "שלום, הלקוח היה מרוצה מאוד"):
        view = slash(world, "U0ANNA", "")
        world.submit("U0ANNA", view, values(text={"story_text": {"value": text}}))
    assert [s.text for s in stories(world)] == ["🎉🎉🎉", "שלום, הלקוח היה מרוצה מאוד"]


def test_someone_else_cannot_submit_my_form(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    view = slash(world, "U0ANNA", "")
    world.submit("U0BOB", view, VALUES_OK)
    forged = {**view, "id": "V0FORGED"}
    world.submit("U0ANNA", forged, VALUES_OK)
    assert stories(world) == []
    world.submit("U0ANNA", view, VALUES_OK)  # while her own submission does save
    assert len(stories(world)) == 1


def test_a_story_from_a_message_credits_its_author_and_waits_for_consent(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    message = world.slack.post_as_user(
        "C0NOORD", "U0BOB", "De klant was zo blij met de snelle reparatie!"
    )
    body = payloads.message_shortcut(
        team_id=TEAM,
        team_domain="acme",
        user_id="U0ANNA",
        user_name="anna",
        callback_id="save_9plus_story",
        trigger_id=world.slack.new_trigger_id(TEAM, "U0ANNA"),
        channel_id="C0NOORD",
        channel_name="team-noord",
        message=message,
        response_url=world.slack.new_response_url(TEAM, "C0NOORD", "U0ANNA"),
        at=world.clock.now(),
    )
    world.post(urlencode({"payload": json.dumps(body)}).encode())
    view = world.slack.calls_to("views.open")[-1].response["view"]
    assert (
        view["blocks"][0]["element"]["initial_value"]
        == "De klant was zo blij met de snelle reparatie!"
    )
    world.submit(
        "U0ANNA",
        view,
        values(text={"story_text": {"value": view["blocks"][0]["element"]["initial_value"]}}),
    )
    [story] = stories(world)
    assert (story.author_id, story.filed_by, story.author_consent, story.source) == (
        "U0BOB",
        "U0ANNA",
        "pending",
        "message",
    )


def test_a_story_saved_while_slack_fails_is_confirmed_once_it_recovers(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    view = slash(world, "U0ANNA", "")
    world.slack.fail_next("chat.postMessage", status=503, times=3)
    world.submit("U0ANNA", view, VALUES_OK)
    assert len(stories(world)) == 1
    for _ in range(4):
        world.passes.deliver()
        world.clock.advance(timedelta(seconds=10))
    assert len(world.dm("U0ANNA")) == 1


def test_the_global_shortcut_opens_an_empty_form(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # Bob's Slack speaks English
    body = payloads.global_shortcut(
        team_id=TEAM,
        team_domain="acme",
        user_id="U0BOB",
        user_name="bob",
        callback_id="share_9plus_story",
        trigger_id=world.slack.new_trigger_id(TEAM, "U0BOB"),
        at=world.clock.now(),
    )
    status, _ = world.post(urlencode({"payload": json.dumps(body)}).encode())
    assert status.startswith("200")
    view = world.slack.calls_to("views.open")[-1].response["view"]
    assert view["title"]["text"] == "Share a 9+ story"
    assert "initial_value" not in view["blocks"][0]["element"]


def test_the_credited_author_decides_whether_a_saved_message_is_shared(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    message = world.slack.post_as_user("C0NOORD", "U0BOB", "De klant belde om te bedanken!")
    body = payloads.message_shortcut(
        team_id=TEAM,
        team_domain="acme",
        user_id="U0ANNA",
        user_name="anna",
        callback_id="save_9plus_story",
        trigger_id=world.slack.new_trigger_id(TEAM, "U0ANNA"),
        channel_id="C0NOORD",
        channel_name="team-noord",
        message=message,
        response_url=world.slack.new_response_url(TEAM, "C0NOORD", "U0ANNA"),
        at=world.clock.now(),
    )
    world.post(urlencode({"payload": json.dumps(body)}).encode())
    view = world.slack.calls_to("views.open")[-1].response["view"]
    world.submit("U0ANNA", view, values(colleagues={"story_colleagues": {"selected_users": []}}))
    world.passes.deliver()
    [ask] = world.dm("U0BOB")
    assert "<@U0ANNA> saved your message as a 9+ story" in ask["text"]
    world.click("U0ANNA", ask, "story_consent_yes")  # not Anna's to decide
    assert stories(world)[0].author_consent == "pending"
    world.click("U0BOB", ask, "story_consent_no")
    assert stories(world)[0].author_consent == "refused"
    assert "stays out of the celebration" in json.dumps(world.dm("U0BOB")[-1])


def test_credited_colleagues_are_thanked_for_shared_stories_only(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    world.submit("U0ANNA", slash(world, "U0ANNA", ""), VALUES_OK)
    private = values(consent={"story_consent": {"selected_option": {"value": "private"}}})
    world.submit("U0ANNA", slash(world, "U0ANNA", ""), private)
    world.passes.deliver()
    [thanks] = world.dm("U0BOB")
    assert "Thank you! <@U0ANNA> mentioned you in a 9+ story" in thanks["text"]
    assert "&lt;!channel&gt;" in thanks["text"]


FOR_TEAM = {
    "for_team": {
        "story_for_team": {"type": "checkboxes", "selected_options": [{"value": "for_team"}]}
    }
}


def test_a_lead_files_a_story_for_the_whole_team(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    world.at("2026-11-23T06:00:00+00:00")
    view = slash(world, "U0ANNA", "")
    assert any(b["block_id"] == "for_team" for b in view["blocks"])  # only leads see the box
    assert not any(b["block_id"] == "for_team" for b in slash(world, "U0BOB", "")["blocks"])
    colleagues = {
        "colleagues": {
            "story_colleagues": {"type": "multi_users_select", "selected_users": ["U0BOB", "U0KEN"]}
        }
    }
    _, answer = world.submit("U0ANNA", view, values(**FOR_TEAM, **colleagues))
    assert answer in (b"", b"null")
    [story] = stories(world)
    assert story.for_team and story.filed_by == "U0ANNA"
    world.at("2026-11-27T15:00:00+00:00")  # Friday's celebration
    posted = [m for m in world.slack.messages_in("C0NOORD") if m.get("bot_id")]
    text = json.dumps(posted, ensure_ascii=False)
    assert "het hele team, samen met <@U0BOB>, <@U0KEN>" in text
    assert "— <@U0ANNA>" not in text


def test_someone_who_does_not_lead_the_team_cannot_file_for_it(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    view = slash(world, "U0BOB", "")  # no box shown; Bob forges its value anyway
    _, answer = world.submit("U0BOB", view, values(**FOR_TEAM))
    assert json.loads(answer)["errors"] == {
        "for_team": "Only a team lead can share a story on behalf of this team."
    }
    assert stories(world) == []
