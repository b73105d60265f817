"""The stand-in's world: workspaces, people, conversations, messages, views and credentials.

Ids are unique across workspaces, as Slack's are, so a conversation can be looked up by id alone;
every lookup on behalf of an API call is scoped to the caller's workspace and fails the way Slack
fails (`user_not_found`, `channel_not_found`) for another workspace's ids. All access goes through
one lock held by the server for the duration of a call.
"""

from __future__ import annotations

import hashlib
import heapq
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_standin.clock import Clock
from slack_standin.wire import ApiError

TRIGGER_LIFETIME_SECONDS = 3.0  # Slack docs (modals, "trigger_id"): a trigger expires in 3 s.


@dataclass
class Workspace:
    team_id: str
    name: str
    domain: str
    bot_user_id: str
    bot_id: str
    bot_token: str | None
    enterprise_id: str | None = None
    # Set by revoke_tokens(): the error every call with the bot token gets from then on.
    token_error: str | None = None


@dataclass
class User:
    id: str
    team_id: str
    name: str
    real_name: str
    tz: str
    locale: str
    email: str = ""
    display_name: str = ""
    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False
    is_restricted: bool = False
    is_ultra_restricted: bool = False
    is_bot: bool = False
    is_app_user: bool = False
    deleted: bool = False
    bot_id: str | None = None
    updated: int = 0


@dataclass
class Message:
    ts: str
    channel: str
    team_id: str
    user: str
    text: str
    blocks: list[Any] | None = None
    attachments: list[Any] | None = None
    metadata: dict[str, Any] | None = None
    thread_ts: str | None = None
    bot_id: str | None = None
    app_id: str | None = None
    edited_ts: str | None = None
    files: list[dict[str, Any]] | None = None
    via: str = "chat.postMessage"


@dataclass
class Ephemeral:
    message_ts: str
    channel: str
    user: str
    text: str
    blocks: list[Any] | None = None


@dataclass
class Channel:
    id: str
    team_id: str
    name: str
    members: list[str]
    created: int
    is_private: bool = False
    is_archived: bool = False
    is_im: bool = False
    is_mpim: bool = False
    im_user: str | None = None
    creator: str = ""
    topic: str = ""
    purpose: str = ""
    messages: list[Message] = field(default_factory=list)
    ephemerals: list[Ephemeral] = field(default_factory=list)


@dataclass
class Scheduled:
    id: str
    channel: str
    team_id: str
    post_at: int
    date_created: int
    message: Message


@dataclass
class View:
    id: str
    team_id: str
    user_id: str
    body: dict[str, Any]
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    external_id: str = ""


@dataclass
class Trigger:
    id: str
    team_id: str
    user_id: str
    expires_at: float
    used: bool = False


@dataclass
class OAuthGrant:
    code: str
    team_id: str
    bot_token: str
    scope: str
    authed_user_id: str
    redirect_uri: str | None
    used: bool = False


@dataclass
class Upload:
    file_id: str
    team_id: str
    filename: str
    length: int
    content: bytes | None = None
    completed: bool = False
    shared_in: set[str] = field(default_factory=set)  # conversations it was shared in
    deleted: bool = False  # files.delete: gone from every conversation, its id answers file_deleted

    @property
    def permalink(self) -> str:
        return f"https://standin.slack.invalid/files/{self.team_id}/{self.file_id}/{self.filename}"


