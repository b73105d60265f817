"""Nudges handed to Slack ahead of time: Slack posts each at the person's 09:00; a change
withdraws and re-plans it; reconcile repairs what a crash or Slack lost; what cannot be
scheduled in time is posted live. Anna is in Amsterdam (09:00 = 08:00 UTC), Bob in New York
(14:00 UTC), Ken in Tokyo (00:00 UTC)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from coach.catalog.files import load_catalog_file
from coach.delivery import ahead
from coach.services import nudge_replies, people, privacy
from coach.services.scheduled_nudges import withdraw_workspace
from coach.store.catalog import replace_catalog
from coach.store.models import Nudge, OutboxMessage, Principle
from coach.store.scheduled import SCHEDULING
from coach_demo.driver import Driver
from tests.coaching.conftest import ROOT, TEAM

MONDAY_NINE_AMSTERDAM = int(datetime(2026, 11, 23, 8, tzinfo=UTC).timestamp())


@pytest.fixture
def plan_ahead_hours() -> int:
    return 16


def scheduled_for(world: Driver, user: str) -> list[dict]:
    return world.slack.scheduled_messages(world.slack.im_channel_id(TEAM, user))


def nudge_posts(world: Driver) -> list[str]:
    return [c.args["channel"] for c in world.slack.calls_to("chat.postMessage") if c.ok]


def text_of(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)


def test_slack_posts_the_nudge_at_nine_with_its_buttons_nobody_posts_it_live(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # 2 h before Anna's 09:00, 8 h before Bob's
    [anna] = scheduled_for(world, "U0ANNA")
    assert anna["post_at"] == MONDAY_NINE_AMSTERDAM
    assert len(scheduled_for(world, "U0BOB")) == 1
    assert scheduled_for(world, "U0KEN") == []  # Tuesday 00:00 UTC: more than 16 h ahead
    assert "metadata" not in world.slack.calls_to("chat.scheduleMessage")[0].args
    with world.deps.unit_of_work() as session:
        nudge = session.scalars(select(Nudge).where(Nudge.scheduled_message_id == anna["id"])).one()
        assert nudge.status == "queued"
    world.at("2026-11-23T07:59:00+00:00")
    assert world.dm("U0ANNA") == []
    world.at("2026-11-23T08:00:30+00:00")
    [message] = world.dm("U0ANNA")
    assert int(float(message["ts"])) == MONDAY_NINE_AMSTERDAM  # at the minute, not late
    actions = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [a["action_id"] for a in actions][:2] == ["nudge_answer", "nudge_story"]
    assert nudge_posts(world) == []
    with world.deps.unit_of_work() as session:
        nudge = session.get_one(Nudge, nudge.id)
        assert nudge.status == "sent"
        assert nudge.channel_id == world.slack.im_channel_id(TEAM, "U0ANNA")


def test_a_click_and_a_thread_reply_on_a_scheduled_nudge_find_it(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    world.at("2026-11-23T08:00:30+00:00")
    [message] = world.dm("U0ANNA")
    world.reply("U0ANNA", message["ts"], "Ik bel de klant terug")  # the ts was not known yet
    [updated] = [m for m in world.dm("U0ANNA") if m["ts"] == message["ts"]]
    assert "Ik bel de klant terug" in text_of(updated)  # rewritten in place as answered
    assert not [b for b in updated["blocks"] if b["type"] == "actions"]
    with world.deps.unit_of_work() as session:
        nudge = session.scalars(select(Nudge).where(Nudge.status == "answered")).one()
        assert nudge.message_ts == message["ts"]
    world.at("2026-11-23T14:00:30+00:00")
    [bob] = world.dm("U0BOB")
    status, _ = world.click("U0BOB", bob, "nudge_answer")  # the click names the message
    assert status.startswith("200") and world.slack.calls_to("views.open")[-1].ok
    with world.deps.unit_of_work() as session:
        assert bob["ts"] in set(session.scalars(select(Nudge.message_ts)))


def test_pausing_deletes_the_scheduled_nudge_and_resuming_schedules_it_again(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    [first] = scheduled_for(world, "U0ANNA")
    with world.deps.unit_of_work() as session:
        people.pause(session, workspace_id=TEAM, user_id="U0ANNA", days=None, now=world.clock.now())
    world.at("2026-11-23T06:01:00+00:00")
    assert scheduled_for(world, "U0ANNA") == []
    [deleted] = world.slack.calls_to("chat.deleteScheduledMessage")
    assert deleted.ok and deleted.args["scheduled_message_id"] == first["id"]
    with world.deps.unit_of_work() as session:
        people.resume(session, workspace_id=TEAM, user_id="U0ANNA", now=world.clock.now())
    world.at("2026-11-23T06:02:00+00:00")
    world.at("2026-11-23T06:03:00+00:00")
    [again] = scheduled_for(world, "U0ANNA")
    assert again["id"] != first["id"] and again["post_at"] == MONDAY_NINE_AMSTERDAM
    world.at("2026-11-23T08:01:00+00:00")
    assert len(world.dm("U0ANNA")) == 1 and nudge_posts(world) == []


def test_a_new_nudge_time_moves_the_scheduled_nudge(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    with world.deps.unit_of_work() as session:
        people.set_nudge_time(
            session, workspace_id=TEAM, user_id="U0ANNA", at=time(10), now=world.clock.now()
        )
    world.at("2026-11-23T06:01:00+00:00")
    world.at("2026-11-23T06:02:00+00:00")
    [moved] = scheduled_for(world, "U0ANNA")
    assert moved["post_at"] == MONDAY_NINE_AMSTERDAM + 3600
    world.at("2026-11-23T08:01:00+00:00")
    assert world.dm("U0ANNA") == []
    world.at("2026-11-23T09:01:00+00:00")
    assert len(world.dm("U0ANNA")) == 1


def test_a_catalogue_edit_replaces_the_scheduled_wording(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    [before] = scheduled_for(world, "U0ANNA")
    catalog = load_catalog_file(ROOT / "principles_catalog" / "technisch-dienstverlener.yaml")
    with world.deps.unit_of_work() as session:
        focus_id = session.scalars(select(Nudge.principle_id)).first()
        focus_key = session.get_one(Principle, focus_id).key
    new_example = "Ik ruim elke dag mijn werkplek op."
    principles = [
        p.model_copy(update={"behaviours": [new_example]}) if p.id == focus_key else p
        for p in catalog.principles
    ]
    assert new_example not in text_of(before)
    with world.deps.unit_of_work() as session:  # as `coach catalog import` does
        replace_catalog(
            session,
            workspace_id=TEAM,
            catalog=catalog.model_copy(update={"principles": principles}),
            actor="test",
            now=world.clock.now(),
        )
        withdraw_workspace(session, workspace_id=TEAM, now=world.clock.now())
    world.at("2026-11-23T06:01:00+00:00")
    world.at("2026-11-23T06:02:00+00:00")
    [after] = scheduled_for(world, "U0ANNA")
    assert after["id"] != before["id"] and new_example in text_of(after)
    world.at("2026-11-23T08:01:00+00:00")
    [message] = world.dm("U0ANNA")
    assert new_example in text_of(message)


def test_an_answer_after_planning_brings_the_follow_up_into_tomorrow_s_nudge(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    world.at("2026-11-23T08:00:30+00:00")
    [monday] = world.dm("U0ANNA")
    world.at("2026-11-23T17:00:00+00:00")  # Tuesday's 09:00 is 15 h away: planned now
    [tuesday] = scheduled_for(world, "U0ANNA")
    with world.deps.unit_of_work() as session:
        nudge_id = session.scalars(select(Nudge.id).order_by(Nudge.id)).first()
    assert nudge_id is not None
    nudge_replies.answer(
        world.deps, workspace_id=TEAM, user_id="U0ANNA", nudge_id=nudge_id, text="Klant bellen"
    )
    world.at("2026-11-23T17:01:00+00:00")
    world.at("2026-11-23T17:02:00+00:00")
    [replanned] = scheduled_for(world, "U0ANNA")
    assert replanned["id"] != tuesday["id"]
    assert "Klant bellen" in text_of(replanned) and "Klant bellen" not in text_of(tuesday)
    world.at("2026-11-24T08:00:30+00:00")
    assert len(world.dm("U0ANNA")) == 2 and monday


def test_a_crash_after_slack_scheduled_it_is_reconciled_not_scheduled_twice(
    world: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object) -> None:
        raise RuntimeError("the process died before it recorded Slack's answer")

    with monkeypatch.context() as patch:
        patch.setattr(ahead.store, "record", crash)
        world.at("2026-11-23T06:00:00+00:00")  # Slack holds them; we recorded nothing
    assert len(scheduled_for(world, "U0ANNA")) == 1
    with world.deps.unit_of_work() as session:
        assert {r.status for r in session.scalars(select(OutboxMessage))} == {SCHEDULING}
    world.at("2026-11-23T06:03:00+00:00")  # the lease ran out: looked up, adopted
    [held] = scheduled_for(world, "U0ANNA")
    assert len(world.slack.calls_to("chat.scheduleMessage")) == 2  # Anna's and Bob's, once
    with world.deps.unit_of_work() as session:
        assert held["id"] in set(session.scalars(select(Nudge.scheduled_message_id)))
    world.at("2026-11-23T08:01:00+00:00")
    assert len(world.dm("U0ANNA")) == 1 and nudge_posts(world) == []


def test_reconcile_deletes_what_no_nudge_claims_and_hands_over_what_slack_lost(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    [anna] = scheduled_for(world, "U0ANNA")
    [bob] = scheduled_for(world, "U0BOB")
    with world.slack.state.lock:  # Slack lost Bob's
        world.slack.state.unschedule(bob["id"])
    world.clock.set(datetime.fromisoformat("2026-11-23T06:10:00+00:00"))
    with world.deps.unit_of_work() as session:  # and we hold another id than Slack for Anna's
        row = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "U0ANNA")).one()
        row.scheduled_id = "Q0STRANGER"
    report = world.passes.reconcile()
    assert report.lost == 2 and report.orphans == 1
    assert scheduled_for(world, "U0ANNA") == []  # the one no nudge claims is deleted
    world.at("2026-11-23T06:11:00+00:00")  # both handed over again
    [again] = scheduled_for(world, "U0ANNA")
    assert again["id"] != anna["id"] and len(scheduled_for(world, "U0BOB")) == 1
    assert world.passes.reconcile().lost == 0
    world.at("2026-11-23T14:00:30+00:00")
    assert len(world.dm("U0ANNA")) == 1 and len(world.dm("U0BOB")) == 1
    assert nudge_posts(world) == []


def test_what_cannot_be_scheduled_in_time_is_posted_live(world: Driver) -> None:
    world.slack.fail_next("chat.scheduleMessage", status=429, retry_after=3600)
    world.at("2026-11-23T07:00:00+00:00")  # Slack says: not for an hour
    assert world.slack.scheduled_messages() == []
    world.at("2026-11-23T07:57:00+00:00")  # within the lead: no longer handed over
    assert scheduled_for(world, "U0ANNA") == []
    world.at("2026-11-23T08:00:00+00:00")
    assert len(world.dm("U0ANNA")) == 1 and nudge_posts(world) == ["U0ANNA"]
    world.at("2026-11-23T08:02:00+00:00")
    assert len(world.dm("U0ANNA")) == 1


def test_forget_me_deletes_the_scheduled_nudge_and_keeps_nothing_of_the_person(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    [held] = scheduled_for(world, "U0ANNA")
    privacy.forget_me(world.deps, workspace_id=TEAM, user_id="U0ANNA", confirmed_for="U0ANNA")
    world.at("2026-11-23T06:01:00+00:00")
    assert scheduled_for(world, "U0ANNA") == []
    [deleted] = world.slack.calls_to("chat.deleteScheduledMessage")
    assert deleted.args["scheduled_message_id"] == held["id"]
    with world.deps.unit_of_work() as session:  # the row that waited for the deletion is gone
        channels = set(session.scalars(select(OutboxMessage.channel)))
    assert "U0ANNA" not in channels and world.slack.im_channel_id(TEAM, "U0ANNA") not in channels
    world.at("2026-11-23T08:01:00+00:00")
    assert world.dm("U0ANNA") == []


def test_new_weekdays_withdraw_a_nudge_planned_for_a_day_no_longer_theirs(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # Monday
    [first] = scheduled_for(world, "U0ANNA")
    with world.deps.unit_of_work() as session:  # `/coach days di,do`
        people.set_weekdays(
            session,
            workspace_id=TEAM,
            user_id="U0ANNA",
            days=frozenset({1, 3}),
            now=world.clock.now(),
        )
    world.at("2026-11-23T06:01:00+00:00")
    world.at("2026-11-23T06:02:00+00:00")
    assert scheduled_for(world, "U0ANNA") == []  # Tuesday 09:00 is beyond the 16 h horizon
    [deleted] = world.slack.calls_to("chat.deleteScheduledMessage")
    assert deleted.args["scheduled_message_id"] == first["id"]
    world.at("2026-11-23T08:01:00+00:00")
    assert world.dm("U0ANNA") == [] and nudge_posts(world) == []


def test_a_new_language_replaces_the_scheduled_nudge_with_one_in_that_language(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    [dutch] = scheduled_for(world, "U0ANNA")
    with world.deps.unit_of_work() as session:  # `/coach language en`
        people.set_language(
            session, workspace_id=TEAM, user_id="U0ANNA", language="en", now=world.clock.now()
        )
    world.at("2026-11-23T06:01:00+00:00")
    world.at("2026-11-23T06:02:00+00:00")
    [english] = scheduled_for(world, "U0ANNA")
    [deleted] = world.slack.calls_to("chat.deleteScheduledMessage")
    assert deleted.args["scheduled_message_id"] == dutch["id"] != english["id"]
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Nudge.language)).all() == ["en"] * 2  # Anna's and Bob's
    world.at("2026-11-23T08:00:30+00:00")
    [message] = world.dm("U0ANNA")
    assert message["text"] == english["text"] != dutch["text"]
