"""Years of use: the cost of the hot paths and the database's size at 0 and N years of history.

A workspace of `--people` people in `--teams` teams is built through the project's own services
(catalogue import, team setup, members read from the local Slack stand-in), then history is
added in bulk: one nudge per person per workday, a third answered with an intention, three
stories per team per week celebrated weekly, every team's monthly pulse on with everyone
answering (eNPS and three statements), and the outbox rows the bot leaves behind. The
outbox is written for the last 60 days and housekeeping (`services/housekeeping.py`) is run, so
the size is what a database with housekeeping on holds. Then, on a Friday, it times (min /
median / max of `--rounds`): the Friday pass for every team, the App Home of an employee, a
lead and an admin, the admins' pulse overview alone (each team's latest month shown), planning
500 due people, and `/coach my-data` for one person. With
`--explain` it prints the plan of every statement those ran that reads a large table.
Not a test: run it by hand (`python bench/years.py --help`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, select, text, update
from sqlalchemy.engine import Engine

from coach.catalog.files import load_catalog_file
from coach.catalog.localize import PrincipleText
from coach.clock import FixedClock
from coach.delivery.passes import Passes
from coach.delivery.sender import SendConfig
from coach.delivery.tokens import SingleWorkspaceTokens
from coach.deps import Deps
from coach.domain.celebration import MinGroup
from coach.domain.pulse import month_of, next_month, statements_for
from coach.domain.team_settings import TeamChanges
from coach.render import Prompts
from coach.services.celebration_plan import plan_celebrations
from coach.services.home import home_view
from coach.services.housekeeping import housekeep
from coach.services.nudging import NudgeContent, plan_nudges, week_focus
from coach.services.privacy import my_data
from coach.services.pulse_results import organisation_pulse
from coach.settings import Settings
from coach.slack.celebration_blocks import CelebrationBuilder
from coach.slack.nudge_blocks import build_nudge_payload
from coach.store.catalog import principle_text_of, replace_catalog
from coach.store.db import make_engine, make_sessions
from coach.store.models import (
    Admin,
    Person,
    PulseAnswer,
    PulseStatementAnswer,
    Team,
    TeamPulseSetting,
)
from coach.store.schema import migrate
from coach.store.teams import set_team
from slack_standin import PostMessageLimits, SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
WS, TOKEN = "T0YEARS", "xoxb-years"
FRIDAY = date(2026, 11, 27)
BUILT_AT = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # before the day's nudges (09:00 local)
NUDGES_DUE = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
FRIDAY_1600 = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
OUTBOX_DAYS = 60  # written before housekeeping, which keeps 30
HOUSEKEEPING_BATCH = 10_000  # under SQLite's 32,766 bound parameters of one statement
BIG_TABLES = (
    "nudges",
    "intentions",
    "stories",
    "outbox",
    "story_credits",
    "celebrations",
    "pulse_answers",
    "pulse_statement_answers",
    "team_pulse_settings",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--years", default="0,2", help="comma-separated, e.g. 0,1,2")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL database to empty; default SQLite")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    results: dict[int, dict[str, Any]] = {}
    for years in (int(y) for y in args.years.split(",")):
        url = args.database_url or (f"sqlite:///{tempfile.mkdtemp(prefix='coach-years-')}/bench.db")
        results[years] = run(args, url, years)
    first = min(results)
    print(f"\n{args.people} people in {args.teams} teams, {args.rounds} rounds, "
          f"database {results[first]['dialect']}")  # fmt: skip
    names = [k for k in results[first] if isinstance(results[first][k], tuple)]
    for name in names:
        cells = []
        for years, found in results.items():
            lo, mid, hi = found[name]
            cells.append(f"{years}y {mid * 1000:8.1f} ms ({lo * 1000:.1f}-{hi * 1000:.1f})")
        ratio = " ".join(
            f"x{results[y][name][1] / results[first][name][1]:.2f}" for y in results if y != first
        )
        print(f"{name:22s} " + "  ".join(cells) + f"  ratio {ratio}")
    for years, found in results.items():
        print(f"size {years}y: {found['size'] / 2**20:.1f} MiB; rows {found['rows']}; "
              f"housekeeping {found['housekeeping']}")  # fmt: skip
        print("    built in " + ", ".join(f"{name} {t:.0f} s" for name, t in found["built"].items())
              + f" (total {sum(found['built'].values()):.0f} s)")  # fmt: skip
        print("    largest: " + ", ".join(f"{name} {size / 2**20:.1f} MiB"
                                          for name, size in found["tables"][:8]))  # fmt: skip
    if len(results) > 1:  # between the last two: the outbox's 30 days are in both
        last, before = sorted(results)[-1], sorted(results)[-2]
        growth = (results[last]["size"] - results[before]["size"]) / (last - before) / 2**20
        print(f"growth: {growth:.1f} MiB a year for {args.people} people "
              f"({growth * 2000 / args.people:.0f} MiB for 2,000)")  # fmt: skip
    return 0


def run(args: argparse.Namespace, url: str, years: int) -> dict[str, Any]:
    clock = FixedClock(BUILT_AT)
    limits = PostMessageLimits(
        per_channel_per_second=10**3, channel_burst=10**3, workspace_per_minute=10**6,
        workspace_burst=10**5,
    )  # fmt: skip
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(engine)
    with SlackStandIn(clock=clock, post_message_limits=limits) as slack:
        slack.add_workspace(WS, name="Years", bot_token=TOKEN, bot_user_id="U0BOT")
        users = [f"U{i:07d}" for i in range(args.people)]
        for user in users:
            slack.add_user(WS, user, name=user.lower(), real_name=user, tz="Europe/Amsterdam")
        size = args.people // args.teams
        channels = {f"C{t:07d}": users[t * size : (t + 1) * size] for t in range(args.teams)}
        for channel, members in channels.items():
            slack.add_channel(WS, channel, name=channel.lower(), members=[*members, "U0BOT"])
        settings = Settings(
            _env_file=None,
            database_url=url,
            slack_bot_token=TOKEN,
            slack_api_url=slack.api_url,
            coach_plan_ahead_hours=0,  # planned at 09:00 and posted live: what is timed below
        )
        deps = Deps(settings=settings, engine=engine, sessions=make_sessions(engine), clock=clock)
        passes = Passes(
            deps, SingleWorkspaceTokens(TOKEN, slack.api_url), Prompts(), SendConfig(10**5)
        )
        phases: dict[str, float] = {}
        started = time.perf_counter()
        _setup(deps, channels)
        passes.plan()  # members and their profiles read from Slack, next nudges set
        phases["setup and member sync"] = time.perf_counter() - started
        rows = _history(deps, years)
        phases["history"] = time.perf_counter() - started - sum(phases.values())
        clock.set(BUILT_AT)
        housekept = _housekeep(deps)
        phases["housekeeping"] = time.perf_counter() - started - sum(phases.values())
        _analyze(engine)
        result: dict[str, Any] = {"dialect": engine.dialect.name, "rows": rows}
        result["housekeeping"] = housekept
        result["size"] = _size(engine, url)
        phases["analyze and vacuum"] = time.perf_counter() - started - sum(phases.values())
        result["built"] = phases
        result["tables"] = _table_sizes(engine)
        lead, employee, admin = users[0], users[1], users[size * (args.teams - 1) + 2]
        statements: list[str] = []
        timed = {
            "friday pass": lambda: _friday(deps),
            "employee's App Home": lambda: _home(deps, employee),
            "lead's App Home": lambda: _home(deps, lead),
            "admin's App Home": lambda: _home(deps, admin),
            "admins' pulse overview": lambda: _pulse_overview(deps),
            "planning 500 people": lambda: _planning(deps, passes),
            "my-data": lambda: _my_data(deps, employee),
        }
        for name, action in timed.items():
            result[name] = _rounds(
                action, args.rounds, engine, statements if args.explain else None
            )
        if args.explain:
            _explain(engine, statements, years)
    engine.dispose()
    return result


def _setup(deps: Deps, channels: dict[str, list[str]]) -> None:
    now = deps.clock.now()
    with deps.unit_of_work() as session:
        catalog = load_catalog_file(ROOT / "principles_catalog" / "technisch-dienstverlener.yaml")
        replace_catalog(session, workspace_id=WS, catalog=catalog, actor="bench", now=now)
        for n, (channel, members) in enumerate(channels.items()):
            set_team(
                session,
                workspace_id=WS,
                channel_id=channel,
                changes=TeamChanges(name=f"Team {n}", leads=(members[0],)),
                now=now,
            )
        last = list(channels.values())[-1]
        session.add(Admin(workspace_id=WS, user_id=last[2], added_by="bench", added_at=now))


def _history(deps: Deps, years: int) -> dict[str, int]:
    """Bulk history from the Monday `years` years before this Friday's week until yesterday.

    Written straight to the driver (sqlite3's executemany, PostgreSQL's COPY), a week per
    transaction, with ids given here: no ORM object per row, so 2,000 people's two years (a
    million nudges) take minutes, not the hour that a flush per story and per celebration did."""
    monday = FRIDAY - timedelta(days=FRIDAY.weekday())
    start = monday - timedelta(weeks=52 * years)
    with deps.unit_of_work() as session:
        teams = list(session.scalars(select(Team.id).order_by(Team.id)))
        people = {
            p.user_id: p.id
            for p in session.scalars(select(Person).where(Person.workspace_id == WS))
        }
        members = {
            team: [
                (people[u], u)
                for u in session.scalars(
                    text("SELECT user_id FROM team_members WHERE team_id = :t ORDER BY user_id"),
                    {"t": team},
                )
            ]
            for team in teams
        }
        first_team = session.get(Team, teams[0])
        assert first_team is not None
        focus = {}
        day = start
        while day < FRIDAY:
            if day.weekday() == 0:
                principle = week_focus(session, first_team, day)
                assert principle is not None
                focus[day] = (principle.id, [b.id for b in principle.behaviours])
            day += timedelta(days=1)
        # One nudge payload for every run, from this week's principle (the same whatever
        # `--years`): a payload just over half of SQLite's 4 KiB page fills one page alone, so
        # a principle with a longer text would make the 30 days of outbox look like growth.
        this_week = week_focus(session, first_team, monday)
        texts = {p.id: principle_text_of(p, "nl") for p in (this_week,) if p is not None}
        payload = build_nudge_payload(
            NudgeContent(1, "nl", next(iter(texts.values()), _no_text()), "voorbeeld " * 20, None),
            Prompts(),
        )
        ids = {
            table: int(session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table}")) or 0)  # noqa: S608
            for table in ("nudges", "stories", "celebrations")
        }
    rows = _Rows(deps.engine.dialect.name)
    payloads = {
        "nudge": rows.json(payload),
        "story": rows.json(
            {"text": "Dank je!", "blocks": [{"type": "section", "text": "x" * 600}]}
        ),
        "celebration": rows.json(
            {"text": "Vier!", "blocks": [{"type": "section", "text": "x" * 2900}] * 6}
        ),
    }
    counts = {"nudges": 0, "intentions": 0, "stories": 0, "outbox": 0}
    outbox_from = FRIDAY - timedelta(days=OUTBOX_DAYS)
    week = start
    while week < FRIDAY:
        principle_id, examples = focus[week]
        week_rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _COLUMNS}
        for offset in range(5):
            day = week + timedelta(days=offset)
            if day >= FRIDAY:
                break
            at = datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)
            stamp, local, ts = rows.ts(at), rows.day(day), f"{at.timestamp():.6f}"
            for team in teams:
                for n, (person_id, user_id) in enumerate(members[team]):
                    ids["nudges"] += 1
                    nudge_id = ids["nudges"]
                    answered = nudge_id % 3 == 0
                    behaviour = examples[(day.toordinal() + n) % len(examples)]
                    week_rows["nudges"].append(
                        (nudge_id, WS, person_id, team, local, principle_id, behaviour, "nl",
                         "answered" if answered else "sent", "D0" + str(n), ts, stamp, stamp)
                    )  # fmt: skip
                    if answered:
                        week_rows["intentions"].append(
                            (WS, person_id, nudge_id, "Ik bel de klant terug voor de afspraak " * 2,
                             "done", stamp, stamp)
                        )  # fmt: skip
                    if day >= outbox_from:
                        week_rows["outbox"].append(
                            rows.sent(f"nudge:{person_id}:{day}", "nudge", user_id,
                                      payloads["nudge"], at, person_id, nudge_id)
                        )  # fmt: skip
        _stories_and_celebrations(rows, ids, teams, members, week, payloads, week_rows)
        with deps.engine.begin() as connection:
            for table, found in week_rows.items():
                rows.write(connection, table, found)
        for table in counts:
            counts[table] += len(week_rows[table])
        week += timedelta(weeks=1)
    counts["pulse answers"] = _pulse_history(deps, teams, members, start)
    if deps.engine.dialect.name == "postgresql":  # ids given: move the sequences on
        with deps.engine.begin() as connection:
            for table, last in ids.items():
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), :n)"),
                    {"n": max(last, 1)},
                )
    return counts


def _pulse_history(
    deps: Deps, teams: list[int], members: dict[int, list[tuple[int, str]]], start: date
) -> int:
    """Every team's pulse on from the first month, with the ownership statements; every member
    answers each month up to this one (this month's is still open on the Friday)."""
    answers, statements = [], []
    month = month_of(start)
    with deps.unit_of_work() as session:
        for team in teams:
            session.add(TeamPulseSetting(
                workspace_id=WS, team_id=team, starts=month, enabled=True, statements=True
            ))  # fmt: skip
    while month <= month_of(FRIDAY):
        for team in teams:
            for n, (person_id, _) in enumerate(members[team]):
                token = f"{team}-{person_id}-{month:%Y%m}"
                score = (n * 7 + month.month) % 11
                answers.append({"workspace_id": WS, "month": month, "token": token,
                                "team_id": team, "score": score})  # fmt: skip
                statements += [
                    {"workspace_id": WS, "month": month, "token": token, "statement": key,
                     "team_id": team, "score": 1 + (n + i) % 5}
                    for i, key in enumerate(statements_for(month))
                ]  # fmt: skip
        month = next_month(month)
    with deps.unit_of_work() as session:
        session.execute(insert(PulseAnswer), answers)
        session.execute(insert(PulseStatementAnswer), statements)
    return len(answers)


_COLUMNS = {  # in the order they are written: a story before its credits and messages
    "celebrations": "id, workspace_id, team_id, iso_year, iso_week, due_at, status, created_at, "
    "updated_at",
    "nudges": "id, workspace_id, person_id, team_id, local_date, principle_id, behaviour_id, "
    "language, status, channel_id, message_ts, created_at, updated_at",
    "intentions": "workspace_id, person_id, nudge_id, text, outcome, created_at, outcome_at",
    "stories": "id, workspace_id, author_id, filed_by, team_id, principle_id, text, share, "
    "author_consent, source, for_team, celebrated_at, celebration_id, created_at, updated_at",
    "story_credits": "story_id, user_id",
    "outbox": "workspace_id, key, kind, channel, payload, person_id, nudge_id, status, lane, "
    "due_at, expires_at, attempts, sent_at, sent_channel, sent_ts, created_at",
}


class _Rows:
    """Values as each driver takes them without SQLAlchemy's per-value processing, and the
    bulk write: sqlite3's executemany, or PostgreSQL's COPY FROM STDIN."""

    def __init__(self, dialect: str) -> None:
        self.postgresql = dialect == "postgresql"
        self._stamps: dict[datetime, Any] = {}

    def ts(self, at: datetime) -> Any:
        """SQLite: the text SQLAlchemy's DateTime stores (UTC, naive); PostgreSQL: as is."""
        if at not in self._stamps:
            self._stamps[at] = at if self.postgresql else at.strftime("%Y-%m-%d %H:%M:%S.%f")
        return self._stamps[at]

    def day(self, day: date) -> Any:
        return day if self.postgresql else day.isoformat()

    def json(self, value: Any) -> str:
        return json.dumps(value)

    def sent(self, key: str, kind: str, channel: str, payload: str, at: datetime,
             person_id: int | None = None, nudge_id: int | None = None) -> tuple[Any, ...]:  # fmt: skip
        stamp = self.ts(at)
        return (WS, key, kind, channel, payload, person_id, nudge_id, "sent", 1, stamp,
                self.ts(at + timedelta(hours=2)), 1, stamp, "D0", f"{at.timestamp():.6f}", stamp)  # fmt: skip

    def write(self, connection: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = _COLUMNS[table]
        if self.postgresql:
            cursor = connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" * len(columns.split(", ")))
        connection.exec_driver_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 - our table names


def _stories_and_celebrations(
    rows: _Rows,
    ids: dict[str, int],
    teams: list[int],
    members: dict[int, list[tuple[int, str]]],
    week: date,
    payloads: dict[str, str],
    out: dict[str, list[tuple[Any, ...]]],
) -> None:
    """Three stories per team that week, each crediting a colleague; celebrated on Friday,
    except this week's."""
    friday = week + timedelta(days=4)
    at = datetime(friday.year, friday.month, friday.day, 15, 0, tzinfo=UTC)
    stamp = rows.ts(at)
    recent = friday >= FRIDAY - timedelta(days=OUTBOX_DAYS)
    for team in teams:
        celebration_id = None
        if friday < FRIDAY:
            year, number, _ = friday.isocalendar()
            ids["celebrations"] += 1
            celebration_id = ids["celebrations"]
            out["celebrations"].append(
                (celebration_id, WS, team, year, number, stamp, "posted", stamp, stamp)
            )
            if recent:
                out["outbox"].append(
                    rows.sent(f"celebration:{celebration_id}", "celebration", "C",
                              payloads["celebration"], at)
                )  # fmt: skip
        for s in range(3):
            filed = at - timedelta(days=3 - s)
            author, credited = members[team][s][1], members[team][s + 1][1]
            ids["stories"] += 1
            story_id = ids["stories"]
            out["stories"].append(
                (story_id, WS, author, author, team, None,
                 "Mevrouw Jansen belde om te bedanken " * 3, True, "given", "command", False,
                 stamp if celebration_id else None, celebration_id, rows.ts(filed),
                 rows.ts(filed))
            )  # fmt: skip
            out["story_credits"].append((story_id, credited))
            if filed.date() >= FRIDAY - timedelta(days=OUTBOX_DAYS):
                for kind, user in (("saved", author), ("thanks", credited)):
                    out["outbox"].append(
                        rows.sent(f"story_{kind}:{story_id}:{user}", f"story_{kind}", user,
                                  payloads["story"], filed)
                    )  # fmt: skip


def _no_text() -> PrincipleText:
    return PrincipleText("x", "operational", "x", "x", "x", ())


def _friday(deps: Deps) -> Callable[[], None]:
    deps.clock.set(FRIDAY_1600)  # type: ignore[attr-defined]
    with deps.unit_of_work() as session:  # a fresh Friday each round, every team due
        session.execute(text("DELETE FROM outbox WHERE status = 'pending'"))
        session.execute(text("DELETE FROM celebrations WHERE due_at >= :d"), {"d": FRIDAY_1600})
        # Each team's stored check moment, which the round before moved on to next week.
        session.execute(text("UPDATE teams SET celebration_check_at = NULL"))
    builder = CelebrationBuilder(Prompts())

    def run() -> None:
        plan_celebrations(deps, messages=builder)

    return run


def _home(deps: Deps, user: str) -> Callable[[], None]:
    deps.clock.set(FRIDAY_1600 - timedelta(hours=2))  # type: ignore[attr-defined]

    def run() -> None:
        home_view(deps, workspace_id=WS, user_id=user)

    return run


def _pulse_overview(deps: Deps) -> Callable[[], None]:
    deps.clock.set(FRIDAY_1600 - timedelta(hours=2))  # type: ignore[attr-defined]

    def run() -> None:
        with deps.unit_of_work() as session:
            lines = organisation_pulse(
                session, workspace_id=WS, now=deps.clock.now(), minimum=MinGroup.of(3)
            )
            assert lines, "every team's pulse is shown"

    return run


def _my_data(deps: Deps, user: str) -> Callable[[], None]:
    def run() -> None:
        with deps.unit_of_work() as session:
            my_data(session, workspace_id=WS, user_id=user, now=deps.clock.now())

    return run


def _planning(deps: Deps, passes: Passes) -> Callable[[], None]:
    """500 people due at 09:00; each round in a transaction that is rolled back."""
    deps.clock.set(NUDGES_DUE)  # type: ignore[attr-defined]
    session = deps.sessions()
    humans = select(Person.id).where(Person.is_bot.is_(False)).order_by(Person.id)
    ids = list(session.scalars(humans.limit(500)))
    session.execute(update(Person).values(next_nudge_at=None))
    session.execute(update(Person).where(Person.id.in_(ids)).values(next_nudge_at=NUDGES_DUE))

    def run() -> None:
        try:
            queued = plan_nudges(session, now=NUDGES_DUE, compose=passes._compose)
            assert queued == len(ids), queued
        finally:
            session.rollback()
            session.close()

    return run


def _rounds(
    prepare: Callable[[], Callable[[], None]], rounds: int, engine: Engine, log: list[str] | None
) -> tuple[float, float, float]:
    times = []
    for n in range(rounds):
        action = prepare()

        def record(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
            if log is not None and statement.lstrip().upper().startswith("SELECT"):
                log.append((statement, params))  # type: ignore[arg-type]

        if n == 0:
            event.listen(engine, "before_cursor_execute", record)
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
        if n == 0:
            event.remove(engine, "before_cursor_execute", record)
    return min(times), statistics.median(times), max(times)


def _explain(engine: Engine, statements: list[Any], years: int) -> None:
    seen = set()
    print(f"\nquery plans at {years} years (statements reading {', '.join(BIG_TABLES)}):")
    with engine.connect() as connection:
        for statement, params in statements:
            if statement in seen or not any(f" {t}" in statement for t in BIG_TABLES):
                continue
            seen.add(statement)
            prefix = "EXPLAIN " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
            plan = connection.exec_driver_sql(prefix + statement, params).all()
            lines = [str(row[-1]) for row in plan]
            print(" ".join(statement.split())[:160])
            for line in lines:
                print("    " + line)


def _housekeep(deps: Deps) -> str:
    """Housekeeping run until nothing is left to do, as the hourly job gets there over many
    runs. Its batches are larger than the job's 500 rows: the same deletes, in fewer
    transactions, since nothing else waits on this database (two years of 2,000 people leave
    about 600,000 unanswered nudges to delete at once, which the hourly job would have done a
    few hundred at a time over those years)."""
    runs, messages, nudges = 0, 0, 0
    while True:
        done = housekeep(deps, batch=HOUSEKEEPING_BATCH)
        runs, messages, nudges = runs + 1, messages + done.messages, nudges + done.nudges
        if not (done.messages or done.nudges or done.events or done.drafts):
            break
    return f"{messages} messages and {nudges} unanswered nudges deleted in {runs} runs"


def _table_sizes(engine: Engine) -> list[tuple[str, int]]:
    """(table or index, bytes), largest first: what takes the space."""
    if engine.dialect.name == "postgresql":  # a table with its TOAST, an index alone
        query = (
            "SELECT relname, CASE relkind WHEN 'r' THEN pg_table_size(oid) "
            "ELSE pg_relation_size(oid) END FROM pg_class "
            "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'i') "
            "ORDER BY 2 DESC"
        )
    else:
        query = "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
    with engine.connect() as connection:
        return [(str(name), int(size)) for name, size in connection.exec_driver_sql(query)]


def _analyze(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def _size(engine: Engine, url: str) -> int:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM FULL"))
            return int(connection.scalar(text("SELECT pg_database_size(current_database())")))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM")
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # VACUUM went to the WAL
    path = Path(url.removeprefix("sqlite:///"))
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


if __name__ == "__main__":
    raise SystemExit(main())
