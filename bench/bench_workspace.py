"""What the benchmarks that run `coach` as a process share: a workspace of many people in
channels of a team's size on the local Slack stand-in, an empty database, and the environment
that points a `coach` process at both (acks.py, sync_memory.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def coach_env(slack: SlackStandIn, url: str, *, token: str, secret: str) -> dict[str, str]:
    """The environment of a `coach` process against the stand-in and `url`, migrated."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "COACH_"))}
    env.update(
        DATABASE_URL=url,
        SLACK_API_URL=slack.api_url,
        SLACK_BOT_TOKEN=token,
        SLACK_SIGNING_SECRET=secret,
        PORT="0",
        LOG_LEVEL="WARNING",
    )
    subprocess.run([*COACH, "migrate"], env=env, check=True, capture_output=True)
    return env
