"""The catalogue editor: buttons in the admin's Home section and in the browser modal open the
editor's modals; submissions go to services/catalog_editor.py, which checks the role every time.

A refused action (not an admin) is logged by services/roles.py and changes nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, Literal

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from coach.services import admin_home, catalog_editor
from coach.services.catalog_editor import Conflict, EditorError, Gone, Rejected
from coach.services.roles import NotAllowed
from coach.slack import ids
from coach.slack.admin_home_blocks import build_browser_modal
from coach.slack.catalog_editor_blocks import (
    block_id,
    build_archive_modal,
    build_changes_modal,
    build_notice_modal,
    build_principle_modal,
    modal_fields,
    principle_errors,
    problem_text,
    read_metadata,
    read_principle_input,
)
from coach.slack.deps import SlackDeps
from coach.slack.listeners.home import publish_home
from coach.slack.listeners.payload import caller, first_action

logger = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    def clicked(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        try:
            handle_click(body, context, client, deps)
        except NotAllowed:
            return  # logged where it was refused

    def principle(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        handle_principle_submitted(ack, view, context, client, deps)

    def archive(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
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
    """Any button or menu of the editor: open a modal, or change the catalogue and refresh."""
    op, arg = _operation(first_action(body))
    if op == "browse":
        kind, _, page = arg.partition(":")
        _browse(body, client, deps, caller(context), kind=kind, page=int(page or 0))
        return
    handler = OPERATIONS.get(op)
    if handler is None:
        logger.warning("unknown catalogue action %r from %s", op, context.user_id)
        return
    try:
        with deps.core.unit_of_work() as session:
            view = handler(session, body, caller(context), op, arg, deps)
    except EditorError as problem:
        view = build_notice_modal(_notice(problem, deps), problem.language, deps.prompts)
    if view is not None:
        _show(client, body, view)
    else:
        _refresh(client, deps, caller(context), _parent(body))


def _edit(
    session: Session, body: dict[str, Any], who: dict[str, str], op: str, key: str, deps: SlackDeps
) -> dict[str, Any]:
    form = catalog_editor.open_principle(session, **who, key=key or None)
    if op == "edit":
        return build_principle_modal(form, deps.prompts, parent=_parent(body))
    name = form.current.name or key
    return build_archive_modal(
        key, name, form.version, form.language, deps.prompts, parent=_parent(body)
    )


def _changes(
    session: Session, body: dict[str, Any], who: dict[str, str], op: str, key: str, deps: SlackDeps
) -> dict[str, Any]:
    changes, language = admin_home.recent_changes(
        session, workspace_id=who["workspace_id"], user_id=who["user_id"]
    )
    return build_changes_modal(changes, language, deps.prompts)


def _move(
    session: Session, body: dict[str, Any], who: dict[str, str], op: str, key: str, deps: SlackDeps
) -> None:
    now = deps.core.clock.now()
    if op == "restore":
        catalog_editor.restore_principle(session, **who, key=key, now=now)
    else:
        direction: Literal["up", "down"] = "up" if op == "up" else "down"
        catalog_editor.move_principle(session, **who, key=key, direction=direction, now=now)


OPERATIONS: dict[str, Callable[..., dict[str, Any] | None]] = {
    "edit": _edit,
    "archive": _edit,
    "changes": _changes,
    "up": _move,
    "down": _move,
    "restore": _move,
}


def handle_principle_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    meta = read_metadata(view) or {}
    key, version = meta.get("key"), meta.get("version")
    if not isinstance(version, int) or not isinstance(key, str | None):
        ack()
        logger.warning("principle modal without its metadata from %s", context.user_id)
        return
    try:
        with deps.core.unit_of_work() as session:
            catalog_editor.save_principle(
                session,
                **caller(context),
                key=key,
                version=version,
                values=read_principle_input(view),
                now=deps.core.clock.now(),
            )
    except NotAllowed:
        ack()
        return
    except Rejected as rejected:
        errors = principle_errors(
            rejected.problems, modal_fields(view), deps.prompts, rejected.language
        )
        ack(response_action="errors", errors=errors)
        return
    except EditorError as problem:  # a conflict, or the principle is gone: reload
        ack(response_action="errors", errors={block_id("name"): _notice(problem, deps)})
        return
    ack()
    _refresh(client, deps, caller(context), meta)


def handle_archive_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    meta = read_metadata(view) or {}
    key, version = meta.get("key"), meta.get("version")
    if not isinstance(key, str) or not isinstance(version, int):
        ack()
        logger.warning("archive modal without its metadata from %s", context.user_id)
        return
    try:
        with deps.core.unit_of_work() as session:
            catalog_editor.archive_principle(
                session, **caller(context), key=key, version=version, now=deps.core.clock.now()
            )
    except NotAllowed:
        ack()
        return
    except EditorError as problem:
        notice = build_notice_modal(_notice(problem, deps), problem.language, deps.prompts)
        ack(response_action="update", view=notice)
        return
    ack()
    _refresh(client, deps, caller(context), meta)


def _browse(
    body: dict[str, Any],
    client: WebClient,
    deps: SlackDeps,
    who: dict[str, str],
    *,
    kind: str,
    page: int,
) -> None:
    with deps.core.unit_of_work() as session:
        home, language = admin_home.browse(session, **who)
    view = build_browser_modal(home, kind, page, deps.prompts, language)
    current = body.get("view") or {}
    if current.get("callback_id") == ids.CATALOG_BROWSER_MODAL:
        client.views_update(view_id=current["id"], view=view)
    else:
        _show(client, body, view)


def _refresh(
    client: WebClient, deps: SlackDeps, who: dict[str, str], parent: dict[str, Any]
) -> None:
    """After a change: the browser it came from (if any) and the admin's own Home tab."""
    browser = parent.get("browser")
    if isinstance(browser, str):
        with deps.core.unit_of_work() as session:
            home, language = admin_home.browse(session, **who)
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


def _show(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    """Open a modal, or push it when the click came from a modal."""
    if (body.get("view") or {}).get("type") == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def _notice(problem: EditorError, deps: SlackDeps) -> str:
    if isinstance(problem, Conflict | Gone):
        part = "conflict" if isinstance(problem, Conflict) else "gone"
        return deps.prompts.render(problem.language, "catalog_editor", part=part)
    return problem_text(problem.problems, problem.language, deps.prompts)


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
