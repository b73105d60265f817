"""When a person's next nudge is due, from their team's rhythm and their own settings.

Every change to when someone is nudged goes through `reschedule`: a team's or the person's
settings, pause and resume, membership, a sent nudge, the back-off after ignored nudges and any
reaction that ends it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from coach.domain.schedule import Rhythm, days_from_text, next_nudge_instant, person_rhythm
from coach.services.scheduled_nudges import recheck_planned
from coach.store.memberships import primary_team
from coach.store.models import Person, Team
from coach.store.workspaces import get_workspace

CATCH_UP = timedelta(hours=2)  # a nudge missed by less than this is still sent; older ones not

_LOOK_UP = object()


def rhythm_of(person: Person, team: Team | None) -> Rhythm:
    """The person's days and frequency within what their team allows (pure: no queries)."""
    return person_rhythm(
        days_from_text(team.workdays) if team is not None else None,
        days_from_text(person.weekdays),
        person.rhythm,
        backed_off=person.backed_off,
    )


def reschedule(
    session: Session,
    person: Person,
    *,
    now: datetime,
    after: datetime | None = None,
    team: Team | object | None = _LOOK_UP,
    keep_planned: bool = False,
) -> None:
    """Recompute when this person's next nudge is due (None: not at all).

    First, a nudge planned ahead that the person's settings no longer give is withdrawn
    (`scheduled_nudges.recheck_planned`; deleted in Slack's queue if handed over), so its day
    is planned again from the settings as they are now. Only the planner, which has just
    planned the nudge, passes `keep_planned`.

    By default the first nudge instant after `now - CATCH_UP`: one that is due now and still
    catchable counts (a person who joins at 09:30 gets today's 09:00 nudge); the planner skips
    a day that already has its nudge and passes `after` to move on past it.
    """
    if team is _LOOK_UP:
        team = primary_team(session, workspace_id=person.workspace_id, user_id=person.user_id)
    assert team is None or isinstance(team, Team)  # noqa: S101 - narrows the sentinel away
    if not keep_planned:
        recheck_planned(session, person, team, now=now)
    workspace = get_workspace(session, workspace_id=person.workspace_id)
    if (
        team is None
        or person.unreachable
        or person.deleted
        or person.is_bot
        or workspace is None
        or workspace.uninstalled_at is not None
    ):
        person.next_nudge_at = None
        return
    try:
        person.next_nudge_at = next_nudge_instant(
            after if after is not None else now - CATCH_UP,
            tz=person.tz or team.timezone,
            at=person.nudge_time or team.nudge_time,
            holiday_country=team.holiday_country,
            paused_until=person.paused_until,
            rhythm=rhythm_of(person, team),
        )
    except ValueError:  # paused until further notice, or no workday within the search horizon
        person.next_nudge_at = None


def reacted(session: Session, person: Person, *, now: datetime) -> None:
    """The person did something with a nudge or their rhythm: the count of ignored nudges starts
    again, and a back-off to weekly ends (their own rhythm is back)."""
    person.quiet_nudges = 0
    if person.backed_off:
        person.backed_off = False
        reschedule(session, person, now=now)


def asked_about_rhythm(person: Person, *, now: datetime) -> None:
    """The question about their rhythm is queued: weekly from now on unless they answer or react
    (`backed_off` is also what says they were asked in this run of ignored nudges; the caller
    reschedules past the day the question takes, and `rhythm_asked_at` keeps that day's nudge
    from following it)."""
    person.rhythm_asked_at, person.backed_off = now, True


def counted_nudge(person: Person) -> None:
    """A nudge was queued: one more without a reaction until they react."""
    person.quiet_nudges = (person.quiet_nudges or 0) + 1
