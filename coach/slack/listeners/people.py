"""Asking Slack who people are whom the coach has not met yet: chosen in a form (a story's
colleagues, a team's leads), accepted provisionally, and looked up right after the ack."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from coach.delivery.directory import profile_of
from coach.services.membership import Profile


def look_up(
    client: WebClient, workspace_id: str, user_ids: Iterable[str]
) -> dict[str, Profile | None]:
    """Each person's profile as Slack gives it, or None when Slack does not know them as a user
    of this workspace (not found, another workspace's, or Slack could not say)."""
    found: dict[str, Profile | None] = {}
    for user_id in user_ids:
        try:
            user = client.users_info(user=user_id, include_locale=True)["user"]
        except SlackApiError:
            user = None  # unconfirmed: leaving them out is the safe side
        same_workspace = user is not None and user.get("team_id") in (None, workspace_id)
        found[user_id] = profile_of(user) if user is not None and same_workspace else None
    return found
