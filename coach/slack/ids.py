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

# Nudge buttons (value: the nudge id) and the follow-up buttons (value: the intention id).
NUDGE_ANSWER = "nudge_answer"
NUDGE_STORY = "nudge_story"
NUDGE_SKIP = "nudge_skip"
NUDGE_SNOOZE = "nudge_snooze"
NUDGE_ACTIONS_BLOCK = "nudge_actions"
FOLLOW_UP_DONE = "follow_up_done"
FOLLOW_UP_NOT_DONE = "follow_up_not_done"
FOLLOW_UP_SKIP = "follow_up_skip"

ANSWER_MODAL = "answer_modal"  # callback_id; private_metadata: the nudge id
ANSWER_BLOCK = "answer"
ANSWER_INPUT = "answer_text"

STORY_FORM = "story_form"  # callback_id of the story modal
STORY_TEXT_BLOCK, STORY_TEXT = "text", "story_text"
STORY_PRINCIPLE_BLOCK, STORY_PRINCIPLE = "principle", "story_principle"
STORY_COLLEAGUES_BLOCK, STORY_COLLEAGUES = "colleagues", "story_colleagues"
STORY_TEAM_BLOCK, STORY_TEAM = "team", "story_team"
STORY_CONSENT_BLOCK, STORY_CONSENT = "consent", "story_consent"
STORY_FOR_TEAM_BLOCK, STORY_FOR_TEAM = "for_team", "story_for_team"  # leads only
STORY_CONSENT_YES, STORY_CONSENT_NO = "story_consent_yes", "story_consent_no"  # value: story id

# On the saved story's confirmation DM (value: the story id); Delete asks first.
STORY_OWNER_BLOCK = "story_owner"
STORY_EDIT, STORY_DELETE = "story_edit", "story_delete"

# `/coach forget-me`'s confirmation (value: the user it was shown to; checked against the clicker).
FORGET_ME_BLOCK = "forget_me"
FORGET_ME_YES, FORGET_ME_CANCEL = "forget_me_yes", "forget_me_cancel"

# The leads' preview of the weekly celebration (value: the celebration id) and its note modal.
CELEBRATION_ACTIONS_BLOCK = "celebration_actions"
CELEBRATION_NOTE = "celebration_note"
CELEBRATION_POST_NOW = "celebration_post_now"
CELEBRATION_SKIP = "celebration_skip"
CELEBRATION_NOTE_MODAL = "celebration_note_modal"  # private_metadata: the celebration id
CELEBRATION_NOTE_BLOCK, CELEBRATION_NOTE_INPUT = "note", "celebration_note_text"

# The App Home tab: a person's own settings and the story button.
HOME_SETTINGS_BLOCK = "home_settings"
HOME_TIME = "home_time"  # timepicker: selected_time
HOME_LANGUAGE = "home_language"  # static_select: nl or en
HOME_PAUSE, HOME_RESUME = "home_pause", "home_resume"
HOME_SHARE_STORY = "home_share_story"

# The question after ignored nudges: go on weekly, every workday, or pause (value: the user it
# asks; checked against the clicker).
RHYTHM_QUESTION_BLOCK = "rhythm_question"
RHYTHM_WEEKLY, RHYTHM_DAILY, RHYTHM_PAUSE = "rhythm_weekly", "rhythm_daily", "rhythm_pause"

# The App Home's rhythm controls: weekdays (checkboxes, values 0-6) and how often.
HOME_RHYTHM_BLOCK = "home_rhythm_block"
HOME_WEEKDAYS = "home_weekdays"
HOME_RHYTHM = "home_rhythm"  # static_select: daily, 3x or weekly

# The short help a free direct message to the bot gets, with its story button.
DM_HELP_BLOCK, DM_SHARE_STORY = "dm_help", "dm_share_story"

# The admin side (coach/slack/admin_home_blocks.py and the editors' modals). Each principle row
# and team row has its own action id (`CATALOG_ROW:key`, `TEAM_SETTINGS:id`) so ids stay unique
# in one view; the listeners match the prefix.
CATALOG_ADD = "catalog_add"
CATALOG_CHANGES = "catalog_changes"
CATALOG_ROW = "catalog_row"  # overflow; option values "edit:key", "up:key", "archive:key", ...
CATALOG_BROWSE = "catalog_browse"  # value "principles:PAGE" or "teams:PAGE"
CATALOG_BROWSE_PREV, CATALOG_BROWSE_NEXT = "catalog_browse_prev", "catalog_browse_next"
CATALOG_PRINCIPLE_MODAL = "catalog_principle_modal"  # private_metadata: JSON, key and version
CATALOG_ARCHIVE_MODAL = "catalog_archive_modal"  # private_metadata: JSON, key and version
CATALOG_BROWSER_MODAL = "catalog_browser_modal"  # private_metadata: JSON, kind and page
CATALOG_INFO_MODAL = "catalog_info_modal"  # recent changes and notices; nothing to submit
TEAM_ADD = "team_add"
TEAM_SETTINGS = "team_settings"  # button; value: the team id
TEAM_MODAL = "team_modal"  # private_metadata: the team id, or "" for a new team

# The monthly team pulse DM: one button per score, action id `PULSE_ANSWER:question:score` (unique
# in the message); the value `YYYY-MM:team id:question:score` is checked on the server.
PULSE_ANSWER = "pulse_answer"
PULSE_BLOCK = "pulse"  # block ids `pulse:question`

# The admin's workspace part (coach/slack/admin_home_blocks.py, listeners/admin_home.py). A team
# row's menu offers its settings (value "settings:TEAM_ID"), "rename:CHANNEL" and "remove:CHANNEL";
# an added admin's row has a Remove button (value: the user id) with Slack's confirm dialog.
TEAM_MENU = "team_menu"  # overflow, one per team row: `TEAM_MENU:team id`
TEAM_RENAME_MODAL = "team_rename_modal"  # private_metadata: the team's channel id
TEAM_RENAME_BLOCK, TEAM_RENAME_INPUT = "team_rename", "team_rename_name"
TEAM_REMOVE_MODAL = "team_remove_modal"  # private_metadata: the team's channel id
ADMIN_REMOVE = "admin_remove"  # button, one per removable admin: `ADMIN_REMOVE:user id`
RETENTION_EDIT = "retention_edit"
RETENTION_MODAL = "retention_modal"
RETENTION_BLOCK, RETENTION_INPUT = "retention", "retention_days"
