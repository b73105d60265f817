"""The catalogue in the database: read it as a CatalogSpec, or make it equal to one.

Principles are never deleted: one that leaves the catalogue is archived (stories keep it), and
listing its id again restores it. Behaviour examples are matched by their text, so reordering
keeps their identity (the rotation remembers which ones a person has seen).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from coach.catalog.localize import PrincipleText, principle_text
from coach.catalog.schema import (
    LEVELS,
    CatalogSpec,
    LevelSpec,
    PrincipleSpec,
)
from coach.store.models import Behaviour, CatalogChange, CatalogLevel, Principle, Workspace
from coach.store.workspaces import ensure_workspace


class CatalogConflict(Exception):
    """Someone else changed the catalogue since it was read: reload and try again."""


@dataclass
class CatalogDiff:
    version: int
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived or self.restored or self.other)


def load_catalog(session: Session, *, workspace_id: str) -> CatalogSpec | None:
    """The workspace's active catalogue, or None when it has no active principle."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        return None
    principles = [p for p in _principles(session, workspace_id) if p.archived_at is None]
    if not principles:
        return None
    levels = session.scalars(
        select(CatalogLevel).where(CatalogLevel.workspace_id == workspace_id)
    ).all()
    return CatalogSpec.model_validate(
        {
            "organisation": workspace.organisation,
            "language": workspace.language,
            "levels": {row.level: _level_spec(row) for row in sorted(levels, key=_level_order)},
            "principles": [principle_spec(p) for p in principles],
        }
    )


