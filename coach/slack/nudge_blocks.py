"""Block Kit for the daily nudge, its answer modal and its follow-up: pure builders."""

from __future__ import annotations

from typing import Any

from coach.render import Prompts
from coach.services.nudge_replies import (
    INTENTION,
    MAX_INTENTION,
    Answered,
    Closed,
    FollowedUp,
    InvalidAnswer,
)
from coach.services.nudging import NudgeContent, RhythmQuestion
from coach.slack import ids
from coach.slack.blocks import Block, button, context, header, section, text_message


def build_nudge_payload(content: NudgeContent | RhythmQuestion, prompts: Prompts) -> dict[str, Any]:
    """What the outbox posts: text for notifications, blocks for the DM. The week's first nudge
    has the customer's voice in full; the others are short: the principle, one example and the
    question (within ~300 characters for the catalogue's texts)."""
    if isinstance(content, RhythmQuestion):
        return build_rhythm_question(content, prompts)
    lang, render = content.language, prompts.render
    title = render(lang, "nudge_title")
    blocks: list[Block] = []
    if content.follow_up is not None:
        blocks += [
            section(render(lang, "follow_up", intention=content.follow_up.text)),
            _buttons(
                f"follow_up_{content.follow_up.intention_id}",
                str(content.follow_up.intention_id),
                [
                    (ids.FOLLOW_UP_DONE, "done", True),
                    (ids.FOLLOW_UP_NOT_DONE, "not_done", False),
                    (ids.FOLLOW_UP_SKIP, "follow_up_skip", False),
                ],
                lang,
                prompts,
            ),
            {"type": "divider"},
        ]
    if content.full:
        blocks += [
            header(title),
            section(
                render(
                    lang,
                    "nudge_body",
                    principle=content.principle.name,
                    voice=content.principle.customer_voice,
                )
            ),
            section(
                render(
                    lang,
                    "nudge_question",
                    behaviour=content.behaviour,
                    question=content.principle.hki_question,
                )
            ),
        ]
    else:
        short = render(
            lang,
            "nudge_short",
            principle=content.principle.name,
            behaviour=content.behaviour,
            question=content.principle.hki_question,
        )
        blocks.append(section(short))
    blocks += [
        _buttons(
            ids.NUDGE_ACTIONS_BLOCK,
            str(content.nudge_id),
            [
                (ids.NUDGE_ANSWER, "answer", True),
                (ids.NUDGE_STORY, "story", False),
                (ids.NUDGE_SKIP, "skip", False),
                (ids.NUDGE_SNOOZE, "snooze", False),
            ],
            lang,
            prompts,
        ),
    ]
    return {"text": f"{title}: {content.principle.hki_question}", "blocks": blocks}


RHYTHM_BUTTONS = (
    (ids.RHYTHM_WEEKLY, "weekly"),
    (ids.RHYTHM_DAILY, "daily"),
    (ids.RHYTHM_PAUSE, "pause"),
)


def build_rhythm_question(question: RhythmQuestion, prompts: Prompts) -> dict[str, Any]:
    """Asked once after QUIET_LIMIT ignored nudges: weekly, every workday, or a pause."""
    lang, render = question.language, prompts.render
    text = render(lang, "rhythm_question", part="text")
    buttons = [
        button(action_id, render(lang, "rhythm_question", part=which), question.user_id)
        for action_id, which in RHYTHM_BUTTONS
    ]
    buttons[0]["style"] = "primary"
    return text_message(
        text, {"type": "actions", "block_id": ids.RHYTHM_QUESTION_BLOCK, "elements": buttons}
    )


