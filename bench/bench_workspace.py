"""What the benchmarks that run `coach` as a process share: a workspace of many people in
channels of a team's size on the local Slack stand-in, an empty database, and the environment
that points a `coach` process at both (acks.py, sync_memory.py); and the stand-in in a process
of its own, for a bench whose own threads time the answers (acks.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from multiprocessing.managers import BaseManager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from coach.store.db import make_engine
from slack_standin import SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
COACH = [sys.executable, str(ROOT / "bot.py")]


def add_people(
    slack: SlackStandIn, workspace_id: str, *, people: int, team_size: int
) -> tuple[list[str], int]:
    """`people` Dutch colleagues in channels C00000000... of `team_size`; (their ids, teams)."""
    users = [f"U{i:09d}" for i in range(people)]
    teams = (people + team_size - 1) // team_size
    for user in users:
        slack.add_user(workspace_id, user, name=user.lower(), tz="Europe/Amsterdam", locale="nl-NL")
    for t in range(teams):
        members = users[t * team_size : (t + 1) * team_size]
        slack.add_channel(workspace_id, f"C{t:08d}", name=f"team-{t}", members=members)
    return users, teams


def empty_database(url: str) -> Engine:
    """An engine on `url`; a PostgreSQL database is emptied first (SQLite: a new file)."""
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    return engine


def coach_env(api_url: str, url: str, *, token: str, secret: str) -> dict[str, str]:
    """The environment of a `coach` process against the stand-in and `url`, migrated."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "COACH_"))}
    env.update(
        DATABASE_URL=url,
        SLACK_API_URL=api_url,
        SLACK_BOT_TOKEN=token,
        SLACK_SIGNING_SECRET=secret,
        PORT="0",
        LOG_LEVEL="WARNING",
    )
    subprocess.run([*COACH, "migrate"], env=env, check=True, capture_output=True)
    return env


class _Slack:
    """The stand-in, as its process serves it to the bench: methods only (a manager's proxy
    carries calls, not attributes)."""

    def __init__(self, **options: Any) -> None:
        self._slack = SlackStandIn(**options).start()

    def api_url(self) -> str:
        return self._slack.api_url

    def app_id(self) -> str:
        return self._slack.app_id

    def add_workspace(self, workspace_id: str, **fields: str) -> None:
        self._slack.add_workspace(workspace_id, **fields)

    def add_people(
        self, workspace_id: str, *, people: int, team_size: int
    ) -> tuple[list[str], int]:
        return add_people(self._slack, workspace_id, people=people, team_size=team_size)

    def slash_command(self, workspace_id: str, **fields: str) -> dict[str, str]:
        return dict(self._slack.slash_command(workspace_id, **fields))

    def new_trigger_id(self, workspace_id: str, user_id: str) -> str:
        return self._slack.new_trigger_id(workspace_id, user_id)

    def im_channel_id(self, workspace_id: str, user_id: str) -> str:
        return self._slack.im_channel_id(workspace_id, user_id)


class _Manager(BaseManager):
    pass


_Manager.register("Slack", _Slack)


class StandInProcess:
    """The stand-in served from a process of its own. Real Slack answers `views.open` and
    `chat.postMessage` on other machines; in the bench's process its work would hold the
    interpreter that the bench's clients time their answers with, and count against the app
    that calls Slack (coach) and not the one that does not (a bare Bolt app)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._manager = _Manager()

    def __enter__(self) -> Any:
        self._manager.start()
        return self._manager.Slack(**self._options)  # type: ignore[attr-defined]

    def __exit__(self, *_exc: object) -> None:
        self._manager.shutdown()
