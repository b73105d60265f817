"""`coach pulse export`: the team pulse per team per month as CSV or JSON text, only for months
whose pulse has closed and only where enough people answered (MinGroup.private); never per
person. One record per team, month and question: the eNPS with its promoters, passives and
detractors, and each ownership statement's average agreement."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from coach.deps import Deps
from coach.domain.celebration import MinGroup
from coach.domain.pulse import is_closed, local_today, shown_average, shown_enps
from coach.services.spreadsheet import csv_text
from coach.store import pulse as store
from coach.store.teams import list_teams

FORMATS = ("csv", "json")


@dataclass(frozen=True)
class PulseRecord:
    team: str
    channel: str
    month: str  # YYYY-MM
    question: str  # "enps", or an ownership statement (willing, able, ...)
    answers: int
    value: float  # the eNPS (-100..100), or the average agreement (1..5)
    promoters: int | None
    passives: int | None
    detractors: int | None


COLUMNS = tuple(field.name for field in fields(PulseRecord))


def pulse_records(core: Deps, *, workspace_id: str) -> list[PulseRecord]:
    """Every shown result of the workspace, by team name, month and question."""
    at_least = MinGroup.of(core.settings.coach_min_group).private
    now = core.clock.now()
    with core.unit_of_work() as session:
        teams = list_teams(session, workspace_id=workspace_id)
        months = store.answered_months(session, workspace_id=workspace_id)
        ids = [team.id for team in teams]
        enps = store.enps_scores(session, workspace_id=workspace_id, team_ids=ids, months=months)
        agree = store.statement_scores(
            session, workspace_id=workspace_id, team_ids=ids, months=months
        )
    records = []
    for team in teams:
        today = local_today(now, team.timezone)
        for month in months:
            shown = shown_enps(enps.get((team.id, month), []), at_least=at_least)
            if shown is None or not is_closed(month, today, team.holiday_country):
                continue
            common = {"team": team.name, "channel": team.channel_id, "month": f"{month:%Y-%m}"}
            records.append(
                PulseRecord(
                    **common,
                    question="enps",
                    answers=shown.answers,
                    value=shown.score,
                    promoters=shown.promoters,
                    passives=shown.passives,
                    detractors=shown.detractors,
                )
            )
            for (team_id, at, key), scores in sorted(agree.items()):
                average = shown_average(scores, at_least=at_least)
                if team_id == team.id and at == month and average is not None:
                    records.append(
                        PulseRecord(
                            **common,
                            question=key,
                            answers=len(scores),
                            value=average,
                            promoters=None,
                            passives=None,
                            detractors=None,
                        )
                    )
    return records


def to_json(records: list[PulseRecord]) -> str:
    return json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2) + "\n"


def to_csv(records: list[PulseRecord]) -> str:
    """RFC 4180 CSV with a header line; a team name cannot start a spreadsheet formula."""
    return csv_text(COLUMNS, (asdict(record) for record in records))
