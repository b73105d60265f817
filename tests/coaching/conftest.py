"""A small company on three continents, its Slack (the stand-in) and 9+ Coach, all in-process,
with one clock the tests move."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from coach.catalog.files import load_catalog_file
from coach.clock import FixedClock
from coach.delivery.sender import METADATA_EVENT
from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.settings import Settings
from coach.store import outbox
from coach.store.catalog import replace_catalog
from coach.store.models import Principle, Story, StoryCredit, Team
from coach.store.teams import set_team
from coach_demo.driver import Driver
from slack_standin import SlackStandIn

ROOT = Path(__file__).resolve().parents[2]
TEAM, TOKEN, SECRET = "T0ACME", "xoxb-coaching", "coaching-secret"
PEOPLE = {  # user: (tz, locale)
    "U0ANNA": ("Europe/Amsterdam", "nl-NL"),
    "U0BOB": ("America/New_York", "en-US"),
    "U0KEN": ("Asia/Tokyo", "en-US"),
}


def add_story(
    world: Driver,
    text: str,
    *,
    author: str = "U0ANNA",
    share: bool = True,
    consent: str = "given",
    principle: str | None = "goed-geregeld",
    credits: tuple[str, ...] = (),
    channel: str = "C0NOORD",
    for_team: bool = False,
    at: datetime | None = None,
) -> int:
    """A story as if filed through the form (for setting the scene; the form has its own tests)."""
    now = at or world.clock.now()
    with world.deps.unit_of_work() as session:
        team_id = session.scalar(select(Team.id).where(Team.channel_id == channel))
        principle_id = session.scalar(select(Principle.id).where(Principle.key == principle))
        story = Story(
            workspace_id=TEAM,
            author_id=author,
            filed_by=author,
            team_id=team_id,
            principle_id=principle_id,
            text=text,
            share=share,
            author_consent=consent,
            source="command",
            for_team=for_team,
            created_at=now,
            updated_at=now,
            credits=[StoryCredit(user_id=c) for c in credits],
        )
        session.add(story)
        session.flush()
        return story.id


def set_leads(world: Driver, *leads: str, channel: str = "C0NOORD", **changes: Any) -> None:
    """Create or change a team (Noord by default) as `coach team set` would, with these leads."""
    with world.deps.unit_of_work() as session:
        set_team(
            session,
            workspace_id=TEAM,
            channel_id=channel,
            changes=TeamChanges(leads=leads, **changes),
            now=world.clock.now(),
        )


def shown_text(messages: list[dict[str, Any]]) -> str:
    """Every text a reader sees in the messages' blocks (sections and context lines)."""
    texts = []
    for block in (b for m in messages for b in m.get("blocks", [])):
        if block.get("text"):
            texts.append(block["text"]["text"])
        texts += [e.get("text", "") for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return "\n".join(texts)


def claim_as_dead(world: Driver, *, key_prefix: str = "") -> outbox.Claimed:
    """A process claims what is due and dies: the first claimed row whose key starts so."""
    with world.deps.unit_of_work() as session:
        rows = outbox.claim(
            session,
            workspace_id=TEAM,
            now=world.clock.now(),
            limit=5,
            worker="dead",
            lease=timedelta(minutes=2),
        )
    return next(row for row in rows if row.key.startswith(key_prefix))


def post_then_die(world: Driver, *, key_prefix: str = "") -> outbox.Claimed:
    """A process claims a row, posts it (with the key in the metadata, as the sender does) and
    dies before recording that it did."""
    claimed = claim_as_dead(world, key_prefix=key_prefix)
    WebClient(token=TOKEN, base_url=world.slack.api_url).chat_postMessage(
        channel=claimed.channel,
        text=claimed.payload["text"],
        blocks=claimed.payload["blocks"],
        thread_ts=claimed.payload.get("thread_ts"),
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": claimed.key}},
    )
    return claimed


@pytest.fixture
def plan_ahead_hours() -> int:
    """COACH_PLAN_AHEAD_HOURS of the world: 0, nudges posted live (a module may override it)."""
    return 0


@pytest.fixture
def world(deps: Deps, clock: FixedClock, plan_ahead_hours: int) -> Iterator[Driver]:
    clock.set(datetime.fromisoformat("2026-11-23T06:00:00+00:00"))  # Monday morning in Europe
    # The stand-in's rate limits run on the same clock as everything else, so moving the clock
    # is what lets Slack's per-channel and per-workspace buckets refill.
    with SlackStandIn(clock=clock, monotonic=lambda: clock.now().timestamp()) as slack:
        slack.add_workspace(TEAM, name="Acme", bot_token=TOKEN, bot_user_id="U0BOTACME")
        for user, (tz, locale) in PEOPLE.items():
            slack.add_user(TEAM, user, name=user.lower(), real_name=user, tz=tz, locale=locale)
        slack.add_user(TEAM, "U0ROBOT", name="robot", real_name="Robot", is_bot=True)
        slack.add_channel(
            TEAM, "C0NOORD", name="team-noord", members=[*PEOPLE, "U0ROBOT", "U0BOTACME"]
        )
        settings = Settings(
            _env_file=None,
            database_url=deps.settings.database_url,
            slack_bot_token=TOKEN,
            slack_api_url=slack.api_url,
            slack_signing_secret=SECRET,
            # These tests follow nudges posted live at their time; test_scheduled_nudges.py
            # follows them through Slack's schedule.
            coach_plan_ahead_hours=plan_ahead_hours,
        )
        core = Deps(settings=settings, engine=deps.engine, sessions=deps.sessions, clock=clock)
        with core.unit_of_work() as session:
            replace_catalog(
                session,
                workspace_id=TEAM,
                now=clock.now(),
                actor="test",
                catalog=load_catalog_file(
                    ROOT / "principles_catalog" / "technisch-dienstverlener.yaml"
                ),
            )
            set_team(
                session,
                workspace_id=TEAM,
                channel_id="C0NOORD",
                changes=TeamChanges(name="Noord"),
                now=clock.now(),
            )
        with Driver.start(slack, core, clock, team_id=TEAM, per_minute=600) as world:
            yield world
