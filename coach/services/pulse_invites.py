"""Asking the team pulse: on a team's first workday of the month, when its pulse is on for that
month, each member's nudge of the day becomes the pulse DM (services/nudging.py asks here), so a
person still gets at most one coaching DM that day. The month's rule was fixed before the month
began: a change of the setting applies from the next month. Like the nudge it replaces, the pulse
DM is planned the evening before and handed to Slack's schedule (delivery/ahead.py); a change
that makes it wrong withdraws it (services/scheduled_nudges.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from coach.domain.pulse import closes_on, is_open, month_of, statements_for
from coach.services.people import language_for
from coach.services.pulse_answers import PulseContent, invite_key
from coach.store import outbox
from coach.store.models import Person, Team
from coach.store.pulse import PulseRule, pulse_rules
from coach.store.workspaces import get_workspace

ComposePulse = Callable[[PulseContent], dict[str, Any]]


def pulse_days(
    session: Session, due: Iterable[tuple[Team, date]]
) -> dict[tuple[int, date], PulseRule]:
    """(team, day) -> the month's rule, for each team whose pulse is on and open on `day`: a
    person is asked on their first nudge day while it is open (a Mon/Wed person on Wednesday)."""
    wanted: dict[tuple[str, date], dict[int, date]] = {}
    for team, day in due:
        if is_open(month_of(day), day, team.holiday_country):
            wanted.setdefault((team.workspace_id, month_of(day)), {})[team.id] = day
    found: dict[tuple[int, date], PulseRule] = {}
    for (workspace_id, month), teams in wanted.items():
        rules = pulse_rules(session, workspace_id=workspace_id, team_ids=list(teams), month=month)
        found |= {(team_id, teams[team_id]): r for team_id, r in rules.items() if r.enabled}
    return found


def queue_pulse(
    session: Session,
    *,
    person: Person,
    team: Team,
    day: date,
    due_at: datetime,
    rule: PulseRule,
    now: datetime,
    compose: ComposePulse,
) -> bool:
    """Queue the person's pulse DM of the month; False when this month's was queued already
    (its outbox key), and then the day gets its nudge."""
    month = month_of(day)
    language = language_for(person, get_workspace(session, workspace_id=person.workspace_id))
    content = PulseContent(
        team.id,
        team.name,
        month,
        language,
        statements_for(month) if rule.statements else (),
    )
    row = outbox.message(
        workspace_id=person.workspace_id,
        key=invite_key(person.id, month),
        kind=outbox.Kind.PULSE,
        channel=person.user_id,
        payload=compose(content),
        person_id=person.id,
        composed_for={"language": language, "team_id": team.id},
        now=now,
        due_at=due_at,
        expires_at=due_at + timedelta(days=(closes_on(month, team.holiday_country) - day).days),
    )
    return outbox.enqueue(session, [row]) == 1
