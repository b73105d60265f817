"""The catalogue editor's use cases: open, save, move, archive and restore a principle.

Every edit becomes a whole CatalogSpec, checked by the same rules as a YAML file
(coach/catalog/schema.py: the pydantic models, then `cross_checks`), and is written by
store/catalog.py's `replace_catalog`, which audits it and bumps the catalogue version with a
compare-and-set. A modal carries the version it was opened at: if the catalogue moved on since,
the save is a Conflict and nothing is overwritten. Every call checks that the person is an admin
(roles.NotAllowed otherwise), in its own unit of work, at the clock's now.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from coach.catalog.schema import (
    LANGUAGES,
    LEVELS,
    CatalogSpec,
    LevelSpec,
    PrincipleSpec,
)
from coach.deps import Deps
from coach.services.catalog_checks import CatalogProblems, Problem, checked_catalog
from coach.services.people import language_of
from coach.services.refusals import FormRejected
from coach.services.roles import require_admin
from coach.services.scheduled_nudges import withdraw_workspace
from coach.store.catalog import (
    CatalogConflict,
    list_principles,
    load_catalog,
    load_levels,
    principle_spec,
    replace_catalog,
)
from coach.store.models import Workspace

TEXT_FIELDS = ("name", "customer_voice", "hki_question")


@dataclass(frozen=True)
class VariantInput:
    """A principle's texts in one language, as typed (None: left empty)."""

    name: str | None = None
    customer_voice: str | None = None
    hki_question: str | None = None
    behaviours: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        texts = (self.name, self.customer_voice, self.hki_question)
        return not self.behaviours and not any((text or "").strip() for text in texts)


@dataclass(frozen=True)
class PrincipleInput(VariantInput):
    level: str | None = None
    variants: Mapping[str, VariantInput] = field(default_factory=dict)


@dataclass(frozen=True)
class EditorForm:
    """What the principle modal shows: the principle as stored (or empty) and the version."""

    key: str | None  # None: a new principle
    version: int
    language: str  # the admin's
    catalog_language: str
    variant_languages: tuple[str, ...]
    level_names: Mapping[str, str]  # the organisation's own names, where it gave them
    current: PrincipleInput


class Rejected(FormRejected):
    """The edit breaks a catalogue rule: `problems` maps each field to its problem's code, and
    `found` keeps the problems whole (limits, counts, lines) for their wording."""

    def __init__(self, language: str, found: tuple[Problem, ...]) -> None:
        super().__init__(language, {problem.field: problem.code for problem in found})
        self.found = found


class EditorError(Exception):
    """The editor's view is out of date: the admin is told to reload, nothing changes."""

    def __init__(self, language: str) -> None:
        super().__init__(language)
        self.language = language


class Conflict(EditorError):
    """The catalogue changed since the editor was opened: reload, do not overwrite."""


class Gone(EditorError):
    """The principle is not (or no longer) where the editor expected it."""


def behaviour_lines(text: str | None) -> tuple[str, ...]:
    """One behaviour example per line; blank lines do not count."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def open_principle(core: Deps, *, workspace_id: str, user_id: str, key: str | None) -> EditorForm:
    """The principle modal's contents: the principle `key` as stored, or an empty one."""
    with core.unit_of_work() as session:
        return _form(session, workspace_id=workspace_id, user_id=user_id, key=key)


def _form(session: Session, *, workspace_id: str, user_id: str, key: str | None) -> EditorForm:
    require_admin(session, workspace_id=workspace_id, user_id=user_id, action="catalog.open")
    language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    workspace = session.get_one(Workspace, workspace_id)
    base = _base(session, workspace)
    current = PrincipleInput()
    if key is not None:
        spec = next((p for p in _specs(base) if p.id == key), None)
        if spec is None:
            raise Gone(language)
        current = _input_of(spec)
    levels = load_levels(session, workspace_id=workspace_id)
    return EditorForm(
        key=key,
        version=workspace.catalog_version,
        language=language,
        catalog_language=base["language"],
        variant_languages=tuple(lang for lang in LANGUAGES if lang != base["language"]),
        level_names={level: _level_name(spec, language) for level, spec in levels.items()},
        current=current,
    )


