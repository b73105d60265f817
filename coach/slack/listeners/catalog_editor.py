"""The catalogue editor: buttons in the admin's Home section and in the browser modal open the
editor's modals; submissions go to services/catalog_editor.py, which checks the role every time.
What Slack is told after a change (the browser modal, the Home tab) goes after the ack.

A refused action (not an admin) is logged by services/roles.py and changes nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, Literal

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from coach.services import admin_home, catalog_editor
from coach.services.catalog_editor import EditorError, Rejected
from coach.services.roles import NotAllowed
from coach.slack import ids
from coach.slack.admin_home_blocks import build_browser_modal
from coach.slack.catalog_editor_blocks import (
    build_archive_modal,
    build_changes_modal,
    build_notice_modal,
    build_principle_modal,
    editor_notice,
    modal_fields,
    notice_errors,
    principle_errors,
    read_metadata,
    read_principle_input,
    read_target,
)
from coach.slack.deps import SlackDeps
from coach.slack.listeners.acking import acked
from coach.slack.listeners.home import publish_home
from coach.slack.listeners.payload import caller, first_action
from coach.slack.listeners.refusals import ack_field_errors

logger = logging.getLogger(__name__)
View = dict[str, Any]


def register(app: App, deps: SlackDeps) -> None:
    clicked = acked(handle_click, deps)

    def principle(ack: Ack, view: View, context: BoltContext, client: WebClient) -> None:
        handle_principle_submitted(ack, view, context, client, deps)

    def archive(ack: Ack, view: View, context: BoltContext, client: WebClient) -> None:
        handle_archive_submitted(ack, view, context, client, deps)

    app.action(ids.CATALOG_ADD)(clicked)
    app.action(ids.CATALOG_CHANGES)(clicked)
    app.action(re.compile(rf"^{ids.CATALOG_ROW}:"))(clicked)
    app.action(re.compile(rf"^{ids.CATALOG_BROWSE}"))(clicked)
    app.view(ids.CATALOG_PRINCIPLE_MODAL)(principle)
    app.view(ids.CATALOG_ARCHIVE_MODAL)(archive)


def handle_click(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    """Any button or menu of the editor, after the ack: open a modal, or change the catalogue
    and refresh."""
    op, arg = _operation(first_action(body))
    handler = OPERATIONS.get(op)
    if handler is None:
        logger.warning("unknown catalogue action %r from %s", op, context.user_id)
        return
    try:
        view = handler(deps, caller(context), op, arg, body)
    except NotAllowed:
        return  # logged where it was refused
    except (Rejected, EditorError) as problem:
        notice = editor_notice(problem, deps.prompts)
        view = build_notice_modal(notice, problem.language, deps.prompts)
    if view is None:
        _refresh(client, deps, caller(context), _parent(body))
    else:
        _show(client, body, view, replace=op == "browse")


def _edit(deps: SlackDeps, who: dict[str, str], op: str, key: str, body: View) -> View:
    form = catalog_editor.open_principle(deps.core, **who, key=key or None)
    if op == "edit":
        return build_principle_modal(form, deps.prompts, parent=_parent(body))
    name = form.current.name or key
    return build_archive_modal(
        key, name, form.version, form.language, deps.prompts, parent=_parent(body)
    )


def _changes(deps: SlackDeps, who: dict[str, str], op: str, key: str, body: View) -> View:
    changes, language = admin_home.recent_changes(
        deps.core, workspace_id=who["workspace_id"], user_id=who["user_id"]
    )
    return build_changes_modal(changes, language, deps.prompts)


def _move(deps: SlackDeps, who: dict[str, str], op: str, key: str, body: View) -> None:
    if op == "restore":
        catalog_editor.restore_principle(deps.core, **who, key=key)
    else:
        direction: Literal["up", "down"] = "up" if op == "up" else "down"
        catalog_editor.move_principle(deps.core, **who, key=key, direction=direction)


def _browse(deps: SlackDeps, who: dict[str, str], op: str, arg: str, body: View) -> View:
    kind, _, page = arg.partition(":")
    home, language = admin_home.browse(deps.core, **who)
    return build_browser_modal(home, kind, int(page or 0), deps.prompts, language)


OPERATIONS: dict[str, Callable[[SlackDeps, dict[str, str], str, str, View], View | None]] = {
    "edit": _edit,
    "archive": _edit,
    "changes": _changes,
    "up": _move,
    "down": _move,
    "restore": _move,
    "browse": _browse,
}


def handle_principle_submitted(
    ack: Ack, view: View, context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    target = read_target(view)
    if target is None:
        ack()
        logger.warning("principle modal without its metadata from %s", context.user_id)
        return
    key, version = target
    values = read_principle_input(view)
    try:
        catalog_editor.save_principle(
            deps.core, **caller(context), key=key, version=version, values=values
        )
    except NotAllowed:
        ack()
        return
    except Rejected as rejected:
        ack_field_errors(ack, principle_errors(rejected, modal_fields(view), deps.prompts))
        return
    except EditorError as problem:  # a conflict, or the principle is gone: reload
        ack_field_errors(ack, notice_errors(problem, deps.prompts))
        return
    ack()
    deps.after_ack.run(_refresh, client, deps, caller(context), read_metadata(view) or {})


def handle_archive_submitted(
    ack: Ack, view: View, context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    key, version = read_target(view) or (None, 0)
    if key is None:
        ack()
        logger.warning("archive modal without its metadata from %s", context.user_id)
        return
    try:
        catalog_editor.archive_principle(deps.core, **caller(context), key=key, version=version)
    except NotAllowed:
        ack()
        return
    except (Rejected, EditorError) as problem:  # the last principle; a conflict; gone
        notice = editor_notice(problem, deps.prompts)
        ack(
            response_action="update",
            view=build_notice_modal(notice, problem.language, deps.prompts),
        )
        return
    ack()
    deps.after_ack.run(_refresh, client, deps, caller(context), read_metadata(view) or {})


def _refresh(client: WebClient, deps: SlackDeps, who: dict[str, str], parent: View) -> None:
    """After a change: the browser it came from (if any) and the admin's own Home tab."""
    browser = parent.get("browser")
    if isinstance(browser, str):
        home, language = admin_home.browse(deps.core, **who)
        page = parent.get("page")
        page = page if isinstance(page, int) else 0
        view = build_browser_modal(home, str(parent.get("kind")), page, deps.prompts, language)
        client.views_update(view_id=browser, view=view)
    publish_home(client, deps, **who)


