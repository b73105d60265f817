"""A small company on three continents, its Slack (the stand-in) and 9+ Coach, all in-process,
with one clock the tests move."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import App

from coach.catalog.files import load_catalog_file
from coach.clock import FixedClock
from coach.delivery.passes import Passes, PassResult
from coach.delivery.sender import SendConfig
from coach.delivery.tokens import SingleWorkspaceTokens
from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.render import Prompts
from coach.sandbox import SlackStandIn, payloads
from coach.sandbox.signing import sign
from coach.settings import Settings
from coach.slack.app import build_app
from coach.slack.deps import SlackDeps
from coach.slack.http import make_wsgi
from coach.store.catalog import replace_catalog
from coach.store.teams import set_team

ROOT = Path(__file__).resolve().parents[2]
TEAM, TOKEN, SECRET = "T0ACME", "xoxb-coaching", "coaching-secret"
PEOPLE = {  # user: (tz, locale)
    "U0ANNA": ("Europe/Amsterdam", "nl-NL"),
    "U0BOB": ("America/New_York", "en-US"),
    "U0KEN": ("Asia/Tokyo", "en-US"),
}


@dataclass
class World:
    slack: SlackStandIn
    deps: Deps
    clock: FixedClock
    passes: Passes
    app: App
    wsgi: Any

    def at(self, iso: str) -> PassResult:
        """Move the clock and run one pass, as `coach tick --now ISO` would."""
        self.clock.set(datetime.fromisoformat(iso))
        return self.passes.run_once()

    def dm(self, user: str) -> list[dict[str, Any]]:
        return self.slack.messages_in(self.slack.im_channel_id(TEAM, user))

    def post(
        self, body: bytes, content_type: str = "application/x-www-form-urlencoded"
    ) -> tuple[str, bytes]:
        request = sign(body, content_type=content_type, signing_secret=SECRET, now=self.clock.now())
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/slack/events",
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            **{
                "HTTP_" + k.upper().replace("-", "_"): v
                for k, v in request.headers.items()
                if k != "Content-Type"
            },
        }
        status: list[str] = []
        answer = b"".join(self.wsgi(environ, lambda line, headers, exc=None: status.append(line)))
        self.app.listener_runner.listener_executor.shutdown(
            wait=True
        )  # let work after the ack finish
        self.app.listener_runner.listener_executor = _fresh_executor()
        return status[0], answer

    def click(self, user: str, message: dict[str, Any], action_id: str) -> tuple[str, bytes]:
        button = next(
            e
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == action_id
        )
        action = payloads.button_action(
            action_id=action_id,
            block_id=next(
                b["block_id"]
                for b in message["blocks"]
                if b["type"] == "actions" and button in b["elements"]
            ),
            value=button["value"],
            text=button["text"]["text"],
            at=self.clock.now(),
        )
        body = payloads.block_actions(
            team_id=TEAM,
            team_domain="acme",
            user_id=user,
            user_name=user.lower(),
            api_app_id=self.slack.app_id,
            trigger_id=self.slack.new_trigger_id(TEAM, user),
            actions=[action],
            message=message,
            channel={"id": self.slack.im_channel_id(TEAM, user), "name": "directmessage"},
        )
        return self.post(urlencode({"payload": json.dumps(body)}).encode())

    def submit(self, user: str, view: dict[str, Any], values: dict[str, Any]) -> tuple[str, bytes]:
        body = payloads.view_submission(
            team_id=TEAM,
            team_domain="acme",
            user_id=user,
            user_name=user.lower(),
            api_app_id=self.slack.app_id,
            trigger_id=self.slack.new_trigger_id(TEAM, user),
            view=view,
            values=values,
        )
        return self.post(urlencode({"payload": json.dumps(body)}).encode())


def _fresh_executor() -> Any:
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=5)


@pytest.fixture
def world(deps: Deps, clock: FixedClock) -> Iterator[World]:
    clock.set(datetime.fromisoformat("2026-11-23T06:00:00+00:00"))  # Monday morning in Europe
    # The stand-in's rate limits run on the same clock as everything else, so moving the clock
    # is what lets Slack's per-channel and per-workspace buckets refill.
    with SlackStandIn(clock=clock, monotonic=lambda: clock.now().timestamp()) as slack:
        slack.add_workspace(TEAM, name="Acme", bot_token=TOKEN, bot_user_id="U0BOTACME")
        for user, (tz, locale) in PEOPLE.items():
            slack.add_user(TEAM, user, name=user.lower(), real_name=user, tz=tz, locale=locale)
        slack.add_user(TEAM, "U0ROBOT", name="robot", real_name="Robot", is_bot=True)
        slack.add_channel(
            TEAM, "C0NOORD", name="team-noord", members=[*PEOPLE, "U0ROBOT", "U0BOTACME"]
        )
        settings = Settings(
            _env_file=None,
            database_url=deps.settings.database_url,
            slack_bot_token=TOKEN,
            slack_api_url=slack.api_url,
            slack_signing_secret=SECRET,
        )
        core = Deps(settings=settings, engine=deps.engine, sessions=deps.sessions, clock=clock)
        with core.unit_of_work() as session:
            replace_catalog(
                session,
                workspace_id=TEAM,
                now=clock.now(),
                actor="test",
                catalog=load_catalog_file(
                    ROOT / "principles_catalog" / "technisch-dienstverlener.yaml"
                ),
            )
            set_team(
                session,
                workspace_id=TEAM,
                channel_id="C0NOORD",
                changes=TeamChanges(name="Noord"),
                now=clock.now(),
            )
        passes = Passes(
            core, SingleWorkspaceTokens(TOKEN, slack.api_url), Prompts(), SendConfig(per_minute=600)
        )
        app = build_app(SlackDeps(core=core, prompts=Prompts()))
        yield World(slack, core, clock, passes, app, make_wsgi(app, core, SECRET))
        app.listener_runner.listener_executor.shutdown(wait=True)
