"""What takes the day's nudge's place, the month's pulse DM and the question about the rhythm,
goes the nudge's way: planned the evening before, handed to Slack's schedule so Slack posts it
at the person's 09:00, and deleted there and planned again when a change makes it wrong."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from coach.domain.schedule import QUIET_LIMIT
from coach.domain.team_settings import TeamChanges
from coach.services import membership, nudge_replies, people, privacy, rhythm, workspaces
from coach.services.teams import update_team
from coach.store.models import Nudge, OutboxMessage, Person, PulseAnswer
from coach.store.scheduled import SCHEDULED
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM
from tests.coaching.pulse_steps import CHANNEL, CREW, pulse_dm, pulse_team, tap


def evening_before(world: Driver) -> None:
    """Monday: members read at noon, then at 18:00 local Tuesday's messages are planned and
    handed to Slack's schedule."""
    world.at("2026-11-30T12:00:00+00:00")
    world.at("2026-11-30T17:00:00+00:00")


def set_pulse(world: Driver, *, on: bool) -> None:
    """The lead turns the team's monthly pulse on or off."""
    with world.deps.unit_of_work() as session:
        update_team(
            session,
            workspace_id=TEAM,
            channel_id=CHANNEL,
            changes=TeamChanges(pulse=on),
            now=world.clock.now(),
        )


PULSE_NINE = int(datetime(2026, 12, 1, 8, tzinfo=UTC).timestamp())  # Tuesday, Amsterdam
TUESDAY_NINE = int(datetime(2026, 11, 24, 8, tzinfo=UTC).timestamp())


@pytest.fixture
def plan_ahead_hours() -> int:
    return 16


def scheduled_for(world: Driver, user: str) -> list[dict]:
    return world.slack.scheduled_messages(world.slack.im_channel_id(TEAM, user))


def live_posts(world: Driver) -> list[str]:
    return [c.args["channel"] for c in world.slack.calls_to("chat.postMessage") if c.ok]


def deleted_ids(world: Driver) -> list[str]:
    return [
        c.args["scheduled_message_id"]
        for c in world.slack.calls_to("chat.deleteScheduledMessage")
        if c.ok
    ]


def answers(world: Driver) -> int:
    with world.deps.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(PulseAnswer)) or 0)


def is_nudge(message: dict) -> bool:
    return "nudge_answer" in json.dumps(message)


def is_question(message: dict) -> bool:
    return "rhythm_weekly" in json.dumps(message)


def is_pulse(message: dict, words: str = "Team pulse") -> bool:
    return str(message.get("text", "")).startswith(words)


def test_the_pulse_dm_of_a_large_team_lands_at_nine_exactly_through_slack_s_schedule(
    world: Driver,
) -> None:
    crowd = [f"U0L{n:03d}" for n in range(150)]  # three times what Tier 3 takes in a minute
    pulse_team(world, people=crowd)
    world.at("2026-11-30T12:00:00+00:00")  # members synced; Tuesday 1 December not planned yet
    for second in range(0, 6 * 60, 10):  # the evening before: handed over within Tier 3's pace
        world.at(f"2026-11-30T17:{second // 60:02d}:{second % 60:02d}+00:00")
    held = [scheduled_for(world, user) for user in crowd]
    assert all(len(h) == 1 and is_pulse(h[0]) and h[0]["post_at"] == PULSE_NINE for h in held)
    assert "metadata" not in world.slack.calls_to("chat.scheduleMessage")[-1].args
    world.at("2026-12-01T07:59:00+00:00")
    assert all(world.dm(user) == [] for user in crowd)
    world.at("2026-12-01T08:00:30+00:00")
    for user in crowd:
        [message] = world.dm(user)
        assert is_pulse(message) and int(float(message["ts"])) == PULSE_NINE  # not a second late
    assert not set(live_posts(world)) & set(crowd)  # none posted live
    with world.deps.unit_of_work() as session:
        people_ids = select(Person.id).where(Person.user_id.in_(crowd))
        nudged = select(func.count()).select_from(Nudge).where(Nudge.person_id.in_(people_ids))
        assert session.scalar(nudged) == 0  # the pulse was the day's only message
        statuses = session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.person_id.in_(people_ids))
        )
        assert set(statuses) == {"sent"}


