"""The weekly celebration, its preview for the leads and the note modal: pure Block Kit builders.

However many stories a week has, every message stays within Block Kit's limits (50 blocks,
3,000 characters a section): one section per story, the highlights in the channel post and the
rest in thread replies, each story exactly once.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from coach.domain.celebration import (
    MAX_NOTE,
    CelebrationContent,
    CelebrationStory,
    PrincipleWeek,
)
from coach.picture_words import pyramid_picture
from coach.render import Mrkdwn, Prompts, channel_mention, quote, slack_escape, user_mention
from coach.services.celebration_actions import NOTE
from coach.services.pictures import TeamPyramidView
from coach.services.refusals import FormRejected
from coach.slack import ids
from coach.slack.blocks import MAX_MESSAGE_BLOCKS, Block, context, plain, section, text_message
from coach.slack.nudge_blocks import build_nudge_closed

HIGHLIGHTS_PER_PRINCIPLE = 2
MAX_HIGHLIGHTS = 12  # stories in the channel post itself; the rest go to its thread
PREVIEW_BLOCKS = MAX_MESSAGE_BLOCKS - 2  # room for the intro and the buttons


class CelebrationBuilder:
    """Composes every message of a celebration, in the team's language."""

    def __init__(self, prompts: Prompts) -> None:
        self._prompts = prompts

    def picture(self, view: TeamPyramidView) -> dict[str, Any]:
        picture = pyramid_picture(view, self._prompts)
        upload = {
            "png": base64.b64encode(picture.png.data).decode("ascii"),
            "filename": picture.filename,
            "title": picture.title,
            "alt": picture.alt,
            "comment": slack_escape(picture.reading),  # typed names: text, not mrkdwn
        }
        return {"text": upload["comment"], "upload": upload}

    def post(self, content: CelebrationContent) -> dict[str, Any]:
        say = self._say(content.language)
        focus = content.next_focus
        if content.quiet:
            text = say(
                "celebration_quiet",
                week=content.iso_week,
                team=content.team_name,
                name=focus.name if focus else None,
                question=focus.hki_question if focus else None,
            )
            blocks = [*self._note(content), section(text), *self._pulse(content)]
            return {"text": text[:3000], "blocks": blocks, "story_ids": [], "thread": []}
        title = say("celebration_header", week=content.iso_week, team=content.team_name)
        head = [section(title), *self._note(content)]
        if content.participants:  # None: too few people answered to count them (MinGroup)
            head.append(
                context(
                    say(
                        "celebration_participation",
                        participants=content.participants,
                        members=content.members,
                    )
                )
            )
        head += self._pulse(content)
        tail = []
        if focus is not None:
            tail.append(
                section(say("celebration_focus", name=focus.name, question=focus.hki_question))
            )
        budget = MAX_MESSAGE_BLOCKS - len(head) - len(tail) - 2  # a divider and "more below"
        main: list[Block] = []
        rest: list[tuple[PrincipleWeek, tuple[CelebrationStory, ...]]] = []
        shown: list[int] = []
        for group in content.groups:
            room = MAX_HIGHLIGHTS - len(shown)
            highlights = group.stories[: min(HIGHLIGHTS_PER_PRINCIPLE, room)]
            if len(main) + 1 + len(highlights) > budget:
                highlights = ()
                if group.stories:
                    rest.append((group, group.stories))
                continue
            main.append(
                section(self._principle_line(content.language, group, counted=content.counted))
            )
            main += [self._story(content.language, story) for story in highlights]
            shown += [story.id for story in highlights]
            if len(group.stories) > len(highlights):
                rest.append((group, group.stories[len(highlights) :]))
        more = sum(len(stories) for _, stories in rest)
        blocks = [*head, {"type": "divider"}, *main]
        if more:
            blocks.append(context(say("celebration_more", count=more if content.counted else None)))
        blocks += tail
        return {
            "text": title,
            "blocks": blocks,
            "story_ids": shown,
            "thread": self._thread(content.language, rest),
        }

    def _pulse(self, content: CelebrationContent) -> list[Block]:
        """The team's pulse month in one line, only when enough people answered."""
        line = content.pulse
        if line is None:
            return []
        text = self._prompts.render(
            content.language, "pulse_celebration", month=line.month, enps=line.enps
        )
        return [context(text)]

    def preview(
        self, content: CelebrationContent, celebration_id: int, due: datetime, tz: str
    ) -> dict[str, Any]:
        say = self._say(content.language)
        local = due.astimezone(ZoneInfo(tz))
        intro = say(
            "celebration_preview",
            part="intro",
            team=content.team_name,
            channel=channel_mention(content.channel_id),
            weekday=local.weekday(),
            at=f"{local:%H:%M}",
        )
        post = self.post(content)["blocks"][:PREVIEW_BLOCKS]
        value = str(celebration_id)

        def button(action_id: str, part: str) -> dict[str, Any]:
            return {
                "type": "button",
                "action_id": action_id,
                "value": value,
                "text": plain(say("celebration_preview", part=part)[:75]),
            }

        skip = button(ids.CELEBRATION_SKIP, "skip")
        skip["confirm"] = {
            "title": plain(say("celebration_preview", part="skip_title")[:100]),
            "text": plain(say("celebration_preview", part="skip_text")[:300]),
            "confirm": plain(say("celebration_preview", part="skip_confirm")[:30]),
            "deny": plain(say("celebration_preview", part="back")[:30]),
        }
        actions = {
            "type": "actions",
            "block_id": ids.CELEBRATION_ACTIONS_BLOCK,
            "elements": [
                button(ids.CELEBRATION_NOTE, "note"),
                {**button(ids.CELEBRATION_POST_NOW, "post_now"), "style": "primary"},
                skip,
            ],
        }
        return text_message(intro, *post, actions)

    def problem(
        self, language: str, team_name: str, channel_id: str, reason: str
    ) -> dict[str, Any]:
        text = self._say(language)(
            "celebration_problem",
            team=team_name,
            channel=channel_mention(channel_id),
            reason=reason,
        )
        return text_message(text)

    def _note(self, content: CelebrationContent) -> list[Block]:
        if not content.note:
            return []
        return [section(self._say(content.language)("celebration_note", note=content.note))]

    def _principle_line(
        self, language: str, group: PrincipleWeek, *, counted: bool, with_counts: bool = True
    ) -> str:
        """The principle's name with its counts; story counts only for a team big enough
        (`counted`); intentions come counted only where enough people set one."""
        return self._say(language)(
            "celebration_principle",
            name=group.name,
            stories=len(group.stories) if with_counts and counted else 0,
            intentions=group.intentions if with_counts else 0,
        )

    def _story(self, language: str, story: CelebrationStory) -> Block:
        credits = ", ".join(user_mention(user) for user in story.credits)
        return section(
            self._say(language)(
                "celebration_story",
                text=quote(story.text),
                author=user_mention(story.author_id),
                for_team=story.for_team,
                credits=Mrkdwn(credits),
            )
        )

    def _thread(
        self, language: str, rest: list[tuple[PrincipleWeek, tuple[CelebrationStory, ...]]]
    ) -> list[dict[str, Any]]:
        blocks: list[tuple[Block, int | None]] = []  # each with the story it shows, if any
        for group, stories in rest:
            line = self._principle_line(language, group, counted=False, with_counts=False)
            blocks.append((section(line), None))
            blocks += [(self._story(language, story), story.id) for story in stories]
        messages = []
        for start in range(0, len(blocks), MAX_MESSAGE_BLOCKS):
            part = blocks[start : start + MAX_MESSAGE_BLOCKS]
            text = next((b["text"]["text"] for b, _ in part if b.get("text")), "9+")
            messages.append(
                {
                    "text": text[:3000],
                    "blocks": [b for b, _ in part],
                    "story_ids": [i for _, i in part if i is not None],
                    "block_story_ids": [i for _, i in part],  # which block shows which story
                }
            )
        return messages

    def _say(self, language: str) -> Callable[..., str]:
        def say(template: str, /, **values: Any) -> str:
            return self._prompts.render(language, template, **values)

        return say


