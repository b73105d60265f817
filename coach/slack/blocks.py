"""Block Kit builders: pure functions from plain values to blocks, within Slack's limits.

Wording comes from prompts/ through `Prompts`; user text is escaped there.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from coach.catalog.localize import level_name, principle_text
from coach.catalog.schema import LEVELS, CatalogSpec
from coach.domain.coach_command import MAX_PAUSE_DAYS
from coach.render import Prompts, channel_mention
from coach.services.coach_command import (
    DataReady,
    ForgetAsked,
    Invalid,
    LanguageSet,
    NothingStored,
    NotUnderstood,
    Outcome,
    Paused,
    Principles,
    Resumed,
    RhythmSet,
    TimeSet,
    Usage,
    WeekdaysSet,
)
from coach.services.privacy import ForgetAnswered
from coach.services.story_wall import NotALead, WallReady
from coach.slack import ids

Block = dict[str, Any]

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}  # each in its own language
MAX_MESSAGE_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_OPTION_TEXT = 75  # option and button texts
MAX_LABEL_TEXT = 2000  # input labels and hints


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text[:MAX_OPTION_TEXT]), "value": value}


def button(action_id: str, label: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": plain(label[:MAX_OPTION_TEXT]),
    }
    if style is not None:
        element["style"] = style
    return element


def input_block(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    hint: str | None = None,
    optional: bool = False,
) -> Block:
    """A modal input with its label (and hint) within Slack's 2,000 characters."""
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label[:MAX_LABEL_TEXT]),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint[:MAX_LABEL_TEXT])
    return block


def text_blocks(text: str) -> list[Block]:
    return [section(chunk) for chunk in pack([text])]


def text_message(text: str, *more: Block) -> dict[str, Any]:
    """chat.postMessage / chat.update arguments: `text` as the notification and as the first
    section, then `more` blocks."""
    return {"text": text[:MAX_SECTION_TEXT], "blocks": [section(text), *more]}


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}}


def header(text: str) -> Block:
    if len(text) > MAX_HEADER_TEXT:
        text = text[: MAX_HEADER_TEXT - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}]}


def pack(parts: list[str], limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Join parts with blank lines into as few texts of at most `limit` characters as possible."""
    chunks: list[str] = []
    for part in parts:
        while len(part) > limit:  # a single part longer than a section: split it hard
            chunks.append(part[:limit])
            part = part[limit:]
        if chunks and len(chunks[-1]) + 2 + len(part) <= limit:
            chunks[-1] += "\n\n" + part
        else:
            chunks.append(part)
    return chunks


def build_principles(catalog: CatalogSpec, language: str, prompts: Prompts) -> list[Block]:
    """The catalogue grouped by level, however large, in at most 50 blocks."""
    blocks: list[Block] = [
        section(prompts.render(language, "principles_intro", organisation=catalog.organisation))
    ]
    shown = 0
    for level in LEVELS:
        principles = [p for p in catalog.principles if p.level == level]
        if not principles:
            continue
        title = level_name(catalog, level, language) or prompts.render(
            language, "level_names", level=level
        )
        lines = []
        for principle in principles:
            text = principle_text(principle, language)
            lines.append(
                prompts.render(
                    language, "principle_line", name=text.name, question=text.hki_question
                )
            )
        level_blocks = [header(title), *(section(chunk) for chunk in pack(lines))]
        if len(blocks) + len(level_blocks) > MAX_MESSAGE_BLOCKS - 1:
            break
        blocks.extend(level_blocks)
        shown += len(principles)
    if shown < len(catalog.principles):
        blocks.append(
            context(
                prompts.render(language, "principles_more", count=len(catalog.principles) - shown)
            )
        )
    return blocks


def build_coach_reply(outcome: Outcome, language: str, prompts: Prompts) -> list[Block]:
    """The ephemeral answer to `/coach ...`."""
    render = prompts.render
    match outcome:
        case Usage(organisation=organisation):
            return text_blocks(render(language, "help", organisation=organisation))
        case Principles(catalog=None):
            return text_blocks(render(language, "no_catalogue"))
        case Principles(catalog=catalog) if catalog is not None:
            return build_principles(catalog, language, prompts)
        case LanguageSet():
            return text_blocks(render(language, "language_set"))
        case TimeSet(at=at):
            return text_blocks(render(language, "time_set", time=f"{at:%H:%M}"))
        case WeekdaysSet(days=days, allowed=allowed):
            chosen = sorted(days) if days is not None else None
            return text_blocks(
                render(language, "weekdays_set", days=chosen, allowed=sorted(allowed))
            )
        case RhythmSet(every=every, days=days):
            return text_blocks(render(language, "rhythm_set", every=every, days=sorted(days)))
        case Invalid(kind="weekdays" | "rhythm" as kind, given=given):
            return text_blocks(render(language, "bad_rhythm", kind=kind, given=given))
        case Paused(until=until):
            return text_blocks(render(language, "paused", until=until))
        case Resumed():
            return text_blocks(render(language, "resumed"))
        case Invalid(kind=kind, given=given):
            return text_blocks(
                render(language, "bad_argument", kind=kind, given=given, max_days=MAX_PAUSE_DAYS)
            )
        case DataReady():
            return text_blocks(render(language, "my_data", part="preparing"))
        case NothingStored():
            return text_blocks(render(language, "my_data", part="empty"))
        case ForgetAsked(user_id=user_id, summary=summary):
            return build_forget_me_question(user_id, asdict(summary), language, prompts)
        case WallReady(screen=True, team_name=team):
            return text_blocks(render(language, "wall", part="sending", team=team))
        case WallReady(channel_id=channel, weeks=weeks):
            wall = render(
                language, "wall", part="posting", weeks=weeks, channel=channel_mention(channel)
            )
            return text_blocks(wall)
        case NotALead():
            return text_blocks(render(language, "wall", part="not_lead"))
        case NotUnderstood(text=text, organisation=organisation):
            return [
                section(render(language, "unknown_command", text=text)),
                *text_blocks(render(language, "help", organisation=organisation)),
            ]
    raise AssertionError(f"unhandled outcome {outcome!r}")


def build_forget_me_question(
    user_id: str, counts: dict[str, int], language: str, prompts: Prompts
) -> list[Block]:
    """What forgetting deletes, and the two buttons; the value says whom it was asked of."""

    def button(action_id: str, which: str) -> Block:
        label = prompts.render(language, "button", which=which)
        return {
            "type": "button",
            "action_id": action_id,
            "value": user_id,
            "text": {"type": "plain_text", "text": label[:75], "emoji": True},
        }

    yes = {**button(ids.FORGET_ME_YES, "forget_me_yes"), "style": "danger"}
    return [
        *text_blocks(prompts.render(language, "forget_me", part="ask", counts=counts)),
        {
            "type": "actions",
            "block_id": ids.FORGET_ME_BLOCK,
            "elements": [yes, button(ids.FORGET_ME_CANCEL, "forget_me_cancel")],
        },
    ]


def build_forget_answer(answered: ForgetAnswered, prompts: Prompts) -> tuple[str, list[Block]]:
    """(text, blocks) that replace the forget-me question once it is answered."""
    part = "done" if answered.forgotten else "cancelled"
    text = prompts.render(answered.language, "forget_me", part=part)
    return text, text_blocks(text)


def fallback_text(blocks: list[Block]) -> str:
    """The notification text Slack shows where blocks cannot be: the first block's text."""
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict) and isinstance(text.get("text"), str):
            return str(text["text"])[:3000]
    return "9+ Coach"
