"""Who may do what, decided on the server for every action and submission (never only by which
buttons were drawn): admins edit the catalogue and every team; leads manage their own teams.

Admins are the workspace's owners and admins (as Slack last told us: users.list on each member
sync, users.info when someone opens the App Home) and the people added with `coach admin add`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.store.models import Admin, Person, Team, TeamLead

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Role:
    admin: bool
    lead_of: tuple[int, ...]  # team ids, by name

    @property
    def lead(self) -> bool:
        return bool(self.lead_of)


class NotAllowed(Exception):
    """Someone tried an action their role does not allow (a forged payload, or a stale view)."""


def role_of(session: Session, *, workspace_id: str, user_id: str) -> Role:
    listed = session.get(Admin, (workspace_id, user_id)) is not None
    slack_admin = session.scalar(
        select(Person.slack_admin).where(
            Person.workspace_id == workspace_id,
            Person.user_id == user_id,
            Person.deleted.is_(False),
        )
    )
    teams = session.scalars(
        select(Team.id)
        .join(TeamLead, TeamLead.team_id == Team.id)
        .where(Team.workspace_id == workspace_id, TeamLead.user_id == user_id)
        .order_by(Team.name)
    ).all()
    return Role(admin=listed or bool(slack_admin), lead_of=tuple(teams))


def require_admin(session: Session, *, workspace_id: str, user_id: str, action: str) -> Role:
    role = role_of(session, workspace_id=workspace_id, user_id=user_id)
    if not role.admin:
        logger.warning("refused %s by %s in %s: not an admin", action, user_id, workspace_id)
        raise NotAllowed(action)
    return role


def require_team_manager(
    session: Session, *, workspace_id: str, user_id: str, team_id: int, action: str
) -> Role:
    """An admin, or a lead of that team (of this workspace)."""
    role = role_of(session, workspace_id=workspace_id, user_id=user_id)
    if not role.admin and team_id not in role.lead_of:
        logger.warning(
            "refused %s on team %s by %s in %s: not its lead",
            action,
            team_id,
            user_id,
            workspace_id,
        )
        raise NotAllowed(action)
    return role
