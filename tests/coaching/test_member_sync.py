"""A directory larger than one chunk is stored whole: profiles a chunk at a time, then members,
then everyone's next nudge (each chunk its own transaction)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from coach.services.member_sync import CHUNK
from coach.store.models import Person, Team, TeamMember
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM, set_leads

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
