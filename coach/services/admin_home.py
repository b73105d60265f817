"""What an admin sees of the catalogue, the teams and the workspace: principles by level
(archived ones too), teams with their channel and leads, the audit log's latest entries, the
admins and the retention period. Plain data, no Slack.

`admin_home` does not check the role (the App Home decides what to draw); everything it leads to
(the editors, the browser, the recent changes, the forms below) checks it again on the server,
and the changes themselves are services/administration.py's, the same as the CLI's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy.orm import Session

from coach.catalog.schema import LEVELS, LevelSpec
from coach.deps import Deps
from coach.domain.retention import parse_retention_days
from coach.domain.team_settings import InvalidSetting
from coach.services.administration import UnknownTeam, set_retention
from coach.services.people import language_of
from coach.services.refusals import FormRejected
from coach.services.roles import require_admin
from coach.store.catalog import (
    latest_changes,
    list_principles,
    load_levels,
    principle_text_of,
)
from coach.store.memberships import member_ids
from coach.store.models import CatalogChange, Principle, Team, Workspace
from coach.store.stories import team_story_count
from coach.store.teams import get_team, list_teams
from coach.store.workspaces import listed_admins, slack_admin_ids

RECENT_CHANGES = 10


@dataclass(frozen=True)
class PrincipleRow:
    key: str
    level: str
    name: str  # in the reader's language where the catalogue has it
    behaviours: int
    archived: bool


@dataclass(frozen=True)
class LevelGroup:
    level: str
    name: str | None  # the organisation's own name for the level, if it gave one
    active: tuple[PrincipleRow, ...]
    archived: tuple[PrincipleRow, ...]


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    channel_id: str
    leads: tuple[str, ...]
    nudge_time: time
    celebrate_weekday: int
    celebrate_time: time
    timezone: str
    language: str
    holiday_country: str
    pinned: str | None  # the pinned principle's name


@dataclass(frozen=True)
class ChangeEntry:
    """One audit entry: who (a user id, or "cli"), when, and what."""

    version: int
    actor: str
    at: datetime
    action: str  # created, updated, moved, archived, restored
    subject: str  # the principle's id, "organisation" or "level:..."
    name: str | None  # the principle's name
    fields: tuple[str, ...]  # what an update changed


@dataclass(frozen=True)
class AdminRow:
    user_id: str
    added_by: str | None  # None: not added by hand, an admin only through Slack
    through_slack: bool  # a workspace owner or admin in Slack: stays an admin whatever we do
    removable: bool  # on the added list, and not the viewer as the last admin


@dataclass(frozen=True)
class AdminHome:
    organisation: str
    catalog_language: str
    version: int
    levels: tuple[LevelGroup, ...]  # all three, in pyramid order
    teams: tuple[TeamRow, ...]
    changes: tuple[ChangeEntry, ...]  # newest first
    admins: tuple[AdminRow, ...]  # added ones first, then those through Slack; by user id
    retention_days: int | None  # None: intentions are kept until deleted

    @property
    def rows(self) -> tuple[PrincipleRow, ...]:
        """Every principle in display order: each level's active ones, then the archived."""
        active = tuple(row for group in self.levels for row in group.active)
        return active + tuple(row for group in self.levels for row in group.archived)


def admin_home(
    session: Session, *, workspace_id: str, language: str, viewer: str | None = None
) -> AdminHome:
    """The admin section's data; `viewer`: the admin looking at it (who may not remove
    themselves when they are the only admin)."""
    workspace = session.get(Workspace, workspace_id)
    principles = list_principles(session, workspace_id=workspace_id)
    levels = load_levels(session, workspace_id=workspace_id)
    rows = [_row(p, language) for p in principles]
    groups = tuple(
        LevelGroup(
            level=level,
            name=_level_name(levels.get(level), language),
            active=tuple(r for r in rows if r.level == level and not r.archived),
            archived=tuple(r for r in rows if r.level == level and r.archived),
        )
        for level in LEVELS
    )
    names = {p.id: row.name for p, row in zip(principles, rows, strict=True)}
    return AdminHome(
        organisation=workspace.organisation if workspace is not None else "",
        catalog_language=workspace.language if workspace is not None else language,
        version=workspace.catalog_version if workspace is not None else 0,
        levels=groups,
        teams=tuple(team_row(t, names) for t in list_teams(session, workspace_id=workspace_id)),
        changes=changes_of(session, workspace_id=workspace_id, limit=RECENT_CHANGES),
        admins=admins_of(session, workspace_id=workspace_id, viewer=viewer),
        retention_days=workspace.retention_days if workspace is not None else None,
    )


def browse(core: Deps, *, workspace_id: str, user_id: str) -> tuple[AdminHome, str]:
    """The whole admin view for the paging browser, for admins only; with their language."""
    with core.unit_of_work() as session:
        require_admin(session, workspace_id=workspace_id, user_id=user_id, action="catalog.browse")
        language = language_of(session, workspace_id=workspace_id, user_id=user_id)
        home = admin_home(session, workspace_id=workspace_id, language=language, viewer=user_id)
        return home, language


def recent_changes(
    core: Deps, *, workspace_id: str, user_id: str, limit: int = RECENT_CHANGES
) -> tuple[tuple[ChangeEntry, ...], str]:
    """The latest audit entries, for admins only; with the admin's language."""
    with core.unit_of_work() as session:
        require_admin(session, workspace_id=workspace_id, user_id=user_id, action="catalog.changes")
        language = language_of(session, workspace_id=workspace_id, user_id=user_id)
        return changes_of(session, workspace_id=workspace_id, limit=limit), language