def save_principle(
    core: Deps,
    *,
    workspace_id: str,
    user_id: str,
    key: str | None,
    version: int,
    values: PrincipleInput,
) -> None:
    """Create (key None) or update a principle, if the catalogue is still at `version`."""
    with core.unit_of_work() as session:
        _save(session, workspace_id, user_id, key, version, values, core.clock.now())


def _save(
    session: Session,
    workspace_id: str,
    user_id: str,
    key: str | None,
    version: int,
    values: PrincipleInput,
    now: datetime,
) -> None:
    require_admin(session, workspace_id=workspace_id, user_id=user_id, action="catalog.save")
    language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    workspace = session.get_one(Workspace, workspace_id)
    if workspace.catalog_version != version:
        raise Conflict(language)
    base = _base(session, workspace)
    principles: list[dict[str, Any]] = base["principles"]
    if key is None:
        taken = {row.key for row in list_principles(session, workspace_id=workspace_id)}
        subject = _new_key(values.name, taken)
        entry = _data_of(subject, values, base["language"])
        ordered = _insert_in_level(principles, entry)
    else:
        index = next((i for i, p in enumerate(principles) if p["id"] == key), None)
        if index is None:
            raise Gone(language)
        subject, entry = key, _data_of(key, values, base["language"])
        ordered = [*principles[:index], entry, *principles[index + 1 :]]
    catalog = _validated(base, ordered, subject, language)
    _write(session, workspace_id, user_id, catalog, version, now, language)


def move_principle(
    core: Deps, *, workspace_id: str, user_id: str, key: str, direction: Literal["up", "down"]
) -> None:
    """Swap the principle with its neighbour on the same level (nothing at either end)."""
    with core.unit_of_work() as session:
        _move(session, workspace_id, user_id, key, direction, core.clock.now())


def _move(
    session: Session,
    workspace_id: str,
    user_id: str,
    key: str,
    direction: Literal["up", "down"],
    now: datetime,
) -> None:
    require_admin(session, workspace_id=workspace_id, user_id=user_id, action="catalog.move")
    language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    workspace = session.get_one(Workspace, workspace_id)
    version = workspace.catalog_version
    base = _base(session, workspace)
    principles: list[dict[str, Any]] = base["principles"]
    index = next((i for i, p in enumerate(principles) if p["id"] == key), None)
    if index is None:
        raise Gone(language)
    same = [i for i, p in enumerate(principles) if p["level"] == principles[index]["level"]]
    at = same.index(index) + (-1 if direction == "up" else 1)
    if not 0 <= at < len(same):
        return
    other = same[at]
    principles[index], principles[other] = principles[other], principles[index]
    catalog = _validated(base, principles, None, language)
    _write(session, workspace_id, user_id, catalog, version, now, language)


def archive_principle(
    core: Deps, *, workspace_id: str, user_id: str, key: str, version: int
) -> None:
    """Take the principle out of the catalogue (stories keep it; it can be restored)."""
    with core.unit_of_work() as session:
        _archive(session, workspace_id, user_id, key, version, core.clock.now())


def _archive(
    session: Session, workspace_id: str, user_id: str, key: str, version: int, now: datetime
) -> None:
    require_admin(session, workspace_id=workspace_id, user_id=user_id, action="catalog.archive")
    language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    workspace = session.get_one(Workspace, workspace_id)
    if workspace.catalog_version != version:
        raise Conflict(language)
    base = _base(session, workspace)
    principles: list[dict[str, Any]] = base["principles"]
    if not any(p["id"] == key for p in principles):
        raise Gone(language)
    catalog = _validated(base, [p for p in principles if p["id"] != key], None, language)
    _write(session, workspace_id, user_id, catalog, version, now, language)


def restore_principle(core: Deps, *, workspace_id: str, user_id: str, key: str) -> None:
    """Bring an archived principle back, at the end of its level."""
    with core.unit_of_work() as session:
        _restore(session, workspace_id, user_id, key, core.clock.now())


def _restore(session: Session, workspace_id: str, user_id: str, key: str, now: datetime) -> None:
    require_admin(session, workspace_id=workspace_id, user_id=user_id, action="catalog.restore")
    language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    workspace = session.get_one(Workspace, workspace_id)
    version = workspace.catalog_version
    row = next(
        (
            p
            for p in list_principles(session, workspace_id=workspace_id)
            if p.key == key and p.archived_at is not None
        ),
        None,
    )
    if row is None:
        raise Gone(language)
    base = _base(session, workspace)
    entry = principle_spec(row).model_dump(mode="json")
    catalog = _validated(base, _insert_in_level(base["principles"], entry), key, language)
    _write(session, workspace_id, user_id, catalog, version, now, language)


