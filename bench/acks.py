"""How fast Slack gets its answer: `coach run` beside a bare Bolt app (listeners that only ack),
both served by waitress on loopback, against the local Slack stand-in, at Slack's pace.

Requests go out at `--per-minute` (300: a busy workspace) on their own threads, so a slow
answer never delays the next request. Per request kind it prints p50 / p99 / max time to the
HTTP answer for each app, min-median-max over `--rounds`, and the ratio coach / bare. Not a test:
run it by hand (`python bench/acks.py --help`).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from coach.clock import SystemClock
from slack_standin import SlackStandIn
from slack_standin.signing import SignedRequest, send, slash_command_request

ROOT = Path(__file__).resolve().parents[1]
TEAM, TOKEN, SECRET = "T0BENCH", "xoxb-bench", "bench-secret"
PEOPLE = [f"U0B{i:03d}" for i in range(20)]
LISTENING = re.compile(r"(http://127\.0\.0\.1:\d+)")

BARE_APP = """
import sys, waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
app = App(client=WebClient(token=sys.argv[1], base_url=sys.argv[2]), signing_secret=sys.argv[3],
          token_verification_enabled=False)
for command in ("/coach", "/9plus"):
    app.command(command)(lambda ack: ack())
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


def paced(
    slack: SlackStandIn, url: str, text: str, command: str, count: int, per_minute: int
) -> list[float]:
    """`count` signed slash commands at `per_minute`, each on its own thread: answer times (s)."""
    times: list[float] = []
    lock = threading.Lock()

    def one(request: SignedRequest) -> None:
        started = time.perf_counter()
        answer = send(url + "/slack/events", request)
        took = time.perf_counter() - started
        assert answer.status == 200, answer.status
        with lock:
            times.append(took)

    threads = []
    gap = 60.0 / per_minute
    for i in range(count):
        fields = slack.slash_command(
            TEAM, user_id=PEOPLE[i % len(PEOPLE)], channel_id="C0BENCH", command=command, text=text
        )
        request = slash_command_request(fields, signing_secret=SECRET, now=SystemClock().now())
        thread = threading.Thread(target=one, args=(request,))
        thread.start()
        threads.append(thread)
        time.sleep(gap)
    for thread in threads:
        thread.join()
    return times


def quantiles(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    return (
        statistics.median(ordered),
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        ordered[-1],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="per kind, app and round")
    parser.add_argument("--per-minute", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    args = parser.parse_args()

    with SlackStandIn() as slack, tempfile.TemporaryDirectory() as folder:
        slack.add_workspace(TEAM, name="Bench", bot_token=TOKEN, bot_user_id="U0BOTBENCH")
        for user in PEOPLE:
            slack.add_user(TEAM, user, name=user.lower(), real_name=user, tz="Europe/Amsterdam")
        slack.add_channel(TEAM, "C0BENCH", name="bench", members=PEOPLE)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "COACH_"))}
        env.update(
            DATABASE_URL=args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}",
            SLACK_API_URL=slack.api_url,
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SECRET,
            PORT="0",
            LOG_LEVEL="WARNING",
        )
        coach_cli = [sys.executable, str(ROOT / "bot.py")]
        subprocess.run([*coach_cli, "migrate"], env=env, check=True, capture_output=True)
        catalogue = str(ROOT / "principles_catalog" / "service-organisation.yaml")
        subprocess.run(
            [*coach_cli, "catalog", "import", catalogue, "--workspace", TEAM],
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*coach_cli, "team", "set", "--workspace", TEAM, "--channel", "C0BENCH"],
            env=env,
            check=True,
            capture_output=True,
        )
        env["LOG_LEVEL"] = "INFO"  # the "listening on" line
        apps: dict[str, tuple[subprocess.Popen[str], str]] = {
            "coach": start([*coach_cli, "run", "--host", "127.0.0.1"], env),
            "bare Bolt": start([sys.executable, "-c", BARE_APP, TOKEN, slack.api_url, SECRET], env),
        }
        kinds: dict[str, Callable[[str], list[float]]] = {
            "/coach help": lambda url: paced(
                slack, url, "help", "/coach", args.requests, args.per_minute
            ),
            "/9plus (opens the form)": lambda url: paced(
                slack, url, "", "/9plus", args.requests, args.per_minute
            ),
        }
        try:
            print(
                f"{args.requests} requests per kind, app and round at {args.per_minute}/min; "
                f"{args.rounds} rounds; database {env['DATABASE_URL'].split(':')[0]}"
            )
            for kind, run in kinds.items():
                results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in apps}
                for _ in range(args.rounds):
                    for name, (_, url) in apps.items():
                        results[name].append(quantiles(run(url)))
                for name, rounds in results.items():
                    cells = []
                    for i, label in enumerate(("p50", "p99", "max")):
                        values = sorted(r[i] * 1000 for r in rounds)
                        cells.append(
                            f"{label} {values[len(values) // 2]:.1f} ms ({values[0]:.1f}-{values[-1]:.1f})"
                        )
                    print(f"{kind:26} {name:10} " + "  ".join(cells))
                for i, label in enumerate(("p50", "p99")):
                    coach = statistics.median(r[i] for r in results["coach"])
                    bare = statistics.median(r[i] for r in results["bare Bolt"])
                    print(f"{kind:26} ratio {label} coach / bare: {coach / bare:.2f}")
        finally:
            for process, _ in apps.values():
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
