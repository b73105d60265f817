"""The daily nudge: at each person's own 09:00 on workdays, once, about the week's principle."""

from __future__ import annotations

import json

from sqlalchemy import select

from coach.catalog.files import load_catalog_file
from coach.services import people
from coach.store.models import Nudge, OutboxMessage, Person
from coach_demo.driver import Driver
from tests.coaching.conftest import PEOPLE, ROOT, TEAM

CATALOG = load_catalog_file(ROOT / "principles_catalog" / "technisch-dienstverlener.yaml")


def texts(messages: list[dict]) -> str:
    return json.dumps(messages, ensure_ascii=False)


def test_each_person_is_nudged_at_nine_in_their_own_timezone(world: Driver) -> None:
    first = world.at("2026-11-23T06:00:00+00:00")
    assert first.teams_synced == 1 and first.queued == 0
    assert world.dm("U0ANNA") == []
    world.at("2026-11-23T08:00:00+00:00")  # 09:00 in Amsterdam
    [nudge] = world.dm("U0ANNA")
    assert "Jouw HKI-vraag voor vandaag" in texts([nudge])  # Anna's Slack speaks Dutch
    assert world.dm("U0BOB") == [] and world.dm("U0KEN") == []
    world.at("2026-11-23T14:00:00+00:00")  # 09:00 in New York
    assert len(world.dm("U0BOB")) == 1 and "Your HKI question for today" in texts(world.dm("U0BOB"))
    world.at("2026-11-24T00:00:00+00:00")  # Tuesday 09:00 in Tokyo
    assert len(world.dm("U0KEN")) == 1
    assert world.slack.calls_to("chat.postMessage")[0].args["channel"] == "U0ANNA"
    posted_to = {c.args["channel"] for c in world.slack.calls_to("chat.postMessage")}
    assert posted_to == {"U0ANNA", "U0BOB", "U0KEN"}  # no nudge for the bot member
    # Where each DM landed (Slack answers with the IM's channel): each person's own IM with the
    # app, and none in the robot member's.
    landed_in = {c.response["channel"] for c in world.slack.calls_to("chat.postMessage")}
    ims = {user: world.slack.im_channel_id(TEAM, user) for user in (*PEOPLE, "U0ROBOT")}
    assert landed_in == {ims[user] for user in PEOPLE}
    assert ims["U0ROBOT"] not in landed_in


