"""chat.*: posting, ephemeral, updating, deleting and scheduling messages."""

from __future__ import annotations

from typing import Any

from slack_standin.api_directory import paginate
from slack_standin.blockkit import check_message_blocks
from slack_standin.context import CallContext, Handler
from slack_standin.files import slack_file_problems
from slack_standin.shapes import message_object
from slack_standin.state import Channel, Ephemeral, Message, Scheduled, stable_id
from slack_standin.wire import ApiError, Args, as_int

MAX_TEXT = 40_000  # "truncating really long messages" changelog; the stand-in refuses instead.
SCHEDULE_HORIZON_SECONDS = 120 * 24 * 3600  # chat.scheduleMessage: "up to 120 days"
SCHEDULE_WINDOW_SECONDS = 5 * 60  # "no more than 30 messages to post within a 5-minute window"
SCHEDULE_WINDOW_MAX = 30


def _content(args: Args) -> dict[str, Any]:
    """Text, blocks, attachments and metadata of a message, checked as Slack checks them."""
    text = args.get("text")
    blocks = args.get("blocks")
    attachments = args.get("attachments")
    metadata = args.get("metadata")
    if blocks is not None and not isinstance(blocks, list):
        raise ApiError("invalid_blocks_format")
    if blocks:
        problems = check_message_blocks(blocks)
        if problems:
            raise ApiError(
                "invalid_blocks",
                errors=[str(p) for p in problems],
                messages=[f"[ERROR] {p}" for p in problems],
            )
    if attachments is not None and not isinstance(attachments, list):
        raise ApiError("invalid_attachments")
    if not text and not blocks and not attachments:
        raise ApiError("no_text")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise ApiError("msg_too_long")
    if metadata is not None and not (
        isinstance(metadata, dict)
        and isinstance(metadata.get("event_type"), str)
        and isinstance(metadata.get("event_payload"), dict)
    ):
        raise ApiError("invalid_metadata_format")
    return {
        "text": text if isinstance(text, str) else "",
        "blocks": blocks,
        "attachments": attachments,
        "metadata": metadata,
    }


def _writable(ctx: CallContext, channel_arg: Any) -> Channel:
    channel = ctx.state.message_target(ctx.team, channel_arg)
    if channel.is_archived:
        raise ApiError("is_archived")
    if ctx.team.bot_user_id not in channel.members:
        raise ApiError("not_in_channel")
    return channel


def _new_message(ctx: CallContext, channel: Channel, args: Args, *, scheduled: bool) -> Message:
    content = _content(args)  # checked before a ts is spent
    problems = slack_file_problems(
        ctx.state, ctx.team.team_id, content["blocks"], "/blocks", seen_in={channel.id}
    )
    if problems:
        raise ApiError(
            "invalid_blocks", errors=problems, messages=[f"[ERROR] {p}" for p in problems]
        )
    team = ctx.team
    thread_ts = args.get("thread_ts")
    return Message(
        ts="" if scheduled else ctx.state.next_ts(),
        channel=channel.id,
        team_id=team.team_id,
        user=team.bot_user_id,
        bot_id=team.bot_id,
        app_id=ctx.state.app_id,
        thread_ts=str(thread_ts) if thread_ts else None,
        **content,
    )


def post_message(ctx: CallContext, args: Args) -> dict[str, Any]:
    channel = _writable(ctx, args.get("channel"))
    message = _new_message(ctx, channel, args, scheduled=False)
    channel.messages.append(message)
    return {"channel": channel.id, "ts": message.ts, "message": message_object(message)}


def post_ephemeral(ctx: CallContext, args: Args) -> dict[str, Any]:
    channel = ctx.state.message_target(ctx.team, args.get("channel"))
    if channel.is_archived:
        raise ApiError("is_archived")
    user = ctx.state.user_in(ctx.team.team_id, args.get("user"))
    if user.id not in channel.members:
        raise ApiError("user_not_in_channel")
    content = _content(args)
    ephemeral = Ephemeral(
        ctx.state.next_ts(), channel.id, user.id, content["text"], content["blocks"]
    )
    channel.ephemerals.append(ephemeral)
    return {"message_ts": ephemeral.message_ts}


