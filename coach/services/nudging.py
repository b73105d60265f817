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
from coach.store.nudges import last_shown, nudged_on, record_nudge, set_delivered
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


def plan_nudges(
    session: Session, *, now: datetime, compose: Compose, ahead: timedelta = timedelta(0)
) -> int:
    """Queue every nudge due by `now + ahead`, each due at its own time (planned ahead, it can
    be handed to Slack's schedule: delivery/ahead.py); returns how many were queued. Safe to
    run concurrently."""
    due = due_for_nudge(session, now=now + ahead, limit=PLAN_BATCH)
    teams = primary_teams(session, people=due)
    plans = [_Plan(person, teams.get(person.id), now) for person in due]
    batch = _Batch.load(session, plans, now)
    queued = 0
    with session.no_autoflush:  # flushes happen where ids are needed, not before every query
        for plan in plans:
            queued += _plan_person(session, plan, now, compose, batch)
    return queued


class _Plan:
    """One due person: their primary team and the local day whose nudge is due (None: none)."""

    def __init__(self, person: Person, team: Team | None, now: datetime) -> None:
        self.person, self.team, self.day = person, team, None
        # A nudge planned ahead is due at its own instant; one that is late, now.
        moment = max(now, person.next_nudge_at or now)
        if team is not None:
            self.day = due_nudge_day(
                moment,
                tz=person.tz or team.timezone,
                at=person.nudge_time or team.nudge_time,
                holiday_country=team.holiday_country,
                paused_until=person.paused_until,
                catch_up=CATCH_UP,
            )


@dataclass
class _Batch:
    """What planning needs to know about a batch of people, read in a few queries, not per
    person, and only what the rotation needs: whether the day's nudge exists and when each
    example of the week's principle was last shown; never the whole history."""

    focus: dict[tuple[int, date], Principle | None]  # the week's principle per team and day
    nudged: set[tuple[int, date]]  # (person, day) whose nudge exists already
    last_shown: dict[tuple[int, int], date]  # (person, behaviour) -> day last shown
    intentions: dict[int, FollowUp]
    texts: dict[tuple[int, str], PrincipleText] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, plans: list[_Plan], now: datetime) -> _Batch:
        focus: dict[tuple[int, date], Principle | None] = {}
        active: dict[str, list[Principle]] = {}  # per workspace, read once
        wanted: dict[int, tuple[list[int], list[int]]] = {}  # principle -> (examples, people)
        for plan in plans:
            if plan.team is None or plan.day is None:
                continue
            team, day = plan.team, plan.day
            if (team.id, day) not in focus:
                if team.workspace_id not in active:
                    active[team.workspace_id] = _active_principles(session, team.workspace_id)
                principles = active[team.workspace_id]
                focus[(team.id, day)] = week_focus(session, team, day, principles=principles)
            principle = focus[(team.id, day)]
            if principle is not None:
                examples = [b.id for b in principle.behaviours if b.archived_at is None]
                wanted.setdefault(principle.id, (examples, []))[1].append(plan.person.id)
        last: dict[tuple[int, int], date] = {}
        for examples, people in wanted.values():
            last.update(last_shown(session, person_ids=people, behaviour_ids=examples))
        ids = [plan.person.id for plan in plans]
        days = {plan.day for plan in plans if plan.day is not None}
        open_ones = open_intentions(session, person_ids=ids, since=now - FOLLOW_UP_WITHIN)
        return cls(
            focus,
            nudged_on(session, person_ids=ids, days=days),
            last,
            {person: FollowUp(*intention) for person, intention in open_ones.items()},
        )


def _plan_person(
    session: Session, plan: _Plan, now: datetime, compose: Compose, batch: _Batch
) -> int:
    person, team, day = plan.person, plan.team, plan.day
    if team is None or day is None:
        reschedule(session, person, now=now, after=now, team=team, keep_planned=True)
        return 0
    queued = _queue(session, person, team, day, now, compose, batch)
    instant = local_instant(day, person.nudge_time or team.nudge_time, person.tz or team.timezone)
    reschedule(session, person, now=now, after=instant, team=team, keep_planned=True)  # day done
    return int(queued)


def _queue(
    session: Session,
    person: Person,
    team: Team,
    day: date,
    now: datetime,
    compose: Compose,
    batch: _Batch,
) -> bool:
    if (person.id, day) in batch.nudged:
        return False  # this day's nudge exists already
    principle = batch.focus[(team.id, day)]
    if principle is None:
        return False
    behaviours = [b for b in principle.behaviours if b.archived_at is None]
    if not behaviours:
        return False
    seen = [(batch.last_shown.get((person.id, b.id)), b.id) for b in behaviours]
    shown = [b for d, b in sorted((d, b) for d, b in seen if d is not None)]  # oldest first
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
        principles = _active_principles(session, team.workspace_id)
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


def _active_principles(session: Session, workspace_id: str) -> list[Principle]:
    return [p for p in list_principles(session, workspace_id=workspace_id) if p.archived_at is None]


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
