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
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert, text, update
from sqlalchemy.engine import make_url

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
    """A new, empty database for this size: a SQLite file, or a PostgreSQL database named
    after the given one (`bench_cost` -> `bench_cost_10000`), dropped and created again."""
    if database_url is None:
        return f"sqlite:///{folder / f'cost-{people}.db'}"
    url = make_url(database_url)
    name = f"{url.database}_{people}"
    engine = make_engine(database_url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


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


class Size:
    """One database of `people` people, filled and warmed up, with its own clock."""

    def __init__(self, url: str, people: int, team_size: int) -> None:
        self.people, self.url = people, url
        self.clock = FixedClock(WEDNESDAY - timedelta(minutes=5))
        settings = Settings(_env_file=None, database_url=url, slack_bot_token=TOKEN)
        self.engine = make_engine(url)
        migrate(self.engine)
        self.deps = Deps(
            settings=settings,
            engine=self.engine,
            sessions=make_sessions(self.engine),
            clock=self.clock,
        )
        self.filled = timed(lambda: fill(self.deps, people, team_size))
        self.prompts = Prompts()
        self.passes = Passes(
            self.deps,
            SingleWorkspaceTokens(TOKEN, "http://127.0.0.1:9/api/"),  # never called
            self.prompts,
            SendConfig(),
        )
        self.statements = Statements(self.engine)
        # The first pass gives every team its next celebration check; then the database
        # tidies up as autovacuum would (dead index entries, statistics).
        self.warm_up = timed(self.passes.plan)
        tidy(self.engine)
        self.clock.set(WEDNESDAY)
        self.times: list[float] = []
        self.counts: list[float] = []

    def round(self) -> None:
        """The mean of PASSES passes with nothing due, 30 s apart."""
        before, took = self.statements.count, 0.0
        for _ in range(PASSES):
            self.clock.advance(timedelta(seconds=30))
            took += timed(self.passes.plan)
        self.times.append(took / PASSES)
        self.counts.append((self.statements.count - before) / PASSES)

    def planning(self) -> tuple[int, float, float]:
        """500 people due at Thursday 09:00: (planned, seconds, statements per person)."""
        with self.engine.begin() as connection:
            connection.execute(
                update(Person).where(Person.id <= 500).values(next_nudge_at=THURSDAY_NUDGE)
            )
        self.clock.set(THURSDAY_NUDGE + timedelta(seconds=30))
        before, planned = self.statements.count, 0

        def plan() -> None:
            nonlocal planned
            compose = lambda c: build_nudge_payload(c, self.prompts)  # noqa: E731
            planned = queue_due_nudges(self.deps, compose=compose)

        took = timed(plan)
        return planned, took, (self.statements.count - before) / max(planned, 1)


def tidy(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("VACUUM ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", default="10000,100000")
    parser.add_argument("--team-size", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="a database it may empty")
    args = parser.parse_args()
    sizes = [int(p) for p in args.people.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        built = [
            Size(fresh(args.database_url, Path(folder), people), people, args.team_size)
            for people in sizes
        ]
        for _ in range(args.rounds):  # interleaved: the machine's load hits every size alike
            for size in built:
                size.round()
        for size in built:
            planned, took, per_person = size.planning()
            print(
                f"{size.people:>7} people ({size.url.split(':')[0]}): filled in "
                f"{size.filled:.1f} s; first pass {size.warm_up * 1000:.0f} ms; pass with "
                f"nothing due {spread(size.times)}, {statistics.median(size.counts):.0f} "
                f"statements; planning {planned} due people {took * 1000:.0f} ms, "
                f"{per_person:.2f} statements per planned person",
                flush=True,
            )
            size.engine.dispose()
        if len(built) >= 2:
            low, high = built[0], built[-1]
            ratio = statistics.median(high.times) / statistics.median(low.times)
            print(f"ratio {high.people} / {low.people}: {ratio:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
