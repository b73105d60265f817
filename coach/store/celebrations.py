"""Celebrations and what one reads: the week's row (one per team and ISO week), its stories,
the week's intentions and the team's members.

A celebration changes status only with a compare-and-set (`WHERE status IN OPEN ...`), so a
pass queueing the post and a lead clicking at the same moment cannot both win; on PostgreSQL the
row is also locked (`FOR UPDATE`), on SQLite the lock clause is a no-op and the compare-and-set
does the work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import distinct, func, select, update
from sqlalchemy.orm import Session, selectinload

from coach.store.db import insert_or_ignore
from coach.store.models import (
    Celebration,
    Intention,
    Nudge,
    Person,
    Story,
    Team,
    TeamMember,
    Workspace,
)
from coach.store.stories import TEAM_MAY_SEE

OPEN = ("planned", "previewed")  # a lead can still act; the post is not queued yet


def teams_to_plan(session: Session, *, now: datetime) -> list[Team]:
    """The teams of installed workspaces whose check moment has come (or was never set), read
    through `ix_teams_celebration_check_at`: a pass never looks at the others. Two index
    searches, not one `IS NULL OR <=` (for which SQLite scans every team), sorted here, not in
    SQL (an ORDER BY on the id tempts PostgreSQL to walk every team in id order)."""
    teams: dict[int, Team] = {}
    for condition in (Team.celebration_check_at.is_(None), Team.celebration_check_at <= now):
        statement = (
            select(Team)
            .join(Workspace, Workspace.id == Team.workspace_id)
            .where(Workspace.uninstalled_at.is_(None), condition)
        )
        teams.update((team.id, team) for team in session.scalars(statement))
    return [teams[team_id] for team_id in sorted(teams)]


def set_celebration_checks(session: Session, checks: dict[int, datetime]) -> None:
    """Store each team's next check moment (team id -> instant), in one executemany."""
    if checks:
        session.execute(
            update(Team),
            [{"id": team_id, "celebration_check_at": at} for team_id, at in checks.items()],
        )


def take_week(
    session: Session,
    *,
    workspace_id: str,
    team_id: int,
    iso_year: int,
    iso_week: int,
    due_at: datetime,
    now: datetime,
) -> Celebration | None:
    """The team's celebration of that week, created if absent and locked (`SKIP LOCKED`: one
    process acts on it); None when it is no longer open or another process holds it."""
    insert_or_ignore(
        session,
        Celebration,
        [
            {
                "workspace_id": workspace_id,
                "team_id": team_id,
                "iso_year": iso_year,
                "iso_week": iso_week,
                "due_at": due_at,
                "status": "planned",
                "created_at": now,
                "updated_at": now,
            }
        ],
        unique=["team_id", "iso_year", "iso_week"],
    )
    return session.scalar(
        select(Celebration)
        .where(
            Celebration.workspace_id == workspace_id,
            Celebration.team_id == team_id,
            Celebration.iso_year == iso_year,
            Celebration.iso_week == iso_week,
            Celebration.status.in_(OPEN),
        )
        .with_for_update(skip_locked=True)
    )


def lock_celebration(
    session: Session, *, workspace_id: str, celebration_id: int
) -> Celebration | None:
    """One celebration of the workspace, locked for a lead's change (None: not this workspace's)."""
    return session.scalar(
        select(Celebration)
        .where(Celebration.id == celebration_id, Celebration.workspace_id == workspace_id)
        .with_for_update()
    )


def get_celebration(
    session: Session, *, workspace_id: str, celebration_id: int
) -> Celebration | None:
    celebration = session.get(Celebration, celebration_id)
    return celebration if celebration and celebration.workspace_id == workspace_id else None


def update_celebration(
    session: Session, celebration: Celebration, *, open_only: bool, values: dict[str, Any]
) -> bool:
    """Write `values` to the row (with `open_only`: only while its status is still open);
    False when nothing was written because it had moved on."""
    where = [Celebration.id == celebration.id]
    if open_only:
        where.append(Celebration.status.in_(OPEN))
    result = session.execute(
        update(Celebration)
        .where(*where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.expire(celebration)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claim_for_post(session: Session, celebration: Celebration, *, now: datetime) -> bool:
    """Mark it queued, only if no lead acted since we read it (skip, note): False otherwise."""
    result = session.execute(
        update(Celebration)
        .where(
            Celebration.id == celebration.id,
            Celebration.status.in_(OPEN),
            Celebration.updated_at == celebration.updated_at,
        )
        .values(status="queued", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire(celebration)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def stories_to_celebrate(
    session: Session, *, workspace_id: str, team_id: int, now: datetime
) -> Sequence[Story]:
    """The team's shared stories whose author agreed and that no celebration showed yet
    (credits loaded)."""
    return session.scalars(
        select(Story)
        .where(
            Story.workspace_id == workspace_id,
            Story.team_id == team_id,
            TEAM_MAY_SEE,
            Story.celebrated_at.is_(None),
            Story.created_at <= now,
        )
        .options(selectinload(Story.credits))
    ).all()


def still_celebrated(session: Session, *, workspace_id: str, story_ids: list[int]) -> set[int]:
    """Which of these stories may still be shown: not deleted, still shared, still agreed."""
    return set(
        session.scalars(
            select(Story.id).where(
                Story.id.in_(story_ids),
                Story.workspace_id == workspace_id,
                TEAM_MAY_SEE,
            )
        )
    )


def mark_celebrated(
    session: Session,
    *,
    workspace_id: str,
    celebration_id: int,
    story_ids: list[int],
    now: datetime,
) -> None:
    """These stories were shown by that celebration (a story is celebrated once: first wins)."""
    session.execute(
        update(Story)
        .where(
            Story.id.in_(story_ids),
            Story.workspace_id == workspace_id,
            Story.celebrated_at.is_(None),
        )
        .values(celebrated_at=now, celebration_id=celebration_id)
        .execution_options(synchronize_session=False)
    )


def intentions_of_week(
    session: Session, *, team_id: int, monday: date
) -> tuple[dict[int, tuple[int, int]], int]:
    """The team's intentions in the ISO week starting `monday`: per principle id, how many and
    from how many people; and how many people set at least one."""
    week = (Nudge.team_id == team_id, Nudge.local_date.between(monday, monday + timedelta(6)))
    per_principle = session.execute(
        select(Nudge.principle_id, func.count(), func.count(distinct(Nudge.person_id)))
        .join(Intention, Intention.nudge_id == Nudge.id)
        .where(*week)
        .group_by(Nudge.principle_id)
    ).all()
    participants = session.scalar(
        select(func.count(distinct(Nudge.person_id)))
        .join(Intention, Intention.nudge_id == Nudge.id)
        .where(*week)
    )
    counts = {principle_id: (count, people) for principle_id, count, people in per_principle}
    return counts, int(participants or 0)


def member_count(session: Session, *, workspace_id: str, team_id: int) -> int:
    """The team's members as a celebration counts them: people, not bots, not deleted."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(TeamMember)
            .join(
                Person,
                (Person.workspace_id == workspace_id) & (Person.user_id == TeamMember.user_id),
            )
            .where(
                TeamMember.team_id == team_id,
                Person.is_bot.is_(False),
                Person.deleted.is_(False),
            )
        )
        or 0
    )


def celebration_status(
    session: Session, *, team_id: int, iso_year: int, iso_week: int
) -> str | None:
    """What became of the team's celebration of that ISO week (None: not planned yet)."""
    return session.scalar(
        select(Celebration.status).where(
            Celebration.team_id == team_id,
            Celebration.iso_year == iso_year,
            Celebration.iso_week == iso_week,
        )
    )
