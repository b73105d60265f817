"""The catalogue editor's modals, and reading their submissions back: pure functions.

The principle modal has one input block per field of the catalogue schema; a problem the rules
find (services/catalog_editor.py, `Problem.field`) is shown on the block of that field.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from coach.catalog.schema import LANGUAGES, LEVELS, MAX_NAME, MAX_QUESTION, MAX_VOICE
from coach.render import Mrkdwn, Prompts, user_mention
from coach.services.admin_home import ChangeEntry
from coach.services.catalog_checks import CATALOGUE, Problem
from coach.services.catalog_editor import (
    Conflict,
    EditorError,
    EditorForm,
    PrincipleInput,
    Rejected,
    VariantInput,
    behaviour_lines,
)
from coach.slack import ids
from coach.slack.blocks import Block, context, input_block, option, plain, section

MAX_INPUT = 3000  # Slack's largest plain_text_input
TEXT_INPUTS = (  # field, part of the wording, max length, multiline
    ("name", "name", MAX_NAME, False),
    ("customer_voice", "voice", MAX_VOICE, True),
    ("hki_question", "question", MAX_QUESTION, False),
    ("behaviours", "behaviours", MAX_INPUT, True),
)


def block_id(field: str) -> str:
    """The input block of a field: "name" -> ce_name, "en.name" -> ce_en_name."""
    return "ce_" + field.replace(".", "_")


def build_principle_modal(
    form: EditorForm, prompts: Prompts, *, parent: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Add (form.key None) or edit one principle. `parent` (the browser it was opened from)
    travels in private_metadata with the key and the version, so a submit can refresh it."""
    lang = form.language

    def say(part: str, **values: Any) -> str:
        return prompts.render(lang, "catalog_editor", part=part, **values)

    current, catalogue = form.current, say("language_of", code=form.catalog_language)
    intro = (
        say("intro_new", language_name=catalogue)
        if form.key is None
        else say(
            "intro_edit",
            name=current.name or "",
            principle_key=form.key,
            catalog_version=form.version,
        )
    )
    levels = [
        option(
            form.level_names.get(level) or prompts.render(lang, "level_names", level=level), level
        )
        for level in LEVELS
    ]
    level_select: dict[str, Any] = {
        "type": "static_select",
        "action_id": block_id("level"),
        "options": levels,
        "placeholder": plain(say("level_placeholder")),
    }
    if current.level in LEVELS:
        level_select["initial_option"] = levels[LEVELS.index(current.level)]
    blocks: list[Block] = [
        context(intro),
        input_block(block_id("level"), say("level"), level_select),
        *_texts(current, "", say, optional=False),
    ]
    for other in form.variant_languages:
        name = say("language_of", code=other)
        blocks.append(section(say("variant", language_name=name)))
        variant = current.variants.get(other, VariantInput())
        blocks += _texts(variant, other, say, optional=True, language_name=name)
    metadata = {"key": form.key, "version": form.version, **(parent or {})}
    return _modal(
        ids.CATALOG_PRINCIPLE_MODAL,
        say("title_new" if form.key is None else "title_edit"),
        blocks,
        close=say("cancel"),
        submit=say("save"),
        metadata=metadata,
    )


def read_principle_input(
    view: dict[str, Any], variant_languages: tuple[str, ...] = ("nl", "en")
) -> PrincipleInput:
    """The submitted values as plain data; what is missing or of the wrong type reads as empty."""
    values = (view.get("state") or {}).get("values") or {}

    def value(field: str) -> str | None:
        element = (values.get(block_id(field)) or {}).get(block_id(field)) or {}
        if element.get("type") == "static_select" or "selected_option" in element:
            chosen = (element.get("selected_option") or {}).get("value")
            return chosen if isinstance(chosen, str) else None
        text = element.get("value")
        return text if isinstance(text, str) else None

    def variant(prefix: str) -> dict[str, Any]:
        return {
            "name": value(prefix + "name"),
            "customer_voice": value(prefix + "customer_voice"),
            "hki_question": value(prefix + "hki_question"),
            "behaviours": behaviour_lines(value(prefix + "behaviours")),
        }

    return PrincipleInput(
        level=value("level"),
        variants={
            lang: VariantInput(**variant(f"{lang}."))
            for lang in variant_languages
            if block_id(f"{lang}.name") in values
        },
        **variant(""),
    )


def read_metadata(view: dict[str, Any]) -> dict[str, Any] | None:
    """The private_metadata this module wrote, or None when it is not ours."""
    try:
        data = json.loads(str(view.get("private_metadata") or ""))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def read_target(view: dict[str, Any]) -> tuple[str | None, int] | None:
    """(principle key, catalogue version) a principle or archive modal was opened for (key None:
    a new principle), or None when its private_metadata is not ours."""
    meta = read_metadata(view) or {}
    key, version = meta.get("key"), meta.get("version")
    if not isinstance(version, int):
        return None
    return (key, version) if isinstance(key, str | None) else None


