"""What a person does with a nudge: answer (modal or thread), skip, snooze, follow up."""

from __future__ import annotations

import json

from sqlalchemy import delete, select

from coach.store.models import Intention, Nudge, OutboxMessage, Person
from coach_demo.driver import Driver
from slack_standin import payloads
from tests.coaching.conftest import TEAM


def nudge_of(world: Driver, user: str) -> dict:
    world.at("2026-11-23T06:00:00+00:00")
    world.at("2026-11-23T08:00:00+00:00")
    [message] = world.dm(user)
    return message


def open_answer_modal(world: Driver, user: str, message: dict) -> dict:
    status, _ = world.click(user, message, "nudge_answer")
    assert status.startswith("200")
    [call] = world.slack.calls_to("views.open")
    assert call.ok
    return call.response["view"]


def test_answering_in_the_modal_stores_the_intention_and_rewrites_the_nudge(world: Driver) -> None:
    message = nudge_of(world, "U0ANNA")
    view = open_answer_modal(world, "U0ANNA", message)
    assert view["title"]["text"] == "Vandaag ga ik…"
    status, answer = world.submit(
        "U0ANNA",
        view,
        {
            "answer": {
                "answer_text": {
                    "type": "plain_text_input",
                    "value": "  De klant   nabellen <!channel>  ",
                }
            }
        },
    )
    assert status.startswith("200") and answer in (b"", b"null")
    with world.deps.unit_of_work() as session:
        intention = session.scalars(select(Intention)).one()
        nudge = session.scalars(select(Nudge)).one()
    assert intention.text == "De klant nabellen <!channel>" and nudge.status == "answered"
    [updated] = world.dm("U0ANNA")
    text = json.dumps(updated, ensure_ascii=False)
    assert (
        "Mooi voornemen!" in text
        and "De klant nabellen &lt;!channel&gt;" in text
        and "<!channel>" not in text
    )
    assert not [b for b in updated["blocks"] if b["type"] == "actions"]  # no buttons left
    assert len(world.slack.calls_to("chat.postMessage")) == 1  # updated in place, no new message
    # the nudge itself stays above the answer, taken from what was sent, not read back from Slack
    assert message["blocks"][0] == updated["blocks"][0]
    assert world.slack.calls_to("conversations.history") == []


def test_a_nudge_whose_sent_copy_was_housekept_is_still_rewritten_in_place(
    world: Driver,
) -> None:
    message = nudge_of(world, "U0ANNA")
    view = open_answer_modal(world, "U0ANNA", message)
    with world.deps.unit_of_work() as session:
        session.execute(delete(OutboxMessage))  # as housekeeping does after its retention
    world.submit(
        "U0ANNA", view, {"answer": {"answer_text": {"type": "plain_text_input", "value": "Bellen"}}}
    )
    [updated] = world.dm("U0ANNA")
    assert message["blocks"][0] == updated["blocks"][0]
    assert "Bellen" in json.dumps(updated, ensure_ascii=False)
    assert not [b for b in updated["blocks"] if b["type"] == "actions"]
    assert len(world.slack.calls_to("conversations.history")) == 1


def test_an_empty_answer_gets_an_error_on_the_field_and_saves_nothing(world: Driver) -> None:
    view = open_answer_modal(world, "U0ANNA", nudge_of(world, "U0ANNA"))
    status, answer = world.submit(
        "U0ANNA", view, {"answer": {"answer_text": {"type": "plain_text_input", "value": "   "}}}
    )
    assert status.startswith("200")
    reply = json.loads(answer)
    assert reply["response_action"] == "errors" and "answer" in reply["errors"]
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Intention)).all() == []


def test_someone_else_cannot_answer_or_skip_my_nudge(world: Driver) -> None:
    message = nudge_of(world, "U0ANNA")
    view = open_answer_modal(world, "U0ANNA", message)
    world.submit(
        "U0BOB", view, {"answer": {"answer_text": {"type": "plain_text_input", "value": "forged"}}}
    )
    world.click("U0BOB", message, "nudge_skip")
    world.click("U0BOB", message, "nudge_answer")
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Intention)).all() == []
        assert session.scalars(select(Nudge.status)).one() == "sent"
    assert len(world.slack.calls_to("views.open")) == 1
    assert world.slack.calls_to("chat.update") == []


