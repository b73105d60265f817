"""A directory larger than one chunk is stored whole: profiles a chunk at a time, then members,
then the next nudge of whoever is new or changed (each chunk its own transaction); a routine
re-read that finds nothing changed reschedules nobody."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event, select

from coach.delivery.directory import sync_stale_teams
from coach.delivery.tokens import SingleWorkspaceTokens
from coach.services.member_sync import CHUNK
from coach.services.membership import STALE_AFTER
from coach.slack.app import interactive_client
from coach.store.models import Person, Team, TeamMember
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM, TOKEN, set_leads

BIG = [f"U0M{i:05d}" for i in range(2 * CHUNK + 300)]


def test_a_team_larger_than_a_chunk_is_synced_whole(world: Driver) -> None:
    for user in BIG:
        world.slack.add_user(TEAM, user, name=user.lower(), real_name=user, tz="Asia/Tokyo")
    world.slack.add_channel(TEAM, "C0BIG", name="big", members=[*BIG, "U0ROBOT", "U0ANNA"])
    set_leads(world, "U0ANNA", channel="C0BIG")
    world.at("2026-11-23T06:00:00+00:00")
    with world.deps.unit_of_work() as session:
        big = session.scalars(select(Team).where(Team.channel_id == "C0BIG")).one()
        members = set(
            session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == big.id))
        )
        people = session.scalars(select(Person).where(Person.user_id.in_(BIG))).all()
    assert members == {*BIG, "U0ANNA"}  # the robot is not a member
    assert Counter(p.tz for p in people) == {"Asia/Tokyo": len(BIG)}
    assert all(p.next_nudge_at is not None for p in people)  # each has their next nudge
    assert big.members_synced_at is not None


def sync_again(world: Driver) -> list[str]:
    """A routine re-read of every team's members, once they are stale; the SQL it ran."""
    world.clock.advance(STALE_AFTER + timedelta(minutes=1))
    ran: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        ran.append(statement)

    api_url = world.slack.api_url
    event.listen(world.deps.engine, "before_cursor_execute", record)
    try:
        synced = sync_stale_teams(
            world.deps,
            SingleWorkspaceTokens(TOKEN, api_url),
            lambda token: interactive_client(api_url, token),
        )
    finally:
        event.remove(world.deps.engine, "before_cursor_execute", record)
    assert synced == 1
    return ran


def next_nudges(world: Driver) -> dict[str, datetime | None]:
    with world.deps.unit_of_work() as session:
        rows = session.execute(select(Person.user_id, Person.next_nudge_at)).all()
    return {user: at for user, at in rows}


def test_a_resync_that_finds_nothing_new_reschedules_nobody(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # the first read: everyone gets their next nudge
    before = next_nudges(world)
    ran = sync_again(world)
    assert next_nudges(world) == before
    # Rescheduling checks each person's planned nudges in the outbox; nobody changed, so none
    assert not [s for s in ran if "outbox" in s]


def test_someone_who_moved_time_zone_is_nudged_at_their_new_nine_after_the_next_sync(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    with world.slack.state.lock:
        world.slack.state.users["U0BOB"].tz = "Europe/London"  # Bob moved from New York
    ran = sync_again(world)
    bob = next_nudges(world)["U0BOB"]
    assert bob is not None and bob.astimezone(ZoneInfo("Europe/London")).hour == 9
    assert [s for s in ran if "outbox" in s]  # his planned nudges were checked; he alone