# ---- the catalogue as plain data ----------------------------------------------------------------
def _validated(
    base: dict[str, Any], ordered: list[dict[str, Any]], subject: str | None, language: str
) -> CatalogSpec:
    try:
        return checked_catalog(base, ordered, subject)
    except CatalogProblems as problems:
        raise Rejected(language, problems.problems) from None


def _base(session: Session, workspace: Workspace) -> dict[str, Any]:
    """The active catalogue as plain data; a header of its own when nothing is active yet."""
    catalog = load_catalog(session, workspace_id=workspace.id)
    if catalog is not None:
        data = catalog.model_dump(mode="json", by_alias=True)
        data["principles"] = list(data["principles"])
        return data
    levels = load_levels(session, workspace_id=workspace.id)
    return {
        "organisation": (workspace.organisation or workspace.name or workspace.id)[:100],
        "language": workspace.language if workspace.language in LANGUAGES else LANGUAGES[0],
        "levels": {level: spec.model_dump(mode="json") for level, spec in levels.items()},
        "principles": [],
    }


def _level_name(spec: LevelSpec, language: str) -> str:
    variant = next((v for lang, v in spec.translations.items() if lang == language), None)
    return (variant or spec).name


def _specs(base: dict[str, Any]) -> list[PrincipleSpec]:
    return [PrincipleSpec.model_validate(p) for p in base["principles"]]


def _input_of(spec: PrincipleSpec) -> PrincipleInput:
    return PrincipleInput(
        level=spec.level,
        name=spec.name,
        customer_voice=spec.customer_voice,
        hki_question=spec.hki_question,
        behaviours=tuple(spec.behaviours),
        variants={
            lang: VariantInput(
                name=variant.name,
                customer_voice=variant.customer_voice,
                hki_question=variant.hki_question,
                behaviours=tuple(variant.behaviours),
            )
            for lang, variant in spec.translations.items()
        },
    )


def _data_of(key: str, values: PrincipleInput, catalog_language: str) -> dict[str, Any]:
    """The principle as the catalogue file would hold it; empty fields are left out, so the
    rules report them as missing."""
    data: dict[str, Any] = {"id": key, **_texts(values), "behaviours": list(values.behaviours)}
    if values.level is not None:
        data["level"] = values.level
    data["translations"] = {
        lang: {**_texts(variant), "behaviours": list(variant.behaviours)}
        for lang, variant in values.variants.items()
        if lang != catalog_language and not variant.is_empty()
    }
    return data


def _texts(values: VariantInput) -> dict[str, str]:
    found = {name: getattr(values, name) for name in TEXT_FIELDS}
    return {name: text for name, text in found.items() if text is not None}


def _insert_in_level(
    principles: list[dict[str, Any]], entry: dict[str, Any]
) -> list[dict[str, Any]]:
    """`entry` after the last principle of its level (or of the levels before it)."""
    rank = LEVELS.index(entry["level"]) if entry.get("level") in LEVELS else len(LEVELS)
    at = 0
    for index, principle in enumerate(principles):
        if LEVELS.index(principle["level"]) <= rank:
            at = index + 1
    return [*principles[:at], entry, *principles[at:]]


def _new_key(name: str | None, taken: set[str]) -> str:
    """A stable id from the name ("Goed geregeld" -> goed-geregeld), unique among all ids ever
    used in the workspace, archived ones included (reusing one would restore that principle)."""
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-") or "principle"
    key, number = base, 2
    while key in taken:
        suffix = f"-{number}"
        key = base[: 40 - len(suffix)].rstrip("-") + suffix
        number += 1
    return key


def _write(
    session: Session,
    workspace_id: str,
    user_id: str,
    catalog: CatalogSpec,
    version: int,
    now: datetime,
    language: str,
) -> None:
    try:
        replace_catalog(
            session,
            workspace_id=workspace_id,
            catalog=catalog,
            actor=user_id,
            now=now,
            expected_version=version,
        )
    except CatalogConflict:
        raise Conflict(language) from None
    withdraw_workspace(session, workspace_id=workspace_id, now=now)  # planned with old wording
