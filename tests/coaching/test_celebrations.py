"""Weekly celebrations with controlled time: once per team per ISO week, the leads' preview,
Block Kit limits, quiet weeks, holidays and channels the bot cannot post in."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from coach.store.models import Celebration, Story
from coach_demo.driver import Driver
from tests.coaching.conftest import (
    TEAM,
    add_story,
    post_then_die,
    set_leads,
    shown_text,
)

# Week 48 of 2026: Friday 27 November, 16:00 in Amsterdam is 15:00 UTC.
PREVIEW, DUE = "2026-11-27T13:00:00+00:00", "2026-11-27T15:00:00+00:00"


def channel_posts(world: Driver, channel: str = "C0NOORD") -> list[dict[str, Any]]:
    return [m for m in world.slack.messages_in(channel) if m.get("bot_id")]


def celebrated(world: Driver) -> dict[str, bool]:
    with world.deps.unit_of_work() as session:
        return {s.text: s.celebrated_at is not None for s in session.scalars(select(Story))}


def celebration(world: Driver) -> Celebration:
    with world.deps.unit_of_work() as session:
        [row] = session.scalars(select(Celebration))
        session.expunge(row)
        return row


def test_shared_stories_are_celebrated_once_in_the_team_channel(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # members known
    add_story(world, "Mevrouw Jansen <!channel> belde om te bedanken", credits=("U0BOB",))
    add_story(world, "Monteur kwam binnen het uur", author="U0BOB", principle="daadkrachtig")
    add_story(world, "Alleen voor mij", share=False)
    add_story(world, "Uit een bericht van Ken", author="U0KEN", consent="pending")
    add_story(world, "Ken wil dit niet delen", author="U0KEN", consent="refused")
    world.at("2026-11-27T14:59:00+00:00")
    assert channel_posts(world) == []
    for moment in (DUE, "2026-11-27T15:00:30+00:00", "2026-11-27T16:00:00+00:00"):
        world.at(moment)
    [post] = channel_posts(world)
    text = shown_text([post])
    assert "week 48" in text and "Noord" in text
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert "Mevrouw Jansen" in text and "Monteur kwam binnen het uur" in text
    assert "<@U0ANNA>" in text and "<@U0BOB>" in text  # author and credited colleague
    assert "Alleen voor mij" not in text and "Ken" not in text
    assert "Goed geregeld" in text and "Daadkrachtig" in text
    assert "Volgende week in de focus" in text  # Dutch: the team's language
    assert celebrated(world) == {
        "Mevrouw Jansen <!channel> belde om te bedanken": True,
        "Monteur kwam binnen het uur": True,
        "Alleen voor mij": False,
        "Uit een bericht van Ken": False,
        "Ken wil dit niet delen": False,
    }
    # Next week's celebration does not repeat them.
    add_story(world, "Een nieuw verhaal")
    world.at("2026-12-04T15:00:00+00:00")
    latest = channel_posts(world)[-1]
    assert "Een nieuw verhaal" in shown_text([latest])
    assert "Mevrouw Jansen" not in shown_text([latest])


def test_participation_counts_the_team_not_individuals(world: Driver) -> None:
    world.at("2026-11-23T08:00:00+00:00")  # Anna's nudge (09:00 Amsterdam)
    [nudge] = [m for m in world.dm("U0ANNA") if m.get("blocks")]
    world.reply("U0ANNA", nudge["ts"], "Ik bel de klant na")
    add_story(world, "Klant belde blij terug")
    world.at(DUE)
    text = shown_text(channel_posts(world))
    assert "Klant belde blij terug" in text
    assert "HKI-vraag" not in text and "voornemen" not in text  # one answer: not counted
    assert "U0ANNA" not in text.split("Klant belde")[0]  # no one named for answering


def test_a_quiet_week_gets_a_warm_invitation(world: Driver) -> None:
    world.at(DUE)
    [post] = channel_posts(world)
    text = shown_text([post])
    assert "/9plus" in text and "Volgende week in de focus" in text
    assert celebration(world).status == "posted"


def test_private_and_unconsented_stories_alone_make_a_quiet_week(world: Driver) -> None:
    add_story(world, "Privé", share=False)
    world.at(DUE)
    text = shown_text(channel_posts(world))
    assert "Privé" not in text and "/9plus" in text


def test_two_hundred_stories_stay_within_limits_each_exactly_once(world: Driver) -> None:
    keys = ["goed-geregeld", "daadkrachtig", "passie-voor-techniek", "oprecht-betrokken", None]
    for n in range(200):
        add_story(world, f"Verhaal nummer {n:03d} " + "x" * 900, principle=keys[n % 5])
    world.at(DUE)
    for second in range(2, 20, 2):  # the scheduler's delivery interval
        world.at(f"2026-11-27T15:00:{second:02d}+00:00")
    posts = channel_posts(world)
    parent, replies = posts[0], posts[1:]
    assert replies and all(r.get("thread_ts") == parent["ts"] for r in replies)
    assert all(len(m["blocks"]) <= 50 for m in posts)
    assert all(len(b["text"]["text"]) <= 3000 for m in posts for b in m["blocks"] if b.get("text"))
    text = shown_text(posts)
    for n in range(200):
        assert text.count(f"Verhaal nummer {n:03d} ") == 1, n
    assert all(celebrated(world).values())


def test_the_lead_previews_and_can_skip_the_week(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    add_story(world, "Mooi moment")
    world.at(PREVIEW)
    [preview] = [m for m in world.dm("U0ANNA") if "Voorproefje" in m["text"]]
    assert "Mooi moment" in shown_text([preview])
    world.at("2026-11-27T13:00:30+00:00")
    assert len([m for m in world.dm("U0ANNA") if "Voorproefje" in m["text"]]) == 1
    status, _ = world.click("U0ANNA", preview, "celebration_skip")
    assert status.startswith("200")
    world.at(DUE)
    assert channel_posts(world) == []
    row = celebration(world)
    assert (row.status, row.lead_action, row.lead_action_by) == ("skipped", "skip", "U0ANNA")
    assert celebrated(world) == {"Mooi moment": False}  # kept for next week
    world.at("2026-12-04T15:00:00+00:00")
    assert "Mooi moment" in shown_text(channel_posts(world))


def test_the_lead_posts_now_and_it_is_not_posted_again(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    add_story(world, "Mooi moment")
    world.at(PREVIEW)
    [preview] = [m for m in world.dm("U0ANNA") if "Voorproefje" in m["text"]]
    world.click("U0ANNA", preview, "celebration_post_now")
    world.at("2026-11-27T13:01:00+00:00")
    assert len(channel_posts(world)) == 1
    world.at(DUE)
    assert len(channel_posts(world)) == 1
    assert celebration(world).lead_action == "post_now"
    closed = next(m for m in world.dm("U0ANNA") if m["ts"] == preview["ts"])
    assert not any(b["type"] == "actions" for b in closed["blocks"])


def test_the_lead_s_note_goes_on_top_escaped(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    add_story(world, "Mooi moment")
    world.at(PREVIEW)
    [preview] = [m for m in world.dm("U0ANNA") if "Voorproefje" in m["text"]]
    world.click("U0ANNA", preview, "celebration_note")
    modal = world.slack.calls_to("views.open")[-1].response["view"]
    too_long = {"note": {"celebration_note_text": {"type": "plain_text_input", "value": "x" * 501}}}
    _, answer = world.submit("U0ANNA", modal, too_long)
    assert b"errors" in answer and b"500" in answer
    note = {
        "note": {"celebration_note_text": {"type": "plain_text_input", "value": "Trots! <!here>"}}
    }
    _, answer = world.submit("U0ANNA", modal, note)
    assert answer in (b"", b"null")
    world.at(DUE)
    [post] = channel_posts(world)
    assert "Trots! &lt;!here&gt;" in post["blocks"][1]["text"]["text"]
    assert celebration(world).lead_action == "note"


def test_someone_who_is_not_the_lead_changes_nothing(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    add_story(world, "Mooi moment")
    world.at(PREVIEW)
    [preview] = [m for m in world.dm("U0ANNA") if "Voorproefje" in m["text"]]
    world.click("U0BOB", preview, "celebration_skip")
    world.click("U0BOB", preview, "celebration_post_now")
    forged = str(celebration(world).id)  # the real id, in a modal Bob was never shown
    modal = {"type": "modal", "callback_id": "celebration_note_modal", "private_metadata": forged}
    world.submit("U0BOB", modal, {"note": {"celebration_note_text": {"value": "nep"}}})
    row = celebration(world)
    assert (row.status, row.lead_action, row.note) == ("previewed", None, None)
    world.at(DUE)
    assert len(channel_posts(world)) == 1


def test_a_holiday_friday_moves_the_celebration_to_thursday(world: Driver) -> None:
    add_story(world, "Voor Pasen")
    world.at("2027-03-25T15:00:00+00:00")  # Thursday before Good Friday, 16:00 in Amsterdam
    assert "Voor Pasen" in shown_text(channel_posts(world))
    world.at("2027-03-26T15:00:00+00:00")
    assert len(channel_posts(world)) == 1


def test_ten_teams_in_ten_timezones_each_at_their_own_four_o_clock(world: Driver) -> None:
    zones = [
        "Europe/Amsterdam", "Europe/London", "America/New_York", "America/Chicago",
        "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata",
        "America/Sao_Paulo", "Pacific/Auckland",
    ]  # fmt: skip
    for n, zone in enumerate(zones):
        channel = f"C0TEAM{n}"
        world.slack.add_channel(TEAM, channel, name=f"team-{n}", members=["U0ANNA", "U0BOTACME"])
        set_leads(world, channel=channel, name=f"Team {n}", timezone=zone, holiday_country="US")
        add_story(world, f"Verhaal van team {n}", channel=channel)
    world.at("2026-11-23T06:00:00+00:00")  # members known
    instants = sorted(
        datetime.combine(date(2026, 11, 27), time(16), ZoneInfo(zone)) for zone in zones
    )
    for instant in instants:
        before = {c: len(channel_posts(world, f"C0TEAM{c}")) for c in range(10)}
        world.at(instant.isoformat())
        after = {c: len(channel_posts(world, f"C0TEAM{c}")) for c in range(10)}
        changed = [c for c in range(10) if after[c] != before[c]]
        assert changed and all(after[c] == 1 for c in changed)
        for c in changed:
            local = instant.astimezone(ZoneInfo(zones[c]))
            assert (local.weekday(), local.time()) == (4, time(16)), zones[c]
    assert all(len(channel_posts(world, f"C0TEAM{c}")) == 1 for c in range(10))


def test_the_bot_rejoins_a_public_channel_it_was_removed_from(world: Driver) -> None:
    add_story(world, "Mooi moment")
    world.at("2026-11-23T06:00:00+00:00")
    world.slack.remove_from_channel("C0NOORD", "U0BOTACME")
    world.at(DUE)
    assert "Mooi moment" in shown_text(channel_posts(world))
    assert world.slack.calls_to("conversations.join")


def test_an_archived_channel_gets_nothing_and_the_lead_hears_why(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    add_story(world, "Mooi moment")
    world.at("2026-11-23T06:00:00+00:00")
    world.slack.archive_channel("C0NOORD")
    world.at(DUE)
    world.at("2026-11-27T15:00:30+00:00")
    assert channel_posts(world) == []
    assert any("gearchiveerd" in m["text"] for m in world.dm("U0ANNA"))
    assert (celebration(world).status, celebration(world).problem) == (
        "undeliverable",
        "is_archived",
    )
    assert celebrated(world) == {"Mooi moment": False}


def test_a_team_without_members_gets_nothing_and_the_lead_hears_why(world: Driver) -> None:
    world.slack.add_channel(TEAM, "C0LEEG", name="leeg", members=["U0BOTACME"])
    set_leads(world, "U0ANNA", channel="C0LEEG", name="Leeg")
    world.at("2026-11-23T06:00:00+00:00")
    world.at(DUE)
    assert channel_posts(world, "C0LEEG") == []
    assert any("geen leden" in m["text"] for m in world.dm("U0ANNA"))


def test_a_thread_reply_posted_by_a_killed_process_is_not_posted_again(world: Driver) -> None:
    for n in range(30):
        add_story(world, f"Verhaal nummer {n:03d}")
    world.at(DUE)  # the post; its thread reply is queued 1.5 s later
    world.clock.set(datetime.fromisoformat("2026-11-27T15:00:02+00:00"))
    claimed = post_then_die(world, key_prefix="celebration:")  # the reply
    assert claimed.payload["thread_ts"]
    world.at("2026-11-27T15:03:00+00:00")
    posts = channel_posts(world)
    assert len(posts) == 2  # the post and one reply, not two
    assert world.slack.calls_to("conversations.replies")
    text = shown_text(posts)
    assert all(text.count(f"Verhaal nummer {n:03d}\n") == 1 for n in range(30))


def test_a_private_channel_the_bot_left_tells_the_lead_to_invite_it(world: Driver) -> None:
    world.slack.add_channel(
        TEAM, "G0GEHEIM", name="geheim", members=["U0ANNA", "U0BOB", "U0BOTACME"], is_private=True
    )
    set_leads(world, "U0ANNA", channel="G0GEHEIM", name="Geheim")
    world.at("2026-11-23T06:00:00+00:00")  # members known
    world.slack.remove_from_channel("G0GEHEIM", "U0BOTACME")  # someone removed the bot
    add_story(world, "Mooi moment", channel="G0GEHEIM")
    world.at(DUE)
    world.at("2026-11-27T15:00:30+00:00")
    assert channel_posts(world, "G0GEHEIM") == []
    # Slack answers channel_not_found for a private channel the app is no longer in.
    assert any("nodig me dan uit met `/invite" in m["text"] for m in world.dm("U0ANNA"))
    assert celebrated(world) == {"Mooi moment": False}
    assert len(channel_posts(world, "C0NOORD")) == 1  # the other team's channel still got its


def test_a_post_that_landed_before_a_crash_counts_even_after_it_expired(world: Driver) -> None:
    add_story(world, "Mooi moment")
    world.at("2026-11-23T06:00:00+00:00")
    world.clock.set(datetime.fromisoformat(DUE))
    world.passes.plan()  # queued, then the process claims it, posts, and dies
    post_then_die(world, key_prefix="celebration:")
    world.at("2026-11-28T10:00:00+00:00")  # back the next morning, past the post's expiry
    assert celebration(world).status == "posted"
    assert celebrated(world) == {"Mooi moment": True}
    world.at("2026-12-04T15:00:00+00:00")
    assert shown_text(channel_posts(world)).count("Mooi moment") == 1


def test_a_story_deleted_while_the_post_waits_is_left_out(world: Driver) -> None:
    keep = add_story(world, "Blijft staan")
    gone = add_story(world, "Wordt verwijderd")
    world.at("2026-11-23T06:00:00+00:00")
    world.clock.set(datetime.fromisoformat(DUE))
    world.passes.plan()  # queued while Slack is unreachable, say
    with world.deps.unit_of_work() as session:
        session.delete(session.get(Story, gone))
    world.passes.deliver()
    text = shown_text(channel_posts(world))
    assert "Blijft staan" in text and "Wordt verwijderd" not in text
    assert keep and celebrated(world) == {"Blijft staan": True}


def test_stories_in_a_thread_reply_that_failed_wait_for_next_week(world: Driver) -> None:
    for n in range(30):
        add_story(world, f"Verhaal nummer {n:03d}")
    world.at(DUE)
    [post] = channel_posts(world)
    world.slack.archive_channel("C0NOORD")  # the reply cannot be posted any more
    world.at("2026-11-27T15:00:04+00:00")
    assert len(channel_posts(world)) == 1
    state = celebrated(world)
    in_post = {t for t in state if f"{t}\n" in shown_text([post])}
    assert in_post and all(state[t] for t in in_post)
    assert {t for t, done in state.items() if not done} == set(state) - in_post


def test_a_story_deleted_before_its_thread_reply_goes_out_is_left_out(world: Driver) -> None:
    for n in range(30):
        add_story(world, f"Verhaal nummer {n:03d}")
    world.at(DUE)  # the post; its reply is queued 1.5 s later
    [post] = channel_posts(world)
    in_reply = sorted(t for t in celebrated(world) if f"{t}\n" not in shown_text([post]))
    with world.deps.unit_of_work() as session:
        gone = session.scalars(select(Story).where(Story.text == in_reply[0])).one()
        session.delete(gone)
    world.at("2026-11-27T15:00:04+00:00")
    text = shown_text(channel_posts(world))
    assert in_reply[0] not in text and in_reply[1] in text
