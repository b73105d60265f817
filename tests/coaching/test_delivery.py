"""The delivery engine against Slack's bad days: 429, 5xx, dead people, dead processes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coach.store import outbox
from coach.store.models import Nudge, OutboxMessage, Person, Workspace
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM, claim_as_dead, post_then_die


def queue_mornings(world: Driver) -> None:
    """Sync members, then queue Anna's nudge without delivering it."""
    world.at("2026-11-23T06:00:00+00:00")
    world.clock.set(world.clock.now().replace(hour=8))
    world.passes.plan()


def rows(world: Driver) -> list[OutboxMessage]:
    with world.deps.unit_of_work() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_429_parks_the_workspace_until_retry_after(world: Driver) -> None:
    queue_mornings(world)
    world.slack.fail_next("chat.postMessage", status=429, retry_after=30)
    report = world.passes.deliver()
    assert report.rate_limited == 1 and report.sent == 0
    with world.deps.unit_of_work() as session:
        parked = session.get_one(Workspace, TEAM).send_parked_until
    assert parked == world.clock.now() + timedelta(seconds=30)
    assert world.passes.deliver().sent == 0  # parked: not even tried
    assert len(world.slack.calls_to("chat.postMessage")) == 1
    world.clock.advance(timedelta(seconds=31))
    assert world.passes.deliver().sent == 1
    assert len(world.dm("U0ANNA")) == 1


def test_5xx_is_retried_with_backoff_and_sent_once(world: Driver) -> None:
    queue_mornings(world)
    world.slack.fail_next("chat.postMessage", status=500, times=2)
    assert world.passes.deliver().retried == 1
    [row] = rows(world)
    assert row.status == outbox.PENDING and row.attempts == 1 and row.due_at > world.clock.now()
    assert world.passes.deliver().sent == 0  # not due yet: backing off
    world.clock.advance(timedelta(seconds=8))
    assert world.passes.deliver().retried == 1
    world.clock.advance(timedelta(seconds=16))
    assert world.passes.deliver().sent == 1
    assert len(world.dm("U0ANNA")) == 1


def test_a_gone_person_is_marked_and_not_retried(world: Driver) -> None:
    queue_mornings(world)
    world.slack.fail_next("chat.postMessage", error="user_not_found")
    report = world.passes.deliver()
    assert report.failed == 1 and report.errors == {"user_not_found": 1}
    with world.deps.unit_of_work() as session:
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        assert anna.unreachable == "user_not_found" and anna.next_nudge_at is None
        assert session.scalars(select(Nudge.status)).one() == "failed"
    world.at("2026-11-24T08:00:00+00:00")
    assert len(world.slack.calls_to("chat.postMessage")) == 1


def test_a_revoked_token_stops_the_workspace(world: Driver) -> None:
    queue_mornings(world)
    world.slack.revoke_tokens(TEAM)
    assert world.passes.deliver().failed == 1
    with world.deps.unit_of_work() as session:
        assert session.get_one(Workspace, TEAM).uninstalled_at is not None


def test_a_nudge_not_sent_within_two_hours_is_dropped(world: Driver) -> None:
    queue_mornings(world)
    world.slack.fail_next("chat.postMessage", status=503, times=50)
    world.passes.deliver()
    world.clock.advance(timedelta(hours=2, minutes=1))
    assert world.passes.deliver().dropped == 1
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Nudge.status)).one() == "dropped"
    assert world.dm("U0ANNA") == []


def test_a_row_claimed_by_a_killed_process_is_sent_once_after_the_lease(world: Driver) -> None:
    queue_mornings(world)
    claimed = claim_as_dead(world)
    assert world.passes.deliver().sent == 0  # leased to the dead process
    world.clock.advance(timedelta(minutes=3))
    assert world.passes.deliver().sent == 1
    assert len(world.dm("U0ANNA")) == 1
    assert claimed.key == "nudge:1:2026-11-23"


def test_a_killed_process_that_had_posted_is_not_posted_again(world: Driver) -> None:
    queue_mornings(world)
    post_then_die(world)  # it posted, then died
    world.clock.advance(timedelta(minutes=3))
    assert world.passes.deliver().sent == 1
    assert len(world.dm("U0ANNA")) == 1
    assert [c.method for c in world.slack.calls if c.method.startswith("conversations.h")] == [
        "conversations.history"
    ]
    [row] = rows(world)
    assert row.status == outbox.SENT and row.sent_ts == world.dm("U0ANNA")[0]["ts"]


def test_one_failing_workspace_does_not_hold_up_another(world: Driver) -> None:
    from coach.domain.team_settings import TeamChanges
    from coach.store.teams import set_team

    world.slack.add_workspace("T0SLOW", name="Slow", bot_token="xoxb-slow", bot_user_id="U0BOTSLOW")
    world.slack.add_user(
        "T0SLOW", "U0SAM", name="sam", real_name="Sam", tz="Europe/Amsterdam", locale="en-GB"
    )
    world.slack.add_channel("T0SLOW", "C0SLOW", name="slow", members=["U0SAM"])
    with world.deps.unit_of_work() as session:
        set_team(
            session,
            workspace_id="T0SLOW",
            channel_id="C0SLOW",
            changes=TeamChanges(),
            now=world.clock.now(),
        )
    queue_mornings(world)  # T0SLOW has no token here: its rows fail, Acme's go out
    assert world.passes.deliver().sent == 1
    assert len(world.dm("U0ANNA")) == 1
