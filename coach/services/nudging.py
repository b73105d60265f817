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

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from coach.catalog.localize import PrincipleText
from coach.domain.rotation import FocusCandidate, focus_principle, next_behaviour
from coach.domain.schedule import due_nudge_day, iso_week, local_instant
from coach.services.people import language_for
from coach.services.rhythm import CATCH_UP, primary_teams, reschedule
from coach.store import outbox
from coach.store.catalog import principle_text_of
from coach.store.models import (
    Intention,
    Nudge,
    Person,
    Principle,
    Team,
    Workspace,
)

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


def plan_nudges(session: Session, *, now: datetime, compose: Compose) -> int:
    """Queue every nudge due at `now`; returns how many were queued. Safe to run concurrently."""
    statement = (
        select(Person)
        .where(Person.next_nudge_at <= now)
        .order_by(Person.next_nudge_at)
        .limit(PLAN_BATCH)
        .with_for_update(skip_locked=True)
    )
    queued = 0
    focus: dict[tuple[int, date], Principle | None] = {}  # the week's principle per team, once
    due = list(session.scalars(statement))
    teams = primary_teams(session, due)
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
        history: dict[int, list[tuple[date, int, int]]] = {i: [] for i in ids}
        intentions: dict[int, FollowUp] = {}
        if ids:
            rows = session.execute(
                select(Nudge.person_id, Nudge.local_date, Nudge.principle_id, Nudge.behaviour_id)
                .where(Nudge.person_id.in_(ids))
                .order_by(Nudge.local_date)
            )
            for person_id, day, principle_id, behaviour_id in rows:
                history[person_id].append((day, principle_id, behaviour_id))
            open_ones = session.execute(
                select(Intention.person_id, Intention.id, Intention.text)
                .where(
                    Intention.person_id.in_(ids),
                    Intention.outcome.is_(None),
                    Intention.created_at >= now - FOLLOW_UP_WITHIN,
                )
                .order_by(Intention.created_at)
            )
            for person_id, intention_id, text in open_ones:
                intentions[person_id] = FollowUp(intention_id, text)  # the latest one wins
        return cls(history, intentions)


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
    language = language_for(person, session.get(Workspace, person.workspace_id))
    nudge = Nudge(
        workspace_id=person.workspace_id,
        person_id=person.id,
        team_id=team.id,
        local_date=day,
        principle_id=principle.id,
        behaviour_id=behaviour.id,
        language=language,
        status="queued",
        created_at=now,
        updated_at=now,
    )
    session.add(nudge)
    session.flush()
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
        principles = list(
            session.scalars(
                select(Principle)
                .where(Principle.workspace_id == team.workspace_id, Principle.archived_at.is_(None))
                .options(selectinload(Principle.behaviours))
            )
        )
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
    if changes:
        session.execute(update(Nudge), changes)
