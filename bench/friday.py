"""Friday 16:00: many teams celebrate at once, through the real planner, outbox and sender, against
the local Slack stand-in. Prints the cost of the celebration check on an ordinary pass, the time
to queue and deliver every post and thread reply, the largest message, and whether every shared
story was celebrated exactly once. Not a test: run it by hand (`python bench/friday.py --help`).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from coach.catalog.files import load_catalog_file
from coach.clock import FixedClock
from coach.delivery.passes import Passes
from coach.delivery.sender import SendConfig
from coach.delivery.tokens import SingleWorkspaceTokens
from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.render import Prompts
from coach.services.celebration_plan import plan_celebrations
from coach.settings import Settings
from coach.slack.celebration_blocks import CelebrationBuilder
from coach.store.catalog import replace_catalog
from coach.store.db import make_engine, make_sessions
from coach.store.models import OutboxMessage, Principle, Story, Team
from coach.store.schema import migrate
from coach.store.teams import set_team
from slack_standin import PostMessageLimits, SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
TEAM, TOKEN = "T0FRIDAY", "xoxb-friday"
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
FRIDAY_1600 = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 16:00 in Amsterdam


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--stories", type=int, default=60, help="shared stories per team")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='coach-friday-')}/bench.db"
    clock = FixedClock(MONDAY)
    limits = PostMessageLimits(
        per_channel_per_second=10, channel_burst=100, workspace_per_minute=10**6,
        workspace_burst=10**5,
    )  # fmt: skip
    with SlackStandIn(clock=clock, post_message_limits=limits) as slack:
        slack.add_workspace(TEAM, name="Friday", bot_token=TOKEN, bot_user_id="U0BOT")
        members = [f"U{i:07d}" for i in range(5)]
        for user in members:
            slack.add_user(TEAM, user, name=user.lower(), real_name=user, tz="Europe/Amsterdam")
        channels = [f"C{i:07d}" for i in range(args.teams)]
        for channel in channels:
            slack.add_channel(TEAM, channel, name=channel.lower(), members=[*members, "U0BOT"])
        engine = make_engine(url)
        migrate(engine)
        settings = Settings(
            _env_file=None, database_url=url, slack_bot_token=TOKEN, slack_api_url=slack.api_url
        )
        deps = Deps(settings=settings, engine=engine, sessions=make_sessions(engine), clock=clock)
        passes = Passes(
            deps, SingleWorkspaceTokens(TOKEN, slack.api_url), Prompts(), SendConfig(10**5)
        )
        _setup(deps, channels, args.stories)
        passes.plan()  # members read from Slack

        started = time.perf_counter()
        plan_celebrations(deps, messages=CelebrationBuilder(Prompts()))
        ordinary = time.perf_counter() - started

        clock.set(FRIDAY_1600 - timedelta(hours=4))  # members read again, the day's nudges out
        passes.plan()
        passes.deliver()
        clock.set(FRIDAY_1600)
        started = time.perf_counter()
        _, queued = passes.plan()
        planned = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(60):  # delivery passes every 2 s, as `coach run` does
            passes.deliver()
            clock.advance(timedelta(seconds=2))
            with deps.unit_of_work() as session:
                pending = session.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.status == "pending")
                )
                if not pending:
                    break
        delivered = time.perf_counter() - started

        posts = [m for c in channels for m in slack.messages_in(c) if m.get("bot_id")]
        shown = Counter(
            line.split(":")[0]
            for m in posts
            for b in m["blocks"]
            if b.get("text")
            for line in b["text"]["text"].split("\n")
            if line.startswith(">Team ")
        )
        with deps.unit_of_work() as session:
            stories = session.scalar(select(func.count()).select_from(Story))
            done = session.scalar(
                select(func.count()).select_from(Story).where(Story.celebrated_at.is_not(None))
            )
        total = args.teams * args.stories
        print(f"teams {args.teams}, {args.stories} shared stories each ({total} in all)")
        print(f"database            {engine.dialect.name}")
        print(f"ordinary pass       {ordinary * 1000:8.1f} ms  celebration check, no team due")
        print(f"friday pass         {planned:8.2f} s   to queue {queued} posts "
              f"({planned / max(queued, 1) * 1000:.1f} ms a team)")  # fmt: skip
        print(f"delivery            {delivered:8.2f} s   {len(posts)} messages "
              f"({len(posts) - args.teams} thread replies)")  # fmt: skip
        print(f"largest message     {max(len(m['blocks']) for m in posts):5d} blocks (limit 50)")
        print(f"stories celebrated  {done} of {stories}; shown once: "
              f"{sum(1 for n in shown.values() if n == 1)}, more than once: "
              f"{sum(1 for n in shown.values() if n > 1)}")  # fmt: skip
        engine.dispose()
        return 0 if done == total and len(shown) == total and max(shown.values()) == 1 else 1


def _setup(deps: Deps, channels: list[str], per_team: int) -> None:
    now = deps.clock.now()
    with deps.unit_of_work() as session:
        catalog = load_catalog_file(ROOT / "principles_catalog" / "technisch-dienstverlener.yaml")
        replace_catalog(session, workspace_id=TEAM, catalog=catalog, actor="bench", now=now)
        for n, channel in enumerate(channels):
            set_team(
                session,
                workspace_id=TEAM,
                channel_id=channel,
                changes=TeamChanges(name=f"Team {n}"),
                now=now,
            )
        principles = list(session.scalars(select(Principle.id)))
        teams = list(
            session.scalars(select(Team.id).where(Team.workspace_id == TEAM).order_by(Team.id))
        )
        session.add_all(
            Story(
                workspace_id=TEAM,
                author_id="U0000000",
                filed_by="U0000000",
                team_id=team_id,
                principle_id=principles[s % len(principles)],
                text=f"Team {t:03d} story {s:03d}: " + "de klant was blij " * 10,
                share=True,
                author_consent="given",
                source="command",
                created_at=now,
                updated_at=now,
            )
            for t, team_id in enumerate(teams)
            for s in range(per_team)
        )


if __name__ == "__main__":
    raise SystemExit(main())
