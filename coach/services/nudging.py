"""HKI nudges: who is due, about what, and the record of what became of it.

A person's `next_nudge_at` is kept current whenever something moves it (a team's or their own
settings and rhythm, pause and resume, membership, a sent nudge), so planning is one indexed
range query over what is due now. One message per person per local day, whatever the number of
teams: a nudge (the customer's voice in full on the person's first of the week or when the
focus changes, short otherwise), or once after QUIET_LIMIT ignored nudges the question about
their rhythm instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.catalog.localize import PrincipleText
from coach.deps import Deps
from coach.domain.rotation import FocusCandidate, focus_principle, next_behaviour
from coach.domain.schedule import ask_about_rhythm, due_nudge_day, iso_week, local_instant
from coach.services.people import language_for
from coach.services.pulse_invites import ComposePulse, pulse_days, queue_pulse
from coach.services.rhythm import (
    CATCH_UP,
    asked_about_rhythm,
    counted_nudge,
    reschedule,
    rhythm_of,
)
from coach.store import outbox
from coach.store.catalog import list_principles, principle_text_of
from coach.store.intentions import open_intentions
from coach.store.memberships import primary_teams
from coach.store.models import Person, Principle, Team, Workspace
from coach.store.nudges import (
    last_shown,
    nudged_on,
    principles_shown,
    record_nudges,
    set_delivered,
)
from coach.store.people import due_for_nudge
from coach.store.pulse import PulseRule
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
    full: bool = True  # with the customer's voice: the person's first of the week, or new focus


@dataclass(frozen=True)
class RhythmQuestion:
    """The day's message after QUIET_LIMIT ignored nudges: go on weekly, daily, or pause?
    `user_id` is whom it asks (its buttons carry it, checked against the clicker)."""

    user_id: str
    language: str


Compose = Callable[[NudgeContent | RhythmQuestion], dict[str, Any]]


def queue_due_nudges(
    core: Deps, *, compose: Compose, compose_pulse: ComposePulse | None = None
) -> int:
    """A pass's nudge planning: one batch of what is due now, in its own transaction, so the
    sender can start on it at once; returns how many nudges were queued."""
    with core.unit_of_work() as session:
        return plan_nudges(
            session, now=core.clock.now(), compose=compose, compose_pulse=compose_pulse
        )


def plan_nudges(
    session: Session,
    *,
    now: datetime,
    compose: Compose,
    compose_pulse: ComposePulse | None = None,
    ahead: timedelta = timedelta(0),
) -> int:
    """Queue every nudge due by `now + ahead`, each due at its own time (planned ahead, it can
    be handed to Slack's schedule: delivery/ahead.py); returns how many were queued. Safe to
    run concurrently. With `compose_pulse`, a team's monthly pulse replaces the nudge on its
    day.

    A batch costs a fixed number of statements, not a few per person: the nudges are inserted
    in one flush (their ids come back with it), the people's next moments in one executemany,
    and the outbox rows in one insert (a pulse, the exception, is queued on its own)."""
    due = due_for_nudge(session, now=now + ahead, limit=PLAN_BATCH)
    teams = primary_teams(session, people=due)
    plans = [_Plan(person, teams.get(person.id), now) for person in due]
    batch = _Batch.load(session, plans, now)
    if compose_pulse is not None:
        batch.pulse = pulse_days(session, {(p.team, p.day) for p in plans if p.team and p.day})
        if batch.pulse:  # whose day's message is their pulse already (queued ahead)
            batch.pulsed = outbox.due_moments(
                session,
                kind=outbox.Kind.PULSE,
                person_ids=[p.person.id for p in plans],
                since=now - CATCH_UP - timedelta(days=1),
            )
    chosen: list[_Chosen] = []
    questions: list[dict[str, Any]] = []
    queued = 0
    with session.no_autoflush:  # one flush below, not one before every query
        for plan in plans:
            picked = _choose(session, plan, now, (compose, compose_pulse), batch)
            if isinstance(picked, _Chosen):
                chosen.append(picked)
            elif picked is not None:
                questions.append(picked)
            elif plan.pulsed:
                queued += 1
            _move_on(session, plan, now)
    nudge_ids = record_nudges(session, [c.row for c in chosen])
    outbox.enqueue(
        session,
        [c.message(nudge_id, now, compose) for c, nudge_id in zip(chosen, nudge_ids, strict=True)]
        + questions,
    )
    return queued + len(chosen) + len(questions)


class _Plan:
    """One due person: their primary team and the local day whose nudge is due (None: none)."""

    def __init__(self, person: Person, team: Team | None, now: datetime) -> None:
        self.person, self.team, self.day = person, team, None
        self.pulsed = False  # the month's pulse was queued instead of the day's nudge
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
                rhythm=rhythm_of(person, team),
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
    this_week: set[tuple[int, int, date]]  # (person, principle, day): voices shown lately
    # Held here so the session's identity map keeps them: each person's language and
    # reschedule look their workspace up, and a workspace nobody holds is read again each time.
    workspaces: list[Workspace | None]
    texts: dict[tuple[int, str], PrincipleText] = field(default_factory=dict)
    pulse: dict[tuple[int, date], PulseRule] = field(default_factory=dict)  # (team, day): asked
    pulsed: set[tuple[int, datetime]] = field(default_factory=set)  # (person, due_at): a pulse

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
        this_week = (
            principles_shown(
                session,
                person_ids=ids,
                since=min(days) - timedelta(days=min(days).weekday()),
                until=max(days),
            )
            if days
            else set()
        )
        return cls(
            focus,
            nudged_on(session, person_ids=ids, days=days),
            last,
            {person: FollowUp(*intention) for person, intention in open_ones.items()},
            this_week,
            [
                get_workspace(session, workspace_id=workspace_id)
                for workspace_id in {plan.person.workspace_id for plan in plans}
            ],
        )

    def voice_shown(self, person_id: int, principle_id: int, day: date) -> bool:
        """Whether an earlier nudge of the person in the ISO week of `day` showed this
        principle (and with it, its customer's voice)."""
        monday = day - timedelta(days=day.weekday())
        return any(
            (person_id, principle_id, monday + timedelta(days=d)) in self.this_week
            for d in range(day.weekday())
        )


@dataclass(frozen=True)
class _Chosen:
    """One nudge decided on, before it has an id: its row, and what its message shows."""

    person: Person
    instant: datetime
    row: dict[str, Any]
    principle: PrincipleText
    behaviour: str
    follow_up: FollowUp | None
    full: bool

    def message(self, nudge_id: int, now: datetime, compose: Compose) -> dict[str, Any]:
        content = NudgeContent(
            nudge_id=nudge_id,
            language=self.row["language"],
            principle=self.principle,
            behaviour=self.behaviour,
            follow_up=self.follow_up,
            full=self.full,
        )
        person, day = self.person, self.row["local_date"]
        return outbox.message(
            workspace_id=person.workspace_id,
            key=f"nudge:{person.id}:{day.isoformat()}",
            kind=outbox.Kind.NUDGE,
            channel=person.user_id,
            payload=compose(content),
            person_id=person.id,
            nudge_id=nudge_id,
            now=now,
            due_at=self.instant,
            expires_at=self.instant + CATCH_UP,
        )


def _move_on(session: Session, plan: _Plan, now: datetime) -> None:
    """The person's next moment: past this day when it was due, else the next one ahead."""
    person, team, day = plan.person, plan.team, plan.day
    if team is None or day is None:
        reschedule(session, person, now=now, after=now, team=team, keep_planned=True)
        return
    instant = local_instant(day, person.nudge_time or team.nudge_time, person.tz or team.timezone)
    reschedule(session, person, now=now, after=instant, team=team, keep_planned=True)  # day done


def _choose(
    session: Session,
    plan: _Plan,
    now: datetime,
    compose: tuple[Compose, ComposePulse | None],
    batch: _Batch,
) -> _Chosen | dict[str, Any] | None:
    """The day's message for the person: a nudge to record, or the outbox row of the question
    about their rhythm; None when none is due, it exists already, or the month's pulse was
    queued instead (then `plan.pulsed`)."""
    person, team, day = plan.person, plan.team, plan.day
    if team is None or day is None or (person.id, day) in batch.nudged:
        return None
    instant = local_instant(day, person.nudge_time or team.nudge_time, person.tz or team.timezone)
    rule, compose_pulse = batch.pulse.get((team.id, day)), compose[1]
    if rule is not None and (person.id, instant) in batch.pulsed:
        return None  # this day's message is the month's pulse, planned already
    if (
        rule is not None
        and compose_pulse is not None
        and queue_pulse(
            session,
            person=person,
            team=team,
            day=day,
            due_at=instant,
            rule=rule,
            now=now,
            compose=compose_pulse,
        )
    ):
        plan.pulsed = True  # the month's pulse instead of the nudge
        return None
    if _asked_on(person, team, day):
        return None  # the question about the rhythm was this day's message already
    language = language_for(person, get_workspace(session, workspace_id=person.workspace_id))
    if ask_about_rhythm(person.quiet_nudges or 0, asked=person.backed_off):
        # Asked at the day's instant (planned ahead, that is later than now): `_asked_on`
        # then knows the day's message was the question, however often the day is planned.
        asked_about_rhythm(person, now=max(now, instant))
        batch.nudged.add((person.id, day))
        return outbox.message(
            workspace_id=person.workspace_id,
            key=f"rhythm:{person.id}:{day.isoformat()}",
            kind=outbox.Kind.RHYTHM_QUESTION,
            channel=person.user_id,
            payload=compose[0](RhythmQuestion(person.user_id, language)),
            person_id=person.id,
            nudge_id=None,
            composed_for={"language": language},
            now=now,
            due_at=instant,
            expires_at=instant + CATCH_UP,
        )
    principle = batch.focus[(team.id, day)]
    if principle is None:
        return None
    behaviours = [b for b in principle.behaviours if b.archived_at is None]
    if not behaviours:
        return None
    seen = [(batch.last_shown.get((person.id, b.id)), b.id) for b in behaviours]
    shown = [b for d, b in sorted((d, b) for d, b in seen if d is not None)]  # oldest first
    behaviour_id = next_behaviour([b.id for b in behaviours], shown)
    behaviour = next(b for b in behaviours if b.id == behaviour_id)
    if (principle.id, language) not in batch.texts:
        batch.texts[(principle.id, language)] = principle_text_of(principle, language)
    full = not batch.voice_shown(person.id, principle.id, day)
    batch.nudged.add((person.id, day))
    batch.this_week.add((person.id, principle.id, day))
    counted_nudge(person)
    row = {
        "workspace_id": person.workspace_id,
        "person_id": person.id,
        "team_id": team.id,
        "local_date": day,
        "principle_id": principle.id,
        "behaviour_id": behaviour.id,
        "language": language,
        "now": now,
    }
    return _Chosen(
        person=person,
        instant=instant,
        row=row,
        principle=batch.texts[(principle.id, language)],
        behaviour=behaviour.translations.get(language, behaviour.text),
        follow_up=batch.intentions.get(person.id),
        full=full,
    )


def _asked_on(person: Person, team: Team, day: date) -> bool:
    """Whether the question about the rhythm was this day's message."""
    if person.rhythm_asked_at is None:
        return False
    zone = ZoneInfo(person.tz or team.timezone)
    return person.rhythm_asked_at.astimezone(zone).date() == day


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
