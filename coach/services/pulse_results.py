"""What the team pulse shows, as plain values: per team per month the eNPS and the ownership
statements' averages beside the team's stories, only for months whose pulse has closed and
only where enough people answered (`MinGroup.private`, 5 at least); otherwise the month says so and shows no
number. Never per person, never a ranking: teams are listed by name.

The same values feed the App Home (services/home.py), the celebration's one line, the admins'
organisation view and `coach pulse export`; a picture of them (issue 14's plotting) would take
`TeamPulse` as it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.domain.celebration import MinGroup, PulseLine
from coach.domain.pulse import (
    Enps,
    celebrated_month,
    counted_enps,
    is_closed,
    local_today,
    month_of,
    months_back,
    shown_average,
    shown_enps,
)
from coach.store import pulse as store
from coach.store.celebrations import member_count
from coach.store.models import Team
from coach.store.stories import shared_since
from coach.store.teams import list_teams

MONTHS = 12
State = Literal["off", "open", "too_few", "shown"]


@dataclass(frozen=True)
class PulseMonth:
    month: date
    state: State  # off: not asked; open: still taking answers; too_few: under the minimum
    enps: Enps | None  # only when shown
    statements: tuple[tuple[str, float], ...]  # (statement, average 1-5), only those shown
    stories: int | None  # shared stories that month; None: the team is too small to count


@dataclass(frozen=True)
class TeamPulse:
    team_id: int
    team_name: str
    months: tuple[PulseMonth, ...]  # oldest first, MONTHS of them, up to this month

    @property
    def latest_shown(self) -> PulseMonth | None:
        return next((m for m in reversed(self.months) if m.state == "shown"), None)


def team_pulse(
    session: Session, *, team: Team, now: datetime, minimum: MinGroup, months: int = MONTHS
) -> TeamPulse | None:
    """The team's last `months` months; None when its pulse was never on."""
    history = store.rule_history(session, workspace_id=team.workspace_id, team_id=team.id)
    today = local_today(now, team.timezone)
    wanted = months_back(month_of(today), months)
    on = {m for m in wanted if _rule(history, m).enabled}
    if not on:
        return None
    workspace_id, team_ids, at_least = team.workspace_id, [team.id], minimum.private
    enps = store.enps_scores(session, workspace_id=workspace_id, team_ids=team_ids, months=wanted)
    agree = store.statement_scores(
        session, workspace_id=workspace_id, team_ids=team_ids, months=wanted
    )
    stories = _stories_by_month(session, team, wanted[0], minimum)
    rows = []
    for month in wanted:
        if month not in on:
            state: State = "off"
        elif not is_closed(month, today, team.holiday_country):
            state = "open"
        else:
            state = "shown" if len(enps.get((team.id, month), [])) >= at_least else "too_few"
        shown = state == "shown"
        averages = tuple(
            (key, average)
            for (_, at, key), scores in sorted(agree.items())
            if shown
            and at == month
            and (average := shown_average(scores, at_least=at_least)) is not None
        )
        rows.append(
            PulseMonth(
                month,
                state,
                shown_enps(enps[(team.id, month)], at_least=at_least) if shown else None,
                averages,
                None if stories is None else stories[month],
            )
        )
    return TeamPulse(team.id, team.name, tuple(rows))


def closed_month_line(
    session: Session, *, team: Team, day: date, minimum: MinGroup
) -> PulseLine | None:
    """The one line a celebration on `day` carries: the team's eNPS of the month whose pulse
    closed in the week before, from enough answers (None: no such month, or too few)."""
    month = celebrated_month(day, team.holiday_country)
    if month is None:
        return None
    scores = store.enps_scores(
        session, workspace_id=team.workspace_id, team_ids=[team.id], months=[month]
    ).get((team.id, month), [])
    shown = shown_enps(scores, at_least=minimum.private)
    return PulseLine(month, shown) if shown is not None else None


def _rule(history: list[store.PulseRule], month: date) -> store.PulseRule:
    started = [rule for rule in history if rule.starts is not None and rule.starts <= month]
    return started[-1] if started else store.OFF


def _stories_by_month(
    session: Session, team: Team, first: date, minimum: MinGroup
) -> Counter[date] | None:
    members = member_count(session, workspace_id=team.workspace_id, team_id=team.id)
    if minimum.shown(members, people=members) is None:
        return None
    zone = ZoneInfo(team.timezone)
    since = datetime.combine(first, time(), zone)
    return Counter(
        month_of(created.astimezone(zone).date())
        for created, _ in shared_since(session, team_id=team.id, since=since)
    )


@dataclass(frozen=True)
class OrganisationLine:
    team_name: str
    month: date
    enps: Enps


def organisation_pulse(
    session: Session, *, workspace_id: str, now: datetime, minimum: MinGroup
) -> tuple[OrganisationLine, ...]:
    """The admins' view: each team's latest month shown, by team name; a team under the
    minimum (or without a pulse) is left out, never marked.

    Read for all teams at once and only what the line shows: every team's rules (one query),
    then the eNPS counts of the closed months among the last MONTHS that were on (one grouped
    query on the team-and-month index). Statements and stories, which `team_pulse` adds for a
    team's own view, are not read, so the cost follows the number of teams, not the history."""
    teams = list_teams(session, workspace_id=workspace_id)
    rules = store.rule_histories(session, workspace_id=workspace_id, team_ids=[t.id for t in teams])
    closed: dict[int, list[date]] = {}
    for team in teams:
        today = local_today(now, team.timezone)
        history = rules.get(team.id, [])
        closed[team.id] = [
            month
            for month in months_back(month_of(today), MONTHS)
            if _rule(history, month).enabled and is_closed(month, today, team.holiday_country)
        ]
    counts = store.enps_counts(
        session,
        workspace_id=workspace_id,
        team_ids=[team_id for team_id, months in closed.items() if months],
        months={month for months in closed.values() for month in months},
    )
    lines = []
    for team in teams:
        for month in reversed(closed[team.id]):
            answers, promoters, detractors = counts.get((team.id, month), (0, 0, 0))
            if answers >= minimum.private:
                enps = counted_enps(answers, promoters, detractors)
                lines.append(OrganisationLine(team.name, month, enps))
                break
    return tuple(lines)


def pulses_seen_by(
    session: Session, *, teams: list[Team], now: datetime, minimum: MinGroup
) -> tuple[TeamPulse, ...]:
    """The pulse of each of these teams (a member's own, the ones a lead leads) that has one."""
    seen = {}
    for team in teams:
        if team.id not in seen:
            seen[team.id] = team_pulse(session, team=team, now=now, minimum=minimum)
    return tuple(pulse for pulse in seen.values() if pulse is not None)
