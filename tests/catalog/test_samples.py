"""The sample catalogues are real: the seed's principles, concrete examples, an HKI question."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.catalog.files import load_catalog_file
from coach.catalog.schema import LEVELS

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "principles_catalog").glob("*.yaml"))


def test_there_are_two_samples() -> None:
    assert [p.name for p in SAMPLES] == [
        "service-organisation.yaml",
        "technisch-dienstverlener.yaml",
    ]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_principle_is_concrete(path: Path) -> None:
    catalog = load_catalog_file(path)
    question = {"nl": "Hoe kan ik", "en": "How can I"}
    assert {p.level for p in catalog.principles} == set(LEVELS)
    assert set(catalog.levels) == set(LEVELS)
    for principle in catalog.principles:
        assert len(principle.behaviours) >= 4, principle.id
        assert principle.hki_question.startswith(question[catalog.language]), principle.id
        for lang, variant in principle.translations.items():
            assert variant.hki_question.startswith(question[lang]), principle.id


def test_the_seed_principles_are_the_operational_level() -> None:
    catalog = load_catalog_file(
        Path(__file__).resolve().parents[2] / "principles_catalog" / "technisch-dienstverlener.yaml"
    )
    operational = [p.name for p in catalog.principles if p.level == "operational"]
    assert operational == ["Goed geregeld", "Daadkrachtig", "Passie voor techniek"]
    goed = catalog.principles[0]
    assert goed.customer_voice.startswith("Ik kies voor X als totaaldienstverlener")
    examples = " ".join(goed.behaviours).casefold()
    for seed_example in ("in één keer goed", "netjes achter", "projectstatus", "bel altijd na"):
        assert seed_example in examples
