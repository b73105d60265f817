"""`coach run` as a real process, talking to the local Slack stand-in over loopback."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from coach.clock import SystemClock
from slack_standin import SlackStandIn
from slack_standin.signing import AppResponse, SignedRequest, send, sign

ROOT = Path(__file__).resolve().parents[2]
SIGNING_SECRET = "e2e-signing-secret"
TEAM = "T0ACME"
OTHER_TEAM = "T0OTHER"
BOT_TOKEN = "xoxb-acme-e2e"
OTHER_TOKEN = "xoxb-other-e2e"
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as stand_in:
        stand_in.add_workspace(TEAM, name="Acme", bot_token=BOT_TOKEN, bot_user_id="U0BOTACME")
        stand_in.add_user(
            TEAM,
            "U0ANNA",
            name="anna",
            real_name="Anna de Vries",
            tz="Europe/Amsterdam",
            locale="nl-NL",
        )
        stand_in.add_user(
            TEAM, "U0BOB", name="bob", real_name="Bob Jones", tz="America/New_York", locale="en-US"
        )
        stand_in.add_channel(TEAM, "C0NOORD", name="team-noord", members=["U0ANNA", "U0BOB"])
        stand_in.add_workspace(
            OTHER_TEAM, name="Other", bot_token=OTHER_TOKEN, bot_user_id="U0BOTOTHER"
        )
        stand_in.add_user(
            OTHER_TEAM, "U0EVE", name="eve", real_name="Eve", tz="Europe/London", locale="en-GB"
        )
        stand_in.add_channel(OTHER_TEAM, "C0EVIL", name="evil", members=["U0EVE"])
        yield stand_in


@dataclass
class CoachProcess:
    process: subprocess.Popen[str]
    url: str = ""
    lines: list[str] = field(default_factory=list)
    listening: threading.Event = field(default_factory=threading.Event)

    def post(self, request: SignedRequest) -> AppResponse:
        return send(self.url + "/slack/events", request)

    def log(self) -> str:
        return "\n".join(self.lines)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


def start_coach(env: dict[str, str], *args: str) -> CoachProcess:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    coach = CoachProcess(process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            coach.lines.append(line.rstrip("\n"))
            match = LISTENING.search(line)
            if match:
                coach.url = match.group(1)
                coach.listening.set()
            if "connected to Slack over Socket Mode" in line:
                coach.listening.set()
        coach.listening.set()

    threading.Thread(target=read, daemon=True).start()
    return coach


def coach_env(slack: SlackStandIn, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "COACH_"))}
    env.update(
        DATABASE_URL=database_url,
        SLACK_API_URL=slack.api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        PORT="0",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


@pytest.fixture
def coach(slack: SlackStandIn, database_url: str) -> Iterator[CoachProcess]:
    running = start_coach(coach_env(slack, database_url), "run", "--host", "127.0.0.1")
    try:
        assert running.listening.wait(timeout=30), running.log()
        assert running.url, f"coach run did not start:\n{running.log()}"
        yield running
    finally:
        code = running.stop()
        if running.process.stdout is not None:
            running.process.stdout.close()
    assert code == 0, running.log()


def answer_after_ack(
    slack: SlackStandIn, answered: int, *, timeout: float = 10.0
) -> dict[str, Any] | None:
    """What a command posted to its response_url after its ack (`answered`: how many answers
    had been posted before it); None when none came within `timeout` seconds."""
    calls = slack.wait_for_calls("response_url", count=answered + 1, timeout=timeout)
    return calls[answered].args if len(calls) > answered else None


def signed(body: bytes, content_type: str, **options: Any) -> SignedRequest:
    return sign(
        body,
        content_type=content_type,
        signing_secret=SIGNING_SECRET,
        now=SystemClock().now(),
        **options,
    )