def build_dm_help(
    language: str, organisation: str, user_id: str, prompts: Prompts
) -> dict[str, Any]:
    """The answer to a direct message that is not a nudge's answer: what the bot does, a button
    to share a story, and how often to be asked (the rhythm question's own buttons, for
    `user_id`); `/coach help` has the rest."""
    render = prompts.render
    text = render(language, "dm_help", part="text", organisation=organisation)
    share = render(language, "dm_help", part="share")
    often = [
        button(action_id, render(language, "rhythm_question", part=which), user_id)
        for action_id, which in RHYTHM_BUTTONS
    ]
    return {
        "text": text,
        "blocks": [
            section(text),
            {
                "type": "actions",
                "block_id": ids.DM_HELP_BLOCK,
                "elements": [button(ids.DM_SHARE_STORY, share, "dm", style="primary")],
            },
            context(render(language, "dm_help", part="often")),
            {"type": "actions", "block_id": ids.RHYTHM_QUESTION_BLOCK, "elements": often},
        ],
    }


def build_answer_modal(
    nudge_id: int, language: str, prompts: Prompts, initial: str = ""
) -> dict[str, Any]:
    render = prompts.render
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.ANSWER_INPUT,
        "multiline": True,
        "max_length": MAX_INTENTION,
        "placeholder": {
            "type": "plain_text",
            "text": render(language, "answer_modal", part="placeholder")[:150],
        },
    }
    if initial:
        element["initial_value"] = initial[:MAX_INTENTION]
    return {
        "type": "modal",
        "callback_id": ids.ANSWER_MODAL,
        "private_metadata": str(nudge_id),
        "title": {
            "type": "plain_text",
            "text": render(language, "answer_modal", part="title")[:24],
        },
        "submit": {"type": "plain_text", "text": render(language, "button", which="save")[:24]},
        "close": {"type": "plain_text", "text": render(language, "button", which="cancel")[:24]},
        "blocks": [
            {
                "type": "input",
                "block_id": ids.ANSWER_BLOCK,
                "label": {
                    "type": "plain_text",
                    "text": render(language, "answer_modal", part="label"),
                },
                "hint": {
                    "type": "plain_text",
                    "text": render(language, "answer_modal", part="hint"),
                },
                "element": element,
            }
        ],
    }


def build_nudge_closed(original: list[Block], note: str) -> list[Block]:
    """The nudge as it was, without its buttons, with a note where they were: no new noise."""
    kept = [b for b in original if b.get("type") != "actions"]
    return [*kept, context(note)]


def answer_errors(rejected: InvalidAnswer, prompts: Prompts) -> dict[str, str]:
    """The answer modal's message under its field: too long, or (empty) the question again."""
    language = rejected.language
    if rejected.problems.get(INTENTION) == "too_long":
        return {
            ids.ANSWER_BLOCK: prompts.render(language, "intention_too_long", limit=MAX_INTENTION)
        }
    return {ids.ANSWER_BLOCK: prompts.render(language, "answer_modal", part="label")}


def build_nudge_answered(
    original: list[Block], answered: Answered, prompts: Prompts
) -> tuple[str, list[Block]]:
    """(text, blocks) of the nudge rewritten in place: the answer shows where the question was."""
    note = prompts.render(answered.nudge.language, "answered", intention=answered.intention)
    return note, build_nudge_closed(original, note)


def closed_note(closed: Closed, prompts: Prompts) -> str:
    """What replaces a skipped or snoozed nudge's buttons."""
    return prompts.render(closed.language, "nudge_closed", status=closed.status, until=closed.until)


def build_follow_up_recorded(
    original: list[Block], block_id: str | None, followed: FollowedUp, prompts: Prompts
) -> tuple[str, list[Block]]:
    """The follow-up's buttons (block `block_id`) become a note; the nudge below them stays."""
    note = prompts.render(followed.language, "follow_up_recorded", outcome=followed.outcome)
    return note, [b if b.get("block_id") != block_id else context(note) for b in original]


def _buttons(
    block_id: str, value: str, buttons: list[tuple[str, str, bool]], language: str, prompts: Prompts
) -> Block:
    elements = []
    for action_id, which, primary in buttons:
        button: dict[str, Any] = {
            "type": "button",
            "action_id": action_id,
            "value": value,
            "text": {
                "type": "plain_text",
                "text": prompts.render(language, "button", which=which)[:75],
                "emoji": True,
            },
        }
        if primary:
            button["style"] = "primary"
        elements.append(button)
    return {"type": "actions", "block_id": block_id, "elements": elements}
