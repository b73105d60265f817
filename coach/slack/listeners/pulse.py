"""A tap on the monthly pulse DM: ack, one service call, then the DM rewritten in place."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from coach.domain.celebration import MinGroup
from coach.services import pulse_answers
from coach.slack import ids
from coach.slack.deps import SlackDeps
from coach.slack.listeners.acking import acked
from coach.slack.listeners.payload import caller, clicked_in, first_action, pulse_tap
from coach.slack.pulse_blocks import build_pulse_payload


def register(app: App, deps: SlackDeps) -> None:
    app.action(re.compile(f"^{ids.PULSE_ANSWER}:"))(acked(handle_pulse_answer, deps))


def handle_pulse_answer(
    body: dict[str, Any], context: BoltContext, client: WebClient, deps: SlackDeps
) -> None:
    tap = pulse_tap(first_action(body).get("value"))
    if tap is None:
        return
    month, team_id, question, score = tap
    try:
        content = pulse_answers.answer(
            deps.core,
            **caller(context),
            team_id=team_id,
            month=month,
            question=question,
            score=score,
        )
    except pulse_answers.PulseRefused:  # logged by the service
        return
    channel, ts = clicked_in(body)
    if channel is not None and ts is not None:
        minimum = MinGroup.of(deps.core.settings.coach_min_group).private
        message = build_pulse_payload(content, deps.prompts, minimum)
        client.chat_update(channel=channel, ts=ts, **message)
