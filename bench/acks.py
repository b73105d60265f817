"""How fast Slack gets its answer: `coach run` beside a bare Bolt app (listeners that only ack),
both served by waitress on loopback against the local Slack stand-in, idle and while 2,000
people are being nudged (issue 12).

Each cell fires bursts of `concurrency` signed requests at once (`--bursts` of them, a short
pause between) at one app, then at the other, and takes the answer times; a round visits every
cell, `--rounds` rounds give min / median / max of each cell's p99. The load: everyone's nudge
made due at once, so `coach run` plans (500 a pass, every 30 s) and sends (at
COACH_SEND_PER_MINUTE, 300) while it answers. Not a test: run it by hand.

    .venv/bin/python bench/acks.py                         # SQLite
    .venv/bin/python bench/acks.py --database-url postgresql://127.0.0.1:5432/bench_acks
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench_workspace import COACH, StandInProcess, coach_env, empty_database
from sqlalchemy import Engine, func, insert, select, update

from coach.clock import SystemClock
from coach.store.models import Behaviour, Nudge, OutboxMessage, Person, Team
from slack_standin import payloads
from slack_standin.signing import (
    SignedRequest,
    interactivity_request,
    send,
    slash_command_request,
)

ROOT = Path(__file__).resolve().parents[1]
TEAM, TOKEN, SECRET = "T0BENCH", "xoxb-bench", "bench-secret"
TZ = ZoneInfo("Europe/Amsterdam")
LISTENING = re.compile(r"(http://127\.0\.0\.1:\d+)")
CLICKERS = 40

BARE_APP = """
import re, sys, waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
app = App(client=WebClient(token=sys.argv[1], base_url=sys.argv[2]), signing_secret=sys.argv[3],
          token_verification_enabled=False)
for command in ("/coach", "/9plus"):
    app.command(command)(lambda ack: ack())
