"""Importing a catalogue: all or nothing, idempotent, archived never deleted, tenants apart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from coach.catalog.files import load_catalog_file
from coach.catalog.schema import CatalogSpec
from coach.clock import FixedClock
from coach.deps import Deps
from coach.store.catalog import CatalogConflict, load_catalog, replace_catalog
from coach.store.models import Base, Behaviour, CatalogChange, Principle, Workspace

SAMPLES = Path(__file__).resolve().parents[2] / "principles_catalog"
NL = load_catalog_file(SAMPLES / "technisch-dienstverlener.yaml")
EN = load_catalog_file(SAMPLES / "service-organisation.yaml")


def dump_tables(deps: Deps) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove that nothing changed."""
    with deps.engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


def put(deps: Deps, catalog: CatalogSpec, workspace: str = "T1", **kwargs: Any) -> Any:
    with deps.unit_of_work() as session:
        return replace_catalog(
            session,
            workspace_id=workspace,
            catalog=catalog,
            actor="U1",
            now=deps.clock.now(),
            **kwargs,
        )


def read(deps: Deps, workspace: str = "T1") -> CatalogSpec | None:
    with deps.unit_of_work() as session:
        return load_catalog(session, workspace_id=workspace)


def without(catalog: CatalogSpec, key: str) -> CatalogSpec:
    return catalog.model_copy(update={"principles": [p for p in catalog.principles if p.id != key]})


def test_import_then_read_back_gives_the_same_catalogue(deps: Deps) -> None:
    diff = put(deps, NL)
    assert diff.version == 1
    assert len(diff.created) == len(NL.principles)
    assert read(deps) == NL


def test_importing_the_same_catalogue_again_changes_nothing(deps: Deps, clock: FixedClock) -> None:
    put(deps, NL)
    before = dump_tables(deps)
    clock.advance(timedelta(days=1))
    diff = put(deps, NL)
    assert not diff.changed and diff.version == 1
    assert dump_tables(deps) == before


def test_export_import_export_round_trips(deps: Deps, clock: FixedClock) -> None:
    from coach.catalog.files import dump_catalog, parse_catalog

    put(deps, NL)
    exported = dump_catalog(read(deps))  # type: ignore[arg-type]
    before = dump_tables(deps)
    clock.advance(timedelta(hours=1))
    put(deps, parse_catalog(exported.encode(), "export.yaml"))
    assert dump_tables(deps) == before
    assert dump_catalog(read(deps)) == exported  # type: ignore[arg-type]


def test_a_principle_that_leaves_is_archived_and_can_come_back(
    deps: Deps, clock: FixedClock
) -> None:
    put(deps, NL)
    with deps.unit_of_work() as session:
        original_id = session.scalar(select(Principle.id).where(Principle.key == "daadkrachtig"))
    clock.advance(timedelta(days=1))
    diff = put(deps, without(NL, "daadkrachtig"))
    assert diff.archived == ["daadkrachtig"] and diff.version == 2
    assert [p.id for p in read(deps).principles] == [
        p.id for p in NL.principles if p.id != "daadkrachtig"
    ]  # type: ignore[union-attr]
    with deps.unit_of_work() as session:
        row = session.scalar(select(Principle).where(Principle.key == "daadkrachtig"))
        assert row is not None and row.archived_at == clock.now()
    diff = put(deps, NL)
    assert diff.restored == ["daadkrachtig"] and diff.version == 3
    with deps.unit_of_work() as session:
        row = session.scalar(select(Principle).where(Principle.key == "daadkrachtig"))
        assert row is not None and row.id == original_id and row.archived_at is None
    assert read(deps) == NL


def test_reordered_examples_keep_their_identity(deps: Deps) -> None:
    put(deps, NL)
    first = NL.principles[0]
    reordered = first.model_copy(
        update={"behaviours": list(reversed(first.behaviours)), "translations": {}}
    )
    with deps.unit_of_work() as session:
        ids_before = dict(session.execute(select(Behaviour.text, Behaviour.id)).all())
    diff = put(deps, NL.model_copy(update={"principles": [reordered, *NL.principles[1:]]}))
    assert diff.updated == [first.id]
    with deps.unit_of_work() as session:
        ids_after = dict(session.execute(select(Behaviour.text, Behaviour.id)).all())
    assert ids_after == ids_before
    assert read(deps).principles[0].behaviours == list(reversed(first.behaviours))  # type: ignore[union-attr]


def test_every_change_is_audited_with_before_and_after(deps: Deps) -> None:
    put(deps, NL)
    renamed = NL.principles[1].model_copy(update={"name": "Slagvaardig"})
    put(deps, NL.model_copy(update={"principles": [NL.principles[0], renamed, *NL.principles[2:]]}))
    with deps.unit_of_work() as session:
        change = session.scalars(select(CatalogChange).where(CatalogChange.version == 2)).one()
        assert (change.actor, change.action, change.subject) == ("U1", "updated", "daadkrachtig")
        assert change.before is not None and change.before["name"] == "Daadkrachtig"
        assert change.after is not None and change.after["name"] == "Slagvaardig"
        assert session.scalar(select(Workspace.catalog_version)) == 2


def test_a_stale_version_is_a_conflict_and_writes_nothing(deps: Deps) -> None:
    put(deps, NL)
    before = dump_tables(deps)
    with pytest.raises(CatalogConflict):
        put(deps, EN, expected_version=0)
    assert dump_tables(deps) == before


def test_a_failure_halfway_writes_nothing(deps: Deps) -> None:
    put(deps, NL)
    before = dump_tables(deps)
    with pytest.raises(RuntimeError), deps.unit_of_work() as session:
        replace_catalog(session, workspace_id="T1", catalog=EN, actor="U1", now=deps.clock.now())
        session.flush()
        raise RuntimeError("the process dies here")
    assert dump_tables(deps) == before


def test_workspaces_are_apart(deps: Deps) -> None:
    put(deps, NL, workspace="TA")
    put(deps, EN, workspace="TB")
    put(deps, without(NL, "goed-geregeld"), workspace="TA")
    assert read(deps, "TB") == EN
    assert read(deps, "TC") is None
    with deps.engine.connect() as connection:
        counts = dict(
            connection.execute(
                text("SELECT workspace_id, count(*) FROM principles GROUP BY workspace_id")
            ).all()
        )
    assert counts == {"TA": len(NL.principles), "TB": len(EN.principles)}
