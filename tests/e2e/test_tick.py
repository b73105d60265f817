"""`coach tick --now`: real processes, controlled time, and two of them at once on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from coach.catalog.files import load_catalog_file
from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.store.catalog import replace_catalog
from coach.store.models import OutboxMessage, Story, Team
from coach.store.teams import set_team
from slack_standin import PostMessageLimits, SlackStandIn
from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]
TEAM, TOKEN = "T0TICK", "xoxb-tick"
PEOPLE = [f"U0P{i:03d}" for i in range(60)]


@pytest.fixture
def office(deps: Deps) -> Iterator[SlackStandIn]:
    with SlackStandIn(
        post_message_limits=PostMessageLimits(workspace_per_minute=100_000, workspace_burst=10_000)
    ) as slack:
        slack.add_workspace(TEAM, name="Tick", bot_token=TOKEN, bot_user_id="U0BOTTICK")
        for user in PEOPLE:
            slack.add_user(
                TEAM, user, name=user.lower(), real_name=user, tz="Europe/Amsterdam", locale="en-GB"
            )
        slack.add_channel(TEAM, "C0TICK", name="tick", members=PEOPLE)
        with deps.unit_of_work() as session:
            replace_catalog(
                session,
                workspace_id=TEAM,
                actor="test",
                now=deps.clock.now(),
                catalog=load_catalog_file(
                    ROOT / "principles_catalog" / "service-organisation.yaml"
                ),
            )
            set_team(
                session,
                workspace_id=TEAM,
                channel_id="C0TICK",
                changes=TeamChanges(),
                now=deps.clock.now(),
            )
        yield slack


def tick(slack: SlackStandIn, database_url: str, now: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "COACH_"))}
    env.update(
        DATABASE_URL=database_url,
        SLACK_API_URL=slack.api_url,
        SLACK_BOT_TOKEN=TOKEN,
        COACH_SEND_PER_MINUTE="60000",
        COACH_PLAN_AHEAD_HOURS="0",  # posted live at their time (tests/coaching follows Slack's schedule)
        LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "tick", "--now", now],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def test_tick_sends_what_is_due_once(office: SlackStandIn, database_url: str, deps: Deps) -> None:
    assert "1 team(s) synced, 0 queued, 0 sent" in finished(
        tick(office, database_url, "2026-11-23T06:00:00Z")
    )
    assert "60 queued, 60 sent" in finished(tick(office, database_url, "2026-11-23T09:00:00+01:00"))
    assert "0 queued, 0 sent" in finished(tick(office, database_url, "2026-11-23T09:00:00+01:00"))
    assert len(office.calls_to("chat.postMessage")) == 60


def test_tick_refuses_a_time_without_a_timezone(office: SlackStandIn, database_url: str) -> None:
    process = tick(office, database_url, "2026-11-23T09:00:00")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "has no timezone" in err


@pytest.mark.skipif(
    not POSTGRES_URL, reason="several processes need PostgreSQL (SQLite mode is one process)"
)
def test_two_ticks_at_once_send_each_nudge_once(
    office: SlackStandIn, database_url: str, deps: Deps
) -> None:
    finished(tick(office, database_url, "2026-11-23T06:00:00Z"))
    office.delay(
        "chat.postMessage", seconds=0.02
    )  # keep the first one busy while the second starts
    first, second = (tick(office, database_url, "2026-11-23T08:00:00Z") for _ in range(2))
    outputs = [finished(first), finished(second)]
    posted = Counter(
        call.args["channel"] for call in office.calls_to("chat.postMessage") if call.ok
    )
    assert sorted(posted) == sorted(PEOPLE), outputs
    assert set(posted.values()) == {1}
    with deps.unit_of_work() as session:
        assert Counter(session.scalars(select(OutboxMessage.status))) == {"sent": 60}


@pytest.mark.skipif(
    not POSTGRES_URL, reason="several processes need PostgreSQL (SQLite mode is one process)"
)
def test_two_ticks_at_once_post_one_celebration(
    office: SlackStandIn, database_url: str, deps: Deps
) -> None:
    finished(tick(office, database_url, "2026-11-23T06:00:00Z"))
    with deps.unit_of_work() as session:
        team_id = session.scalar(select(Team.id))
        now = deps.clock.now()
        session.add(
            Story(
                workspace_id=TEAM,
                author_id=PEOPLE[0],
                filed_by=PEOPLE[0],
                team_id=team_id,
                text="The customer called to say thanks",
                share=True,
                author_consent="given",
                source="command",
                created_at=now,
                updated_at=now,
            )
        )
    office.delay("chat.postMessage", seconds=0.05)
    friday = "2026-11-27T16:00:00+01:00"  # the team's default moment, Friday 16:00 Amsterdam
    first, second = (tick(office, database_url, friday) for _ in range(2))
    finished(first), finished(second)
    finished(tick(office, database_url, friday))
    posts = [m for m in office.messages_in("C0TICK") if m.get("bot_id")]
    assert len(posts) == 1
    assert json.dumps(posts).count("The customer called to say thanks") == 1
    with deps.unit_of_work() as session:
        [story] = session.scalars(select(Story))
        assert story.celebrated_at is not None
