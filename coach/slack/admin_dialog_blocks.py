"""The admin's small dialogs behind the App Home's workspace part: a team's rename and remove
(from its menu) and the retention period (its Change button); pure Block Kit builders, and the
field errors a refused submission shows."""

from __future__ import annotations

from typing import Any

from coach.domain.retention import MAX_RETENTION_DAYS
from coach.domain.team_settings import MAX_TEAM_NAME
from coach.render import Prompts, channel_mention
from coach.services.admin_home import RetentionForm, TeamChoice
from coach.services.refusals import FormRejected
from coach.slack import ids
from coach.slack.admin_home_blocks import retention_say
from coach.slack.blocks import Block, context, input_block, plain, section


def build_team_rename_modal(choice: TeamChoice, prompts: Prompts) -> dict[str, Any]:
    """The new name for a team; private_metadata: its channel."""

    def say(part: str, **values: Any) -> str:
        return prompts.render(choice.language, "team_rename", part=part, **values)

    field = {
        "type": "plain_text_input",
        "action_id": ids.TEAM_RENAME_INPUT,
        "initial_value": choice.name,
        "max_length": MAX_TEAM_NAME,
    }
    intro = say("intro", team=choice.name, channel=channel_mention(choice.channel_id))
    return _modal(
        ids.TEAM_RENAME_MODAL,
        choice.channel_id,
        (say("title"), say("save"), say("cancel")),
        [context(intro), input_block(ids.TEAM_RENAME_BLOCK, say("label"), field)],
    )


def build_team_remove_modal(choice: TeamChoice, prompts: Prompts) -> dict[str, Any]:
    """Are you sure, with what goes and what stays; private_metadata: the team's channel."""

    def say(part: str, **values: Any) -> str:
        return prompts.render(choice.language, "team_remove", part=part, **values)

    text = say(
        "text",
        team=choice.name,
        channel=channel_mention(choice.channel_id),
        members=choice.members,
        stories=choice.stories,
    )
    modal = _modal(
        ids.TEAM_REMOVE_MODAL,
        choice.channel_id,
        (say("title"), say("confirm"), say("cancel")),
        [section(text)],
    )
    return modal


def build_retention_modal(form: RetentionForm, prompts: Prompts) -> dict[str, Any]:
    say = retention_say(prompts, form.language)
    field: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.RETENTION_INPUT,
        "max_length": 5,
    }
    if form.days is not None:
        field["initial_value"] = str(form.days)
    days = input_block(
        ids.RETENTION_BLOCK,
        say("label"),
        field,
        hint=say("hint", limit=MAX_RETENTION_DAYS),
        optional=True,
    )
    return _modal(
        ids.RETENTION_MODAL,
        "",
        (say("title"), say("save"), say("cancel")),
        [section(say("line", count=form.days)), days],
    )


def rename_errors(rejected: FormRejected, prompts: Prompts) -> dict[str, str]:
    return {ids.TEAM_RENAME_BLOCK: prompts.render(rejected.language, "team_rename", part="invalid")}


def retention_errors(rejected: FormRejected, prompts: Prompts) -> dict[str, str]:
    say = retention_say(prompts, rejected.language)
    return {ids.RETENTION_BLOCK: say("invalid", limit=MAX_RETENTION_DAYS)}


def _modal(
    callback_id: str, metadata: str, texts: tuple[str, str, str], blocks: list[Block]
) -> dict[str, Any]:
    title, submit, close = texts
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "title": plain(title[:24]),
        "submit": plain(submit[:24]),
        "close": plain(close[:24]),
        "blocks": blocks,
    }
