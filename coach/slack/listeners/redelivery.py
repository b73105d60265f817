"""Slack redelivers an event it thinks went unanswered (same `event_id`): act on it once.

Checked by the event listeners, which run after Bolt's automatic ack: the check is a write, and
a write before the ack would delay every event's answer."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext

from coach.services.workspaces import first_time
from coach.slack.deps import SlackDeps

logger = logging.getLogger(__name__)


def first_delivery(body: dict[str, Any], context: BoltContext, deps: SlackDeps) -> bool:
    """Whether this is the first delivery of the event in `body` (True without an event id)."""
    event_id = body.get("event_id")
    if not isinstance(event_id, str) or len(event_id) > 64:
        return True
    first = first_time(deps.core, event_id=event_id, workspace_id=str(context.team_id))
    if not first:
        logger.info("ignored redelivery of event %s", event_id)
    return first