def changes_of(session: Session, *, workspace_id: str, limit: int) -> tuple[ChangeEntry, ...]:
    """The newest entries, newest first. A principle that only shifted because another one was
    archived or added is left out when its version holds the change that caused it."""
    rows = latest_changes(session, workspace_id=workspace_id, limit=limit * 5)
    entries = [_entry(row) for row in rows]
    caused = {e.version for e in entries if e.action != "moved"}
    kept = [e for e in entries if e.action != "moved" or e.version not in caused]
    return tuple(kept[:limit])


def admins_of(session: Session, *, workspace_id: str, viewer: str | None) -> tuple[AdminRow, ...]:
    listed = {a.user_id: a.added_by for a in listed_admins(session, workspace_id=workspace_id)}
    through_slack = set(slack_admin_ids(session, workspace_id=workspace_id))
    everyone = set(listed) | through_slack
    return tuple(
        AdminRow(
            user_id=user_id,
            added_by=listed.get(user_id),
            through_slack=user_id in through_slack,
            removable=user_id in listed and bool(everyone - {user_id}),
        )
        for user_id in sorted(everyone, key=lambda u: (u not in listed, u))
    )


@dataclass(frozen=True)
class TeamChoice:
    """A team an admin is about to rename or remove, with what removing it means."""

    language: str  # the admin's
    channel_id: str
    name: str
    members: int  # whose nudges from this team stop
    stories: int  # that stay, without a team


@dataclass(frozen=True)
class RetentionForm:
    language: str
    days: int | None


class RetentionRejected(FormRejected):
    """Not a number of days the rule allows (problem "days": "invalid")."""


def team_choice(core: Deps, *, workspace_id: str, user_id: str, channel_id: str) -> TeamChoice:
    """For the rename and remove dialogs, admins only; raises NotAllowed or UnknownTeam."""
    with core.unit_of_work() as session:
        require_admin(session, workspace_id=workspace_id, user_id=user_id, action="team.choose")
        team = get_team(session, workspace_id=workspace_id, channel_id=channel_id)
        if team is None:
            raise UnknownTeam(workspace_id, channel_id)
        return TeamChoice(
            language=language_of(session, workspace_id=workspace_id, user_id=user_id),
            channel_id=team.channel_id,
            name=team.name,
            members=len(member_ids(session, team_id=team.id)),
            stories=team_story_count(session, team_id=team.id),
        )


def retention_form(core: Deps, *, workspace_id: str, user_id: str) -> RetentionForm:
    """The retention dialog's current value, admins only; raises NotAllowed."""
    with core.unit_of_work() as session:
        require_admin(session, workspace_id=workspace_id, user_id=user_id, action="retention.open")
        workspace = session.get(Workspace, workspace_id)
        return RetentionForm(
            language=language_of(session, workspace_id=workspace_id, user_id=user_id),
            days=workspace.retention_days if workspace is not None else None,
        )


def save_retention(core: Deps, *, workspace_id: str, user_id: str, text: str) -> None:
    """The retention dialog submitted: the CLI's rule and its `set_retention`; raises
    NotAllowed, or RetentionRejected (for admins only: others learn nothing)."""
    try:
        days = parse_retention_days(text)
    except InvalidSetting:
        with core.unit_of_work() as session:
            require_admin(
                session, workspace_id=workspace_id, user_id=user_id, action="workspace.retention"
            )
            language = language_of(session, workspace_id=workspace_id, user_id=user_id)
        raise RetentionRejected(language, {"days": "invalid"}) from None
    set_retention(core, workspace_id=workspace_id, days=days, by=user_id)


def _level_name(spec: LevelSpec | None, language: str) -> str | None:
    if spec is None:
        return None
    variant = next((v for lang, v in spec.translations.items() if lang == language), None)
    return (variant or spec).name


def _row(principle: Principle, language: str) -> PrincipleRow:
    text = principle_text_of(principle, language)
    return PrincipleRow(
        key=principle.key,
        level=principle.level,
        name=text.name,
        behaviours=len(text.behaviours),
        archived=principle.archived_at is not None,
    )


def team_row(team: Team, names: dict[int, str]) -> TeamRow:
    """A team's settings for display; `names`: principle names by id (for the pinned one)."""
    pinned = team.pinned_principle_id
    return TeamRow(
        id=team.id,
        name=team.name,
        channel_id=team.channel_id,
        leads=tuple(lead.user_id for lead in team.leads),
        nudge_time=team.nudge_time,
        celebrate_weekday=team.celebrate_weekday,
        celebrate_time=team.celebrate_time,
        timezone=team.timezone,
        language=team.language,
        holiday_country=team.holiday_country,
        pinned=names.get(pinned) if pinned is not None else None,
    )


def _entry(row: CatalogChange) -> ChangeEntry:
    before, after = row.before or {}, row.after or {}
    fields: tuple[str, ...] = ()
    action = row.action
    if action == "updated" and not row.subject.startswith(("level:", "organisation")):
        fields = tuple(k for k in after if before.get(k) != after.get(k))
        if fields == ("position",):
            action = "moved"
    name: Any = after.get("name") or before.get("name")
    return ChangeEntry(
        version=row.version,
        actor=row.actor,
        at=row.at,
        action=action,
        subject=row.subject,
        name=name if isinstance(name, str) and not row.subject.startswith("level:") else None,
        fields=fields,
    )
