"""Installing and connecting: oauth.v2.access, apps.connections.open, files.uploadV2's steps and
files.delete.

oauth.v2.access answers in the documented shape (method page; Bolt's OAuthFlow reads app_id,
team, enterprise, bot_user_id, access_token, scope, token_type, authed_user, is_enterprise_install)
and only for a code registered with `add_oauth_code`; the exchange is what makes the bot token
valid. files.uploadV2 is three requests: files.getUploadURLExternal, a raw POST of the bytes to
the returned URL (served by the stand-in under /upload/v1/), files.completeUploadExternal.
files.delete (method page; the spec's error list) takes a file of the caller's workspace: the
bot can delete what it uploaded (every upload here is the bot's), and the file then leaves every
conversation it was shared in, as in Slack; a second delete answers `file_deleted`.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from slack_standin.context import CallContext, Handler
from slack_standin.state import Message, Upload, stable_id
from slack_standin.wire import ApiError, Args, as_int, invalid_arguments


def oauth_v2_access(ctx: CallContext, args: Args) -> dict[str, Any]:
    state, endpoints = ctx.state, ctx.endpoints
    client_id, client_secret = ctx.credentials.basic or (
        args.get("client_id"),
        args.get("client_secret"),
    )
    if client_id != endpoints.client_id:
        raise ApiError("invalid_client_id")
    if client_secret != endpoints.client_secret:
        raise ApiError("bad_client_secret")
    grant = state.grants.get(str(args.get("code")))
    if grant is None or grant.used:
        raise ApiError("invalid_code")
    if grant.redirect_uri is not None and args.get("redirect_uri") != grant.redirect_uri:
        raise ApiError("bad_redirect_uri")
    grant.used = True
    workspace = state.workspaces[grant.team_id]
    workspace.bot_token = grant.bot_token
    workspace.token_error = None
    answer: dict[str, Any] = {
        "access_token": grant.bot_token,
        "token_type": "bot",
        "scope": grant.scope,
        "bot_user_id": workspace.bot_user_id,
        "app_id": state.app_id,
        "team": {"name": workspace.name, "id": workspace.team_id},
        "enterprise": None,
        "is_enterprise_install": False,
        "authed_user": {"id": grant.authed_user_id},
    }
    if workspace.enterprise_id:
        answer["enterprise"] = {"name": workspace.name, "id": workspace.enterprise_id}
    return answer


def apps_connections_open(ctx: CallContext, args: Args) -> dict[str, Any]:
    return {"url": ctx.endpoints.open_socket()}


def files_get_upload_url_external(ctx: CallContext, args: Args) -> dict[str, Any]:
    length = as_int(args.get("length"), error="invalid_arguments")
    if length < 0:
        raise invalid_arguments("length must be 0 or more")
    file_id = stable_id("F", ctx.team.team_id, str(ctx.state.next_serial()))
    filename = str(args.get("filename"))
    ctx.state.uploads[file_id] = Upload(file_id, ctx.team.team_id, filename, length)
    return {"upload_url": f"{ctx.endpoints.http_base}/upload/v1/{file_id}", "file_id": file_id}


def files_complete_upload_external(ctx: CallContext, args: Args) -> dict[str, Any]:
    entries = args.get("files")
    if not isinstance(entries, list) or not entries:
        raise invalid_arguments("files must be a non-empty array [json-pointer:/files]")
    done: list[dict[str, Any]] = []
    for entry in entries:
        file_id = entry.get("id") if isinstance(entry, dict) else None
        upload = ctx.state.uploads.get(file_id) if isinstance(file_id, str) else None
        if upload is None or upload.team_id != ctx.team.team_id or upload.content is None:
            raise ApiError("file_not_found")
        upload.completed = True
        title = (entry.get("title") if isinstance(entry, dict) else None) or upload.filename
        done.append(
            {
                "id": upload.file_id,
                "name": upload.filename,
                "title": title,
                "mimetype": mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
                "size": len(upload.content),
                "permalink": upload.permalink,
            }
        )
    channel_ids = [args["channel_id"]] if args.get("channel_id") else []
    channel_ids += [c for c in str(args.get("channels") or "").split(",") if c]
    for channel_id in channel_ids:
        channel = ctx.state.visible_channel(ctx.team, channel_id)
        if ctx.team.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        for entry in done:
            ctx.state.uploads[entry["id"]].shared_in.add(channel.id)
        message = Message(
            ts=ctx.state.next_ts(),
            channel=channel.id,
            team_id=ctx.team.team_id,
            user=ctx.team.bot_user_id,
            bot_id=ctx.team.bot_id,
            app_id=ctx.state.app_id,
            text=str(args.get("initial_comment") or ""),
            thread_ts=args.get("thread_ts"),
            files=done,
            via="files.completeUploadExternal",
        )
        channel.messages.append(message)
    return {"files": [{"id": f["id"], "title": f["title"]} for f in done]}


def files_delete(ctx: CallContext, args: Args) -> dict[str, Any]:
    upload = ctx.state.uploads.get(str(args.get("file") or ""))
    if upload is None or upload.team_id != ctx.team.team_id or not upload.completed:
        raise ApiError("file_not_found")
    if upload.deleted:
        raise ApiError("file_deleted")
    upload.deleted, upload.content = True, None
    for channel_id in upload.shared_in:
        channel = ctx.state.channels.get(channel_id)
        for message in channel.messages if channel is not None else ():
            if message.files:
                message.files = [f for f in message.files if f.get("id") != upload.file_id]
    upload.shared_in.clear()
    return {}


HANDLERS: dict[str, Handler] = {
    "oauth.v2.access": oauth_v2_access,
    "apps.connections.open": apps_connections_open,
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
    "files.delete": files_delete,
}