def test_a_scheduled_pulse_dm_s_buttons_record_the_answer(world: Driver) -> None:
    pulse_team(world, people=CREW[:3])
    evening_before(world)
    assert is_pulse(scheduled_for(world, CREW[1])[0])
    world.at("2026-12-01T08:00:30+00:00")
    answered = tap(world, CREW[1], "enps", 9)  # recorded, and the DM rewritten in place
    assert [b for b in answered["blocks"] if b["type"] == "actions"] == []
    world.at("2027-01-03T12:00:00+00:00")
    world.at("2027-01-03T17:00:00+00:00")  # January's pulse (Monday the 4th), handed over
    assert is_pulse(scheduled_for(world, CREW[2])[0])
    world.clock.set(datetime(2027, 1, 4, 8, 0, 10, tzinfo=UTC))  # Slack posted it; no pass yet
    tap(world, CREW[2], "enps", 7)
    with world.deps.unit_of_work() as session:
        scores = session.execute(select(PulseAnswer.month, PulseAnswer.score)).all()
    assert sorted((m.isoformat(), s) for m, s in scores) == [("2026-12-01", 9), ("2027-01-01", 7)]


def test_turning_the_pulse_off_the_evening_before_deletes_the_dm_and_the_nudge_comes_instead(
    world: Driver,
) -> None:
    pulse_team(world, people=CREW[:3])
    evening_before(world)
    [pulse] = scheduled_for(world, CREW[1])
    assert is_pulse(pulse) and pulse["post_at"] == PULSE_NINE
    set_pulse(world, on=False)  # the lead turns it off: from December on
    world.at("2026-11-30T18:00:00+00:00")
    world.at("2026-11-30T18:01:00+00:00")
    assert pulse["id"] in deleted_ids(world)
    [nudge] = scheduled_for(world, CREW[1])
    assert is_nudge(nudge) and nudge["post_at"] == PULSE_NINE
    world.at("2026-12-01T08:00:30+00:00")
    for user in CREW[:3]:
        [message] = world.dm(user)
        assert is_nudge(message) and int(float(message["ts"])) == PULSE_NINE
        assert pulse_dm(world, user) is None
    assert live_posts(world) == []


def test_turning_the_pulse_on_the_evening_before_replaces_the_scheduled_nudge_with_it(
    world: Driver,
) -> None:
    pulse_team(world, people=CREW[:3])
    set_pulse(world, on=False)  # off again from December, before it began
    evening_before(world)
    [nudge] = scheduled_for(world, CREW[1])
    assert is_nudge(nudge)
    set_pulse(world, on=True)  # on after all, the evening before
    world.at("2026-11-30T18:00:00+00:00")
    world.at("2026-11-30T18:01:00+00:00")
    assert nudge["id"] in deleted_ids(world)
    [pulse] = scheduled_for(world, CREW[1])
    assert is_pulse(pulse) and pulse["post_at"] == PULSE_NINE
    world.at("2026-12-01T08:00:30+00:00")
    assert all([is_pulse(m) for m in world.dm(user)] == [True] for user in CREW[:3])
    with world.deps.unit_of_work() as session:
        people_ids = select(Person.id).where(Person.user_id.in_(CREW[:3]))
        assert session.scalars(select(Nudge).where(Nudge.person_id.in_(people_ids))).all() == []


def test_a_new_language_replaces_the_scheduled_pulse_dm_with_one_in_that_language(
    world: Driver,
) -> None:
    pulse_team(world, people=CREW[:3])
    evening_before(world)
    [english] = scheduled_for(world, CREW[1])
    assert is_pulse(english, "Team pulse")
    with world.deps.unit_of_work() as session:  # `/coach language nl`
        people.set_language(
            session, workspace_id=TEAM, user_id=CREW[1], language="nl", now=world.clock.now()
        )
    world.at("2026-11-30T17:01:00+00:00")
    world.at("2026-11-30T17:02:00+00:00")
    assert deleted_ids(world) == [english["id"]]
    [dutch] = scheduled_for(world, CREW[1])
    assert is_pulse(dutch, "Teampuls") and dutch["post_at"] == PULSE_NINE
    assert is_pulse(scheduled_for(world, CREW[2])[0], "Team pulse")  # the others' stay
    world.at("2026-12-01T08:00:30+00:00")
    [message] = world.dm(CREW[1])
    assert is_pulse(message, "Teampuls") and live_posts(world) == []
    tap(world, CREW[1], "enps", 8)  # the Dutch one is the one answered
    assert answers(world) == 1