def test_the_nudge_shows_the_focus_principle_an_example_and_the_hki_question(world: Driver) -> None:
    world.at("2026-11-23T08:00:00+00:00")
    [message] = world.dm("U0ANNA")
    with world.deps.unit_of_work() as session:
        nudge = session.scalars(select(Nudge)).one()
        principle = next(p for p in CATALOG.principles if p.id == _key(session, nudge.principle_id))
    assert principle.level == "operational"
    text = texts([message])
    assert principle.name in text and principle.hki_question in text
    assert principle.behaviours[0] in text
    actions = [
        e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert actions == ["nudge_answer", "nudge_story", "nudge_skip", "nudge_snooze"]


def test_a_repeated_tick_sends_nothing_twice(world: Driver) -> None:
    world.at("2026-11-23T08:00:00+00:00")
    again = world.at("2026-11-23T08:00:00+00:00")
    later = world.at("2026-11-23T09:30:00+00:00")
    assert again.queued == 0 and later.queued == 0
    assert len(world.dm("U0ANNA")) == 1
    with world.deps.unit_of_work() as session:
        assert len(session.scalars(select(OutboxMessage)).all()) == 1


def test_no_nudges_on_weekends_or_dutch_holidays(world: Driver) -> None:
    for day in ("2026-11-28", "2026-11-29", "2026-12-25"):  # Saturday, Sunday, Christmas
        world.at(f"{day}T08:00:00+00:00")
    assert world.dm("U0ANNA") == []
    world.at("2026-12-28T08:00:00+00:00")  # Monday after Christmas
    assert len(world.dm("U0ANNA")) == 1


def test_a_missed_morning_is_caught_up_within_two_hours_only(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    world.at("2026-11-23T09:45:00+00:00")  # down from 08:00 to 09:45: still that morning
    assert len(world.dm("U0ANNA")) == 1
    world.at("2026-11-24T10:30:00+00:00")  # Tuesday: 2.5 hours late, dropped
    assert len(world.dm("U0ANNA")) == 1
    world.at("2026-11-25T08:00:00+00:00")
    assert len(world.dm("U0ANNA")) == 2


def test_pause_and_resume(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    with world.deps.unit_of_work() as session:
        people.pause(session, workspace_id=TEAM, user_id="U0ANNA", days=None, now=world.clock.now())
    world.at("2026-11-23T08:00:00+00:00")
    assert world.dm("U0ANNA") == []
    with world.deps.unit_of_work() as session:
        people.resume(session, workspace_id=TEAM, user_id="U0ANNA", now=world.clock.now())
    world.at("2026-11-24T08:00:00+00:00")
    assert len(world.dm("U0ANNA")) == 1


def test_a_personal_nudge_time(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    with world.deps.unit_of_work() as session:
        people.set_nudge_time(
            session,
            workspace_id=TEAM,
            user_id="U0ANNA",
            at=__import__("datetime").time(7, 30),
            now=world.clock.now(),
        )
        person = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        assert (
            person.next_nudge_at is not None
            and person.next_nudge_at.isoformat() == "2026-11-23T06:30:00+00:00"
        )
    world.at("2026-11-23T06:30:00+00:00")
    assert len(world.dm("U0ANNA")) == 1


def test_one_nudge_a_day_for_a_person_in_two_teams(world: Driver) -> None:
    from coach.domain.team_settings import TeamChanges
    from coach.store.teams import set_team

    world.slack.add_channel(TEAM, "C0ZUID", name="team-zuid", members=["U0ANNA"])
    with world.deps.unit_of_work() as session:
        set_team(
            session,
            workspace_id=TEAM,
            channel_id="C0ZUID",
            changes=TeamChanges(name="Zuid"),
            now=world.clock.now(),
        )
    world.at("2026-11-23T06:00:00+00:00")
    world.at("2026-11-23T08:00:00+00:00")
    assert len(world.dm("U0ANNA")) == 1


def test_examples_do_not_repeat_before_all_were_shown(world: Driver) -> None:
    days = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]  # one ISO week
    for day in days:
        world.at(f"{day}T08:00:00+00:00")
    with world.deps.unit_of_work() as session:
        shown = session.scalars(
            select(Nudge.behaviour_id)
            .join(Person)
            .where(Person.user_id == "U0ANNA")
            .order_by(Nudge.local_date)
        ).all()
        principles = set(
            session.scalars(
                select(Nudge.principle_id).join(Person).where(Person.user_id == "U0ANNA")
            )
        )
    assert len(principles) == 1  # the week's focus stays put
    assert len(shown) == 5 and len(set(shown)) == 5


def test_archived_principles_are_never_nudged(world: Driver) -> None:
    from coach.store.catalog import replace_catalog

    focus_this_week = "goed-geregeld"
    kept = CATALOG.model_copy(
        update={"principles": [p for p in CATALOG.principles if p.id != focus_this_week]}
    )
    world.at("2026-11-23T06:00:00+00:00")
    with world.deps.unit_of_work() as session:
        replace_catalog(
            session, workspace_id=TEAM, catalog=kept, actor="test", now=world.clock.now()
        )
    world.at("2026-11-23T08:00:00+00:00")
    with world.deps.unit_of_work() as session:
        nudge = session.scalars(select(Nudge)).one()
        assert _key(session, nudge.principle_id) != focus_this_week


def _key(session, principle_id: int) -> str:  # type: ignore[no-untyped-def]
    from coach.store.models import Principle

    return session.get(Principle, principle_id).key


def test_a_pinned_principle_stays_in_focus(world: Driver) -> None:
    from coach.domain.team_settings import TeamChanges
    from coach.store.teams import set_team

    with world.deps.unit_of_work() as session:
        set_team(
            session,
            workspace_id=TEAM,
            channel_id="C0NOORD",
            changes=TeamChanges(pin="oprecht-betrokken"),
            now=world.clock.now(),
        )
    world.at("2026-11-23T06:00:00+00:00")
    for monday in ("2026-11-23", "2026-11-30", "2026-12-07"):
        world.at(f"{monday}T08:00:00+00:00")
    with world.deps.unit_of_work() as session:
        keys = {_key(session, p) for p in session.scalars(select(Nudge.principle_id))}
    assert keys == {"oprecht-betrokken"}


def test_the_focus_rotates_weekly_operational_level_first(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    for monday in ("2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"):
        world.at(f"{monday}T08:00:00+00:00")
    with world.deps.unit_of_work() as session:
        keys = [
            _key(session, p)
            for p in session.scalars(select(Nudge.principle_id).order_by(Nudge.local_date))
        ]
    order = [
        p.id
        for p in sorted(
            CATALOG.principles,
            key=lambda p: ("operational", "relational", "meaning").index(p.level),
        )
    ]
    start = order.index(keys[0])
    assert keys == [order[(start + i) % len(order)] for i in range(4)]


def test_nine_oclock_stays_nine_oclock_across_the_dst_switch(world: Driver) -> None:
    world.at("2026-10-22T06:00:00+00:00")  # Thursday before the clocks go back (25 October)
    world.at("2026-10-23T07:00:00+00:00")  # Friday 09:00 CEST
    world.at("2026-10-26T07:00:00+00:00")  # Monday 08:00 CET: too early
    assert len(world.dm("U0ANNA")) == 1
    world.at("2026-10-26T08:00:00+00:00")  # Monday 09:00 CET
    assert len(world.dm("U0ANNA")) == 2


def test_moving_the_team_nudge_time_moves_the_members(world: Driver) -> None:
    from datetime import time

    from coach.domain.team_settings import TeamChanges
    from coach.services.teams import update_team

    world.at("2026-11-23T06:00:00+00:00")
    with world.deps.unit_of_work() as session:
        update_team(
            session,
            workspace_id=TEAM,
            channel_id="C0NOORD",
            changes=TeamChanges(nudge_time=time(7, 30)),
            now=world.clock.now(),
        )
    world.at("2026-11-23T06:30:00+00:00")  # 07:30 in Amsterdam
    assert len(world.dm("U0ANNA")) == 1


def test_a_channel_the_app_cannot_read_does_not_stop_other_teams_members(world: Driver) -> None:
    from coach.domain.team_settings import TeamChanges
    from coach.store.teams import set_team

    world.slack.add_channel(TEAM, "G0GEHEIM", name="geheim", members=["U0ANNA"], is_private=True)
    with world.deps.unit_of_work() as session:  # a private channel the bot was never invited to
        set_team(
            session,
            workspace_id=TEAM,
            channel_id="G0GEHEIM",
            changes=TeamChanges(name="Geheim"),
            now=world.clock.now(),
        )
    assert world.at("2026-11-23T06:00:00+00:00").teams_synced == 1  # Noord, not Geheim
    world.at("2026-11-23T08:00:00+00:00")
    assert len(world.dm("U0ANNA")) == 1  # Noord's members were read: Anna is nudged
