"""Reading who is where from Slack: channel members and their profiles (time zone, locale).

Runs before planning, for teams not synced for a while; events (member_joined_channel,
member_left_channel) keep membership current in between.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import or_, select

from coach.delivery.sender import TokenSource
from coach.deps import Deps
from coach.services.membership import Profile, apply_profile, replace_members, reschedule_all
from coach.store.models import Team, Workspace

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=6)
SLACKBOT = "USLACKBOT"


def profile_of(user: dict[str, Any]) -> Profile:
    return Profile(
        user_id=str(user.get("id")),
        tz=user.get("tz") if isinstance(user.get("tz"), str) else None,
        locale=user.get("locale") if isinstance(user.get("locale"), str) else None,
        is_bot=bool(user.get("is_bot"))
        or user.get("id") == SLACKBOT
        or bool(user.get("is_app_user")),
        deleted=bool(user.get("deleted")),
        slack_admin=any(bool(user.get(k)) for k in ("is_admin", "is_owner", "is_primary_owner")),
    )


def sync_stale_teams(deps: Deps, tokens: TokenSource, client_for: Any) -> int:
    """Refresh the members of every team not synced within STALE_AFTER; returns teams synced."""
    now = deps.clock.now()
    with deps.unit_of_work() as session:
        stale = session.execute(
            select(Team.id, Team.workspace_id, Team.channel_id)
            .join(Workspace, Workspace.id == Team.workspace_id)
            .where(
                Workspace.uninstalled_at.is_(None),
                or_(Team.members_synced_at.is_(None), Team.members_synced_at < now - STALE_AFTER),
            )
        ).all()
    by_workspace: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for team_id, workspace_id, channel_id in stale:
        by_workspace[workspace_id].append((team_id, channel_id))
    synced = 0
    for workspace_id, teams in by_workspace.items():
        token = tokens.bot_token(workspace_id)
        if token is None:
            continue
        try:
            synced += _sync_workspace(deps, client_for(token), workspace_id, teams)
        except SlackApiError as error:
            logger.warning(
                "could not read members of workspace %s: %s",
                workspace_id,
                error.response.get("error"),
            )
    return synced


def _sync_workspace(
    deps: Deps, client: WebClient, workspace_id: str, teams: list[tuple[int, str]]
) -> int:
    members: dict[int, list[str]] = {}
    unreadable: list[int] = []
    for team_id, channel_id in teams:
        ids: list[str] = []
        try:
            for page in client.conversations_members(channel=channel_id, limit=1000):
                ids.extend(str(u) for u in page.data.get("members", []))
        except SlackApiError as error:
            # One channel the app cannot read (archived, private without the bot) must not stop
            # the others; this team keeps the members it had until the channel is readable.
            logger.warning(
                "could not read the members of %s: %s", channel_id, error.response.get("error")
            )
            unreadable.append(team_id)
            continue
        members[team_id] = ids
    wanted = {user for ids in members.values() for user in ids}
    profiles: dict[str, Profile] = {}
    for page in client.users_list(limit=200, include_locale=True):
        for user in page.data.get("members", []):
            profile = profile_of(user)
            if profile.user_id in wanted:
                profiles[profile.user_id] = profile
    now = deps.clock.now()
    with deps.unit_of_work() as session, session.no_autoflush:
        for profile in profiles.values():
            apply_profile(
                session, workspace_id=workspace_id, profile=profile, now=now, then_reschedule=False
            )
        for team_id, ids in members.items():
            team = session.get_one(Team, team_id)
            humans = [
                u
                for u in ids
                if u in profiles and not profiles[u].is_bot and not profiles[u].deleted
            ]
            replace_members(session, team=team, user_ids=humans, now=now)
        for team_id in unreadable:  # try again after STALE_AFTER, not on every pass
            session.get_one(Team, team_id).members_synced_at = now
        session.flush()
        reschedule_all(session, workspace_id=workspace_id, user_ids=profiles, now=now)
    return len(members)