def principle_errors(rejected: Rejected, form_fields: set[str], prompts: Prompts) -> dict[str, str]:
    """`response_action: errors` for the modal: each problem on its field's block (problems
    about the catalogue as a whole on the name)."""
    errors: dict[str, str] = {}
    language = rejected.language
    for problem in rejected.found:
        where = block_id(problem.field if problem.field in form_fields else "name")
        if problem.field == CATALOGUE:
            where = block_id("name")
        errors.setdefault(
            where,
            prompts.render(
                language,
                "catalog_problem",
                code=problem.code,
                limit=problem.limit,
                count=problem.count,
                line=problem.line,
            ),
        )
    return errors


def modal_fields(view: dict[str, Any]) -> set[str]:
    """The fields a principle modal has input blocks for."""
    found = set()
    for block in view.get("blocks") or []:
        bid = str(block.get("block_id") or "")
        if block.get("type") == "input" and bid.startswith("ce_"):
            rest = bid.removeprefix("ce_")
            lang, _, name = rest.partition("_")
            found.add(f"{lang}.{name}" if lang in LANGUAGES else rest)
    return found


def build_archive_modal(
    key: str,
    name: str,
    version: int,
    language: str,
    prompts: Prompts,
    *,
    parent: dict[str, Any] | None = None,
) -> dict[str, Any]:
    def say(part: str, **values: Any) -> str:
        return prompts.render(language, "catalog_editor", part=part, **values)

    return _modal(
        ids.CATALOG_ARCHIVE_MODAL,
        say("title_archive"),
        [section(say("archive_confirm", name=name))],
        close=say("cancel"),
        submit=say("archive"),
        metadata={"key": key, "version": version, **(parent or {})},
    )


def build_notice_modal(text: str, language: str, prompts: Prompts) -> dict[str, Any]:
    """A short word after a click that could not be done (a conflict, the last principle)."""
    say = _say(prompts, language)
    return _modal(ids.CATALOG_INFO_MODAL, say("title_notice"), [section(text)], close=say("close"))


def build_changes_modal(
    changes: tuple[ChangeEntry, ...], language: str, prompts: Prompts
) -> dict[str, Any]:
    say = _say(prompts, language)
    lines = [change_line(change, language, prompts) for change in changes]
    blocks = [section(line) for line in lines] or [section(say("no_changes"))]
    return _modal(ids.CATALOG_INFO_MODAL, say("title_changes"), blocks, close=say("close"))


def change_line(change: ChangeEntry, language: str, prompts: Prompts) -> str:
    """Who, when and what, for one audit entry."""
    return prompts.render(
        language,
        "catalog_change",
        action=change.action,
        name=change.name or change.subject,
        catalog_version=change.version,
        change_who=_who(change.actor),
        change_when=_when(change.at),
        changed_fields=list(change.fields),
    )


def notice_errors(problem: EditorError, prompts: Prompts) -> dict[str, str]:
    """A principle modal opened on an older catalogue (or a principle since archived): the
    reload notice under its name."""
    return {block_id("name"): editor_notice(problem, prompts)}


def editor_notice(problem: Rejected | EditorError, prompts: Prompts) -> str:
    """Why a click could not be done: the catalogue moved on, the principle is gone, or the
    change breaks a rule (the first problem)."""
    if isinstance(problem, EditorError):
        part = "conflict" if isinstance(problem, Conflict) else "gone"
        return prompts.render(problem.language, "catalog_editor", part=part)
    return problem_text(problem.found, problem.language, prompts)


def problem_text(problems: tuple[Problem, ...], language: str, prompts: Prompts) -> str:
    """The first problem as one sentence, for a notice."""
    first = problems[0] if problems else Problem(CATALOGUE, "invalid")
    return prompts.render(
        language,
        "catalog_problem",
        code=first.code,
        limit=first.limit,
        count=first.count,
        line=first.line,
    )


def _texts(
    values: VariantInput, lang: str, say: Any, *, optional: bool, language_name: str = ""
) -> list[Block]:
    blocks = []
    for field, part, limit, multiline in TEXT_INPUTS:
        name = f"{lang}.{field}" if lang else field
        current = "\n".join(values.behaviours) if field == "behaviours" else getattr(values, field)
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": block_id(name),
            "multiline": multiline,
            "max_length": limit,
        }
        if current:
            element["initial_value"] = current
        label = say(("variant_" if lang else "") + part, language_name=language_name)
        blocks.append(
            input_block(
                block_id(name),
                label,
                element,
                hint=say(part + "_hint", limit=limit) if not lang else None,
                optional=optional,
            )
        )
    return blocks


def _modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    *,
    close: str,
    submit: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title[:24]),
        "close": plain(close[:24]),
        "blocks": blocks[:100],
    }
    if submit is not None:
        view["submit"] = plain(submit[:24])
    if metadata is not None:
        view["private_metadata"] = json.dumps(metadata)
    return view


def _who(actor: str) -> str | Mrkdwn:
    if actor[:1] in ("U", "W") and actor.isalnum() and actor.isupper():
        return user_mention(actor)
    return actor


def _when(at: datetime) -> Mrkdwn:
    """Slack shows the moment in the reader's own time zone and locale."""
    fallback = f"{at:%Y-%m-%d %H:%M} UTC"
    return Mrkdwn(f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>")


def _say(prompts: Prompts, language: str) -> Any:
    def say(part: str, **values: Any) -> str:
        return prompts.render(language, "catalog_editor", part=part, **values)

    return say
