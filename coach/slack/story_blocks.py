"""The 9+ story form and the confirmation that quotes it: pure Block Kit builders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coach.render import Prompts, user_mention
from coach.services.chosen_people import LeftOutReason
from coach.services.story_edits import StoryValues
from coach.services.story_form import MAX_STORY, NOT_SURE, FormChoices, StoryRejected
from coach.slack import ids
from coach.slack.blocks import (
    MAX_OPTION_TEXT,
    button,
    context,
    input_block,
    option,
    plain,
    text_message,
)
from coach.store.models import Story


def build_story_form(
    choices: FormChoices,
    prompts: Prompts,
    *,
    prefill: str = "",
    intention: str = "",
    current: StoryValues | None = None,
) -> dict[str, Any]:
    """The empty (or prefilled) form; with `current`, the form editing that saved story. An
    `intention` that worked is shown above the empty text field, as what to tell about: it is
    what they meant to do, not yet the story of what happened."""
    lang = choices.language
    if current is not None:
        prefill = current.text

    def say(part: str) -> str:
        return prompts.render(lang, "story_form", part=part, limit=MAX_STORY)

    text: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.STORY_TEXT,
        "multiline": True,
        "max_length": MAX_STORY,
    }
    if prefill.strip():
        text["initial_value"] = prefill.strip()[:MAX_STORY]
    not_sure = option(say("not_sure"), NOT_SURE)
    groups = [
        {
            "label": plain(prompts.render(lang, "level_names", level=level)[:MAX_OPTION_TEXT]),
            "options": [option(name, key) for key, name in principles][:100],
        }
        for level, principles in choices.principles
    ]
    principle: dict[str, Any] = {
        "type": "static_select",
        "action_id": ids.STORY_PRINCIPLE,
        "initial_option": not_sure,
    }
    principle["option_groups"] = [
        {"label": plain(say("not_sure")), "options": [not_sure]},
        *groups,
    ]
    if current is not None and current.principle is not None:
        for key, name in (p for _, principles in choices.principles for p in principles):
            if key == current.principle:  # built like the option in its group: the same text
                principle["initial_option"] = option(name, key)
    colleagues: dict[str, Any] = {
        "type": "multi_users_select",
        "action_id": ids.STORY_COLLEAGUES,
        "max_selected_items": 20,
    }
    if current is not None and current.colleagues:
        colleagues["initial_users"] = current.colleagues[:20]
    blocks: list[dict[str, Any]] = []
    if intention.strip():
        blocks.append(
            context(
                prompts.render(lang, "story_form", part="intention", intention=intention.strip())
            )
        )
    blocks += [
        input_block(ids.STORY_TEXT_BLOCK, say("what"), text, hint=say("what_hint")),
        input_block(ids.STORY_PRINCIPLE_BLOCK, say("principle"), principle),
        input_block(ids.STORY_COLLEAGUES_BLOCK, say("colleagues"), colleagues, optional=True),
    ]
    if len(choices.teams) > 1:
        options = [option(name, str(team_id)) for team_id, name in choices.teams][:100]
        if current is not None:  # the story's own team first, so it is the initial option
            options.sort(key=lambda o: o["value"] != str(current.team_id))
        blocks.append(
            input_block(
                ids.STORY_TEAM_BLOCK,
                say("team"),
                {
                    "type": "static_select",
                    "action_id": ids.STORY_TEAM,
                    "options": options,
                    "initial_option": options[0],
                },
            )
        )
    if choices.led:
        for_team = option(say("for_team"), "for_team")
        box: dict[str, Any] = {
            "type": "checkboxes",
            "action_id": ids.STORY_FOR_TEAM,
            "options": [for_team],
        }
        if current is not None and current.for_team:
            box["initial_options"] = [for_team]
        blocks.append(
            input_block(ids.STORY_FOR_TEAM_BLOCK, say("for_team_label"), box, optional=True)
        )
    share, private = option(say("share"), "share"), option(say("private"), "private")
    blocks.append(
        input_block(
            ids.STORY_CONSENT_BLOCK,
            say("consent"),
            {
                "type": "radio_buttons",
                "action_id": ids.STORY_CONSENT,
                "options": [share, private],
                "initial_option": private if current is not None and not current.share else share,
            },
        )
    )
    return {
        "type": "modal",
        "callback_id": ids.STORY_FORM,
        "title": plain(say("edit_title" if current is not None else "title")[:24]),
        "submit": plain(say("submit")[:24]),
        "close": plain(say("cancel")[:24]),
        "blocks": blocks,
    }


def story_errors(rejected: StoryRejected, prompts: Prompts) -> dict[str, str]:
    """A refused submission's problems under their fields (each block is named for its field)."""
    return {
        field: prompts.render(rejected.language, "story_problem", code=code, limit=MAX_STORY)
        for field, code in rejected.problems.items()
    }


