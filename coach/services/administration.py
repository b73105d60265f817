"""What an operator does from the command line or an admin from their App Home: admins, teams, a
workspace's data and how long it keeps what people typed in answer to nudges. Each function is
one unit of work.

`by`: the Slack user asking from the App Home. Their role is checked here, in the same
transaction as the change (a forged click or submission changes nothing); None is the operator
at the command line, who has the database already.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import time

from sqlalchemy.orm import Session

from coach.deps import Deps
from coach.domain.team_settings import InvalidSetting, TeamChanges, check_team_name
from coach.services.membership import reschedule_all
from coach.services.people import language_of
from coach.services.refusals import FormRejected, NotPermitted
from coach.services.roles import require_admin
from coach.store import teams, workspace_data, workspaces
from coach.store.memberships import member_ids

logger = logging.getLogger(__name__)


class UnknownWorkspace(LookupError):
    def __init__(self, workspace_id: str) -> None:
        super().__init__(
            f"workspace {workspace_id} is unknown to this database; "
            "check the Slack team ID and DATABASE_URL"
        )


class UnknownTeam(LookupError):
    def __init__(self, workspace_id: str, channel_id: str) -> None:
        super().__init__(
            f"workspace {workspace_id} has no team in channel {channel_id}; "
            f"`coach team list --workspace {workspace_id}` shows its teams"
        )


class LastAdmin(NotPermitted):
    """Taking this admin off would leave the workspace with no admin at all."""


class TeamNameRejected(FormRejected):
    """The new name breaks the team name rule (problem "name": "invalid")."""


@dataclass(frozen=True)
class Admins:
    listed: list[tuple[str, str]]  # (user id, added by), added with `coach admin add`
    through_slack: list[str]  # workspace owners and admins, as Slack last said


@dataclass(frozen=True)
class AdminRemoved:
    removed: bool  # False: they were not on the list
    still_admin_through_slack: bool


@dataclass(frozen=True)
class TeamSummary:
    id: int
    channel_id: str
    name: str
    leads: list[str]
    members: int
    nudge_time: time
    celebrate_weekday: int
    celebrate_time: time
    timezone: str
    holiday_country: str
    language: str
    pinned_principle_id: int | None


@dataclass(frozen=True)
class TeamRemoved:
    name: str
    members: int  # people whose nudges from this team stop
    dropped_nudges: int  # queued nudges that will not be sent


def list_admins(core: Deps, *, workspace_id: str) -> Admins:
    with core.unit_of_work() as session:
        _require_workspace(session, workspace_id)
        listed = workspaces.listed_admins(session, workspace_id=workspace_id)
        return Admins(
            listed=[(admin.user_id, admin.added_by) for admin in listed],
            through_slack=workspaces.slack_admin_ids(session, workspace_id=workspace_id),
        )


def remove_admin(
    core: Deps, *, workspace_id: str, user_id: str, by: str | None = None
) -> AdminRemoved:
    """Take `user_id` off the added admins. From Slack, nobody takes off the last admin (only
    themselves could be that): the workspace would have nobody left to run it from Slack."""
    with core.unit_of_work() as session:
        _check_admin(session, workspace_id, by, "admin.remove")
        _require_workspace(session, workspace_id)
        if by is not None and not _admins_besides(session, workspace_id, user_id):
            logger.warning("refused admin.remove of %s by %s: the last admin", user_id, by)
            raise LastAdmin("admin.remove")
        removed = workspaces.remove_admin(session, workspace_id=workspace_id, user_id=user_id)
        through_slack = user_id in workspaces.slack_admin_ids(session, workspace_id=workspace_id)
        return AdminRemoved(removed=removed, still_admin_through_slack=through_slack)


def list_teams(core: Deps, *, workspace_id: str) -> list[TeamSummary]:
    with core.unit_of_work() as session:
        _require_workspace(session, workspace_id)
        counts = teams.member_counts(session, workspace_id=workspace_id)
        return [
            TeamSummary(
                id=team.id,
                channel_id=team.channel_id,
                name=team.name,
                leads=[lead.user_id for lead in team.leads],
                members=counts.get(team.id, 0),
                nudge_time=team.nudge_time,
                celebrate_weekday=team.celebrate_weekday,
                celebrate_time=team.celebrate_time,
                timezone=team.timezone,
                holiday_country=team.holiday_country,
                language=team.language,
                pinned_principle_id=team.pinned_principle_id,
            )
            for team in teams.list_teams(session, workspace_id=workspace_id)
        ]


def rename_team(
    core: Deps, *, workspace_id: str, channel_id: str, name: str, by: str | None = None
) -> str:
    """Give an existing team a new name (1 to 80 characters, trimmed); returns the old one."""
    with core.unit_of_work() as session:
        _check_admin(session, workspace_id, by, "team.rename")
        try:
            name = check_team_name(name)
        except InvalidSetting:
            language = language_of(session, workspace_id=workspace_id, user_id=by or "")
            raise TeamNameRejected(language, {"name": "invalid"}) from None
        team = teams.get_team(session, workspace_id=workspace_id, channel_id=channel_id)
        if team is None:
            raise UnknownTeam(workspace_id, channel_id)
        old = team.name
        teams.set_team(
            session,
            workspace_id=workspace_id,
            channel_id=channel_id,
            changes=TeamChanges(name=name),
            now=core.clock.now(),
        )
        return old


def remove_team(
    core: Deps, *, workspace_id: str, channel_id: str, by: str | None = None
) -> TeamRemoved:
    """Delete the team; its stories stay. Its members' next nudges move to another team they
    are in, or stop."""
    now = core.clock.now()
    with core.unit_of_work() as session:
        _check_admin(session, workspace_id, by, "team.remove")
        team = teams.get_team(session, workspace_id=workspace_id, channel_id=channel_id)
        if team is None:
            raise UnknownTeam(workspace_id, channel_id)
        name, members = team.name, member_ids(session, team_id=team.id)
        dropped = teams.remove_team(session, workspace_id=workspace_id, team_id=team.id, now=now)
        reschedule_all(session, workspace_id=workspace_id, user_ids=members, now=now)
        return TeamRemoved(name=name, members=len(members), dropped_nudges=dropped)


def workspace_rows(core: Deps, *, workspace_id: str) -> dict[str, int]:
    """What `delete_workspace` would delete: rows per table."""
    with core.unit_of_work() as session:
        return workspace_data.count_rows(session, workspace_id=workspace_id)


def delete_workspace(core: Deps, *, workspace_id: str) -> dict[str, int]:
    """Delete every row of the workspace, in one transaction; other workspaces are untouched."""
    with core.unit_of_work() as session:
        return workspace_data.delete_rows(session, workspace_id=workspace_id)


def set_retention(
    core: Deps, *, workspace_id: str, days: int | None, by: str | None = None
) -> None:
    """Keep intentions `days` days (None: keep them); `days` as domain/retention.py parses it."""
    with core.unit_of_work() as session:
        _check_admin(session, workspace_id, by, "workspace.retention")
        if not workspace_data.set_retention(session, workspace_id=workspace_id, days=days):
            raise UnknownWorkspace(workspace_id)


def _require_workspace(session: Session, workspace_id: str) -> None:
    if workspaces.get_workspace(session, workspace_id=workspace_id) is None:
        raise UnknownWorkspace(workspace_id)


def _check_admin(session: Session, workspace_id: str, by: str | None, action: str) -> None:
    if by is not None:
        require_admin(session, workspace_id=workspace_id, user_id=by, action=action)


def _admins_besides(session: Session, workspace_id: str, user_id: str) -> set[str]:
    """The workspace's admins other than `user_id`: added ones and Slack's owners and admins."""
    listed = {
        admin.user_id for admin in workspaces.listed_admins(session, workspace_id=workspace_id)
    }
    through_slack = set(workspaces.slack_admin_ids(session, workspace_id=workspace_id))
    return (listed | through_slack) - {user_id}