def build_note_modal(
    celebration_id: int, language: str, note: str | None, prompts: Prompts
) -> dict[str, Any]:
    def say(part: str) -> str:
        return prompts.render(language, "celebration_note_form", part=part, limit=MAX_NOTE)

    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.CELEBRATION_NOTE_INPUT,
        "multiline": True,
        "max_length": MAX_NOTE,
    }
    if note:
        element["initial_value"] = note
    return {
        "type": "modal",
        "callback_id": ids.CELEBRATION_NOTE_MODAL,
        "private_metadata": str(celebration_id),
        "title": plain(say("title")[:24]),
        "submit": plain(say("submit")[:24]),
        "close": plain(say("cancel")[:24]),
        "blocks": [
            {
                "type": "input",
                "block_id": ids.CELEBRATION_NOTE_BLOCK,
                "label": plain(say("label")),
                "hint": plain(say("hint")),
                "element": element,
                "optional": True,
            }
        ],
    }


def note_errors(rejected: FormRejected, prompts: Prompts) -> dict[str, str]:
    """The note modal's refusal (too long, too late), under its one field."""
    blocks = {NOTE: ids.CELEBRATION_NOTE_BLOCK}
    return {
        blocks[field]: prompts.render(
            rejected.language, "celebration_note_form", part=code, limit=MAX_NOTE
        )
        for field, code in rejected.problems.items()
    }


def build_decided_preview(
    original: list[Block], language: str, done: str, prompts: Prompts
) -> dict[str, Any]:
    """The preview after a lead's click (`done`: queued, no_members, skip, too_late): its
    buttons replaced by what happened, as `chat.update` arguments (text and blocks)."""
    note = prompts.render(language, "celebration_action", action=done)
    return {"text": note, "blocks": build_nudge_closed(original, note)}
