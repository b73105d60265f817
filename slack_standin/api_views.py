"""views.*: modals (open, push, update) and the Home tab (publish).

Errors from the method pages: expired/exchanged/invalid_trigger_id, duplicate_external_id,
hash_conflict, not_found, push_limit_reached, view_too_large (250 kB), invalid_arguments.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from slack_standin.blockkit import check_view
from slack_standin.context import CallContext, Handler
from slack_standin.files import slack_file_problems
from slack_standin.state import View, stable_id
from slack_standin.wire import ApiError, Args, invalid_arguments

MAX_VIEW_BYTES = 250 * 1024
MAX_MODAL_STACK = 3  # "up to 3 views in the stack" (views.push page)


def _checked_view(args: Args, *, kind: str) -> dict[str, Any]:
    view = args.get("view")
    problems = check_view(view)
    if problems:
        raise invalid_arguments(*(str(p) for p in problems))
    if not isinstance(view, dict):  # check_view reports this; narrowed here for the type checker
        raise invalid_arguments("must be an object [json-pointer:/view]")
    if view["type"] != kind:
        raise invalid_arguments(f"must be {kind} for this method [json-pointer:/view/type]")
    if len(json.dumps(view).encode()) > MAX_VIEW_BYTES:
        raise ApiError("view_too_large")
    return view


def _new_hash(ctx: CallContext, view_id: str) -> str:
    serial = ctx.state.next_serial()
    digest = hashlib.sha256(f"{view_id}:{serial}".encode()).hexdigest()[:8]
    return f"{ctx.state.now_epoch()}.{digest}"


def _claim_external_id(ctx: CallContext, body: dict[str, Any], own_id: str | None) -> str:
    external_id = body.get("external_id") or ""
    if external_id:
        for view in ctx.state.views.values():
            same_team = view.team_id == ctx.team.team_id
            if same_team and view.external_id == external_id and view.id != own_id:
                raise ApiError("duplicate_external_id")
    return str(external_id)


def view_object(ctx: CallContext, view: View) -> dict[str, Any]:
    body = view.body
    shape: dict[str, Any] = {
        "id": view.id,
        "team_id": view.team_id,
        "type": body["type"],
        "blocks": body.get("blocks", []),
        "private_metadata": body.get("private_metadata", ""),
        "callback_id": body.get("callback_id", ""),
        "state": {"values": {}},
        "hash": view.hash,
        "title": body.get("title"),
        "close": body.get("close"),
        "submit": body.get("submit"),
        "clear_on_close": body.get("clear_on_close", False),
        "notify_on_close": body.get("notify_on_close", False),
        "previous_view_id": view.previous_view_id,
        "root_view_id": view.root_view_id,
        "app_id": ctx.state.app_id,
        "external_id": view.external_id,
        "app_installed_team_id": view.team_id,
        "bot_id": ctx.team.bot_id,
    }
    return shape


def _store(
    ctx: CallContext, user_id: str, body: dict[str, Any], *, root: str | None, previous: str | None
) -> View:
    view_id = stable_id("V", ctx.team.team_id, str(ctx.state.next_serial()))
    external_id = _claim_external_id(ctx, body, None)
    view = View(
        id=view_id,
        team_id=ctx.team.team_id,
        user_id=user_id,
        body=body,
        hash=_new_hash(ctx, view_id),
        root_view_id=root or view_id,
        previous_view_id=previous,
        external_id=external_id,
    )
    ctx.state.views[view_id] = view
    return view


def views_open(ctx: CallContext, args: Args) -> dict[str, Any]:
    body = _checked_view(args, kind="modal")
    trigger = ctx.state.use_trigger(ctx.team.team_id, args.get("trigger_id"))
    view = _store(ctx, trigger.user_id, body, root=None, previous=None)
    return {"view": view_object(ctx, view)}


def views_push(ctx: CallContext, args: Args) -> dict[str, Any]:
    body = _checked_view(args, kind="modal")
    trigger = ctx.state.use_trigger(ctx.team.team_id, args.get("trigger_id"))
    modals = [
        v
        for v in ctx.state.views.values()
        if v.team_id == ctx.team.team_id
        and v.user_id == trigger.user_id
        and v.body["type"] == "modal"
    ]
    if not modals:
        view = _store(ctx, trigger.user_id, body, root=None, previous=None)
        return {"view": view_object(ctx, view)}
    top = modals[-1]
    depth = sum(1 for v in modals if v.root_view_id == top.root_view_id)
    if depth >= MAX_MODAL_STACK:
        raise ApiError("push_limit_reached")
    view = _store(ctx, trigger.user_id, body, root=top.root_view_id, previous=top.id)
    return {"view": view_object(ctx, view)}


def views_update(ctx: CallContext, args: Args) -> dict[str, Any]:
    view_id, external_id = args.get("view_id"), args.get("external_id")
    if not view_id and not external_id:
        raise invalid_arguments("either view_id or external_id is required")
    body = _checked_view(args, kind=_kind_of(args))
    found = [
        v
        for v in ctx.state.views.values()
        if v.team_id == ctx.team.team_id
        and ((view_id and v.id == view_id) or (external_id and v.external_id == external_id))
    ]
    if not found:
        raise ApiError("not_found")
    view = found[0]
    if args.get("hash") and args["hash"] != view.hash:
        raise ApiError("hash_conflict")
    body = {**body, "external_id": body.get("external_id") or view.external_id}
    view.external_id = _claim_external_id(ctx, body, view.id)
    view.body = body
    view.hash = _new_hash(ctx, view.id)
    return {"view": view_object(ctx, view)}


def _kind_of(args: Args) -> str:
    view = args.get("view")
    kind = view.get("type") if isinstance(view, dict) else None
    return kind if kind in ("modal", "home") else "modal"


def views_publish(ctx: CallContext, args: Args) -> dict[str, Any]:
    body = _checked_view(args, kind="home")
    user = ctx.state.user_in(ctx.team.team_id, args.get("user_id"))
    seen_in = {
        c.id
        for c in ctx.state.channels.values()
        if c.team_id == ctx.team.team_id and user.id in c.members
    }
    problems = slack_file_problems(
        ctx.state, ctx.team.team_id, body.get("blocks"), "/view/blocks", seen_in=seen_in
    )
    if problems:
        raise invalid_arguments(*problems)
    key = (ctx.team.team_id, user.id)
    current_id = ctx.state.home_views.get(key)
    if current_id is None:
        view = _store(ctx, user.id, body, root=None, previous=None)
        ctx.state.home_views[key] = view.id
        return {"view": view_object(ctx, view)}
    view = ctx.state.views[current_id]
    if args.get("hash") and args["hash"] != view.hash:
        raise ApiError("hash_conflict")
    view.external_id = _claim_external_id(ctx, body, view.id)
    view.body = body
    view.hash = _new_hash(ctx, view.id)
    return {"view": view_object(ctx, view)}


HANDLERS: dict[str, Handler] = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
