"""The catalogue's rules: one pydantic model set shared by the YAML files and the Slack editor.

Limits come from Slack: a principle name is used as a select option (75 characters) and as a
header (150); a customer-voice text must fit in one section block (3,000) with room for its frame.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SCHEMA_VERSION = 1
LEVELS: tuple[str, ...] = ("operational", "relational", "meaning")
LANGUAGES: tuple[str, ...] = ("nl", "en")

Level = Literal["operational", "relational", "meaning"]
Language = Literal["nl", "en"]

MAX_NAME = 60
MAX_VOICE = 2000
MAX_QUESTION = 300
MAX_BEHAVIOUR = 300
MAX_BEHAVIOURS = 20
MAX_BEHAVIOUR_TEXT = 3000  # all of a principle's examples, one per line: what Slack's editor holds
MAX_PRINCIPLES = 100
MAX_ORGANISATION = 100
MAX_LEVEL_DESCRIPTION = 500
PRINCIPLE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
PRINCIPLE_ID_RE = re.compile(PRINCIPLE_ID_PATTERN)


def _text(max_length: int) -> object:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


Name = Annotated[str, _text(MAX_NAME)]
VoiceText = Annotated[str, _text(MAX_VOICE)]
Question = Annotated[str, _text(MAX_QUESTION)]
Behaviour = Annotated[str, _text(MAX_BEHAVIOUR)]
Organisation = Annotated[str, _text(MAX_ORGANISATION)]
LevelDescription = Annotated[str, _text(MAX_LEVEL_DESCRIPTION)]
PrincipleId = Annotated[str, StringConstraints(pattern=PRINCIPLE_ID_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class LevelVariant(_Strict):
    name: Name
    description: LevelDescription | None = None


class LevelSpec(_Strict):
    """How the organisation names one level of the pyramid."""

    name: Name
    description: LevelDescription | None = None
    translations: dict[Language, LevelVariant] = Field(default_factory=dict)


class PrincipleVariant(_Strict):
    """The same principle in another language; behaviours line up one to one with the original."""

    name: Name
    customer_voice: VoiceText
    hki_question: Question
    behaviours: Annotated[list[Behaviour], Field(min_length=1, max_length=MAX_BEHAVIOURS)]


class PrincipleSpec(_Strict):
    id: PrincipleId
    level: Level
    name: Name
    customer_voice: VoiceText
    hki_question: Question
    behaviours: Annotated[list[Behaviour], Field(min_length=1, max_length=MAX_BEHAVIOURS)]
    translations: dict[Language, PrincipleVariant] = Field(default_factory=dict)


class CatalogSpec(_Strict):
    """One organisation's catalogue, exactly as a file or the editor describes it."""

    schema_version: Literal[1] = Field(alias="schema", default=1)
    organisation: Organisation
    language: Language
    levels: dict[Level, LevelSpec] = Field(default_factory=dict)
    principles: Annotated[list[PrincipleSpec], Field(min_length=1, max_length=MAX_PRINCIPLES)]

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


Path = tuple[str | int, ...]


def cross_checks(catalog: CatalogSpec) -> list[tuple[Path, str]]:
    """Rules that span several fields; each problem comes with the path it belongs to."""
    problems: list[tuple[Path, str]] = []
    seen: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for index, principle in enumerate(catalog.principles):
        where: Path = ("principles", index)
        if principle.id in seen:
            problems.append(
                (
                    (*where, "id"),
                    f"duplicate id {principle.id!r} (also principles[{seen[principle.id]}])",
                )
            )
        else:
            seen[principle.id] = index
        folded = principle.name.casefold()
        if folded in seen_names:
            problems.append(
                (
                    (*where, "name"),
                    f"duplicate name {principle.name!r} (also principles[{seen_names[folded]}])",
                )
            )
        else:
            seen_names[folded] = index
        problems.extend(principle_checks(principle, catalog.language, where))
    return problems


def principle_checks(
    principle: PrincipleSpec, language: str, where: Path = ()
) -> list[tuple[Path, str]]:
    """Checks within one principle, shared with the Slack editor."""
    problems: list[tuple[Path, str]] = []
    variants = [("", principle.behaviours)] + [
        (lang, v.behaviours) for lang, v in principle.translations.items()
    ]
    for lang, behaviours in variants:
        listed: Path = (
            (*where, "translations", lang, "behaviours") if lang else (*where, "behaviours")
        )
        for index, text in enumerate(behaviours):
            if "\n" in text or "\r" in text:
                problems.append(
                    ((*listed, index), "a behaviour example is one line, without breaks")
                )
        if sum(len(text) + 1 for text in behaviours) - 1 > MAX_BEHAVIOUR_TEXT:
            problems.append(
                (listed, f"the examples together are longer than {MAX_BEHAVIOUR_TEXT} characters")
            )
    duplicates = _first_duplicate(principle.behaviours)
    if duplicates is not None:
        problems.append(
            ((*where, "behaviours", duplicates), "the same behaviour example appears twice")
        )
    for lang, variant in principle.translations.items():
        at: Path = (*where, "translations", lang)
        if lang == language:
            problems.append(
                (
                    at,
                    f"is the catalogue's own language ({language}); put these texts in the principle itself",
                )
            )
        if len(variant.behaviours) != len(principle.behaviours):
            problems.append(
                (
                    (*at, "behaviours"),
                    f"has {len(variant.behaviours)} "
                    f"{'example' if len(variant.behaviours) == 1 else 'examples'}; it needs exactly one per original "
                    f"example ({len(principle.behaviours)}), in the same order",
                )
            )
    return problems


def _first_duplicate(items: list[str]) -> int | None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        key = item.casefold()
        if key in seen:
            return index
        seen.add(key)
    return None
