"""Benchmark 2 of issue 12: how late the 09:00 nudges land, posted live vs handed to Slack's
schedule the evening before, through the real planner, outbox, sender and `delivery/ahead.py`
against the local Slack stand-in with 2 % of posts and schedule calls answered 500.

Time is simulated: the bot and the stand-in share one clock, which a loop moves forward pass by
pass (10 s steps overnight, 1 s steps from 08:57), by at least the real time each pass took on
this machine, so processing counts as it would (overnight, once every nudge is in Slack's
queue, it jumps to 08:57, where a reconcile runs: nothing else is due between); the stand-in's
rate limits (chat.postMessage at
`--per-minute` per workspace and 1 a second per DM; the scheduled-message methods at Tier 3,
50 a minute) run on the same clock. Slack posts a scheduled message at its `post_at` on that
clock. With `--pulse` the morning is a pulse morning: Tuesday 1 December, every team's first
workday of a month with its pulse on, so everyone's message of the day is the pulse DM (which
takes the nudge's place and goes the same way). Not a test: run it by hand
(`python bench/lateness.py --help`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from coach.catalog.files import load_catalog_file
from coach.clock import FixedClock
from coach.delivery.passes import Passes
from coach.delivery.sender import SendConfig
from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.render import Prompts
from coach.services.teams import update_team
from coach.settings import Settings
from coach.store.catalog import replace_catalog
from coach.store.db import make_engine, make_sessions
from coach.store.models import OutboxMessage
from coach.store.schema import migrate
from coach.store.teams import set_team
from slack_standin import PostMessageLimits, SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
NINE = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam
PULSE_NINE = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # Tuesday 1 December, the pulse's day
PULSE_WORDS = ("Teampuls", "Team pulse")  # how a pulse DM's text begins (nl, en)
OPEN = ("pending", "sending", "scheduling", "scheduled", "withdrawing")


class Tokens:
    def __init__(self, tokens: dict[str, str]) -> None:
        self._tokens = tokens

    def bot_token(self, workspace_id: str) -> str | None:
        return self._tokens.get(workspace_id)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="in all workspaces together")
    parser.add_argument("--workspaces", type=int, default=1)
    parser.add_argument("--team-size", type=int, default=250)
    parser.add_argument("--per-minute", type=int, default=300, help="chat.postMessage limit")
    parser.add_argument("--errors", type=float, default=0.02, help="share answered 500")
    parser.add_argument("--mode", choices=("scheduled", "live", "both"), default="both")
    parser.add_argument("--database-url", help="default: a new SQLite file per mode")
    parser.add_argument(
        "--pulse",
        action="store_true",
        help="a pulse morning: every team's first workday of a month with its pulse on",
    )
    args = parser.parse_args()
    modes = ("live", "scheduled") if args.mode == "both" else (args.mode,)
    results = {mode: run(args, mode) for mode in modes}
    print()
    morning = "pulse" if args.pulse else "nudge"
    print(
        "| morning | mode | people | workspaces | p50 | p99 | max | duplicated | lost | pulse DMs | real time |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for mode, r in results.items():
        print(
            f"| {morning} | {mode} | {args.people:,} | {args.workspaces} | {r['p50']:.0f} s "
            f"| {r['p99']:.0f} s | {r['max']:.0f} s | {r['duplicated']} | {r['lost']} "
            f"| {r['pulses']:.0f} | {r['real']:.0f} s |"
        )
    return 0 if all(r["duplicated"] == 0 and r["lost"] == 0 for r in results.values()) else 1


def run(args: argparse.Namespace, mode: str) -> dict[str, float]:
    real_start = time.monotonic()
    ahead_hours = 16 if mode == "scheduled" else 0
    nine = PULSE_NINE if args.pulse else NINE
    start = nine - timedelta(hours=ahead_hours, minutes=5)
    clock = FixedClock(start)
    limits = PostMessageLimits(
        workspace_per_minute=args.per_minute, workspace_burst=max(1, args.per_minute // 6)
    )
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='coach-late-')}/bench.db"
    with SlackStandIn(
        clock=clock, monotonic=lambda: clock.now().timestamp(), post_message_limits=limits
    ) as slack:
        slack.fail_randomly("chat.postMessage", status=500, fraction=args.errors, seed=2)
        slack.fail_randomly("chat.scheduleMessage", status=500, fraction=args.errors, seed=3)
        people = _build_slack(slack, args)
        engine = make_engine(url)
        migrate(engine)
        settings = Settings(
            _env_file=None,
            database_url=url,
            slack_api_url=slack.api_url,
            coach_send_per_minute=args.per_minute,
            coach_plan_ahead_hours=ahead_hours,
        )
        deps = Deps(settings=settings, engine=engine, sessions=make_sessions(engine), clock=clock)
        tokens = Tokens({team: f"xoxb-{team}" for team in people})
        passes = Passes(deps, tokens, Prompts(), SendConfig(per_minute=args.per_minute))
        _build_coach(deps, slack, people, args.team_size, pulse=args.pulse)
        print(
            f"{mode}: {args.people:,} people in {len(people)} workspace(s), from {start:%a %H:%M} UTC"
        )
        _simulate(deps, passes, clock, start, nine, args.people)
        calls = Counter((c.method, c.status) for c in slack.calls)
        late, duplicated, lost, pulses = _lateness(slack, people, nine)
    result = {
        "p50": statistics.median(late) if late else float("nan"),
        "p99": _percentile(late, 0.99),
        "max": max(late, default=float("nan")),
        "duplicated": duplicated,
        "lost": lost,
        "pulses": pulses,
        "real": time.monotonic() - real_start,
    }
    print(f"  database {engine.dialect.name}; Web API calls by (method, status):")
    for (method, status), count in sorted(calls.items()):
        if method.startswith("chat."):
            print(f"    {method:32s} {status}  {count:7d}")
    print(
        f"  lateness vs 09:00: p50 {result['p50']:.1f} s, p99 {result['p99']:.1f} s, max "
        f"{result['max']:.1f} s; duplicated {duplicated}, lost {lost}; {pulses} pulse DMs; "
        f"{result['real']:.0f} s real"
    )
    return result


def _build_slack(slack: SlackStandIn, args: argparse.Namespace) -> dict[str, list[str]]:
    per_workspace = args.people // args.workspaces
    people: dict[str, list[str]] = {}
    for w in range(args.workspaces):
        team = f"T{w:08d}"
        slack.add_workspace(
            team, name=f"Bench {w}", bot_token=f"xoxb-{team}", bot_user_id=f"UB{w:07d}"
        )
        users = [f"U{w}{i:07d}" for i in range(per_workspace)]
        for user in users:
            slack.add_user(
                team, user, name=user.lower(), real_name=user, tz="Europe/Amsterdam", locale="nl-NL"
            )
        for t, first in enumerate(range(0, len(users), args.team_size)):
            members = [*users[first : first + args.team_size], f"UB{w:07d}"]
            slack.add_channel(team, f"C{w}{t:07d}", name=f"team-{t}", members=members)
        people[team] = users
    return people


def _build_coach(
    deps: Deps, slack: SlackStandIn, people: dict[str, list[str]], size: int, *, pulse: bool
) -> None:
    """The catalogue and the teams; with `pulse`, each team's pulse on from December."""
    catalog = load_catalog_file(ROOT / "principles_catalog" / "technisch-dienstverlener.yaml")
    with deps.unit_of_work() as session:
        for w, (team, users) in enumerate(people.items()):
            replace_catalog(
                session, workspace_id=team, catalog=catalog, actor="bench", now=deps.clock.now()
            )
            for t in range(-(-len(users) // size)):
                set_team(
                    session,
                    workspace_id=team,
                    channel_id=f"C{w}{t:07d}",
                    changes=TeamChanges(name=f"Team {t}"),
                    now=deps.clock.now(),
                )
                if pulse:  # turned on in November (a live run starts on 1 December)
                    update_team(
                        session,
                        workspace_id=team,
                        channel_id=f"C{w}{t:07d}",
                        changes=TeamChanges(pulse=True),
                        now=PULSE_NINE - timedelta(days=1),
                    )


def _simulate(
    deps: Deps, passes: Passes, clock: FixedClock, start: datetime, nine: datetime, people: int
) -> None:
    """The scheduler's jobs on the simulated clock: plan every 30 s, deliver every step,
    reconcile every 15 minutes; a step lasts at least as long as the pass took for real."""
    next_plan = next_reconcile = start
    done_after = nine + timedelta(minutes=1)
    while True:
        now = clock.now()
        took = 0.0
        if now >= next_plan:
            took += _timed(lambda: _plan_all(passes))
            next_plan = now + timedelta(seconds=30)
        if now >= next_reconcile and deps.settings.coach_plan_ahead_hours:
            took += _timed(passes.reconcile)
            next_reconcile = now + timedelta(minutes=15)
        took += _timed(passes.deliver)
        if now >= done_after and _open(deps) == 0:
            return
        if now > nine + timedelta(hours=3):
            raise RuntimeError("still not delivered three hours after 09:00")
        step = 10.0 if now < nine - timedelta(minutes=3) else 1.0
        everyone_held = _held(deps) >= people
        if step > 1 and everyone_held and _waiting(deps) == 0:
            # Overnight, once every nudge is in Slack's queue, nothing is due until the
            # morning: jump to 08:57 (the passes in between, and the reconciles, would find
            # nothing to do; this machine is too slow to play them). A reconcile runs then.
            clock.set(max(nine - timedelta(minutes=3), now + timedelta(seconds=max(step, took))))
            next_plan = next_reconcile = clock.now()
            continue
        clock.advance(timedelta(seconds=max(step, took)))


def _plan_all(passes: Passes) -> None:
    while passes.plan()[1]:
        pass


def _timed(work: Callable[[], object]) -> float:
    began = time.monotonic()
    work()
    return time.monotonic() - began


def _held(deps: Deps) -> int:
    """Nudges in Slack's queue."""
    statement = (
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "scheduled")
    )
    with deps.unit_of_work() as session:
        return int(session.scalar(statement) or 0)


def _waiting(deps: Deps) -> int:
    """Rows still to be handed over, posted or withdrawn (not those Slack holds)."""
    statement = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_(("pending", "sending", "scheduling", "withdrawing")))
    )
    with deps.unit_of_work() as session:
        return int(session.scalar(statement) or 0)


def _open(deps: Deps) -> int:
    statement = (
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status.in_(OPEN))
    )
    with deps.unit_of_work() as session:
        return int(session.scalar(statement) or 0)


def _lateness(
    slack: SlackStandIn, people: dict[str, list[str]], at: datetime
) -> tuple[list[float], int, int, int]:
    """Seconds after `at` of each person's first message; extra ones; people without one; how
    many of the first messages are pulse DMs."""
    nine = at.timestamp()
    late: list[float] = []
    duplicated = lost = pulses = 0
    for team, users in people.items():
        for user in users:
            nudges = [
                m for m in slack.messages_in(slack.im_channel_id(team, user)) if m.get("bot_id")
            ]
            if not nudges:
                lost += 1
                continue
            duplicated += len(nudges) - 1
            late.append(float(nudges[0]["ts"]) - nine)
            pulses += str(nudges[0].get("text", "")).startswith(PULSE_WORDS)
    return late, duplicated, lost, pulses


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


if __name__ == "__main__":
    sys.exit(main())
