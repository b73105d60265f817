"""Work in the web's process gives way to Slack's requests: the forms opened after acks, and,
in `coach run --role all`, the morning's planning (issue 12)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import func, select

from coach.delivery.passes import Passes
from coach.delivery.sender import SendConfig
from coach.delivery.tokens import SingleWorkspaceTokens
from coach.in_flight import InFlight
from coach.render import Prompts
from coach.slack.after_ack import AfterAck
from coach.store.models import OutboxMessage
from coach_demo.driver import Driver
from tests.coaching.conftest import TOKEN

SECONDS = 10.0


def until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + SECONDS
    while not check():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.001)


def queued(world: Driver) -> int:
    with world.deps.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def test_the_mornings_planning_waits_while_a_request_is_answered(world: Driver) -> None:
    in_flight = InFlight()
    passes = Passes(
        world.deps,
        SingleWorkspaceTokens(TOKEN, world.slack.api_url),
        Prompts(),
        SendConfig(per_minute=300),
        in_flight=in_flight,
    )
    world.at("2026-11-23T06:00:00+00:00")  # members synced; nobody due yet
    world.clock.set(world.clock.now().replace(hour=8))  # 09:00 in Amsterdam: Anna is due
    with in_flight.answering():
        planning = threading.Thread(target=passes.plan)
        planning.start()
        until(lambda: in_flight.waiting == 1)
        assert planning.is_alive() and queued(world) == 0
    planning.join(SECONDS)
    assert not planning.is_alive()
    assert queued(world) >= 1  # and once the answer is out, the nudges are planned


def test_work_after_the_ack_starts_once_the_answers_are_out() -> None:
    in_flight = InFlight()
    after_ack = AfterAck(in_flight=in_flight)
    opened = threading.Event()
    with in_flight.answering(), in_flight.answering():  # two requests of a burst
        after_ack.run(opened.set)  # the first one's form
        until(lambda: in_flight.waiting == 1)
        assert not opened.is_set()
    after_ack.drain()
    assert opened.is_set()
    after_ack.stop()


def test_work_gives_way_for_a_bounded_time_only() -> None:
    in_flight = InFlight()
    after_ack = AfterAck(in_flight=in_flight)
    opened = threading.Event()
    with in_flight.answering():  # requests that never end: the form opens anyway
        after_ack.run(opened.set)
        assert opened.wait(SECONDS)
    after_ack.stop()
