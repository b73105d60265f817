"""A small company on three continents, its Slack (the stand-in) and 9+ Coach, all in-process,
with one clock the tests move."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from coach.catalog.files import load_catalog_file
from coach.clock import FixedClock
from coach.delivery.passes import Passes
from coach.delivery.sender import SendConfig
from coach.delivery.tokens import SingleWorkspaceTokens
from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.render import Prompts
from coach.sandbox import SlackStandIn
from coach.sandbox.driver import Driver
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


World = Driver  # the tests' name for it: a small company, its Slack and the app


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
        yield World(slack, core, clock, passes, app, make_wsgi(app, core, SECRET), TEAM, SECRET)
        app.listener_runner.listener_executor.shutdown(wait=True)
