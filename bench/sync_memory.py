"""Peak memory of `coach run` through a full member sync of a large workspace (issue 12).

The local Slack stand-in (in this process) holds `--people` people in channels of
`--team-size`; the database (fresh SQLite file, or `--database-url`, which it empties) knows the
teams but none of the people. `coach run` starts, its first planning pass (30 s after start)
reads every channel and the whole directory, and the run ends when everyone has their next
nudge; it prints the process's peak RSS (VmHWM) and how long the sync took. Not a test.

    .venv/bin/python bench/sync_memory.py --people 100000
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import threading
import time
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path

from bench_workspace import COACH, add_people, coach_env, empty_database
from sqlalchemy import func, insert, select

from coach.store.models import Person, Team, Workspace
from slack_standin import SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
TEAM_ID, TOKEN, SECRET = "T0SYNC", "xoxb-sync", "sync-secret"


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--team-size", type=int, default=20)
    parser.add_argument("--database-url", default=None, help="a database it may empty")
    parser.add_argument("--timeout", type=int, default=900, help="seconds")
    args = parser.parse_args()
    with SlackStandIn(post_message_limits=None) as slack, tempfile.TemporaryDirectory() as folder:
        slack.add_workspace(TEAM_ID, name="Sync", bot_token=TOKEN, bot_user_id="U0BOTSYNC")
        _, teams = add_people(slack, TEAM_ID, people=args.people, team_size=args.team_size)
        url = args.database_url or f"sqlite:///{Path(folder) / 'sync.db'}"
        engine = empty_database(url)
        env = coach_env(slack.api_url, url, token=TOKEN, secret=SECRET)
        now = datetime.now(UTC)
        with engine.begin() as connection:
            connection.execute(insert(Workspace).values(id=TEAM_ID, name="Sync", created_at=now))
            connection.execute(
                insert(Team),
                [
                    {
                        "workspace_id": TEAM_ID,
                        "channel_id": f"C{t:08d}",
                        "name": f"team {t}",
                        "nudge_time": clock_time(9, 0),
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
        process = subprocess.Popen(
            [*COACH, "run", "--host", "127.0.0.1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        errors: list[str] = []
        threading.Thread(target=lambda: errors.extend(process.stderr or []), daemon=True).start()
        started = time.monotonic()
        first = last = None
        idle = 0.0
        try:
            while time.monotonic() - started < args.timeout:
                time.sleep(1)
                if process.poll() is not None:
                    raise SystemExit("coach run stopped:\n" + "".join(errors[-20:]))
                if time.monotonic() - started < 5:
                    idle = rss_mib(process.pid)
                with engine.connect() as connection:
                    people = connection.scalar(select(func.count()).select_from(Person))
                    planned = connection.scalar(
                        select(func.count()).where(Person.next_nudge_at.is_not(None))
                    )
                if people and first is None:
                    first = time.monotonic()
                if planned == args.people:
                    last = time.monotonic()
                    break
            peak = peak_rss_mib(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=60)
        engine.dispose()
        if last is None or first is None:
            raise SystemExit(f"the sync did not finish within {args.timeout} s")
        print(
            f"{args.people} people in {teams} teams ({url.split(':')[0]}): coach run idle "
            f"{idle:.0f} MiB, peak RSS {peak:.0f} MiB (target <= 250 MB = 238 MiB); "
            f"sync from the first stored person to everyone's next nudge: about "
            f"{last - first:.0f} s"
        )


if __name__ == "__main__":
    main()