def replace_catalog(
    session: Session,
    *,
    workspace_id: str,
    catalog: CatalogSpec,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
) -> CatalogDiff:
    """Make the workspace's catalogue equal to `catalog`, in the caller's transaction.

    Nothing changes (not even the version) when it already is. With `expected_version`, a
    catalogue changed by someone else in the meantime raises CatalogConflict.
    """
    workspace = ensure_workspace(session, workspace_id=workspace_id, now=now)
    version = workspace.catalog_version
    if expected_version is not None and expected_version != version:
        raise CatalogConflict(f"catalogue is at version {version}, not {expected_version}")
    diff = CatalogDiff(version=version + 1)
    changes: list[CatalogChange] = []

    def record(action: str, subject: str, before: Any, after: Any) -> None:
        changes.append(
            CatalogChange(
                workspace_id=workspace_id,
                version=diff.version,
                actor=actor,
                at=now,
                action=action,
                subject=subject,
                before=before,
                after=after,
            )
        )

    header_before = {"organisation": workspace.organisation, "language": workspace.language}
    header_after = {"organisation": catalog.organisation, "language": catalog.language}
    if header_before != header_after:
        workspace.organisation, workspace.language = catalog.organisation, catalog.language
        diff.other.append("organisation")
        record("updated", "organisation", header_before, header_after)

    _replace_levels(session, workspace_id, catalog, diff, record)
    _replace_principles(session, workspace_id, catalog, now, diff, record)

    if not diff.changed:
        diff.version = version
        return diff
    bumped = session.execute(
        update(Workspace)
        .where(Workspace.id == workspace_id, Workspace.catalog_version == version)
        .values(catalog_version=diff.version)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:  # type: ignore[attr-defined]
        raise CatalogConflict("the catalogue was changed by someone else at the same time")
    workspace.catalog_version = diff.version
    session.add_all(changes)
    session.flush()
    return diff


def _replace_levels(
    session: Session, workspace_id: str, catalog: CatalogSpec, diff: CatalogDiff, record: Any
) -> None:
    rows = {
        row.level: row
        for row in session.scalars(
            select(CatalogLevel).where(CatalogLevel.workspace_id == workspace_id)
        )
    }
    for level in LEVELS:
        row, spec = rows.get(level), catalog.levels.get(level)  # type: ignore[call-overload]
        before = _level_spec(row).model_dump(mode="json") if row is not None else None
        after = spec.model_dump(mode="json") if spec is not None else None
        if before == after:
            continue
        diff.other.append(f"level:{level}")
        record("updated", f"level:{level}", before, after)
        if spec is None:
            session.delete(row)
            continue
        if row is None:
            row = CatalogLevel(workspace_id=workspace_id, level=level)
            session.add(row)
        row.name, row.description = spec.name, spec.description
        row.translations = {
            lang: variant.model_dump(mode="json") for lang, variant in spec.translations.items()
        }


def _replace_principles(
    session: Session,
    workspace_id: str,
    catalog: CatalogSpec,
    now: datetime,
    diff: CatalogDiff,
    record: Any,
) -> None:
    existing = {p.key: p for p in _principles(session, workspace_id)}
    wanted = {spec.id for spec in catalog.principles}
    for position, spec in enumerate(catalog.principles):
        row = existing.get(spec.id)
        after = _snapshot(spec, position)
        if row is None:
            row = Principle(workspace_id=workspace_id, key=spec.id, created_at=now)
            session.add(row)
            _write_principle(row, spec, position, now)
            diff.created.append(spec.id)
            record("created", spec.id, None, after)
            continue
        before = _snapshot(principle_spec(row), row.position)
        if row.archived_at is not None:
            row.archived_at = None
            _write_principle(row, spec, position, now)
            diff.restored.append(spec.id)
            record("restored", spec.id, before, after)
        elif before != after:
            _write_principle(row, spec, position, now)
            diff.updated.append(spec.id)
            record("updated", spec.id, before, after)
    for key, row in existing.items():
        if key not in wanted and row.archived_at is None:
            row.archived_at = now
            row.updated_at = now
            diff.archived.append(key)
            record("archived", key, _snapshot(principle_spec(row), row.position), None)


def _write_principle(row: Principle, spec: PrincipleSpec, position: int, now: datetime) -> None:
    row.level, row.position, row.name = spec.level, position, spec.name
    row.customer_voice, row.hki_question = spec.customer_voice, spec.hki_question
    row.translations = {
        lang: {"name": v.name, "customer_voice": v.customer_voice, "hki_question": v.hki_question}
        for lang, v in spec.translations.items()
    }
    row.updated_at = now
    by_text = {b.text: b for b in row.behaviours}
    for index, text in enumerate(spec.behaviours):
        behaviour = by_text.pop(text, None)
        if behaviour is None:
            behaviour = Behaviour(text=text)
            row.behaviours.append(behaviour)
        behaviour.position, behaviour.archived_at = index, None
        behaviour.translations = {
            lang: variant.behaviours[index] for lang, variant in spec.translations.items()
        }
    for gone in by_text.values():
        if gone.archived_at is None:
            gone.archived_at = now


def list_principles(session: Session, *, workspace_id: str) -> list[Principle]:
    """Every principle of the workspace, archived ones included, in catalogue order."""
    return _principles(session, workspace_id)


def active_principle_id(session: Session, *, workspace_id: str, key: str) -> int | None:
    """The id of the workspace's principle `key`, unless it is archived (or never was)."""
    return session.scalar(
        select(Principle.id).where(
            Principle.workspace_id == workspace_id,
            Principle.key == key,
            Principle.archived_at.is_(None),
        )
    )


def get_principle(session: Session, *, workspace_id: str, principle_id: int) -> Principle | None:
    """The principle `principle_id` of this workspace, archived or not."""
    principle = session.get(Principle, principle_id)
    return principle if principle is not None and principle.workspace_id == workspace_id else None


def load_levels(session: Session, *, workspace_id: str) -> dict[str, LevelSpec]:
    """The organisation's own level names, also when no principle is active."""
    rows = session.scalars(select(CatalogLevel).where(CatalogLevel.workspace_id == workspace_id))
    return {row.level: _level_spec(row) for row in sorted(rows, key=_level_order)}


def latest_changes(session: Session, *, workspace_id: str, limit: int) -> list[CatalogChange]:
    """The audit log's newest entries, newest first."""
    statement = (
        select(CatalogChange)
        .where(CatalogChange.workspace_id == workspace_id)
        .order_by(CatalogChange.at.desc(), CatalogChange.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def _principles(session: Session, workspace_id: str) -> list[Principle]:
    statement = (
        select(Principle)
        .where(Principle.workspace_id == workspace_id)
        .options(selectinload(Principle.behaviours))
        .order_by(Principle.position, Principle.id)
    )
    return list(session.scalars(statement))


def principle_text_of(row: Principle, language: str) -> PrincipleText:
    """A stored principle in the reader's language (behaviours loaded with it)."""
    return principle_text(principle_spec(row), language)


def principle_spec(row: Principle) -> PrincipleSpec:
    behaviours = sorted((b for b in row.behaviours if b.archived_at is None), key=_position)
    return PrincipleSpec.model_validate(
        {
            "id": row.key,
            "level": row.level,
            "name": row.name,
            "customer_voice": row.customer_voice,
            "hki_question": row.hki_question,
            "behaviours": [b.text for b in behaviours],
            "translations": {
                lang: {**texts, "behaviours": [b.translations[lang] for b in behaviours]}
                for lang, texts in row.translations.items()
            },
        }
    )


def _level_spec(row: CatalogLevel) -> LevelSpec:
    return LevelSpec.model_validate(
        {"name": row.name, "description": row.description, "translations": row.translations}
    )


def _position(behaviour: Behaviour) -> int:
    return behaviour.position


def _level_order(row: CatalogLevel) -> int:
    return LEVELS.index(row.level)


def _snapshot(spec: PrincipleSpec, position: int) -> dict[str, Any]:
    return {**spec.model_dump(mode="json"), "position": position}
