"""What a pass costs when nothing is due, at 10,000 and 100,000 people (issue 12), and how many
SQL statements planning spends per planned person.

It fills a fresh database in bulk (one workspace, teams of `--team-size` people, everyone
synced an hour ago, nobody's nudge due for a day), runs one warm-up pass (it gives every team
its next celebration check), then times `--rounds` rounds of 10 planning passes 30 s apart on the test clock:
member sync check, nudges and celebrations, as `coach run` runs them every 30 s. Then it makes
500 people due and counts the statements one planning batch takes. Not a test: run it by hand.

    .venv/bin/python bench/cost.py                                  # SQLite files
    .venv/bin/python bench/cost.py --database-url postgresql://127.0.0.1:5432/bench_acks
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert, text, update

from coach.catalog.files import load_catalog_file
from coach.clock import FixedClock
from coach.delivery.passes import Passes
from coach.delivery.sender import SendConfig
from coach.delivery.tokens import SingleWorkspaceTokens
from coach.deps import Deps
from coach.render import Prompts
from coach.services.nudging import queue_due_nudges
from coach.settings import Settings
from coach.slack.nudge_blocks import build_nudge_payload
from coach.store.catalog import replace_catalog
from coach.store.db import make_engine, make_sessions
from coach.store.models import Person, Team, TeamMember, Workspace
from coach.store.schema import migrate

ROOT = Path(__file__).resolve().parents[1]
TEAM_ID, TOKEN = "T0COST", "xoxb-cost"
WEDNESDAY = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # nothing due: nudges at 09:00, Friday's
THURSDAY_NUDGE = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
FRIDAY_NUDGE = THURSDAY_NUDGE + timedelta(days=1)
CHUNK = 10_000
PASSES = 10  # per round


class Statements:
    """Counts the SQL statements an engine runs (an executemany counts once)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._one)

    def _one(self, *_args: Any) -> None:
        self.count += 1


def fresh(database_url: str | None, folder: Path, people: int) -> str:
    if database_url is None:
        return f"sqlite:///{folder / f'cost-{people}.db'}"
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return database_url


def fill(deps: Deps, people: int, team_size: int) -> None:
    now = deps.clock.now()
    synced = now - timedelta(hours=1)
    with deps.unit_of_work() as session:
        session.add(Workspace(id=TEAM_ID, name="Cost", created_at=now))
        session.flush()
        replace_catalog(
            session,
            workspace_id=TEAM_ID,
            actor="bench",
            now=now,
            catalog=load_catalog_file(ROOT / "principles_catalog" / "service-organisation.yaml"),
        )
    teams = (people + team_size - 1) // team_size
    with deps.engine.begin() as connection:
        for start in range(0, teams, CHUNK):
            connection.execute(
                insert(Team),
                [
                    {
                        "workspace_id": TEAM_ID,
                        "channel_id": f"C{i:08d}",
                        "name": f"team {i}",
                        "nudge_time": clock_time(9, 0),
                        "celebrate_weekday": 4,
                        "celebrate_time": clock_time(16, 0),
                        "timezone": "Europe/Amsterdam",
                        "holiday_country": "NL",
                        "language": "nl",
                        "members_synced_at": synced,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(start, min(teams, start + CHUNK))
                ],
            )
        first_team = connection.execute(text("SELECT min(id) FROM teams")).scalar_one()
        for start in range(0, people, CHUNK):
            users = range(start, min(people, start + CHUNK))
            connection.execute(
                insert(Person),
                [
                    {
                        "workspace_id": TEAM_ID,
                        "user_id": f"U{i:09d}",
                        "tz": "Europe/Amsterdam",
                        "locale": "nl-NL",
                        "is_bot": False,
                        "deleted": False,
                        "slack_admin": False,
                        "profile_synced_at": synced,
                        "next_nudge_at": FRIDAY_NUDGE,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in users
                ],
            )
            connection.execute(
                insert(TeamMember),
                [
                    {
                        "team_id": first_team + i // team_size,
                        "user_id": f"U{i:09d}",
                        "joined_at": now,
                    }
                    for i in users
                ],
            )
    if deps.engine.dialect.name == "postgresql":
        with deps.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("ANALYZE"))


def timed(work: Any) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def spread(values: list[float]) -> str:
    ordered = sorted(v * 1000 for v in values)
    return f"{statistics.median(ordered):.1f} ms ({ordered[0]:.1f}-{ordered[-1]:.1f})"


def measure(url: str, people: int, team_size: int, rounds: int) -> dict[str, Any]:
    clock = FixedClock(WEDNESDAY - timedelta(minutes=5))
    settings = Settings(_env_file=None, database_url=url, slack_bot_token=TOKEN)
    engine = make_engine(url)
    migrate(engine)
    deps = Deps(settings=settings, engine=engine, sessions=make_sessions(engine), clock=clock)
    started = time.perf_counter()
    fill(deps, people, team_size)
    filled = time.perf_counter() - started
    prompts = Prompts()
    passes = Passes(
        deps,
        SingleWorkspaceTokens(TOKEN, "http://127.0.0.1:9/api/"),  # never called
        prompts,
        SendConfig(),
    )
    statements = Statements(engine)
    warm_up = timed(passes.plan)
    clock.set(WEDNESDAY)
    times, counts = [], []
    for _ in range(rounds):  # a round: the mean of PASSES passes, 30 s apart
        before = statements.count
        took = 0.0
        for _ in range(PASSES):
            clock.advance(timedelta(seconds=30))
            took += timed(passes.plan)
        times.append(took / PASSES)
        counts.append((statements.count - before) / PASSES)
    # Planning proper: 500 people due at Thursday 09:00.
    with deps.engine.begin() as connection:
        connection.execute(
            update(Person).where(Person.id <= 500).values(next_nudge_at=THURSDAY_NUDGE)
        )
    clock.set(THURSDAY_NUDGE + timedelta(seconds=30))
    before = statements.count
    planned = 0

    def plan() -> None:
        nonlocal planned
        planned = queue_due_nudges(deps, compose=lambda c: build_nudge_payload(c, prompts))

    plan_time = timed(plan)
    per_person = (statements.count - before) / max(planned, 1)
    engine.dispose()
    return {
        "filled": filled,
        "warm_up": warm_up,
        "times": times,
        "statements": statistics.median(counts),
        "planned": planned,
        "plan_time": plan_time,
        "per_person": per_person,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", default="10000,100000")
    parser.add_argument("--team-size", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="a database it may empty")
    args = parser.parse_args()
    sizes = [int(p) for p in args.people.split(",")]
    medians = {}
    with tempfile.TemporaryDirectory() as folder:
        for people in sizes:
            url = fresh(args.database_url, Path(folder), people)
            result = measure(url, people, args.team_size, args.rounds)
            medians[people] = statistics.median(result["times"])
            print(
                f"{people:>7} people ({url.split(':')[0]}): filled in {result['filled']:.1f} s; "
                f"first pass {result['warm_up'] * 1000:.0f} ms; pass with nothing due "
                f"{spread(result['times'])}, {result['statements']:.0f} statements; planning "
                f"{result['planned']} due people {result['plan_time'] * 1000:.0f} ms, "
                f"{result['per_person']:.2f} statements per planned person",
                flush=True,
            )
    if len(sizes) >= 2:
        low, high = sizes[0], sizes[-1]
        print(f"ratio {high} / {low}: {medians[high] / medians[low]:.2f} (target <= 2)")
    sys.exit(0)


if __name__ == "__main__":
    main()