def test_the_rhythm_question_is_scheduled_and_a_reaction_withdraws_it(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    world.at("2026-11-23T08:00:30+00:00")
    [monday] = world.dm("U0ANNA")
    with world.deps.unit_of_work() as session:  # she has let a few go by without a word
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        anna.quiet_nudges = QUIET_LIMIT
    world.at("2026-11-23T17:00:00+00:00")  # Tuesday's message: the question, planned ahead
    [question] = scheduled_for(world, "U0ANNA")
    assert is_question(question) and not is_nudge(question)
    assert question["post_at"] == TUESDAY_NINE
    with world.deps.unit_of_work() as session:
        nudge_id = session.scalars(select(Nudge.id).where(Nudge.person_id == anna.id)).one()
    nudge_replies.answer(  # she answers Monday's nudge after all: her rhythm is back
        world.deps, workspace_id=TEAM, user_id="U0ANNA", nudge_id=nudge_id, text="Klant bellen"
    )
    world.at("2026-11-23T17:01:00+00:00")
    world.at("2026-11-23T17:02:00+00:00")
    assert deleted_ids(world) == [question["id"]]
    [nudge] = scheduled_for(world, "U0ANNA")
    assert is_nudge(nudge) and nudge["post_at"] == TUESDAY_NINE
    assert "Klant bellen" in json.dumps(nudge)  # the follow-up of her answer
    with world.deps.unit_of_work() as session:
        anna = session.get_one(Person, anna.id)
        assert not anna.backed_off and anna.rhythm_asked_at is None
    world.at("2026-11-24T08:00:30+00:00")
    [first, second] = world.dm("U0ANNA")
    assert first["ts"] == monday["ts"] and is_nudge(second)
    assert live_posts(world) == []


def test_the_rhythm_question_planned_ahead_is_scheduled_and_a_pause_withdraws_it(
    world: Driver,
) -> None:
    world.at("2026-11-22T12:00:00+00:00")  # Sunday: members synced, Monday not planned yet
    with world.deps.unit_of_work() as session:
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        anna.quiet_nudges = QUIET_LIMIT
    world.at("2026-11-22T17:00:00+00:00")  # the evening before
    [first] = scheduled_for(world, "U0ANNA")
    assert is_question(first)
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Person.backed_off).where(Person.user_id == "U0ANNA")).one()
        people.pause(session, workspace_id=TEAM, user_id="U0ANNA", days=None, now=world.clock.now())
    with world.deps.unit_of_work() as session:
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        assert not anna.backed_off and anna.rhythm_asked_at is None  # it was never asked
    world.at("2026-11-22T17:01:00+00:00")
    assert scheduled_for(world, "U0ANNA") == [] and deleted_ids(world) == [first["id"]]
    with world.deps.unit_of_work() as session:
        people.resume(session, workspace_id=TEAM, user_id="U0ANNA", now=world.clock.now())
    world.at("2026-11-22T17:02:00+00:00")
    world.at("2026-11-22T17:03:00+00:00")
    [again] = scheduled_for(world, "U0ANNA")
    assert is_question(again) and again["id"] != first["id"]
    with world.deps.unit_of_work() as session:  # e.g. member sync: the day is planned again
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        rhythm.reschedule(session, anna, now=world.clock.now())
        assert anna.next_nudge_at == datetime(2026, 11, 23, 8, tzinfo=UTC)
    world.at("2026-11-22T17:04:00+00:00")  # ... and gets no nudge beside its question
    assert scheduled_for(world, "U0ANNA") == [again]
    world.at("2026-11-23T08:00:30+00:00")
    [question] = world.dm("U0ANNA")  # posted by Slack at 09:00: the question, not a nudge
    assert is_question(question) and not is_nudge(question)
    assert live_posts(world) == []
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Nudge).where(Nudge.person_id == anna.id)).all() == []


