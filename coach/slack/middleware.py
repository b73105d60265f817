"""Global middleware: drop payloads from foreign workspaces (before the ack: no database).

Slack's redeliveries of an event are dropped by the event listeners themselves, after the ack
(`listeners/redelivery.py`): a transaction here would run before every event's ack."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext, BoltResponse

from coach.slack.deps import SlackDeps

logger = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    def only_our_workspace(
        context: BoltContext,
        next: Callable[[], None],
    ) -> BoltResponse | None:
        return drop_foreign_workspace(context, next)

    app.use(only_our_workspace)


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
