"""The day's coaching DMs planned ahead (and perhaps already in Slack's queue) that a change has
made wrong.

A person's message of the day (a nudge, or instead of it the month's pulse DM or the question
about their rhythm) is planned the evening before and handed to Slack with chat.scheduleMessage
(`delivery/ahead.py`). Whatever changes its time or its content before it posts withdraws it:
it goes (a nudge with its record), a message Slack holds is deleted there by the delivery
worker, and the person's day is planned again from what is true now. The hooks:

- `recheck_planned`, from `rhythm.reschedule` (every change of a person's rhythm passes there:
  pause, resume, snooze, nudge time, team settings, membership, profile, rhythm, language):
  withdraws what no longer matches the person's team, time, timezone, rhythm (their weekdays
  among the team's, how often, a back-off: the planner's rule in `domain/schedule.py`), pause
  or language; a pulse DM also when the team's pulse is off for its month, the question also
  when a reaction has ended its back-off;
- `withdraw_person`: content that changed for one person (an answer or a follow-up that the
  next nudge would show differently), or everything of theirs (forget-me);
- `withdraw_workspace`: the catalogue changed (a principle or example a nudge shows), or the
  app was uninstalled (everything).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.clock import as_utc
from coach.domain.pulse import is_open, month_of
from coach.domain.schedule import days_from_text, local_instant, person_rhythm
from coach.store.models import Nudge, OutboxMessage, Person, Team
from coach.store.outbox import COMPOSED_FOR, Kind, is_queued
from coach.store.people import get_person
from coach.store.pulse import OFF, pulse_rules
from coach.store.scheduled import (
    Held,
    learn_ts,
    mark_posted,
    people_by_id,
    scheduled_nudge_in,
    unposted_in_workspace,
    unposted_instead,
    unposted_nudges,
    withdraw,
    withdraw_row,
)
from coach.store.workspaces import get_workspace

logger = logging.getLogger(__name__)


def recheck_planned(session: Session, person: Person, team: Team | None, *, now: datetime) -> int:
    """Withdraw the person's planned nudges that their settings no longer give; returns how
    many. The caller then computes `next_nudge_at` afresh, so the day is planned again."""
    withdrawn = 0
    for nudge, row in unposted_nudges(
        session, workspace_id=person.workspace_id, person_id=person.id, now=now
    ):
        if not _still_right(session, person, team, nudge, row):
            withdraw(session, nudge, row)
            _uncount(person)
            withdrawn += 1
    for row in unposted_instead(
        session, workspace_id=person.workspace_id, person_id=person.id, now=now
    ):
        if not _still_due(session, person, team, row):
            _withdraw_instead(session, person, row)
            withdrawn += 1
    if withdrawn:
        logger.info(
            "withdrew %d planned nudge(s) of person %s: settings changed", withdrawn, person.id
        )
    return withdrawn


def withdraw_person(
    session: Session, person: Person, *, now: datetime, everything: bool = False
) -> int:
    """Withdraw every planned nudge of the person (its content changed), and with `everything`
    (forget-me) their pulse DM and question too; they are planned again on the next pass."""
    planned = unposted_nudges(
        session, workspace_id=person.workspace_id, person_id=person.id, now=now
    )
    for nudge, row in planned:
        withdraw(session, nudge, row)
        _uncount(person)
    instead = (
        unposted_instead(session, workspace_id=person.workspace_id, person_id=person.id, now=now)
        if everything
        else []
    )
    for row in instead:
        _withdraw_instead(session, person, row)
    if planned or instead:
        _plan_again(person, now)
    return len(planned) + len(instead)


def withdraw_workspace(
    session: Session, *, workspace_id: str, now: datetime, everything: bool = False
) -> int:
    """The catalogue changed: withdraw every planned nudge of the workspace, to plan it again;
    with `everything` (the app was uninstalled) its pulse DMs and questions too."""
    planned = unposted_in_workspace(session, workspace_id=workspace_id, now=now)
    instead = unposted_instead(session, workspace_id=workspace_id, now=now) if everything else []
    people = {nudge.person_id for nudge, _ in planned} | {
        row.person_id for row in instead if row.person_id is not None
    }
    withdrawn: dict[int, int] = {}
    for nudge, row in planned:
        withdrawn[nudge.person_id] = withdrawn.get(nudge.person_id, 0) + 1
        withdraw(session, nudge, row)
    found = {p.id: p for p in people_by_id(session, workspace_id=workspace_id, ids=people)}
    for row in instead:
        if row.person_id in found:
            _withdraw_instead(session, found[row.person_id], row)
    for person in found.values():
        for _ in range(withdrawn.get(person.id, 0)):
            _uncount(person)
        _plan_again(person, now)
    if planned or instead:
        logger.info(
            "withdrew %d planned message(s) in %s: %s",
            len(planned) + len(instead),
            workspace_id,
            "uninstalled" if everything else "catalogue changed",
        )
    return len(planned) + len(instead)


def _uncount(person: Person) -> None:
    """A withdrawn nudge was never seen: it does not count among the ignored ones (planned
    again, it is counted then; see `rhythm.counted_nudge` and QUIET_LIMIT)."""
    person.quiet_nudges = max(0, (person.quiet_nudges or 0) - 1)


def _still_due(session: Session, person: Person, team: Team | None, row: OutboxMessage) -> bool:
    """Whether a pulse DM or rhythm question planned for later is still the message of a day
    the person's settings give, at that day's time, not paused, in their language; a pulse DM
    also for their team, whose pulse is still on and open that day."""
    if team is None or person.unreachable or person.deleted:
        return False
    tz = person.tz or team.timezone
    day = row.due_at.astimezone(ZoneInfo(tz)).date()
    instant = local_instant(day, person.nudge_time or team.nudge_time, tz)
    paused = person.paused_until is not None and as_utc(person.paused_until) > instant
    # The question itself set the back-off to weekly; its own day came from the rhythm before.
    # A reaction since (which ends the back-off) makes the question moot.
    asked = row.kind == Kind.RHYTHM_QUESTION
    if asked and not person.backed_off:
        return False
    if (
        instant != row.due_at
        or paused
        or not _nudge_day(person, team, day, backed_off=False if asked else None)
    ):
        return False
    composed = row.payload.get(COMPOSED_FOR) or {}  # rows queued before it was recorded: as now
    language = _language(session, person)
    if composed.get("language", language) != language:
        return False
    if row.kind == Kind.PULSE:
        return composed.get("team_id", team.id) == team.id and _pulse_on(session, team, day)
    return True


def _pulse_on(session: Session, team: Team, day: date) -> bool:
    """Whether the team's pulse is asked on `day`: on for its month (a change made in the
    month before applies to it) and open that day."""
    month = month_of(day)
    if not is_open(month, day, team.holiday_country):
        return False
    rules = pulse_rules(session, workspace_id=team.workspace_id, team_ids=[team.id], month=month)
    return rules.get(team.id, OFF).enabled


def _withdraw_instead(session: Session, person: Person, row: OutboxMessage) -> None:
    """Take back a pulse DM or rhythm question not posted yet (deleted in Slack's queue if
    handed over): the day is planned again (the pulse is asked on the person's next nudge day
    while it is open; the question, unasked, undoes its back-off and is asked on the next day
    it is due)."""
    if row.kind == Kind.RHYTHM_QUESTION:
        person.backed_off, person.rhythm_asked_at = False, None
    withdraw_row(session, row)


def _language(session: Session, person: Person) -> str:
    from coach.services.people import language_for  # people imports rhythm, which imports us

    return language_for(person, get_workspace(session, workspace_id=person.workspace_id))


def _plan_again(person: Person, now: datetime) -> None:
    """The planner looks at the person on its next pass and finds their next nudge afresh."""
    if person.next_nudge_at is not None and person.next_nudge_at > now:
        person.next_nudge_at = now


def _still_right(
    session: Session, person: Person, team: Team | None, nudge: Nudge, row: OutboxMessage
) -> bool:
    if team is None or team.id != nudge.team_id or person.unreachable or person.deleted:
        return False
    day = nudge.local_date
    instant = local_instant(day, person.nudge_time or team.nudge_time, person.tz or team.timezone)
    paused = person.paused_until is not None and as_utc(person.paused_until) > instant
    if instant != row.due_at or paused or not _nudge_day(person, team, day):
        return False
    return _language(session, person) == nudge.language and not _pulse_instead(
        session, person, team, day
    )


def _pulse_instead(session: Session, person: Person, team: Team, day: date) -> bool:
    """Whether the month's pulse takes the place of the nudge planned for `day` (the team's
    pulse was turned on for the month since): the planner asks it on the person's first nudge
    day while it is open, unless this month's pulse DM is queued already."""
    if not _pulse_on(session, team, day):
        return False
    from coach.services.pulse_answers import invite_key  # it imports people: see _language

    key = invite_key(person.id, month_of(day))
    return not is_queued(session, workspace_id=person.workspace_id, key=key)


