"""Every command, callback, action and event name the app handles: builders, listeners and the
manifest test all read them from here."""

from __future__ import annotations

COACH_COMMAND = "/coach"
STORY_COMMAND = "/9plus"

SAVE_STORY_SHORTCUT = "save_9plus_story"  # message shortcut
SHARE_STORY_SHORTCUT = "share_9plus_story"  # global shortcut

EVENTS = (
    "app_home_opened",
    "message",  # message.im: replies to nudges
    "member_joined_channel",
    "member_left_channel",
    "app_uninstalled",
    "tokens_revoked",
)
