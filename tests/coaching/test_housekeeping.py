"""Housekeeping deletes what the bot no longer needs, and nothing a person can still use."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coach.services import housekeeping
from coach.store.intentions import save_intention
from coach.store.models import (
    Intention,
    Nudge,
    OutboxMessage,
    Person,
    Principle,
    SlackEvent,
    StoryDraft,
    Team,
)
from coach.store.nudges import last_shown, record_nudges
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM
from tests.coaching.test_stories import slash, stories, values
from tests.coaching.test_story_edits import celebrate, edit_form, saved_story


def outbox_kinds(world: Driver) -> list[str]:
    with world.deps.unit_of_work() as session:
        return sorted(session.scalars(select(OutboxMessage.kind)))


def later(world: Driver, days: float) -> None:
    world.clock.set(world.clock.now() + timedelta(days=days))


def test_a_story_edited_after_housekeeping_rewrites_its_confirmation(world: Driver) -> None:
    confirmation = saved_story(world)
    later(world, 60)
    world.passes.housekeep()
    view = edit_form(world, "U0ANNA", confirmation)
    status, _ = world.submit(
        "U0ANNA", view, values(text={"story_text": {"value": "Meneer de Vries was blij"}})
    )
    assert status.startswith("200")
    world.passes.deliver()
    [updated] = world.dm("U0ANNA")  # rewritten in place, not sent again
    assert updated["ts"] == confirmation["ts"]
    assert "Meneer de Vries was blij" in json.dumps(updated, ensure_ascii=False)
    assert len(world.dm("U0BOB")) == 1  # Bob was thanked once, not again after the edit


def test_a_celebrated_storys_messages_go_after_the_retention_period(world: Driver) -> None:
    saved_story(world)
    assert outbox_kinds(world) == ["story_saved", "story_thanks"]
    celebrate(world)
    later(world, 29)
    world.passes.housekeep()
    assert outbox_kinds(world) == ["story_saved", "story_thanks"]  # within the period: kept
    later(world, 2)
    world.passes.housekeep()
    assert outbox_kinds(world) == []


def test_sent_nudges_leave_the_outbox_but_keep_where_they_landed(
    world: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(housekeeping, "BATCH", 1)  # a batch of one cannot hide a pending row
    world.at("2026-11-23T06:00:00+00:00")
    for hour in range(6, 24):
        world.at(f"2026-11-23T{hour:02}:00:00+00:00")
    assert outbox_kinds(world) == ["nudge", "nudge"]
    later(world, 31)
    with world.deps.unit_of_work() as session:  # a message still owed is never deleted
        session.execute(
            OutboxMessage.__table__.update()
            .where(OutboxMessage.channel == "U0BOB")
            .values(status="pending")
        )
    assert world.passes.housekeep().messages == 1
    assert outbox_kinds(world) == ["nudge"]
    with world.deps.unit_of_work() as session:
        landed = session.execute(select(Nudge.channel_id, Nudge.message_ts)).all()
    assert len(landed) == 2 and all(channel and ts for channel, ts in landed)


def test_old_event_ids_and_abandoned_forms_are_deleted(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    view = slash(world, "U0ANNA", "")
    now = world.clock.now()
    with world.deps.unit_of_work() as session:
        session.add(SlackEvent(event_id="Ev_OLD", workspace_id=TEAM, received_at=now))
    later(world, 1)
    with world.deps.unit_of_work() as session:
        session.add(SlackEvent(event_id="Ev_NEW", workspace_id=TEAM, received_at=world.clock.now()))
    later(world, 0.5)
    assert world.passes.housekeep().events == 1
    with world.deps.unit_of_work() as session:
        assert list(session.scalars(select(SlackEvent.event_id))) == ["Ev_NEW"]
        assert session.scalar(select(func.count()).select_from(StoryDraft)) == 1
    later(world, 6)
    assert world.passes.housekeep().drafts == 1
    world.submit("U0ANNA", view, values())  # the form left open for a week saves nothing
    assert stories(world) == []


def test_old_unanswered_nudges_go_once_their_example_was_shown_again_and_answers_stay(
    world: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(housekeeping, "BATCH", 1)  # each row its own batch: the walk resumes
    world.at("2026-11-23T06:00:00+00:00")  # Anna is a person of team Noord
    today = world.clock.now().date()
    with world.deps.unit_of_work() as session:
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        anna_team = session.scalars(select(Team.id)).one()
        principle = session.scalars(select(Principle).order_by(Principle.id)).first()
        assert principle is not None
        b1, b2, b3 = (b.id for b in principle.behaviours[:3])
        shown = {  # name: (days ago, example, status, answered)
            "b1 long ago": (200, b1, "sent", False),
            "b2 long ago, never again": (150, b2, "skipped", False),
            "b3 long ago": (120, b3, "snoozed", False),
            "b1 answered": (100, b1, "answered", True),
            "b3 recent": (10, b3, "sent", False),
        }
        ids = {}
        for name, (ago, example, status, answered) in shown.items():
            [nudge_id] = record_nudges(
                session,
                [
                    {
                        "workspace_id": TEAM,
                        "person_id": anna.id,
                        "team_id": anna_team,
                        "local_date": today - timedelta(days=ago),
                        "principle_id": principle.id,
                        "behaviour_id": example,
                        "language": "nl",
                        "now": world.clock.now(),
                    }
                ],
            )
            nudge = session.get(Nudge, nudge_id)
            assert nudge is not None
            nudge.status = status
            if answered:
                save_intention(
                    session,
                    workspace_id=TEAM,
                    person_id=anna.id,
                    nudge_id=nudge.id,
                    text="De klant bellen",
                    now=world.clock.now(),
                )
            ids[nudge.id] = name
        before = last_shown(session, person_ids=[anna.id], behaviour_ids=[b1, b2, b3])
    assert world.passes.housekeep().nudges == 2
    with world.deps.unit_of_work() as session:
        kept = {ids[i] for i in session.scalars(select(Nudge.id)) if i in ids}
        after = last_shown(session, person_ids=[anna.id], behaviour_ids=[b1, b2, b3])
        assert session.scalar(select(func.count()).select_from(Intention)) == 1
    assert kept == {"b2 long ago, never again", "b1 answered", "b3 recent"}
    assert after == before  # the rotation sees the same "last shown" days: same next example
    assert world.passes.housekeep().nudges == 0
