"""A running stand-in with one small world, a hand-moved monotonic source and no real sleeps."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from slack_sdk import WebClient

from coach.clock import FixedClock
from slack_standin import SlackStandIn

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
BOT_TOKEN = "xoxb-1-standin"
OTHER_TOKEN = "xoxb-2-standin"


class ManualMonotonic:
    """A monotonic source that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordedSleep:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def monotonic() -> ManualMonotonic:
    return ManualMonotonic()


@pytest.fixture
def sleep() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
def slack(
    clock: FixedClock, monotonic: ManualMonotonic, sleep: RecordedSleep
) -> Iterator[SlackStandIn]:
    with SlackStandIn(clock=clock, monotonic=monotonic, sleep=sleep) as stand_in:
        populate(stand_in)
        yield stand_in


def populate(slack: SlackStandIn) -> None:
    """Two workspaces: Acme (T1) with a team channel, and Other (T2) with its own people."""
    slack.add_workspace("T1", name="Acme", bot_token=BOT_TOKEN, bot_user_id="UBOT1")
    slack.add_user(
        "T1",
        "U1",
        name="anna",
        real_name="Anna de Vries",
        tz="Europe/Amsterdam",
        locale="nl-NL",
        is_admin=True,
    )
    slack.add_user("T1", "U2", name="bram", real_name="Bram Jansen", tz="Europe/Amsterdam")
    slack.add_user("T1", "U3", name="carla", real_name="Carla Smit", tz="America/New_York")
    slack.add_user("T1", "U9", name="gone", deleted=True)
    slack.add_channel("T1", "C1", name="team-noord", members=["U1", "U2", "UBOT1"])
    slack.add_channel("T1", "C2", name="no-bot-here", members=["U1", "U3"])
    slack.add_channel("T1", "C3", name="old", members=["U1", "UBOT1"], is_archived=True)
    slack.add_channel("T1", "G1", name="secret", members=["U1"], is_private=True)
    slack.add_workspace("T2", name="Other", bot_token=OTHER_TOKEN, bot_user_id="UBOT2")
    slack.add_user("T2", "V1", name="victor")
    slack.add_channel("T2", "C9", name="elsewhere", members=["V1", "UBOT2"])


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=slack.api_url)


def post_raw(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST bytes as they are (for the request shapes WebClient never sends)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
