"""The team pulse's rows: each team's setting by month, and the anonymous answers.

Nothing here takes or returns a person: answers are found by their token only (see
services/pulse_answers.py for how a token is made), and read back as numbers per team.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from coach.domain.pulse import DETRACTOR, PROMOTER
from coach.store.db import insert_if_new
from coach.store.models import PulseAnswer, PulseStatementAnswer, TeamPulseSetting


@dataclass(frozen=True)
class PulseRule:
    enabled: bool = False
    statements: bool = False
    starts: date | None = None  # None: the default (off), never changed


OFF = PulseRule()


def pulse_rules(
    session: Session, *, workspace_id: str, team_ids: Collection[int], month: date
) -> dict[int, PulseRule]:
    """The rule each team follows in `month` (teams never changed are off)."""
    rules: dict[int, PulseRule] = {}
    if not team_ids:
        return rules
    rows = session.scalars(
        select(TeamPulseSetting)
        .where(
            TeamPulseSetting.workspace_id == workspace_id,
            TeamPulseSetting.team_id.in_(list(team_ids)),
            TeamPulseSetting.starts <= month,
        )
        .order_by(TeamPulseSetting.starts)
    )
    for row in rows:  # oldest first: the latest that started wins
        rules[row.team_id] = PulseRule(row.enabled, row.statements, row.starts)
    return rules


def rule_history(session: Session, *, workspace_id: str, team_id: int) -> list[PulseRule]:
    """Every rule the team had, oldest first (which months it was on)."""
    rows = session.scalars(
        select(TeamPulseSetting)
        .where(TeamPulseSetting.workspace_id == workspace_id, TeamPulseSetting.team_id == team_id)
        .order_by(TeamPulseSetting.starts)
    )
    return [PulseRule(row.enabled, row.statements, row.starts) for row in rows]


def rule_histories(
    session: Session, *, workspace_id: str, team_ids: Collection[int]
) -> dict[int, list[PulseRule]]:
    """`rule_history` of many teams in one query: team -> its rules, oldest first."""
    histories: dict[int, list[PulseRule]] = defaultdict(list)
    if not team_ids:
        return histories
    rows = session.scalars(
        select(TeamPulseSetting)
        .where(
            TeamPulseSetting.workspace_id == workspace_id,
            TeamPulseSetting.team_id.in_(list(team_ids)),
        )
        .order_by(TeamPulseSetting.team_id, TeamPulseSetting.starts)
    )
    for row in rows:
        histories[row.team_id].append(PulseRule(row.enabled, row.statements, row.starts))
    return histories


def latest_rule(session: Session, *, workspace_id: str, team_id: int) -> PulseRule:
    """The newest rule of a team, also one that starts next month (what a form shows)."""
    row = session.scalar(
        select(TeamPulseSetting)
        .where(TeamPulseSetting.workspace_id == workspace_id, TeamPulseSetting.team_id == team_id)
        .order_by(TeamPulseSetting.starts.desc())
        .limit(1)
    )
    return OFF if row is None else PulseRule(row.enabled, row.statements, row.starts)


def set_rule(
    session: Session,
    *,
    workspace_id: str,
    team_id: int,
    starts: date,
    enabled: bool,
    statements: bool,
) -> None:
    """From the month `starts` on, the team's pulse is so (replacing a rule for that month)."""
    session.execute(
        delete(TeamPulseSetting).where(
            TeamPulseSetting.team_id == team_id, TeamPulseSetting.starts == starts
        )
    )
    session.add(
        TeamPulseSetting(
            workspace_id=workspace_id,
            team_id=team_id,
            starts=starts,
            enabled=enabled,
            statements=statements,
        )
    )
    session.flush()


def add_answer(
    session: Session, *, workspace_id: str, team_id: int, month: date, token: str, score: int
) -> bool:
    """Record an eNPS answer; False when this token answered this month already."""
    row = {
        "workspace_id": workspace_id,
        "month": month,
        "token": token,
        "team_id": team_id,
        "score": score,
    }
    return insert_if_new(session, PulseAnswer, row, unique=["workspace_id", "month", "token"])


def add_statement_answer(
    session: Session,
    *,
    workspace_id: str,
    team_id: int,
    month: date,
    token: str,
    statement: str,
    score: int,
) -> bool:
    """Record an agreement with one statement; False when this token gave it already."""
    row = {
        "workspace_id": workspace_id,
        "month": month,
        "token": token,
        "statement": statement,
        "team_id": team_id,
        "score": score,
    }
    unique = ["workspace_id", "month", "token", "statement"]
    return insert_if_new(session, PulseStatementAnswer, row, unique=unique)