def test_a_reply_in_the_nudge_thread_is_the_answer(world: Driver) -> None:
    message = nudge_of(world, "U0ANNA")
    channel = world.slack.im_channel_id(TEAM, "U0ANNA")
    event = payloads.message_event(
        user_id="U0ANNA",
        channel_id=channel,
        channel_type="im",
        text="Alles netjes achterlaten",
        ts="1795400000.000200",
        team_id=TEAM,
        thread_ts=message["ts"],
    )
    envelope = payloads.event_callback(
        team_id=TEAM,
        api_app_id=world.slack.app_id,
        bot_user_id="U0BOTACME",
        event=event,
        event_id="EvREPLY1",
        event_time=world.clock.now(),
    )
    status, _ = world.post(json.dumps(envelope).encode(), "application/json")
    assert status.startswith("200")
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Intention.text)).one() == "Alles netjes achterlaten"
    loose = payloads.message_event(
        user_id="U0ANNA",
        channel_id=channel,
        channel_type="im",
        text="hallo",
        ts="1795400000.000300",
        team_id=TEAM,
    )
    world.post(
        json.dumps(
            payloads.event_callback(
                team_id=TEAM,
                api_app_id=world.slack.app_id,
                bot_user_id="U0BOTACME",
                event=loose,
                event_id="EvLOOSE",
                event_time=world.clock.now(),
            )
        ).encode(),
        "application/json",
    )
    with world.deps.unit_of_work() as session:
        assert len(session.scalars(select(Intention)).all()) == 1


def test_skip_and_snooze(world: Driver) -> None:
    message = nudge_of(world, "U0ANNA")
    world.click("U0ANNA", message, "nudge_snooze")
    with world.deps.unit_of_work() as session:
        person = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        assert session.scalars(select(Nudge.status)).one() == "snoozed"
        assert (
            person.next_nudge_at is not None
            and person.next_nudge_at.date().isoformat() == "2026-11-30"
        )
    assert "Een week pauze" in json.dumps(world.dm("U0ANNA"), ensure_ascii=False)
    assert "je volgende vraag komt op 30-11-2026" in json.dumps(
        world.dm("U0ANNA"), ensure_ascii=False
    )
    for day in ("2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"):
        world.at(f"{day}T08:00:00+00:00")
    assert len(world.dm("U0ANNA")) == 1
    world.at("2026-11-30T08:00:00+00:00")  # a week later, the next Monday
    message = world.dm("U0ANNA")[-1]
    world.click("U0ANNA", message, "nudge_skip")
    assert "Vandaag overgeslagen" in json.dumps(world.dm("U0ANNA")[-1], ensure_ascii=False)


def test_the_next_nudge_asks_how_it_went(world: Driver) -> None:
    message = nudge_of(world, "U0ANNA")
    view = open_answer_modal(world, "U0ANNA", message)
    world.submit(
        "U0ANNA",
        view,
        {"answer": {"answer_text": {"type": "plain_text_input", "value": "Klant nabellen"}}},
    )
    world.at("2026-11-24T08:00:00+00:00")
    tuesday = world.dm("U0ANNA")[-1]
    text = json.dumps(tuesday, ensure_ascii=False)
    assert "Eerder nam je je voor: _Klant nabellen_" in text
    world.click("U0ANNA", tuesday, "follow_up_done")
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Intention.outcome)).one() == "done"
    story_form = world.slack.calls_to("views.open")[-1].response["view"]
    assert story_form["callback_id"] == "story_form"
    # It worked: a story? The intention is the cue above it, not the story's first words.
    cue, what = story_form["blocks"][:2]
    assert cue["elements"][0]["text"].startswith("Je voornemen was: _Klant nabellen_.")
    assert what["block_id"] == "text" and "initial_value" not in what["element"]
    updated = world.dm("U0ANNA")[-1]
    assert "Gelukt, mooi!" in json.dumps(updated, ensure_ascii=False)
    assert [
        e["action_id"] for b in updated["blocks"] if b["type"] == "actions" for e in b["elements"]
    ] == ["nudge_answer", "nudge_story", "nudge_skip", "nudge_snooze"]
    world.at("2026-11-25T08:00:00+00:00")
    assert "Eerder nam je je voor" not in json.dumps(world.dm("U0ANNA")[-1], ensure_ascii=False)


