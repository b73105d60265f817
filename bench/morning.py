"""A Monday morning: 10,000 people in 40 teams get their 09:00 nudge, through the real planner,
outbox and sender, against the local Slack stand-in with a workspace rate limit and a share of
calls answered 500. Prints delivered, duplicated, lost, wall time and the achieved rate as a
fraction of the allowed rate. Not a test: run it by hand (`python bench/morning.py --help`).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from coach.catalog.files import load_catalog_file
from coach.delivery.passes import Passes
from coach.delivery.sender import SendConfig
from coach.delivery.tokens import SingleWorkspaceTokens
from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.render import Prompts
from coach.settings import Settings
from coach.store.catalog import replace_catalog
from coach.store.db import make_engine, make_sessions
from coach.store.models import OutboxMessage
from coach.store.schema import migrate
from coach.store.teams import set_team
from slack_standin import PostMessageLimits, SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
TEAM, TOKEN = "T0BENCH", "xoxb-bench"
MONDAY_0800_UTC = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


class RunningClock:
    """Wall time that starts at a chosen instant and runs at real speed: budgets refill for real."""

    def __init__(self, start: datetime) -> None:
        self._start, self._t0 = start, time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=40)
    parser.add_argument(
        "--per-minute", type=int, default=6_000, help="the workspace's chat.postMessage limit"
    )
    parser.add_argument(
        "--errors", type=float, default=0.02, help="share of chat.postMessage answered 500"
    )
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='coach-bench-')}/bench.db"
    burst = max(1, args.per_minute // 6)
    people = [f"U{i:07d}" for i in range(args.people)]
    channels = [f"C{i:07d}" for i in range(args.teams)]
    # Slack runs in its own process, as it would: it must not share the bot's interpreter lock.
    parent, child = multiprocessing.Pipe()
    slack = multiprocessing.Process(
        target=_serve_slack,
        args=(child, people, channels, args.per_minute, burst, args.errors),
        daemon=True,
    )
    slack.start()
    api_url = parent.recv()

    engine = make_engine(url)
    migrate(engine)
    settings = Settings(
        _env_file=None, database_url=url, slack_bot_token=TOKEN, slack_api_url=api_url
    )
    sessions = make_sessions(engine)

    def passes_at(start: datetime) -> tuple[Deps, Passes]:
        deps = Deps(settings=settings, engine=engine, sessions=sessions, clock=RunningClock(start))
        return deps, Passes(
            deps,
            SingleWorkspaceTokens(TOKEN, api_url),
            Prompts(),
            SendConfig(per_minute=args.per_minute),
        )

    deps, passes = passes_at(MONDAY_0800_UTC - timedelta(minutes=5))
    with deps.unit_of_work() as session:
        catalog = load_catalog_file(ROOT / "principles_catalog" / "technisch-dienstverlener.yaml")
        replace_catalog(
            session, workspace_id=TEAM, catalog=catalog, actor="bench", now=deps.clock.now()
        )
        for index, channel in enumerate(channels):
            set_team(
                session,
                workspace_id=TEAM,
                channel_id=channel,
                changes=TeamChanges(name=f"Team {index}"),
                now=deps.clock.now(),
            )
    started = time.monotonic()
    synced, _ = passes.plan()  # 08:55: read the channels and the profiles
    sync_seconds = time.monotonic() - started

    deps, passes = passes_at(MONDAY_0800_UTC)  # 09:00: the morning begins
    morning = time.monotonic()
    planning_done = threading.Event()
    planned_after: list[float] = []

    def plan() -> None:  # as `coach run`'s scheduler does: planning beside delivery
        while passes.plan()[1]:
            pass
        planned_after.append(time.monotonic() - morning)
        planning_done.set()

    planner = threading.Thread(target=plan, name="bench-plan")
    planner.start()
    while True:
        report = passes.deliver()
        if planning_done.is_set() and _open(deps) == 0:
            break
        if report.sent == 0:
            time.sleep(0.05)  # nothing was allowed yet: the budget refills in real time
    planner.join()
    wall = time.monotonic() - morning

    parent.send("report")
    per_person, status, (first, last) = parent.recv()
    slack.join(timeout=30)
    delivered = len(per_person)
    duplicated = sum(n - 1 for n in per_person.values())
    lost = len(set(people) - set(per_person))
    ok = sum(per_person.values())
    window = max(last - first, 1e-9)
    achieved = (ok - 1) / window * 60 if ok > 1 else 0.0
    allowed = burst + args.per_minute / 60 * window  # a token bucket: its burst, then its rate

    print(
        f"people {args.people} in {synced} teams, limit {args.per_minute}/min (burst {burst}), {args.errors:.0%} of posts answered 500"
    )
    print(f"database            {engine.dialect.name}")
    print(f"sync (members)      {sync_seconds:8.2f} s")
    print(f"delivered           {delivered:8d}")
    print(f"duplicated          {duplicated:8d}")
    print(f"lost                {lost:8d}")
    print(
        f"wall time           {wall:8.2f} s   (09:00 until the last nudge was out; all queued after {planned_after[0]:.2f} s)"
    )
    print(
        f"post attempts       {sum(status.values()):8d}   (200: {status[200]}, 500: {status[500]}, 429: {status[429]})"
    )
    print(
        f"achieved rate       {achieved:8.0f} /min over {window:.1f} s of sending (limit {args.per_minute}/min)"
    )
    print(
        f"fraction of allowed {achieved / args.per_minute:8.2f}   (achieved rate / allowed rate; target >= 0.9)"
    )
    print(
        f"  of bucket total   {ok / allowed:8.2f}   (stricter: posts through / burst + rate x window)"
    )
    return 0 if duplicated == 0 and lost == 0 else 1


def _serve_slack(
    pipe: Any, people: list[str], channels: list[str], per_minute: int, burst: int, errors: float
) -> None:
    """The Slack side, in a child process: build the workspace, serve, report when asked."""
    limits = PostMessageLimits(
        per_channel_per_second=1.0,
        channel_burst=3,
        workspace_per_minute=per_minute,
        workspace_burst=burst,
    )
    with SlackStandIn(post_message_limits=limits) as slack:
        slack.add_workspace(TEAM, name="Bench", bot_token=TOKEN, bot_user_id="U0BOTBENCH")
        slack.fail_randomly("chat.postMessage", status=500, fraction=errors, seed=9)
        for user in people:
            slack.add_user(
                TEAM, user, name=user.lower(), real_name=user, tz="Europe/Amsterdam", locale="nl-NL"
            )
        size = -(-len(people) // len(channels))
        for index, channel in enumerate(channels):
            slack.add_channel(
                TEAM,
                channel,
                name=f"team-{index}",
                members=people[index * size : (index + 1) * size],
            )
        pipe.send(slack.api_url)
        pipe.recv()
        calls = slack.calls_to("chat.postMessage")
        ok = [c for c in calls if c.ok]
        per_person = Counter(str(c.args["channel"]) for c in ok)
        pipe.send(
            (
                per_person,
                Counter(c.status for c in calls),
                (ok[0].at, ok[-1].at) if ok else (0.0, 0.0),
            )
        )


def _open(deps: Deps) -> int:
    statement = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_(("pending", "sending")))
    )
    with deps.unit_of_work() as session:
        return int(session.scalar(statement) or 0)


if __name__ == "__main__":
    sys.exit(main())
