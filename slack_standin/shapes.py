"""Slack's JSON shapes for users, conversations and messages, as the Web API answers them.

Field names and nesting follow the method pages (users.info, conversations.info, chat.postMessage)
and the key-complete samples of Slack's Java SDK (`json-logs/samples/api/*.json`); values the
stand-in has no use for get Slack's neutral defaults.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_standin.state import Channel, Message, User, Workspace


def user_object(user: User, *, now: datetime, include_locale: bool) -> dict[str, Any]:
    offset = now.astimezone(ZoneInfo(user.tz)).utcoffset()
    tz_offset = int(offset.total_seconds()) if offset is not None else 0
    label = now.astimezone(ZoneInfo(user.tz)).tzname() or user.tz
    profile: dict[str, Any] = {
        "real_name": user.real_name,
        "real_name_normalized": user.real_name,
        "display_name": user.display_name,
        "display_name_normalized": user.display_name,
        "first_name": user.real_name.split(" ", 1)[0],
        "last_name": user.real_name.split(" ", 1)[1] if " " in user.real_name else "",
        "title": "",
        "status_text": "",
        "status_emoji": "",
        "avatar_hash": "g" + user.id.lower()[-11:],
        "image_48": f"https://secure.gravatar.invalid/avatar/{user.id}-48.png",
        "image_72": f"https://secure.gravatar.invalid/avatar/{user.id}-72.png",
        "team": user.team_id,
    }
    if user.email:
        profile["email"] = user.email
    if user.bot_id:
        profile["bot_id"] = user.bot_id
    shape: dict[str, Any] = {
        "id": user.id,
        "team_id": user.team_id,
        "name": user.name,
        "deleted": user.deleted,
        "color": "9f69e7",
        "real_name": user.real_name,
        "tz": user.tz,
        "tz_label": label,
        "tz_offset": tz_offset,
        "profile": profile,
        "is_admin": user.is_admin,
        "is_owner": user.is_owner,
        "is_primary_owner": user.is_primary_owner,
        "is_restricted": user.is_restricted,
        "is_ultra_restricted": user.is_ultra_restricted,
        "is_bot": user.is_bot,
        "is_app_user": user.is_app_user,
        "updated": user.updated,
        "is_email_confirmed": bool(user.email),
        "who_can_share_contact_card": "EVERYONE",
    }
    if include_locale:
        shape["locale"] = user.locale
    return shape


def conversation_object(
    channel: Channel,
    *,
    workspace: Workspace,
    include_num_members: bool = False,
    include_locale: bool = False,
) -> dict[str, Any]:
    if channel.is_im:
        return im_object(channel)
    shape: dict[str, Any] = {
        "id": channel.id,
        "name": channel.name,
        "is_channel": not channel.is_private and not channel.is_mpim,
        "is_group": channel.is_private and not channel.is_mpim,
        "is_im": False,
        "is_mpim": channel.is_mpim,
        "is_private": channel.is_private or channel.is_mpim,
        "created": channel.created,
        "is_archived": channel.is_archived,
        "is_general": False,
        "unlinked": 0,
        "name_normalized": channel.name,
        "is_shared": False,
        "is_org_shared": False,
        "is_ext_shared": False,
        "is_pending_ext_shared": False,
        "pending_shared": [],
        "context_team_id": channel.team_id,
        "updated": channel.created * 1000,
        "parent_conversation": None,
        "creator": channel.creator,
        "shared_team_ids": [channel.team_id],
        "pending_connected_team_ids": [],
        "is_member": workspace.bot_user_id in channel.members,
        "topic": {"value": channel.topic, "creator": "", "last_set": 0},
        "purpose": {"value": channel.purpose, "creator": "", "last_set": 0},
        "previous_names": [],
    }
    if include_num_members:
        shape["num_members"] = len(channel.members)
    if include_locale:
        shape["locale"] = "en-US"
    return shape


def im_object(channel: Channel) -> dict[str, Any]:
    return {
        "id": channel.id,
        "created": channel.created,
        "is_archived": False,
        "is_im": True,
        "is_org_shared": False,
        "context_team_id": channel.team_id,
        "updated": channel.created * 1000,
        "user": channel.im_user,
        "is_user_deleted": False,
        "priority": 0,
    }


def message_object(message: Message, *, include_metadata: bool = True) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "type": "message",
        "text": message.text,
        "user": message.user,
        "ts": message.ts,
        "team": message.team_id,
    }
    if message.bot_id:
        shape["bot_id"] = message.bot_id
        shape["app_id"] = message.app_id
    if message.blocks is not None:
        shape["blocks"] = message.blocks
    if message.attachments is not None:
        shape["attachments"] = message.attachments
    if message.thread_ts:
        shape["thread_ts"] = message.thread_ts
    if message.edited_ts:
        shape["edited"] = {"user": message.user, "ts": message.edited_ts}
    if message.files:
        shape["files"] = message.files
        shape["upload"] = True
    if include_metadata and message.metadata is not None:
        shape["metadata"] = message.metadata
    return shape