def build_story_note(prompts: Prompts, language: str, change: str) -> dict[str, Any]:
    """What became of a story after Edit or Delete (deleted, celebrated, gone), as a message."""
    note = prompts.render(language, "story_changed", change=change)
    return text_message(note)


def build_left_out_of_story(
    prompts: Prompts, language: str, left_out: Sequence[tuple[str, LeftOutReason]]
) -> dict[str, Any]:
    """The DM to the filer naming the colleagues taken off their story again, and why."""
    text = "\n".join(
        prompts.render(language, "left_out", part="story", who=user_mention(user), reason=reason)
        for user, reason in left_out
    )
    return text_message(text)


class StoryMessageBuilder:
    """The DMs a saved story causes, each in its recipient's language."""

    def __init__(self, prompts: Prompts) -> None:
        self._prompts = prompts

    def saved(self, language: str, principle: str | None, story: Story) -> dict[str, Any]:
        """The confirmation, with Edit and Delete (which asks first) for the one who filed it."""
        say = self._prompts.render
        text = say(language, "story_saved", text=story.text, principle=principle, share=story.share)

        def confirm(part: str) -> dict[str, Any]:
            return plain(say(language, "story_delete", part=part))

        delete = _story_button(
            ids.STORY_DELETE, say(language, "button", which="delete"), story.id, False
        )
        delete["style"] = "danger"
        delete["confirm"] = {
            "title": confirm("title"),
            "text": confirm("text"),
            "confirm": confirm("confirm"),
            "deny": confirm("deny"),
            "style": "danger",
        }
        actions = {
            "type": "actions",
            "block_id": ids.STORY_OWNER_BLOCK,
            "elements": [
                _story_button(
                    ids.STORY_EDIT, say(language, "button", which="edit"), story.id, False
                ),
                delete,
            ],
        }
        return text_message(text, actions)

    def updated(self, language: str, principle: str | None, story: Story) -> dict[str, Any]:
        """The confirmation after an edit: the story as saved now, still editable."""
        message = self.saved(language, principle, story)
        note = context(self._prompts.render(language, "story_changed", change="updated"))
        return {**message, "blocks": [note, *message["blocks"]]}

    def consent(self, language: str, principle: str | None, story: Story) -> dict[str, Any]:
        say = self._prompts.render
        text = say(
            language,
            "story_consent",
            filer=user_mention(story.filed_by),
            text=story.text,
            principle=principle,
        )
        buttons = [
            _story_button(
                ids.STORY_CONSENT_YES, say(language, "button", which="consent_yes"), story.id, True
            ),
            _story_button(
                ids.STORY_CONSENT_NO, say(language, "button", which="consent_no"), story.id, False
            ),
        ]
        actions = {"type": "actions", "block_id": "story_consent", "elements": buttons}
        return text_message(text, actions)

    def thanks(self, language: str, principle: str | None, story: Story) -> dict[str, Any]:
        text = self._prompts.render(
            language,
            "story_thanks",
            author=user_mention(story.author_id),
            text=story.text,
            principle=principle,
        )
        return text_message(text)


def _story_button(action_id: str, label: str, story_id: int, primary: bool) -> dict[str, Any]:
    return button(action_id, label, str(story_id), style="primary" if primary else None)
