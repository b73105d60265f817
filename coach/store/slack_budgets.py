"""A budget shared by every process for one Slack method in one workspace: Slack limits each
method per app and workspace (Tier 3 for the scheduled-message ones), so the processes take
calls from one token bucket row (row-locked) and a 429 parks the method there until Retry-After.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coach.store.models import SlackBudget


def take_budget(
    session: Session,
    *,
    workspace_id: str,
    method: str,
    now: datetime,
    per_minute: int,
    burst: int,
    want: int,
) -> int:
    """Take up to `want` calls from the workspace's shared bucket for `method` (row-locked);
    none while a 429's Retry-After lasts."""
    budget = session.scalars(
        select(SlackBudget)
        .where(SlackBudget.workspace_id == workspace_id, SlackBudget.method == method)
        .with_for_update()
    ).one_or_none()
    if budget is None:
        budget = SlackBudget(workspace_id=workspace_id, method=method, tokens=float(burst))
        session.add(budget)
        session.flush()
        budget.tokens_at = now
    if budget.parked_until is not None and budget.parked_until > now:
        return 0
    elapsed = max((now - (budget.tokens_at or now)).total_seconds(), 0.0)
    tokens = min(float(burst), budget.tokens + elapsed * per_minute / 60.0)
    granted = max(0, min(want, int(tokens)))
    budget.tokens, budget.tokens_at = tokens - granted, now
    return granted


def give_back(session: Session, *, workspace_id: str, method: str, count: int) -> None:
    if count > 0:
        session.execute(
            update(SlackBudget)
            .where(SlackBudget.workspace_id == workspace_id, SlackBudget.method == method)
            .values(tokens=SlackBudget.tokens + count)
        )


def park(session: Session, *, workspace_id: str, method: str, until: datetime) -> None:
    """No calls to `method` in the workspace before `until` (Slack answered 429)."""
    session.execute(
        update(SlackBudget)
        .where(SlackBudget.workspace_id == workspace_id, SlackBudget.method == method)
        .values(parked_until=until, tokens=0.0, tokens_at=until)
    )