def stable_id(prefix: str, *parts: str) -> str:
    """An id that is the same for the same parts in every run (used for IM channels)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest().upper()
    return prefix + digest[:10]


class SlackState:
    """Everything the stand-in knows. Callers hold `lock` while reading or changing it."""

    def __init__(self, *, clock: Clock, monotonic: Callable[[], float], app_id: str) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.monotonic = monotonic
        self.app_id = app_id
        self.workspaces: dict[str, Workspace] = {}
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.scheduled: dict[str, Scheduled] = {}
        self._schedule_heap: list[tuple[int, str]] = []
        self._scheduled_by_channel: dict[str, dict[str, Scheduled]] = {}
        self.views: dict[str, View] = {}
        self.home_views: dict[tuple[str, str], str] = {}
        self.triggers: dict[str, Trigger] = {}
        self.grants: dict[str, OAuthGrant] = {}
        self.app_tokens: set[str] = set()
        self.uploads: dict[str, Upload] = {}
        self._serial = 0
        self._last_ts_micros = 0

    # ---- ids and time -------------------------------------------------------------------------
    def next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def now_epoch(self) -> int:
        return int(self.clock.now().timestamp())

    def next_ts(self, at_epoch: int | None = None) -> str:
        """A message timestamp: wall-clock seconds and micros, strictly increasing."""
        seconds_now = self.clock.now().timestamp() if at_epoch is None else at_epoch
        micros = int(seconds_now * 1_000_000)
        self._last_ts_micros = max(micros, self._last_ts_micros + 1)
        seconds, fraction = divmod(self._last_ts_micros, 1_000_000)
        return f"{seconds}.{fraction:06d}"

    # ---- lookups on behalf of a call ------------------------------------------------------------
    def workspace_for_bot_token(self, token: str | None) -> Workspace:
        if not token:
            raise ApiError("not_authed")
        if token.startswith("xapp-"):
            raise ApiError("not_allowed_token_type")
        for workspace in self.workspaces.values():
            if workspace.bot_token == token:
                if workspace.token_error:
                    raise ApiError(workspace.token_error)
                return workspace
        raise ApiError("invalid_auth")

    def user_in(self, team_id: str, user_id: Any) -> User:
        user = self.users.get(user_id) if isinstance(user_id, str) else None
        if user is None or user.team_id != team_id:
            raise ApiError("user_not_found")
        return user

    def channel_in(self, team_id: str, channel_id: Any) -> Channel:
        channel = self.channels.get(channel_id) if isinstance(channel_id, str) else None
        if channel is None or channel.team_id != team_id:
            raise ApiError("channel_not_found")
        return channel

    def visible_channel(self, workspace: Workspace, channel_id: Any) -> Channel:
        """A conversation the bot may see: private ones only when it is a member (as in Slack)."""
        channel = self.channel_in(workspace.team_id, channel_id)
        if (channel.is_private or channel.is_im or channel.is_mpim) and (
            workspace.bot_user_id not in channel.members
        ):
            raise ApiError("channel_not_found")
        return channel

    def open_im(self, workspace: Workspace, user: User) -> tuple[Channel, bool]:
        """The bot's DM with a person: the same D-id every time. Returns (channel, created)."""
        channel_id = stable_id("D", workspace.team_id, user.id)
        channel = self.channels.get(channel_id)
        if channel is not None:
            return channel, False
        channel = Channel(
            id=channel_id,
            team_id=workspace.team_id,
            name=channel_id,
            members=[workspace.bot_user_id, user.id],
            created=self.now_epoch(),
            is_im=True,
            im_user=user.id,
        )
        self.channels[channel_id] = channel
        return channel, True

    def message_target(self, workspace: Workspace, channel_arg: Any) -> Channel:
        """Resolve chat.* `channel`: a conversation id, or a user id meaning the app's DM."""
        if isinstance(channel_arg, str) and channel_arg[:1] in ("U", "W"):
            user = self.users.get(channel_arg)
            if user is not None and user.team_id == workspace.team_id:
                return self.open_im(workspace, user)[0]
        return self.visible_channel(workspace, channel_arg)

    def find_message(self, channel: Channel, ts: Any) -> Message:
        for message in channel.messages:
            if message.ts == ts:
                return message
        raise ApiError("message_not_found")

    # ---- triggers -----------------------------------------------------------------------------
    def issue_trigger(self, team_id: str, user_id: str) -> str:
        serial = self.next_serial()
        digest = hashlib.sha256(f"{team_id}:{user_id}:{serial}".encode()).hexdigest()[:24]
        trigger_id = f"{serial}.{self.now_epoch()}.{digest}"
        expires_at = self.monotonic() + TRIGGER_LIFETIME_SECONDS
        self.triggers[trigger_id] = Trigger(trigger_id, team_id, user_id, expires_at)
        return trigger_id

    def use_trigger(self, team_id: str, trigger_id: Any) -> Trigger:
        trigger = self.triggers.get(trigger_id) if isinstance(trigger_id, str) else None
        if trigger is None or trigger.team_id != team_id:
            raise ApiError("invalid_trigger_id")
        if trigger.used:
            raise ApiError("exchanged_trigger_id")
        if self.monotonic() > trigger.expires_at:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger

    # ---- scheduled messages -------------------------------------------------------------------
    def schedule(self, scheduled: Scheduled) -> None:
        self.scheduled[scheduled.id] = scheduled
        self._scheduled_by_channel.setdefault(scheduled.channel, {})[scheduled.id] = scheduled
        heapq.heappush(self._schedule_heap, (scheduled.post_at, scheduled.id))

    def unschedule(self, scheduled_id: str) -> Scheduled | None:
        scheduled = self.scheduled.pop(scheduled_id, None)
        if scheduled is not None:
            self._scheduled_by_channel[scheduled.channel].pop(scheduled_id, None)
        return scheduled

    def scheduled_in(self, channel_id: str) -> list[Scheduled]:
        return list(self._scheduled_by_channel.get(channel_id, {}).values())

    def deliver_due(self) -> None:
        """Post scheduled messages whose time has come, as Slack itself does at `post_at`.

        Slack's method page carries a bug alert: a scheduled message with `metadata` does not
        post. The stand-in reproduces that, so the app meets it here first.
        """
        now = self.now_epoch()
        while self._schedule_heap and self._schedule_heap[0][0] <= now:
            post_at, scheduled_id = heapq.heappop(self._schedule_heap)
            scheduled = self.unschedule(scheduled_id)
            if scheduled is None or scheduled.message.metadata is not None:
                continue  # deleted meanwhile, or the documented metadata bug
            message = scheduled.message
            message.ts = self.next_ts(at_epoch=post_at)
            self.channels[scheduled.channel].messages.append(message)
