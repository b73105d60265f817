"""The Bolt app built in-process against the stand-in, for tests below the HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from slack_bolt import App

from coach.deps import Deps
from coach.render import Prompts
from coach.settings import Settings
from coach.slack.after_ack import AfterAck
from coach.slack.app import build_app
from coach.slack.deps import SlackDeps
from coach.slack.http import Wsgi, make_wsgi
from slack_standin import SlackStandIn

SECRET = "in-process-secret"


@dataclass
class InProcess:
    app: App
    wsgi: Wsgi
    slack: SlackStandIn
    core: Deps
    after_ack: AfterAck


@pytest.fixture
def in_process(deps: Deps) -> Iterator[InProcess]:
    with SlackStandIn(clock=deps.clock) as slack:
        slack.add_workspace(
            "T0ACME", name="Acme", bot_token="xoxb-in-process", bot_user_id="U0BOTACME"
        )
        slack.add_user(
            "T0ACME", "U0ANNA", name="anna", real_name="Anna", tz="Europe/Amsterdam", locale="nl-NL"
        )
        slack.add_channel("T0ACME", "C0NOORD", name="noord", members=["U0ANNA"])
        settings = Settings(
            _env_file=None,
            database_url=deps.settings.database_url,
            slack_bot_token="xoxb-in-process",
            slack_api_url=slack.api_url,
            slack_signing_secret=SECRET,
        )
        core = Deps(settings=settings, engine=deps.engine, sessions=deps.sessions, clock=deps.clock)
        slack_deps = SlackDeps(core=core, prompts=Prompts())
        app = build_app(slack_deps)
        yield InProcess(
            app=app,
            wsgi=make_wsgi(app, core, SECRET),
            slack=slack,
            core=core,
            after_ack=slack_deps.after_ack,
        )
        app.listener_runner.listener_executor.shutdown(wait=True)
        slack_deps.after_ack.stop()


def after_the_ack(in_process: InProcess) -> None:
    """Wait for the work listeners do after acking (and take new work again)."""
    runner = in_process.app.listener_runner
    runner.listener_executor.shutdown(wait=True)
    runner.listener_executor = ThreadPoolExecutor(max_workers=5)
    in_process.after_ack.drain()
