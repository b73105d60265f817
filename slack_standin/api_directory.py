"""auth.test, users.* and conversations.*: who is there and where they talk."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from slack_standin.context import CallContext, Handler
from slack_standin.shapes import conversation_object, message_object, user_object
from slack_standin.state import Channel, User, stable_id
from slack_standin.wire import ApiError, Args, as_bool, as_int

SLACKBOT_ID = "USLACKBOT"
USERS_LIST_LIMIT_REQUIRED_ABOVE = 1000  # users.list: "limit_required: For large teams"


def encode_cursor(kind: str, key: str) -> str:
    return base64.b64encode(f"{kind}:{key}".encode()).decode()


def decode_cursor(kind: str, cursor: Any) -> str | None:
    if cursor in (None, ""):
        return None
    try:
        decoded = base64.b64decode(str(cursor), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ApiError("invalid_cursor") from exc
    prefix, _, key = decoded.partition(":")
    if prefix != kind or not key:
        raise ApiError("invalid_cursor")
    return key


def paginate(
    keys: Sequence[str], kind: str, args: Args, *, default: int, maximum: int
) -> tuple[list[str], str]:
    """One page of `keys` from the cursor on, and the next cursor ("" on the last page)."""
    limit = as_int(args.get("limit", 0) or 0, error="invalid_limit")
    if limit < 0:
        raise ApiError("invalid_limit")
    limit = min(limit or default, maximum)
    start_key = decode_cursor(kind, args.get("cursor"))
    start = 0
    if start_key is not None:
        if start_key not in keys:
            raise ApiError("invalid_cursor")
        start = keys.index(start_key)
    page = list(keys[start : start + limit])
    following = keys[start + limit] if start + limit < len(keys) else None
    return page, encode_cursor(kind, following) if following else ""


def slackbot(team_id: str) -> User:
    # Slackbot is listed by users.list with is_bot: false, a classic trap for "humans only".
    return User(
        id=SLACKBOT_ID,
        team_id=team_id,
        name="slackbot",
        real_name="Slackbot",
        tz="America/Los_Angeles",
        locale="en-US",
    )


def _user(ctx: CallContext, user_id: Any) -> User:
    if user_id == SLACKBOT_ID:
        return slackbot(ctx.team.team_id)
    return ctx.state.user_in(ctx.team.team_id, user_id)


def auth_test(ctx: CallContext, args: Args) -> dict[str, Any]:
    team = ctx.team
    bot = ctx.state.users.get(team.bot_user_id)
    answer: dict[str, Any] = {
        "url": f"https://{team.domain}.slack.com/",
        "team": team.name,
        "user": bot.name if bot else "bot",
        "team_id": team.team_id,
        "user_id": team.bot_user_id,
        "bot_id": team.bot_id,
        "is_enterprise_install": False,
    }
    if team.enterprise_id:
        answer["enterprise_id"] = team.enterprise_id
    return answer


def users_info(ctx: CallContext, args: Args) -> dict[str, Any]:
    user = _user(ctx, args.get("user"))
    locale = as_bool(args.get("include_locale", False))
    return {"user": user_object(user, now=ctx.state.clock.now(), include_locale=locale)}


def users_list(ctx: CallContext, args: Args) -> dict[str, Any]:
    team_id = ctx.team.team_id
    people = sorted(
        (u for u in ctx.state.users.values() if u.team_id == team_id), key=lambda u: u.id
    )
    people.append(slackbot(team_id))
    if len(people) > USERS_LIST_LIMIT_REQUIRED_ABOVE and not args.get("limit"):
        raise ApiError("limit_required")
    by_id = {u.id: u for u in people}
    page, next_cursor = paginate(list(by_id), "users", args, default=len(people), maximum=1000)
    now = ctx.state.clock.now()
    locale = as_bool(args.get("include_locale", False))
    return {
        "members": [user_object(by_id[i], now=now, include_locale=locale) for i in page],
        "cache_ts": ctx.state.now_epoch(),
        "response_metadata": {"next_cursor": next_cursor},
    }


def conversations_info(ctx: CallContext, args: Args) -> dict[str, Any]:
    channel = ctx.state.visible_channel(ctx.team, args.get("channel"))
    shape = conversation_object(
        channel,
        workspace=ctx.team,
        include_num_members=as_bool(args.get("include_num_members", False)),
        include_locale=as_bool(args.get("include_locale", False)),
    )
    return {"channel": shape}


def conversations_members(ctx: CallContext, args: Args) -> dict[str, Any]:
    channel = ctx.state.visible_channel(ctx.team, args.get("channel"))
    page, next_cursor = paginate(channel.members, "members", args, default=100, maximum=1000)
    return {"members": page, "response_metadata": {"next_cursor": next_cursor}}


def conversations_open(ctx: CallContext, args: Args) -> dict[str, Any]:
    state, team = ctx.state, ctx.team
    if args.get("channel"):
        channel = state.visible_channel(team, args["channel"])
        if not (channel.is_im or channel.is_mpim):
            raise ApiError("method_not_supported_for_channel_type")
        created = False
    else:
        ids = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not ids:
            raise ApiError("users_list_not_supplied")
        if len(ids) > 8:
            raise ApiError("too_many_users")
        people = [state.user_in(team.team_id, i) for i in ids]
        if any(p.deleted for p in people):
            raise ApiError("user_disabled")
        if len(people) == 1:
            channel, created = state.open_im(team, people[0])
        else:
            channel, created = _open_mpim(ctx, people)
    shape: dict[str, Any]
    if as_bool(args.get("return_im", False)):
        shape = conversation_object(channel, workspace=team)
    else:
        shape = {"id": channel.id}
    answer: dict[str, Any] = {"channel": shape}
    if not created:
        answer.update(no_op=True, already_open=True)
    return answer


def _open_mpim(ctx: CallContext, people: list[User]) -> tuple[Channel, bool]:
    team = ctx.team
    members = sorted({team.bot_user_id, *(p.id for p in people)})
    channel_id = stable_id("C", team.team_id, *members)
    existing = ctx.state.channels.get(channel_id)
    if existing is not None:
        return existing, False
    name = "mpdm-" + "--".join(sorted(p.name for p in people)) + "-1"
    channel = Channel(
        id=channel_id,
        team_id=team.team_id,
        name=name,
        members=members,
        created=ctx.state.now_epoch(),
        is_private=True,
        is_mpim=True,
    )
    ctx.state.channels[channel_id] = channel
    return channel, True


def conversations_join(ctx: CallContext, args: Args) -> dict[str, Any]:
    team = ctx.team
    channel = ctx.state.visible_channel(team, args.get("channel"))
    if channel.is_private or channel.is_im or channel.is_mpim:
        raise ApiError("method_not_supported_for_channel_type")
    if channel.is_archived:
        raise ApiError("is_archived")
    answer: dict[str, Any] = {}
    if team.bot_user_id in channel.members:
        answer = {"warning": "already_in_channel"}
        answer["response_metadata"] = {"warnings": ["already_in_channel"]}
    else:
        channel.members.append(team.bot_user_id)
    return {"channel": conversation_object(channel, workspace=team), **answer}


def conversations_history(ctx: CallContext, args: Args) -> dict[str, Any]:
    team = ctx.team
    channel = ctx.state.visible_channel(team, args.get("channel"))
    if team.bot_user_id not in channel.members:
        raise ApiError("not_in_channel")
    latest = _ts_bound(args.get("latest"), "invalid_ts_latest", default=float("inf"))
    oldest = _ts_bound(args.get("oldest"), "invalid_ts_oldest", default=0.0)
    inclusive = as_bool(args.get("inclusive", False))

    def in_range(ts: float) -> bool:
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    newest_first = [
        m
        for m in reversed(channel.messages)
        if (m.thread_ts in (None, m.ts)) and in_range(float(m.ts))
    ]
    by_ts = {m.ts: m for m in newest_first}
    page, next_cursor = paginate(list(by_ts), "ts", args, default=100, maximum=999)
    metadata = as_bool(args.get("include_all_metadata", False))
    return {
        "messages": [message_object(by_ts[ts], include_metadata=metadata) for ts in page],
        "has_more": bool(next_cursor),
        "pin_count": 0,
        "channel_actions_ts": None,
        "channel_actions_count": 0,
        "response_metadata": {"next_cursor": next_cursor},
    }


def conversations_replies(ctx: CallContext, args: Args) -> dict[str, Any]:
    """A thread: its parent first, then the replies, oldest first."""
    team = ctx.team
    channel = ctx.state.visible_channel(team, args.get("channel"))
    if team.bot_user_id not in channel.members and not channel.is_im:
        raise ApiError("not_in_channel")
    ts = args.get("ts")
    if not isinstance(ts, str) or not ts:
        raise ApiError("invalid_arguments")
    thread = [m for m in channel.messages if m.ts == ts or m.thread_ts == ts]
    if not thread:
        raise ApiError("thread_not_found")
    page, next_cursor = paginate([m.ts for m in thread], "ts", args, default=100, maximum=1000)
    by_ts = {m.ts: m for m in thread}
    metadata = as_bool(args.get("include_all_metadata", False))
    return {
        "messages": [message_object(by_ts[t], include_metadata=metadata) for t in page],
        "has_more": bool(next_cursor),
        "response_metadata": {"next_cursor": next_cursor},
    }


def _ts_bound(value: Any, error: str, *, default: float) -> float:
    if value in (None, ""):
        return default
    try:
        return float(str(value))
    except ValueError as exc:
        raise ApiError(error) from exc


HANDLERS: dict[str, Handler] = {
    "auth.test": auth_test,
    "users.info": users_info,
    "users.list": users_list,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
    "conversations.open": conversations_open,
    "conversations.join": conversations_join,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
}
