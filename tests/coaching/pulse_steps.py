"""A twelve-person team with its monthly pulse on, and the steps of a pulse month, for the pulse
tests and their hostile cousins."""

from __future__ import annotations

from typing import Any

from coach.domain.team_settings import TeamChanges
from coach.services.teams import update_team
from coach.store.teams import set_team
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM

CHANNEL = "C0PULSE"
CREW = [f"U0P{n:02d}" for n in range(12)]
LEAD = CREW[0]
# The first workdays (in NL) of the three months after the fixture's Monday 23 November 2026, at
# 09:00 in Amsterdam: 1 January 2027 is New Year's Day, so January's pulse is on Monday the 4th.
PULSE_DAYS = ("2026-12-01T08:00:00+00:00", "2027-01-04T08:00:00+00:00", "2027-02-01T08:00:00+00:00")


def pulse_team(world: Driver, *, statements: bool = False, people: list[str] = CREW) -> None:
    """Team Crew (in English) of `people` in #team-pulse, led by the first, its pulse on from December."""
    for user in people:
        world.slack.add_user(TEAM, user, name=user.lower(), real_name=user, locale="en-US")
    world.slack.add_channel(TEAM, CHANNEL, name="team-pulse", members=[*people, "U0BOTACME"])
    with world.deps.unit_of_work() as session:
        set_team(
            session,
            workspace_id=TEAM,
            channel_id=CHANNEL,
            changes=TeamChanges(name="Crew", leads=(people[0],), language="en"),
            now=world.clock.now(),
        )
        update_team(
            session,
            workspace_id=TEAM,
            channel_id=CHANNEL,
            changes=TeamChanges(pulse=True, pulse_statements=statements),
            now=world.clock.now(),
        )


def pulse_dm(world: Driver, user: str) -> dict[str, Any] | None:
    """The newest pulse DM `user` got, as it stands now (taps rewrite it)."""
    found = [
        m for m in world.dm(user) if str(m.get("text", "")).startswith(("Team pulse", "Teampuls"))
    ]
    return found[-1] if found else None


def tap(world: Driver, user: str, question: str, score: int) -> dict[str, Any]:
    """`user` taps `score` on `question` of their pulse DM; returns the DM afterwards."""
    message = pulse_dm(world, user)
    assert message is not None, f"{user} got no pulse"
    world.click(user, message, f"pulse_answer:{question}:{score}")
    updated = next(m for m in world.dm(user) if m["ts"] == message["ts"])
    return updated