def test_it_worked_in_english_starts_an_empty_story_with_the_intention_as_cue(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    world.at("2026-11-23T14:00:00+00:00")  # Bob's 09:00 in New York
    message = world.dm("U0BOB")[-1]
    view = open_answer_modal(world, "U0BOB", message)
    answer = {"type": "plain_text_input", "value": "I will call <Mr Smith> back"}
    world.submit("U0BOB", view, {"answer": {"answer_text": answer}})
    world.at("2026-11-24T14:00:00+00:00")
    world.click("U0BOB", world.dm("U0BOB")[-1], "follow_up_done")
    cue, what = world.slack.calls_to("views.open")[-1].response["view"]["blocks"][:2]
    assert cue["elements"][0]["text"] == (
        "Your intention was: _I will call &lt;Mr Smith&gt; back_. It worked: tell what "
        "happened and what the customer noticed."
    )
    assert "initial_value" not in what["element"]


def test_a_new_member_gets_the_next_due_nudge(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    world.slack.add_user(
        TEAM, "U0NEW", name="new", real_name="New", tz="Europe/Amsterdam", locale="en-GB"
    )
    event = payloads.member_channel_event(
        joined=True, user_id="U0NEW", channel_id="C0NOORD", team_id=TEAM, at=world.clock.now()
    )
    envelope = payloads.event_callback(
        team_id=TEAM,
        api_app_id=world.slack.app_id,
        bot_user_id="U0BOTACME",
        event=event,
        event_id="EvJOIN",
        event_time=world.clock.now(),
    )
    world.post(json.dumps(envelope).encode(), "application/json")
    world.at("2026-11-23T08:30:00+00:00")
    assert len(world.dm("U0NEW")) == 1
    left = payloads.member_channel_event(
        joined=False, user_id="U0NEW", channel_id="C0NOORD", team_id=TEAM, at=world.clock.now()
    )
    world.post(
        json.dumps(
            payloads.event_callback(
                team_id=TEAM,
                api_app_id=world.slack.app_id,
                bot_user_id="U0BOTACME",
                event=left,
                event_id="EvLEFT",
                event_time=world.clock.now(),
            )
        ).encode(),
        "application/json",
    )
    world.at("2026-11-24T08:00:00+00:00")
    assert len(world.dm("U0NEW")) == 1


def test_the_nudge_offers_the_story_form(world: Driver) -> None:
    message = nudge_of(world, "U0ANNA")
    world.click("U0ANNA", message, "nudge_story")
    [call] = world.slack.calls_to("views.open")
    assert call.response["view"]["callback_id"] == "story_form"


def bot_messages(world: Driver, user: str) -> list[dict]:
    return [m for m in world.dm(user) if m.get("bot_id")]


def test_a_message_of_my_own_gets_a_short_help_with_a_story_button(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    world.write("U0ANNA", "hoi, wat is dit?")
    [answer] = bot_messages(world, "U0ANNA")
    assert answer["text"].startswith("Hoi! Ik ben 9+ Coach.")
    assert "`/coach help`" in answer["text"]
    [share, *often] = [e for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert share["text"]["text"] == "9+ verhaal delen"
    assert [e["text"]["text"] for e in often] == ["Eén keer per week", "Elke werkdag", "Even pauze"]
    world.click("U0ANNA", answer, "dm_share_story")
    assert world.slack.calls_to("views.open")[-1].response["view"]["callback_id"] == "story_form"
    world.click("U0ANNA", answer, "rhythm_weekly")  # and how often, from the same answer
    [changed] = bot_messages(world, "U0ANNA")
    assert changed["blocks"][-1]["type"] == "context"  # the buttons give way to what was chosen
    with world.deps.unit_of_work() as session:
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        assert anna.rhythm == "weekly"
    world.write("U0BOB", "hi, what is this?")  # Bob reads English
    [english] = bot_messages(world, "U0BOB")
    assert english["text"].startswith("Hi! I'm 9+ Coach.")


def test_a_redelivered_message_is_answered_once(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    envelope = world.write("U0ANNA", "hallo?")
    world.post(envelope, "application/json")  # Slack delivers it again
    assert len(bot_messages(world, "U0ANNA")) == 1


def test_the_bot_s_own_messages_and_edits_get_no_answer(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    for extra in ({"bot_id": "B0COACH", "user": "U0BOTACME"}, {"subtype": "message_changed"}):
        envelope = json.loads(world.dm_event("U0ANNA", "iets"))
        envelope["event"].update(extra)
        envelope["event_id"] += "x"
        world.post(json.dumps(envelope).encode(), "application/json")
    assert bot_messages(world, "U0ANNA") == []


def test_a_reply_to_a_nudge_is_an_answer_not_a_question_for_help(world: Driver) -> None:
    message = nudge_of(world, "U0ANNA")
    world.reply("U0ANNA", message["ts"], "Ik bel de klant terug")
    [nudge] = bot_messages(world, "U0ANNA")  # the nudge, rewritten with the answer; no help
    assert "Ik bel de klant terug" in nudge["text"] and "Hoi!" not in nudge["text"]
