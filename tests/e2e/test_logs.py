"""What an operator's log collector gets from `coach run`: with LOG_FORMAT=json one JSON object
per line, and no line per scheduler job run (APScheduler's INFO chatter is for DEBUG)."""

from __future__ import annotations

import json
from collections import Counter

from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.store.teams import set_team
from slack_standin import SlackStandIn
from tests.e2e.conftest import TEAM, coach_env, start_coach


def test_json_logs_and_no_line_per_job_run(
    slack: SlackStandIn, database_url: str, deps: Deps
) -> None:
    with deps.unit_of_work() as session:
        set_team(
            session,
            workspace_id=TEAM,
            channel_id="C0NOORD",
            changes=TeamChanges(),
            now=deps.clock.now(),
        )
    running = start_coach(
        coach_env(slack, database_url, LOG_FORMAT="json"), "run", "--host", "127.0.0.1"
    )
    try:
        assert running.listening.wait(timeout=30), running.log()
        # The first planning pass (after 30 s) reads the team's members from Slack; by then the
        # delivery job (every 2 s) has run many times.
        assert slack.wait_for_calls("conversations.members", timeout=60), running.log()
    finally:
        code = running.stop()
        if running.process.stdout is not None:
            running.process.stdout.close()
    assert code == 0, running.log()
    records = [json.loads(line) for line in running.lines if line.strip()]
    assert records, "coach run logged nothing"
    assert all({"timestamp", "level", "logger", "message"} <= r.keys() for r in records), records
    assert any("listening on http://127.0.0.1:" in r["message"] for r in records)
    assert not [r for r in records if r["logger"].startswith("apscheduler")], records
    # Nothing of our own repeats per pass either: over 30 s of passes, no line comes back.
    messages = Counter(r["message"] for r in records)
    assert [m for m, n in messages.items() if n > 1] == [], messages
