"""Who may do what, decided on the server for every action and submission (never only by which
buttons were drawn): admins edit the catalogue and every team; leads manage their own teams.

Admins are the workspace's owners and admins (as Slack last told us: users.list on each member
sync, users.info when someone opens the App Home) and the people added with `coach admin add`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from coach.services.refusals import NotPermitted
from coach.store.people import is_slack_admin
from coach.store.teams import led_team_ids
from coach.store.workspaces import is_listed_admin

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Role:
    admin: bool
    lead_of: tuple[int, ...]  # team ids, by name

    @property
    def lead(self) -> bool:
        return bool(self.lead_of)


class NotAllowed(NotPermitted):
    """Someone tried an action their role does not allow (a forged payload, or a stale view)."""


def role_of(session: Session, *, workspace_id: str, user_id: str) -> Role:
    ids = {"workspace_id": workspace_id, "user_id": user_id}
    admin = is_listed_admin(session, **ids) or is_slack_admin(session, **ids)
    return Role(admin=admin, lead_of=tuple(led_team_ids(session, **ids)))


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