def update(ctx: CallContext, args: Args) -> dict[str, Any]:
    channel = ctx.state.message_target(ctx.team, args.get("channel"))
    message = ctx.state.find_message(channel, args.get("ts"))
    if message.user != ctx.team.bot_user_id:
        raise ApiError("cant_update_message")
    merged = {
        "text": args.get("text", message.text),
        "blocks": args.get("blocks", message.blocks),
        "attachments": args.get("attachments", message.attachments),
        "metadata": args.get("metadata", message.metadata),
    }
    content = _content(merged)
    message.text = content["text"]
    message.blocks = content["blocks"]
    message.attachments = content["attachments"]
    message.metadata = content["metadata"]
    message.edited_ts = ctx.state.next_ts()
    return {
        "channel": channel.id,
        "ts": message.ts,
        "text": message.text,
        "message": message_object(message),
    }


def delete(ctx: CallContext, args: Args) -> dict[str, Any]:
    channel = ctx.state.message_target(ctx.team, args.get("channel"))
    message = ctx.state.find_message(channel, args.get("ts"))
    if message.user != ctx.team.bot_user_id:
        raise ApiError("cant_delete_message")
    channel.messages.remove(message)
    return {"channel": channel.id, "ts": message.ts}


def schedule_message(ctx: CallContext, args: Args) -> dict[str, Any]:
    state = ctx.state
    channel = _writable(ctx, args.get("channel"))
    post_at = as_int(args.get("post_at"), error="invalid_time")
    now = state.now_epoch()
    if post_at < now:
        raise ApiError("time_in_past")
    if post_at > now + SCHEDULE_HORIZON_SECONDS:
        raise ApiError("time_too_far")
    if _busiest_window(state.scheduled_in(channel.id), post_at) >= SCHEDULE_WINDOW_MAX:
        raise ApiError("restricted_too_many")
    message = _new_message(ctx, channel, args, scheduled=True)
    scheduled_id = stable_id("Q", channel.id, str(state.next_serial()))
    state.schedule(Scheduled(scheduled_id, channel.id, ctx.team.team_id, post_at, now, message))
    shape = message_object(message)
    shape.pop("ts")
    shape["type"] = "delayed_message"
    return {
        "channel": channel.id,
        "scheduled_message_id": scheduled_id,
        "post_at": str(post_at),
        "message": shape,
    }


def _busiest_window(pending: list[Scheduled], post_at: int) -> int:
    """Most messages already due in one 5-minute window that would also hold `post_at`."""
    times = sorted(s.post_at for s in pending)
    starts = {post_at} | {t for t in times if post_at - SCHEDULE_WINDOW_SECONDS < t <= post_at}
    return max(
        (sum(1 for t in times if start <= t < start + SCHEDULE_WINDOW_SECONDS) for start in starts),
        default=0,
    )


def scheduled_messages_list(ctx: CallContext, args: Args) -> dict[str, Any]:
    state, team = ctx.state, ctx.team
    if args.get("channel"):
        try:
            channel = state.visible_channel(team, args["channel"])
        except ApiError as exc:
            raise ApiError("invalid_channel") from exc
        pending = state.scheduled_in(channel.id)
    else:
        pending = [s for s in state.scheduled.values() if s.team_id == team.team_id]
    latest = as_int(args.get("latest") or 2**62, error="invalid_arguments")
    oldest = as_int(args.get("oldest") or 0, error="invalid_arguments")
    chosen = sorted(
        (s for s in pending if oldest <= s.post_at <= latest), key=lambda s: (s.post_at, s.id)
    )
    by_id = {s.id: s for s in chosen}
    page, next_cursor = paginate(list(by_id), "scheduled", args, default=100, maximum=1000)
    return {
        "scheduled_messages": [
            {
                "id": by_id[i].id,
                "channel_id": by_id[i].channel,
                "post_at": by_id[i].post_at,
                "date_created": by_id[i].date_created,
                "text": by_id[i].message.text,
            }
            for i in page
        ],
        "response_metadata": {"next_cursor": next_cursor},
    }


def delete_scheduled_message(ctx: CallContext, args: Args) -> dict[str, Any]:
    channel = ctx.state.message_target(ctx.team, args.get("channel"))
    scheduled = ctx.state.scheduled.get(str(args.get("scheduled_message_id")))
    if scheduled is None or scheduled.channel != channel.id:
        raise ApiError("invalid_scheduled_message_id")
    ctx.state.unschedule(scheduled.id)
    return {}


HANDLERS: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update,
    "chat.delete": delete,
    "chat.scheduleMessage": schedule_message,
    "chat.scheduledMessages.list": scheduled_messages_list,
    "chat.deleteScheduledMessage": delete_scheduled_message,
}