def answered(
    session: Session, *, workspace_id: str, month: date, token: str
) -> tuple[bool, frozenset[str]]:
    """Whether this token gave the month's eNPS answer, and which statements it answered."""
    enps = session.scalar(
        select(func.count())
        .select_from(PulseAnswer)
        .where(
            PulseAnswer.workspace_id == workspace_id,
            PulseAnswer.month == month,
            PulseAnswer.token == token,
        )
    )
    statements = session.scalars(
        select(PulseStatementAnswer.statement).where(
            PulseStatementAnswer.workspace_id == workspace_id,
            PulseStatementAnswer.month == month,
            PulseStatementAnswer.token == token,
        )
    )
    return bool(enps), frozenset(statements)


def months_answered(session: Session, *, workspace_id: str, tokens: Collection[str]) -> list[date]:
    """The months in which one of these tokens answered, oldest first."""
    if not tokens:
        return []
    rows = session.scalars(
        select(PulseAnswer.month)
        .where(PulseAnswer.workspace_id == workspace_id, PulseAnswer.token.in_(list(tokens)))
        .distinct()
        .order_by(PulseAnswer.month)
    )
    return list(rows)


def enps_scores(
    session: Session, *, workspace_id: str, team_ids: Collection[int], months: Collection[date]
) -> dict[tuple[int, date], list[int]]:
    """(team, month) -> the eNPS answers given, for numbers made in the domain."""
    scores: dict[tuple[int, date], list[int]] = defaultdict(list)
    if not team_ids or not months:
        return scores
    rows = session.execute(
        select(PulseAnswer.team_id, PulseAnswer.month, PulseAnswer.score).where(
            PulseAnswer.workspace_id == workspace_id,
            PulseAnswer.team_id.in_(list(team_ids)),
            PulseAnswer.month.in_(list(months)),
        )
    )
    for team_id, month, score in rows:
        scores[(team_id, month)].append(score)
    return scores


def enps_counts(
    session: Session, *, workspace_id: str, team_ids: Collection[int], months: Collection[date]
) -> dict[tuple[int, date], tuple[int, int, int]]:
    """(team, month) -> (answers, promoters, detractors), counted by the database: one row per
    team and month whatever the team's size (on ix_pulse_answers_team_month)."""
    if not team_ids or not months:
        return {}
    rows = session.execute(
        select(
            PulseAnswer.team_id,
            PulseAnswer.month,
            func.count(),
            func.sum(case((PulseAnswer.score >= PROMOTER, 1), else_=0)),
            func.sum(case((PulseAnswer.score <= DETRACTOR, 1), else_=0)),
        )
        .where(
            PulseAnswer.workspace_id == workspace_id,
            PulseAnswer.team_id.in_(list(team_ids)),
            PulseAnswer.month.in_(list(months)),
        )
        .group_by(PulseAnswer.team_id, PulseAnswer.month)
    )
    return {
        (team_id, month): (int(answers), int(promoters or 0), int(detractors or 0))
        for team_id, month, answers, promoters, detractors in rows
    }


def statement_scores(
    session: Session, *, workspace_id: str, team_ids: Collection[int], months: Collection[date]
) -> dict[tuple[int, date, str], list[int]]:
    """(team, month, statement) -> the agreements given."""
    scores: dict[tuple[int, date, str], list[int]] = defaultdict(list)
    if not team_ids or not months:
        return scores
    rows = session.execute(
        select(
            PulseStatementAnswer.team_id,
            PulseStatementAnswer.month,
            PulseStatementAnswer.statement,
            PulseStatementAnswer.score,
        ).where(
            PulseStatementAnswer.workspace_id == workspace_id,
            PulseStatementAnswer.team_id.in_(list(team_ids)),
            PulseStatementAnswer.month.in_(list(months)),
        )
    )
    for team_id, month, statement, score in rows:
        scores[(team_id, month, statement)].append(score)
    return scores


def answered_months(session: Session, *, workspace_id: str) -> list[date]:
    """Every month of the workspace with an eNPS answer, oldest first (the export's months)."""
    return list(
        session.scalars(
            select(PulseAnswer.month)
            .where(PulseAnswer.workspace_id == workspace_id)
            .distinct()
            .order_by(PulseAnswer.month)
        )
    )