app.action(re.compile(".*"))(lambda ack: ack())
handler = SlackRequestHandler(app)
server = waitress.create_server(handler, host="127.0.0.1", port=0, threads=8)
print(f"listening on http://127.0.0.1:{server.effective_port}", flush=True)
server.run()
"""


def start(command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT
    )
    assert process.stdout is not None
    for line in process.stdout:
        match = LISTENING.search(line)
        if match and "listening" in line:
            threading.Thread(
                target=lambda: [None for _ in process.stdout or []], daemon=True
            ).start()
            return process, match.group(1)
    raise SystemExit(f"{command[1]} did not start")


class Requests:
    """Signed requests as Slack sends them, each with a fresh trigger_id."""

    def __init__(self, slack: Any, people: list[str], nudges: dict[str, int]) -> None:
        self.slack, self.people, self.nudges = slack, people, nudges
        self.app_id = slack.app_id()
        self._next = 0

    def _person(self) -> str:
        self._next += 1
        return self.people[self._next % CLICKERS]

    def command(self, command: str, text: str) -> SignedRequest:
        fields = self.slack.slash_command(
            TEAM, user_id=self._person(), channel_id="C00000000", command=command, text=text
        )
        return slash_command_request(fields, signing_secret=SECRET, now=SystemClock().now())

    def nudge_click(self) -> SignedRequest:
        user = self._person()
        now = SystemClock().now()
        action = payloads.button_action(
            action_id="nudge_answer",
            block_id="nudge_actions",
            value=str(self.nudges[user]),
            text="Answer",
            at=now,
        )
        body = payloads.block_actions(
            team_id=TEAM,
            team_domain="bench",
            user_id=user,
            user_name=user.lower(),
            api_app_id=self.app_id,
            trigger_id=self.slack.new_trigger_id(TEAM, user),
            actions=[action],
            message={"ts": payloads.slack_ts(now), "blocks": [], "text": "nudge"},
            channel={"id": self.slack.im_channel_id(TEAM, user), "name": "directmessage"},
        )
        return interactivity_request(body, signing_secret=SECRET, now=now)


def bursts(
    url: str, make: Callable[[], SignedRequest], concurrency: int, count: int
) -> list[float]:
    """`count` bursts of `concurrency` requests sent at the same moment: answer times (s)."""
    times: list[float] = []
    lock = threading.Lock()
    for _ in range(count):
        requests = [make() for _ in range(concurrency)]
        gate = threading.Barrier(concurrency)

        def one(request: SignedRequest, gate: threading.Barrier = gate) -> None:
            gate.wait()
            started = time.perf_counter()
            answer = send(url + "/slack/events", request)
            took = time.perf_counter() - started
            assert answer.status == 200, (answer.status, answer.text)
            with lock:
                times.append(took)

        threads = [threading.Thread(target=one, args=(r,)) for r in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(0.3)
    return times


def p99(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(1)


def count(engine: Engine, statement: object) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(statement) or 0)  # type: ignore[call-overload]


def seed(engine: Engine, teams: int, now: datetime, nudge_at: clock_time) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(Team),
            [
                {
                    "workspace_id": TEAM,
                    "channel_id": f"C{t:08d}",
                    "name": f"team {t}",
                    "nudge_time": nudge_at,
                    "celebrate_weekday": 4,
                    "celebrate_time": clock_time(16, 0),
                    "timezone": "Europe/Amsterdam",
                    "holiday_country": "NL",
                    "language": "nl",
                    "created_at": now,
                    "updated_at": now,
                }
                for t in range(teams)
            ],
        )


def nudges_for(engine: Engine, people: list[str], now: datetime) -> dict[str, int]:
    """Yesterday's nudge for each clicker, so a click finds a nudge of theirs to answer."""
    with engine.begin() as connection:
        behaviour = connection.execute(select(Behaviour.id, Behaviour.principle_id).limit(1)).one()
        team_id = connection.scalar(select(func.min(Team.id)))
        ids = dict(
            connection.execute(
                select(Person.user_id, Person.id).where(Person.user_id.in_(people[:CLICKERS]))
            ).all()
        )
        day = (now - timedelta(days=1)).date()
        connection.execute(
            insert(Nudge),
            [
                {
                    "workspace_id": TEAM,
                    "person_id": ids[user],
                    "team_id": team_id,
                    "local_date": day,
                    "principle_id": behaviour.principle_id,
                    "behaviour_id": behaviour.id,
                    "language": "nl",
                    "status": "sent",
                    "created_at": now,
                    "updated_at": now,
                }
                for user in people[:CLICKERS]
            ],
        )
        rows = connection.execute(
            select(Person.user_id, Nudge.id)
            .join(Nudge, Nudge.person_id == Person.id)
            .where(Nudge.local_date == day)
        ).all()
    return dict(rows)  # type: ignore[arg-type]


CELLS = [
    ("/9plus (opens the form)", 8),
    ("/9plus (opens the form)", 32),
    ("/coach help", 32),
    ("nudge button click", 8),
    ("nudge button click", 32),
]


def measure(
    apps: dict[str, str], requests: Requests, rounds: int, count_: int
) -> dict[tuple[str, int], dict[str, list[list[float]]]]:
    makers: dict[str, Callable[[], SignedRequest]] = {
        "/9plus (opens the form)": lambda: requests.command("/9plus", ""),
        "/coach help": lambda: requests.command("/coach", "help"),
        "nudge button click": requests.nudge_click,
    }
    results: dict[tuple[str, int], dict[str, list[list[float]]]] = {
        cell: {name: [] for name in apps} for cell in CELLS
    }
    for kind, concurrency in CELLS:  # warm-up (templates compiled, connections opened): not kept
        for url in apps.values():
            bursts(url, makers[kind], concurrency, 1)
    for _ in range(rounds):
        for kind, concurrency in CELLS:
            for name, url in apps.items():
                times = bursts(url, makers[kind], concurrency, count_)
                results[(kind, concurrency)][name].append(times)
    return results


