"""A principle or level in the reader's language, falling back to the catalogue's own."""

from __future__ import annotations

from dataclasses import dataclass

from coach.catalog.schema import CatalogSpec, PrincipleSpec, PrincipleVariant


@dataclass(frozen=True)
class PrincipleText:
    id: str
    level: str
    name: str
    customer_voice: str
    hki_question: str
    behaviours: tuple[str, ...]


def principle_text(principle: PrincipleSpec, language: str) -> PrincipleText:
    variant = next((v for lang, v in principle.translations.items() if lang == language), None)
    source: PrincipleSpec | PrincipleVariant = variant if variant is not None else principle
    return PrincipleText(
        id=principle.id,
        level=principle.level,
        name=source.name,
        customer_voice=source.customer_voice,
        hki_question=source.hki_question,
        behaviours=tuple(source.behaviours),
    )


def level_name(catalog: CatalogSpec, level: str, language: str) -> str | None:
    """The organisation's own name for a level, if it gave one."""
    for key, spec in catalog.levels.items():
        if key == level:
            variant = next((v for lang, v in spec.translations.items() if lang == language), None)
            return (variant or spec).name
    return None
