"""Shaping and reading the stand-in's world: the half of SlackStandIn's methods that set up
workspaces, people and conversations, and read back what the app did to them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from slack_standin.payloads import slash_command
from slack_standin.shapes import message_object
from slack_standin.state import (
    Channel,
    Ephemeral,
    Message,
    OAuthGrant,
    SlackState,
    User,
    Workspace,
    stable_id,
)
from slack_standin.transcript import Call

DEFAULT_SCOPES = "channels:read,chat:write,commands,groups:read,im:history,im:write,users:read"


class World:
    def __init__(self, state: SlackState) -> None:
        self.state = state
        self._response_urls: dict[str, tuple[str, str, str]] = {}

    def _record(self, call: Call) -> None:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        raise NotImplementedError

    # ---- building -----------------------------------------------------------------------------
    def add_workspace(
        self,
        team_id: str,
        *,
        name: str,
        bot_token: str | None,
        bot_user_id: str,
        bot_id: str | None = None,
        domain: str | None = None,
        enterprise_id: str | None = None,
        bot_name: str = "coach",
    ) -> None:
        """A workspace with the app's bot user. With bot_token=None the app is not installed
        yet: the token comes from oauth.v2.access (see add_oauth_code)."""
        with self.state.lock:
            if team_id in self.state.workspaces:
                raise ValueError(f"workspace {team_id} exists already")
            self.state.workspaces[team_id] = Workspace(
                team_id=team_id,
                name=name,
                domain=domain or name.lower().replace(" ", "-"),
                bot_user_id=bot_user_id,
                bot_id=bot_id or "B" + bot_user_id.removeprefix("U"),
                bot_token=bot_token,
                enterprise_id=enterprise_id,
            )
            self._add(
                User(
                    id=bot_user_id,
                    team_id=team_id,
                    name=bot_name,
                    real_name=bot_name,
                    tz="America/Los_Angeles",
                    locale="en-US",
                    is_bot=True,
                    bot_id=bot_id or "B" + bot_user_id.removeprefix("U"),
                )
            )

    def add_user(
        self,
        team_id: str,
        user_id: str,
        *,
        name: str,
        real_name: str = "",
        tz: str = "Europe/Amsterdam",
        locale: str = "en-US",
        email: str = "",
        is_admin: bool = False,
        is_owner: bool = False,
        is_primary_owner: bool = False,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> None:
        with self.state.lock:
            self._workspace(team_id)
            self._add(
                User(
                    id=user_id,
                    team_id=team_id,
                    name=name,
                    real_name=real_name or name,
                    display_name=name,
                    tz=tz,
                    locale=locale,
                    email=email,
                    is_admin=is_admin,
                    is_owner=is_owner,
                    is_primary_owner=is_primary_owner,
                    is_restricted=is_restricted,
                    is_ultra_restricted=is_ultra_restricted,
                    is_bot=is_bot,
                    deleted=deleted,
                    updated=self.state.now_epoch(),
                )
            )

    def add_channel(
        self,
        team_id: str,
        channel_id: str,
        *,
        name: str,
        members: Iterable[str] = (),
        is_private: bool = False,
        is_archived: bool = False,
        topic: str = "",
        purpose: str = "",
    ) -> None:
        """A channel; put the bot user in `members` for the app to be a member."""
        with self.state.lock:
            self._workspace(team_id)
            if channel_id in self.state.channels:
                raise ValueError(f"conversation {channel_id} exists already")
            for member in members:
                if self.state.users.get(member) is None:
                    raise ValueError(f"unknown member {member}: add_user first")
            self.state.channels[channel_id] = Channel(
                id=channel_id,
                team_id=team_id,
                name=name,
                members=list(dict.fromkeys(members)),
                created=self.state.now_epoch(),
                is_private=is_private,
                is_archived=is_archived,
                topic=topic,
                purpose=purpose,
            )

    def archive_channel(self, channel_id: str) -> None:
        with self.state.lock:
            self._channel(channel_id).is_archived = True

    def add_to_channel(self, channel_id: str, user_id: str) -> None:
        """`user_id` joins the channel (the app reads it on its next member sync)."""
        with self.state.lock:
            if self.state.users.get(user_id) is None:
                raise ValueError(f"unknown member {user_id}: add_user first")
            members = self._channel(channel_id).members
            if user_id not in members:
                members.append(user_id)

    def remove_from_channel(self, channel_id: str, user_id: str) -> None:
        """Someone removed `user_id` (the bot user, say) from the channel."""
        with self.state.lock:
            members = self._channel(channel_id).members
            if user_id in members:
                members.remove(user_id)

    def add_app_token(self, token: str) -> None:
        """An app-level token (xapp-...) for apps.connections.open."""
        if not token.startswith("xapp-"):
            raise ValueError("app-level tokens start with xapp-")
        with self.state.lock:
            self.state.app_tokens.add(token)

    def add_oauth_code(
        self,
        code: str,
        *,
        team_id: str,
        bot_token: str,
        authed_user_id: str = "",
        scope: str = DEFAULT_SCOPES,
        redirect_uri: str | None = None,
    ) -> None:
        """A code oauth.v2.access will exchange once for `bot_token` (installing the app)."""
        with self.state.lock:
            self._workspace(team_id)
            self.state.grants[code] = OAuthGrant(
                code, team_id, bot_token, scope, authed_user_id, redirect_uri
            )

    def revoke_tokens(self, team_id: str, *, error: str = "token_revoked") -> None:
        """From now on the bot token fails with `error` (Slack says token_revoked, or
        account_inactive once the app is uninstalled)."""
        with self.state.lock:
            self._workspace(team_id).token_error = error

    def post_as_user(
        self, channel_id: str, user_id: str, text: str, *, thread_ts: str | None = None
    ) -> dict[str, Any]:
        """A person's message in a conversation (to reply to a nudge, or to shortcut on)."""
        with self.state.lock:
            channel = self._channel(channel_id)
            if user_id not in channel.members:
                raise ValueError(f"{user_id} is not a member of {channel_id}")
            message = Message(
                ts=self.state.next_ts(),
                channel=channel.id,
                team_id=channel.team_id,
                user=user_id,
                text=text,
                thread_ts=thread_ts,
                via="user",
            )
            channel.messages.append(message)
            return message_object(message)

    def new_trigger_id(self, team_id: str, user_id: str) -> str:
        """A trigger_id views.open accepts once, within 3 seconds (by the monotonic source)."""
        with self.state.lock:
            self._workspace(team_id)
            return self.state.issue_trigger(team_id, user_id)

    def new_response_url(self, team_id: str, channel_id: str, user_id: str) -> str:
        with self.state.lock:
            key = stable_id("R", team_id, channel_id, user_id, str(self.state.next_serial()))
            self._response_urls[key] = (team_id, channel_id, user_id)
        return f"{self.base_url}/hooks/{key}"

    def slash_command(
        self, team_id: str, *, user_id: str, channel_id: str, command: str, text: str = ""
    ) -> dict[str, str]:
        """Form fields of a slash command, with a fresh trigger_id and response_url."""
        with self.state.lock:
            workspace = self._workspace(team_id)
            user, channel = self._user(user_id), self._channel(channel_id)
        return slash_command(
            team_id=team_id,
            team_domain=workspace.domain,
            channel_id=channel_id,
            channel_name="directmessage" if channel.is_im else channel.name,
            user_id=user_id,
            user_name=user.name,
            command=command,
            text=text,
            trigger_id=self.new_trigger_id(team_id, user_id),
            response_url=self.new_response_url(team_id, channel_id, user_id),
            api_app_id=self.state.app_id,
        )

    # ---- reading ------------------------------------------------------------------------------
    def im_channel_id(self, team_id: str, user_id: str) -> str:
        """The bot's DM with a person (what conversations.open answers)."""
        with self.state.lock:
            workspace = self._workspace(team_id)
            return self.state.open_im(workspace, self._user(user_id))[0].id

    def messages_in(self, channel_id: str) -> list[dict[str, Any]]:
        """Messages in a conversation, oldest first, as conversations.history shows them (with
        metadata). Scheduled messages appear once the clock passes their post_at."""
        with self.state.lock:
            self.state.deliver_due()
            return [message_object(m) for m in self._channel(channel_id).messages]

    def ephemeral_messages_in(self, channel_id: str) -> list[dict[str, Any]]:
        with self.state.lock:
            return [_ephemeral(e) for e in self._channel(channel_id).ephemerals]

    def scheduled_messages(self, channel_id: str | None = None) -> list[dict[str, Any]]:
        with self.state.lock:
            self.state.deliver_due()
            pending = sorted(self.state.scheduled.values(), key=lambda s: (s.post_at, s.id))
            return [
                {"id": s.id, "channel_id": s.channel, "post_at": s.post_at, **_content(s.message)}
                for s in pending
                if channel_id in (None, s.channel)
            ]

    def home_view(self, team_id: str, user_id: str) -> dict[str, Any] | None:
        with self.state.lock:
            view_id = self.state.home_views.get((team_id, user_id))
            return dict(self.state.views[view_id].body) if view_id else None

    def view(self, view_id: str) -> dict[str, Any] | None:
        with self.state.lock:
            view = self.state.views.get(view_id)
            return dict(view.body) if view else None

    def uploaded_file(self, file_id: str) -> bytes | None:
        with self.state.lock:
            upload = self.state.uploads.get(file_id)
            return upload.content if upload else None

    # ---- side doors the HTTP server routes to ------------------------------------------------------
    def receive_upload(self, file_id: str, body: bytes) -> tuple[int, str]:
        with self.state.lock:
            upload = self.state.uploads.get(file_id)
            if upload is not None:
                upload.content = body
            team_id = upload.team_id if upload else None
        status, text = (200, f"OK - {len(body)}") if upload else (404, "file_not_found")
        answer = {"ok": status == 200, "text": text}
        at = self.state.monotonic()
        self._record(Call("files.upload", team_id, {"file_id": file_id}, status, answer, at))
        return status, text

    def receive_response_url(self, key: str, body: bytes) -> tuple[int, str]:
        try:
            message = json.loads(body)
        except ValueError:
            message = None
        with self.state.lock:
            target = self._response_urls.get(key)
        status, text = 200, "ok"
        if target is None:
            status, text = 404, "no_service"
        elif not isinstance(message, dict):
            status, text = 400, "invalid_payload"
        else:
            self._apply_response(target, message)
        team_id = target[0] if target else None
        args = message if isinstance(message, dict) else {}
        answer = {"ok": status == 200, "text": text}
        self._record(Call("response_url", team_id, args, status, answer, self.state.monotonic()))
        return status, text

    def _apply_response(self, target: tuple[str, str, str], message: dict[str, Any]) -> None:
        team_id, channel_id, user_id = target
        with self.state.lock:
            channel = self.state.channels.get(channel_id)
            workspace = self.state.workspaces[team_id]
            if channel is None or message.get("delete_original") or message.get("replace_original"):
                return  # recorded in the transcript; originals are not tracked
            text = str(message.get("text") or "")
            blocks = message.get("blocks")
            ts = self.state.next_ts()
            if message.get("response_type") == "in_channel":
                channel.messages.append(
                    Message(
                        ts=ts,
                        channel=channel_id,
                        team_id=team_id,
                        user=workspace.bot_user_id,
                        text=text,
                        blocks=blocks,
                        bot_id=workspace.bot_id,
                        app_id=self.state.app_id,
                        via="response_url",
                    )
                )
            else:
                channel.ephemerals.append(Ephemeral(ts, channel_id, user_id, text, blocks))

    # ---- helpers ------------------------------------------------------------------------------
    def _add(self, user: User) -> None:
        if user.id in self.state.users:
            raise ValueError(f"user {user.id} exists already")
        self.state.users[user.id] = user

    def _workspace(self, team_id: str) -> Workspace:
        workspace = self.state.workspaces.get(team_id)
        if workspace is None:
            raise ValueError(f"unknown workspace {team_id}: add_workspace first")
        return workspace

    def _user(self, user_id: str) -> User:
        user = self.state.users.get(user_id)
        if user is None:
            raise ValueError(f"unknown user {user_id}: add_user first")
        return user

    def _channel(self, channel_id: str) -> Channel:
        channel = self.state.channels.get(channel_id)
        if channel is None:
            raise ValueError(f"unknown conversation {channel_id}")
        return channel


def _content(message: Message) -> dict[str, Any]:
    return {"text": message.text, "blocks": message.blocks, "metadata": message.metadata}


def _ephemeral(ephemeral: Ephemeral) -> dict[str, Any]:
    return {
        "message_ts": ephemeral.message_ts,
        "channel": ephemeral.channel,
        "user": ephemeral.user,
        "text": ephemeral.text,
        "blocks": ephemeral.blocks,
    }
