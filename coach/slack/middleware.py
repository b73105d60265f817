"""Global middleware: drop Slack's redeliveries of an event, and payloads from foreign workspaces."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from coach.slack.deps import SlackDeps
from coach.store.workspaces import first_delivery

logger = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    def only_our_workspace(
        context: BoltContext,
        next: Callable[[], None],
    ) -> BoltResponse | None:
        return drop_foreign_workspace(context, next)

    def once_per_event(
        body: dict[str, Any],
        context: BoltContext,
        next: Callable[[], None],
    ) -> BoltResponse | None:
        return drop_redelivered_event(body, context, next, deps)

    app.use(only_our_workspace)
    app.use(once_per_event)


def drop_foreign_workspace(context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
    """A payload's team must be the one its token belongs to: no reaching into other workspaces."""
    authorized = context.authorize_result
    if authorized is not None and authorized.team_id and context.team_id != authorized.team_id:
        logger.warning(
            "ignored a request for team %s authorized as team %s",
            context.team_id,
            authorized.team_id,
        )
        return BoltResponse(status=200, body="")
    next()
    return None


def drop_redelivered_event(
    body: dict[str, Any],
    context: BoltContext,
    next: Callable[[], None],
    deps: SlackDeps,
) -> BoltResponse | None:
    event_id = body.get("event_id")
    if body.get("type") != "event_callback" or not isinstance(event_id, str) or len(event_id) > 64:
        next()
        return None
    with deps.core.unit_of_work() as session:
        first = first_delivery(
            session, event_id=event_id, workspace_id=str(context.team_id), now=deps.core.clock.now()
        )
    if not first:
        logger.info("ignored redelivery of event %s", event_id)
        return BoltResponse(status=200, body="")
    next()
    return None
