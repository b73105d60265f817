"""Forged pulse taps: every value in a button is checked on the server. A score out of range, a
statement the month does not ask, a team that is not theirs, a pulse never sent to them or one
that has closed: nothing is stored, and the DM does not change."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import func, select

from coach.store.models import PulseAnswer, PulseStatementAnswer, Team
from coach_demo.driver import Driver
from tests.coaching.pulse_steps import CREW, PULSE_DAYS, pulse_dm, pulse_team, tap


def forged(message: dict[str, Any], action_id: str, value: str) -> dict[str, Any]:
    """The DM with the button `action_id` carrying `value` instead of what the bot put there."""
    copied = copy.deepcopy(message)
    for block in copied["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                element["value"] = value
    return copied


def stored(world: Driver) -> int:
    with world.deps.unit_of_work() as session:
        enps = session.scalar(select(func.count()).select_from(PulseAnswer)) or 0
        agree = session.scalar(select(func.count()).select_from(PulseStatementAnswer)) or 0
        return enps + agree


def team_id(world: Driver, channel: str) -> int:
    with world.deps.unit_of_work() as session:
        found = session.scalar(select(Team.id).where(Team.channel_id == channel))
        assert found is not None
        return found


@pytest.fixture
def asked(world: Driver) -> Driver:
    pulse_team(world, statements=True)
    world.at(PULSE_DAYS[0])
    return world


@pytest.mark.parametrize(
    "value",
    [
        "2026-12:{team}:enps:11",  # past 10
        "2026-12:{team}:willing:0",  # agreement runs 1..5
        "2026-12:{team}:willing:6",
        "2026-12:{team}:{unasked}:3",  # a statement December does not ask
        "2026-12:{team}:story:3",  # not a question at all
        "2026-13:{team}:enps:5",  # no such month
        "2026-11:{team}:enps:5",  # a month nobody was asked
        "2026-12:{noord}:enps:5",  # a team that is not theirs
        "2026-12:99999999999999999:enps:5",  # past the INTEGER range
        "2026-12:{team}:enps:-1",
        "<!channel>",
    ],
)
def test_a_forged_tap_stores_nothing(asked: Driver, value: str) -> None:
    world, user = asked, CREW[3]
    message = pulse_dm(world, user)
    assert message is not None
    asks = [b["block_id"].split(":")[1] for b in message["blocks"] if b["type"] == "actions"]
    unasked = next(k for k in ("willing", "able", "meaningful", "room", "trust") if k not in asks)
    value = value.format(
        team=team_id(world, "C0PULSE"), noord=team_id(world, "C0NOORD"), unasked=unasked
    )
    status, _ = world.click(
        user, forged(message, "pulse_answer:enps:5", value), "pulse_answer:enps:5"
    )
    assert status.startswith("200")
    assert stored(world) == 0
    assert pulse_dm(world, user) == message  # unchanged: no thank-you, buttons still there
    tap(world, user, "enps", 5)  # the real button still works
    assert stored(world) == 1


def test_someone_never_asked_cannot_answer_with_a_colleagues_buttons(asked: Driver) -> None:
    world = asked
    message = pulse_dm(world, CREW[3])
    assert message is not None
    # Anna is in another team; Ken is not asked at all; both press a copy of CREW[3]'s buttons.
    for user in ("U0ANNA", "U0KEN"):
        status, _ = world.click(user, message, "pulse_answer:enps:10")
        assert status.startswith("200")
    assert stored(world) == 0


def test_a_closed_pulse_takes_no_answer(asked: Driver) -> None:
    world = asked
    tap(world, CREW[1], "enps", 7)
    world.at("2026-12-08T08:00:00+00:00")  # a week after the 1st: closed
    after = tap(world, CREW[2], "enps", 7)
    assert "This pulse has closed" in str(after["blocks"])
    assert stored(world) == 1