def _nudge_day(person: Person, team: Team, day: date, *, backed_off: bool | None = None) -> bool:
    """Whether the person's rhythm as it is now nudges on `day`: the same rule the planner
    follows (`domain/schedule.py`: their weekdays among the team's, how often, a back-off to
    weekly, public holidays), so a nudge planned under other settings is withdrawn. (The same
    as `rhythm.rhythm_of`, which this module cannot import: rhythm imports it.)"""
    rhythm = person_rhythm(
        days_from_text(team.workdays),
        days_from_text(person.weekdays),
        person.rhythm,
        backed_off=person.backed_off if backed_off is None else backed_off,
    )
    return rhythm.nudges_on(day, team.holiday_country)


def scheduled_posted(session: Session, posted: list[Held]) -> None:
    """Outbox hook of scheduled nudges whose time has passed: Slack posted them. Their ts is
    learnt when the person first clicks on or replies to one (`learn_ts`), at no API cost."""
    mark_posted(session, posted)


def posted_as(
    session: Session, *, workspace_id: str, user_id: str, channel_id: str, ts: str
) -> Nudge | None:
    """The person's scheduled nudge that is the message `ts` in `channel_id` (a thread's parent),
    when its ts was not known yet; learnt and kept from here on. Slack posts a scheduled
    message at its time, so the ts names the nudge."""
    try:
        around = datetime.fromtimestamp(float(ts), UTC)
    except (ValueError, OverflowError, OSError):
        return None
    person = get_person(session, workspace_id=workspace_id, user_id=user_id)
    if person is None:
        return None
    nudge = scheduled_nudge_in(
        session, workspace_id=workspace_id, person_id=person.id, channel=channel_id, around=around
    )
    if nudge is not None:
        learn(session, nudge, channel_id=channel_id, ts=ts)
    return nudge


def learn(session: Session, nudge: Nudge, *, channel_id: str | None, ts: str | None) -> None:
    """Where a nudge Slack posted on its own landed, from a click on it (the payload names the
    message) or a reply in its thread: the answer can then rewrite it in place."""
    if nudge.message_ts is not None or channel_id is None or ts is None:
        return
    if not channel_id.startswith("D") or len(ts) > 32 or len(channel_id) > 32:
        return  # a nudge is posted in the person's DM with the coach, nowhere else
    learn_ts(session, nudge_id=nudge.id, channel=channel_id, ts=ts)
    nudge.channel_id, nudge.message_ts = channel_id, ts