def _parent(body: dict[str, Any]) -> dict[str, Any]:
    """The browser modal a click came from, to refresh it after the change."""
    view = body.get("view") or {}
    if view.get("callback_id") != ids.CATALOG_BROWSER_MODAL:
        return {}
    meta = read_metadata(view) or {}
    return {"browser": view.get("id"), "kind": meta.get("kind"), "page": meta.get("page")}


def _show(client: WebClient, body: dict[str, Any], view: View, *, replace: bool = False) -> None:
    """Open a modal, or push it when the click came from a modal; `replace`: a browser page
    turned in place."""
    current = body.get("view") or {}
    if replace and current.get("callback_id") == ids.CATALOG_BROWSER_MODAL:
        client.views_update(view_id=current["id"], view=view)
    elif current.get("type") == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def _operation(action: dict[str, Any]) -> tuple[str, str]:
    """("edit", key), ("up", key), ..., ("changes", ""), ("browse", "principles:2")."""
    action_id = str(action.get("action_id") or "")
    value = str((action.get("selected_option") or {}).get("value") or action.get("value") or "")
    if action_id == ids.CATALOG_ADD:
        return "edit", ""
    if action_id == ids.CATALOG_CHANGES:
        return "changes", ""
    if action_id.startswith(ids.CATALOG_BROWSE):
        return "browse", value if re.fullmatch(r"[a-z]+:\d{1,4}", value) else "principles:0"
    op, _, key = value.partition(":")
    return op, key