def test_moving_to_a_team_without_the_pulse_replaces_the_scheduled_pulse_dm_with_a_nudge(
    world: Driver,
) -> None:
    pulse_team(world, people=CREW[:3])
    evening_before(world)
    [pulse] = scheduled_for(world, CREW[1])
    world.slack.remove_from_channel(CHANNEL, CREW[1])  # from Crew to Noord, the pulse off there
    world.slack.add_to_channel("C0NOORD", CREW[1])
    membership.left_channel(world.deps, workspace_id=TEAM, channel_id=CHANNEL, user_id=CREW[1])
    membership.joined_channel(
        world.deps,
        workspace_id=TEAM,
        channel_id="C0NOORD",
        profile=membership.Profile(CREW[1], "Europe/Amsterdam", "en-US", False, False),
    )
    world.at("2026-11-30T17:01:00+00:00")
    world.at("2026-11-30T17:02:00+00:00")
    assert deleted_ids(world) == [pulse["id"]]
    [nudge] = scheduled_for(world, CREW[1])
    assert is_nudge(nudge) and nudge["post_at"] == PULSE_NINE
    world.at("2026-12-01T08:00:30+00:00")
    assert [is_nudge(m) for m in world.dm(CREW[1])] == [True]
    assert pulse_dm(world, CREW[2]) is not None and live_posts(world) == []


def test_forget_me_and_an_uninstall_delete_the_scheduled_pulse_dms(world: Driver) -> None:
    pulse_team(world, people=CREW[:3])
    evening_before(world)
    [forgotten] = scheduled_for(world, CREW[1])
    privacy.forget_me(world.deps, workspace_id=TEAM, user_id=CREW[1], confirmed_for=CREW[1])
    world.at("2026-11-30T17:01:00+00:00")
    assert deleted_ids(world) == [forgotten["id"]] and scheduled_for(world, CREW[1]) == []
    with world.deps.unit_of_work() as session:  # nothing of theirs is left waiting
        channels = set(session.scalars(select(OutboxMessage.channel)))
        assert CREW[1] not in channels
        assert world.slack.im_channel_id(TEAM, CREW[1]) not in channels
    workspaces.stop_sending(world.deps, workspace_id=TEAM)  # app_uninstalled
    with world.deps.unit_of_work() as session:  # deleted in Slack when it is installed again
        waiting = session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.status.in_(("pending", SCHEDULED)))
        )
        assert list(waiting) == []
    world.at("2026-12-01T08:00:30+00:00")
    assert all(world.dm(user) == [] or is_pulse(world.dm(user)[0]) for user in CREW[:3])
    assert world.dm(CREW[1]) == []


def test_a_pulse_dm_slack_lost_is_handed_over_again(world: Driver) -> None:
    pulse_team(world, people=CREW[:3])
    evening_before(world)
    [lost] = scheduled_for(world, CREW[1])
    with world.slack.state.lock:  # Slack lost it
        world.slack.state.unschedule(lost["id"])
    world.clock.set(datetime(2026, 11, 30, 17, 10, tzinfo=UTC))
    assert world.passes.reconcile().lost == 1
    world.at("2026-11-30T17:11:00+00:00")  # looked for in that DM at that minute, handed over
    [again] = scheduled_for(world, CREW[1])
    assert is_pulse(again) and again["id"] != lost["id"] and again["post_at"] == PULSE_NINE
    world.at("2026-12-01T08:00:30+00:00")
    assert [is_pulse(m) for m in world.dm(CREW[1])] == [True] and live_posts(world) == []


def test_a_pulse_dm_slack_will_not_schedule_is_posted_live_at_its_time(world: Driver) -> None:
    pulse_team(world, people=CREW[:3])
    world.at("2026-11-30T12:00:00+00:00")
    world.slack.fail_next("chat.scheduleMessage", error="restricted_too_many", times=20)
    world.at("2026-11-30T17:00:00+00:00")
    world.at("2026-11-30T17:01:00+00:00")
    assert all(scheduled_for(world, user) == [] for user in CREW[:3])
    world.at("2026-12-01T07:59:00+00:00")
    assert all(world.dm(user) == [] for user in CREW[:3])
    world.at("2026-12-01T08:00:00+00:00")
    assert set(CREW[:3]) <= set(live_posts(world))  # chat.postMessage, at its time
    assert all([is_pulse(m) for m in world.dm(user)] == [True] for user in CREW[:3])
    world.at("2026-12-01T08:01:00+00:00")
    assert all(len(world.dm(user)) == 1 for user in CREW[:3])
    tap(world, CREW[1], "enps", 10)
    assert answers(world) == 1
