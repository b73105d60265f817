"""Daily HKI nudges: who is due, about what, and the record of what became of it.

A person's `next_nudge_at` is kept current whenever something moves it (a team's or their own
settings, pause and resume, membership, a sent nudge), so planning is one indexed range query
over what is due now. One nudge per person per local day, whatever the number of teams.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from coach.catalog.localize import PrincipleText
from coach.deps import Deps
from coach.domain.rotation import FocusCandidate, focus_principle, next_behaviour
from coach.domain.schedule import due_nudge_day, iso_week, local_instant
from coach.services.people import language_for
from coach.services.rhythm import CATCH_UP, reschedule
from coach.store import outbox
from coach.store.catalog import list_principles, principle_text_of
from coach.store.intentions import open_intentions
from coach.store.memberships import primary_teams
from coach.store.models import Person, Principle, Team
from coach.store.nudges import history_of, record_nudge, set_delivered
from coach.store.people import due_for_nudge
from coach.store.workspaces import get_workspace

FOLLOW_UP_WITHIN = timedelta(days=7)
PLAN_BATCH = 500  # one transaction each: the sender can start on the first 500 at once


@dataclass(frozen=True)
class FollowUp:
    intention_id: int
    text: str


@dataclass(frozen=True)
class NudgeContent:
    """Everything a nudge message shows; composed into Block Kit by the Slack layer."""

    nudge_id: int
    language: str
    principle: PrincipleText
    behaviour: str
    follow_up: FollowUp | None


Compose = Callable[[NudgeContent], dict[str, Any]]


def queue_due_nudges(core: Deps, *, compose: Compose) -> int:
    """A pass's nudge planning: one batch of what is due now, in its own transaction, so the
    sender can start on it at once; returns how many nudges were queued."""
    with core.unit_of_work() as session:
        return plan_nudges(session, now=core.clock.now(), compose=compose)


def plan_nudges(session: Session, *, now: datetime, compose: Compose) -> int:
    """Queue every nudge due at `now`; returns how many were queued. Safe to run concurrently."""
    queued = 0
    focus: dict[tuple[int, date], Principle | None] = {}  # the week's principle per team, once
    due = due_for_nudge(session, now=now, limit=PLAN_BATCH)
    teams = primary_teams(session, people=due)
    batch = _Batch.load(session, due, now)
    with session.no_autoflush:  # flushes happen where ids are needed, not before every query
        for person in due:
            queued += _plan_person(
                session, person, teams.get(person.id), now, compose, focus, batch
            )
    return queued


@dataclass
class _Batch:
    """What planning needs to know about a batch of people, read in three queries, not 3 x N."""

    history: dict[
        int, list[tuple[date, int, int]]
    ]  # person -> (day, principle, behaviour), oldest first
    intentions: dict[int, FollowUp]
    texts: dict[tuple[int, str], PrincipleText] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, people: list[Person], now: datetime) -> _Batch:
        ids = [p.id for p in people]
        open_ones = open_intentions(session, person_ids=ids, since=now - FOLLOW_UP_WITHIN)
        return cls(
            history_of(session, person_ids=ids),
            {person: FollowUp(*intention) for person, intention in open_ones.items()},
        )


def _plan_person(
    session: Session,
    person: Person,
    team: Team | None,
    now: datetime,
    compose: Compose,
    focus: dict[tuple[int, date], Principle | None],
    batch: _Batch,
) -> int:
    day = None
    if team is not None:
        day = due_nudge_day(
            now,
            tz=person.tz or team.timezone,
            at=person.nudge_time or team.nudge_time,
            holiday_country=team.holiday_country,
            paused_until=person.paused_until,
            catch_up=CATCH_UP,
        )
    if team is None or day is None:
        reschedule(session, person, now=now, after=now, team=team)  # nothing due: look ahead
        return 0
    queued = _queue(session, person, team, day, now, compose, focus, batch)
    instant = local_instant(day, person.nudge_time or team.nudge_time, person.tz or team.timezone)
    reschedule(session, person, now=now, after=instant, team=team)  # this day is done
    return int(queued)


def _queue(
    session: Session,
    person: Person,
    team: Team,
    day: date,
    now: datetime,
    compose: Compose,
    focus: dict[tuple[int, date], Principle | None],
    batch: _Batch,
) -> bool:
    history = batch.history.get(person.id, [])
    if any(seen_day == day for seen_day, _, _ in history):
        return False  # this day's nudge exists already
    if (team.id, day) not in focus:
        focus[(team.id, day)] = week_focus(session, team, day)
    principle = focus[(team.id, day)]
    if principle is None:
        return False
    behaviours = [b for b in principle.behaviours if b.archived_at is None]
    if not behaviours:
        return False
    shown = [behaviour for _, principle_id, behaviour in history if principle_id == principle.id]
    behaviour_id = next_behaviour([b.id for b in behaviours], shown)
    behaviour = next(b for b in behaviours if b.id == behaviour_id)
    language = language_for(person, get_workspace(session, workspace_id=person.workspace_id))
    nudge = record_nudge(
        session,
        workspace_id=person.workspace_id,
        person_id=person.id,
        team_id=team.id,
        local_date=day,
        principle_id=principle.id,
        behaviour_id=behaviour.id,
        language=language,
        now=now,
    )
    if (principle.id, language) not in batch.texts:
        batch.texts[(principle.id, language)] = principle_text_of(principle, language)
    content = NudgeContent(
        nudge_id=nudge.id,
        language=language,
        principle=batch.texts[(principle.id, language)],
        behaviour=behaviour.translations.get(language, behaviour.text),
        follow_up=batch.intentions.get(person.id),
    )
    instant = local_instant(day, person.nudge_time or team.nudge_time, person.tz or team.timezone)
    outbox.enqueue(
        session,
        [
            outbox.message(
                workspace_id=person.workspace_id,
                key=f"nudge:{person.id}:{day.isoformat()}",
                kind=outbox.Kind.NUDGE,
                channel=person.user_id,
                payload=compose(content),
                person_id=person.id,
                nudge_id=nudge.id,
                now=now,
                due_at=instant,
                expires_at=instant + CATCH_UP,
            )
        ],
    )
    return True


def week_focus(
    session: Session, team: Team, day: date, *, principles: list[Principle] | None = None
) -> Principle | None:
    """The team's principle in focus in the ISO week of `day` (None for an empty catalogue);
    `principles`: the workspace's active ones, when the caller has them already."""
    if principles is None:
        principles = [
            p
            for p in list_principles(session, workspace_id=team.workspace_id)
            if p.archived_at is None
        ]
    if not principles:
        return None
    pinned = next((p.key for p in principles if p.id == team.pinned_principle_id), None)
    year, week = iso_week(day)
    key = focus_principle(
        [FocusCandidate(id=p.key, level=p.level, position=p.position) for p in principles],
        iso_year=year,
        iso_week=week,
        pinned=pinned,
    )
    return next((p for p in principles if p.key == key), None)


def nudge_finished(session: Session, finished: list[outbox.Finished]) -> None:
    """Outbox hook: remember where each nudge landed (channel, ts), or that it never did."""
    changes = [
        {
            "id": item.nudge_id,
            "status": "sent" if item.status == outbox.SENT else item.status,
            "channel_id": item.channel,
            "message_ts": item.ts,
        }
        for item in finished
        if item.nudge_id is not None
    ]
    set_delivered(session, changes=changes)
