"""Reading who is where from Slack: channel members and their profiles (time zone, locale).

Runs before planning, for teams not synced for a while (`membership.STALE_AFTER`); events
(member_joined_channel, member_left_channel) keep membership current in between. Slack is read
here, outside any transaction; `services/membership.py` stores what it said.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from coach.delivery.sender import TokenSource
from coach.deps import Deps
from coach.services import member_sync, membership
from coach.services.membership import Profile

logger = logging.getLogger(__name__)

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
    """Refresh the members of every team that is due for it; returns how many teams were synced."""
    synced = 0
    for workspace_id, teams in membership.teams_to_sync(deps).items():
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
    """Read the stale teams' channels, then the directory page by page: profiles are stored a
    chunk at a time as they come, then the members, then everyone's next nudge."""
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
    changed, humans = _read_profiles(deps, client, workspace_id, wanted)
    chunk: dict[int, set[str]] = {}
    for team_id, ids in members.items():
        chunk[team_id] = {u for u in ids if u in humans}
        if sum(len(c) for c in chunk.values()) >= member_sync.CHUNK:
            changed |= member_sync.store_team_members(
                deps, workspace_id=workspace_id, members=chunk, unreadable=()
            )
            chunk = {}
    changed |= member_sync.store_team_members(
        deps, workspace_id=workspace_id, members=chunk, unreadable=unreadable
    )
    member_sync.reschedule_people(deps, workspace_id=workspace_id, user_ids=changed)
    return len(members)


def _read_profiles(
    deps: Deps, client: WebClient, workspace_id: str, wanted: set[str]
) -> tuple[set[str], set[str]]:
    """Store the profiles of `wanted` people as users.list pages come in, a chunk at a time;
    returns whose profiles changed what their nudges depend on, and who of those read are
    humans."""
    read: set[str] = set()
    changed: set[str] = set()
    humans: set[str] = set()
    chunk: list[Profile] = []
    for page in client.users_list(limit=200, include_locale=True):
        for user in page.data.get("members", []):
            profile = profile_of(user)
            if profile.user_id in wanted and profile.user_id not in read:
                chunk.append(profile)
                read.add(profile.user_id)
                if profile.human:
                    humans.add(profile.user_id)
        if len(chunk) >= member_sync.CHUNK:
            changed |= member_sync.store_profiles(deps, workspace_id=workspace_id, profiles=chunk)
            chunk = []
    changed |= member_sync.store_profiles(deps, workspace_id=workspace_id, profiles=chunk)
    return changed, humans
