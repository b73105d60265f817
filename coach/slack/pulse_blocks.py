"""Block Kit for the monthly team pulse DM: the eNPS question (0-10) and the month's ownership
statements (1-5), one tap each; answered questions show a thank-you instead of their buttons.

Results are drawn as text in coach/slack/pulse_result_blocks.py.
"""

from __future__ import annotations

from typing import Any

from coach.domain.pulse import AGREE_SCORES, ENPS_SCORES
from coach.render import Prompts
from coach.services.pulse_answers import ENPS, PulseContent
from coach.slack import ids
from coach.slack.blocks import Block, button, context, section


def build_pulse_payload(content: PulseContent, prompts: Prompts, minimum: int) -> dict[str, Any]:
    """The pulse DM (what the outbox posts, and what a tap rewrites it to); `minimum`: the
    fewest answers a result is shown from (MinGroup.private)."""

    def say(part: str, **values: Any) -> str:
        return prompts.render(
            content.language,
            "pulse_question",
            part=part,
            month=content.month,
            team=content.team_name,
            minimum=minimum,
            **values,
        )

    blocks: list[Block] = [section(say("title")), context(say("anonymous")), section(say("enps"))]
    blocks.append(_answers(content, ENPS, ENPS_SCORES, content.enps_done, say))
    if content.statements:
        blocks.append(context(say("agree")))
    for key in content.statements:
        blocks.append(section(say("statement", key=key)))
        blocks.append(_answers(content, key, AGREE_SCORES, key in content.done, say))
    if content.outcome is not None:
        blocks.append(context(say(content.outcome)))
    return {"text": say("text"), "blocks": blocks}


def _answers(content: PulseContent, question: str, scores: range, done: bool, say: Any) -> Block:
    if done:
        return context(say("answered"))
    return {
        "type": "actions",
        "block_id": f"{ids.PULSE_BLOCK}:{question}",
        "elements": [
            button(
                f"{ids.PULSE_ANSWER}:{question}:{score}",
                str(score),
                f"{content.month:%Y-%m}:{content.team_id}:{question}:{score}",
            )
            for score in scores
        ],
    }
