"""When a person's next nudge is due, from their team's rhythm and their own settings."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from coach.domain.schedule import next_nudge_instant
from coach.services.scheduled_nudges import recheck_planned
from coach.store.memberships import primary_team
from coach.store.models import Person, Team
from coach.store.workspaces import get_workspace

CATCH_UP = timedelta(hours=2)  # a nudge missed by less than this is still sent; older ones not

_LOOK_UP = object()


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
        )
    except ValueError:  # paused until further notice, or no workday within the search horizon
        person.next_nudge_at = None