def report(phase: str, results: dict[tuple[str, int], dict[str, list[list[float]]]]) -> None:
    print(f"\n{phase}: p99 per round, median (min-max); ratio of medians; slowest answer")
    for (kind, concurrency), by_app in results.items():
        cells = {}
        for name, rounds in by_app.items():
            values = sorted(p99(times) * 1000 for times in rounds)
            cells[name] = (statistics.median(values), values[0], values[-1])
        slowest = max(max(times) for times in by_app["coach"]) * 1000
        coach, bare = cells["coach"], cells["bare Bolt"]
        print(
            f"| {kind} | {concurrency} | {coach[0]:.0f} ms ({coach[1]:.0f}-{coach[2]:.0f}) "
            f"| {bare[0]:.0f} ms ({bare[1]:.0f}-{bare[2]:.0f}) | {coach[0] / bare[0]:.2f} "
            f"| {slowest:.0f} ms |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--team-size", type=int, default=20)
    parser.add_argument("--bursts", type=int, default=4, help="per cell, app and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="a database it may empty")
    args = parser.parse_args()
    with StandInProcess() as slack, tempfile.TemporaryDirectory() as folder:
        slack.add_workspace(TEAM, name="Bench", bot_token=TOKEN, bot_user_id="U0BOTBENCH")
        people, teams = slack.add_people(TEAM, people=args.people, team_size=args.team_size)
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = empty_database(url)
        env = coach_env(slack.api_url(), url, token=TOKEN, secret=SECRET)
        catalogue = str(ROOT / "principles_catalog" / "service-organisation.yaml")
        subprocess.run(
            [*COACH, "catalog", "import", catalogue, "--workspace", TEAM],
            env=env,
            check=True,
            capture_output=True,
        )
        now = datetime.now(UTC)
        # Nobody due, and nothing to plan ahead: today's moment passed 3 h ago (beyond the 2 h
        # catch-up) and tomorrow's is 21 h away, beyond COACH_PLAN_AHEAD_HOURS (16). A moment
        # within that horizon would be planned during the idle phase (and handed to Slack's
        # schedule), and the raw UPDATE below would leave those nudges at the old time: the
        # product withdraws them on a change of time, this bench's UPDATE does not.
        earlier = (now.astimezone(TZ) - timedelta(hours=3)).time().replace(second=0, microsecond=0)
        seed(engine, teams, now, earlier)
        env["LOG_LEVEL"] = "INFO"  # the "listening on" line
        processes = {
            "coach": start([*COACH, "run", "--host", "127.0.0.1"], env),
            "bare Bolt": start(
                [sys.executable, "-c", BARE_APP, TOKEN, slack.api_url(), SECRET], env
            ),
        }
        apps = {name: url for name, (_, url) in processes.items()}
        try:
            print(
                f"{args.people} people in {teams} teams; {args.bursts} bursts per cell, app and "
                f"round; {args.rounds} rounds; database {url.split(':')[0]}",
                flush=True,
            )
            synced = select(func.count()).where(Person.next_nudge_at.is_not(None))
            wait_until(lambda: count(engine, synced) >= args.people, 180, "the first sync")
            requests = Requests(slack, people, nudges_for(engine, people, now))
            report("idle", measure(apps, requests, args.rounds, args.bursts))
            queued = select(func.count()).select_from(OutboxMessage)
            if count(engine, queued):
                raise SystemExit("nudges were planned while idle: the measurement would be wrong")
            due = (datetime.now(UTC).astimezone(TZ) - timedelta(minutes=5)).time()
            with engine.begin() as connection:
                connection.execute(update(Team).values(nudge_time=due.replace(microsecond=0)))
                connection.execute(
                    update(Person).values(next_nudge_at=datetime.now(UTC) - timedelta(minutes=1))
                )
            wait_until(lambda: count(engine, queued) > 0, 60, "the first nudges queued")
            sent = select(func.count()).where(OutboxMessage.status == "sent")
            before, started = count(engine, sent), time.monotonic()
            results = measure(apps, requests, args.rounds, args.bursts)
            after, took = count(engine, sent), time.monotonic() - started
            print(
                f"\nduring the nudge pass ({took:.0f} s): {count(engine, queued)} queued, "
                f"{after - before} sent while the requests ran ({before} before), "
                f"{(after - before) * 60 / took:.0f} a minute (allowed: 300)"
            )
            report(f"while {args.people} people are nudged", results)
        finally:
            for process, _ in processes.values():
                process.terminate()
                process.wait(timeout=30)
            engine.dispose()


if __name__ == "__main__":
    main()
