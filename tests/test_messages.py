"""The message catalogues: every message in every language people can choose, every .po
compiles, extraction finds nothing the catalogues miss, and no wording bypasses them.

`bash .ci/messages` fixes what the first, third and fourth tests report (docs/architecture.md,
"Wording"); a translator fixes the others in the .po.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import nodes

from coach.catalog.schema import LANGUAGES
from coach.render import SOURCE_LANGUAGE, Prompts

ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = ROOT / "prompts"
POT = PROMPTS_DIR / "coach.pot"
CATALOGUES = sorted(PROMPTS_DIR.glob("locale/*/LC_MESSAGES/coach.po"))
PROMPTS = Prompts()

Key = tuple[str | None, str]


def _language(po: Path) -> str:
    return po.parent.parent.name


def _read(po: Path) -> Catalog:
    with po.open("rb") as source:
        return read_po(source, locale=_language(po) if po.suffix == ".po" else None)


def _keys(catalogue: Catalog) -> set[Key]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue if m.id}


def _problems(catalogue: Catalog) -> list[str]:
    """What keeps a catalogue from compiling: Babel's checkers (python-format placeholders,
    the number of plural forms), then the compile itself."""
    found = [f"{m.id!r}: {problem}" for m, problems in catalogue.check() for problem in problems]
    write_mo(io.BytesIO(), catalogue)
    return found


def _extracted() -> set[Key]:
    with (PROMPTS_DIR / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {
        (context, message if isinstance(message, str) else message[0])
        for _file, _line, message, _comments, context in extract_from_dir(
            str(PROMPTS_DIR), method_map, options_map, keywords=DEFAULT_KEYWORDS
        )
    }


def test_languages_people_choose_have_a_catalogue_and_others_may_be_added() -> None:
    have = {_language(po) for po in CATALOGUES}
    assert set(LANGUAGES) - {SOURCE_LANGUAGE} <= have
    assert set(PROMPTS.languages) == have | {SOURCE_LANGUAGE}


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {SOURCE_LANGUAGE}))
def test_every_message_is_translated_in_every_language_people_can_choose(language: str) -> None:
    catalogue = _read(PROMPTS_DIR / "locale" / language / "LC_MESSAGES" / "coach.po")
    wanted = _keys(_read(POT))
    untranslated = sorted(
        str(key)
        for m in catalogue
        if m.id and (key := (m.context, m.id if isinstance(m.id, str) else m.id[0])) in wanted
        if m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string])
    )
    assert not untranslated, f"translate in {language} (or take off `fuzzy`): {untranslated}"
    assert not wanted - _keys(catalogue), "run `bash .ci/messages`, then translate the new ones"


@pytest.mark.parametrize("po", CATALOGUES, ids=_language)
def test_every_catalogue_compiles(po: Path) -> None:
    assert not _problems(_read(po))


def test_a_broken_translation_is_caught() -> None:
    broken = read_po(
        io.BytesIO(
            b'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
            b'#, python-format\nmsgid "%(num)s story"\nmsgid_plural "%(num)s stories"\n'
            b'msgstr[0] "%(aantal)s verhaal"\nmsgstr[1] "%(num)s verhalen"\n'
        ),
        locale="nl",
    )
    assert any("aantal" in problem for problem in _problems(broken))


def test_extraction_finds_nothing_the_catalogues_miss() -> None:
    extracted = _extracted()
    assert len(extracted) > 100
    assert extracted == _keys(_read(POT)), "run `bash .ci/messages`"
    for po in CATALOGUES:
        assert extracted <= _keys(_read(po)), f"run `bash .ci/messages` ({po.parent.parent.name})"


@pytest.mark.parametrize("po", CATALOGUES, ids=_language)
def test_the_compiled_catalogue_in_the_checkout_is_up_to_date(po: Path) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _read(po), use_fuzzy=False)
    assert po.with_suffix(".mo").read_bytes() == compiled.getvalue(), (
        f"{po.relative_to(ROOT)} changed since it was compiled: run `bash .ci/messages`"
    )


@pytest.mark.parametrize("name", PROMPTS.names())
def test_no_wording_outside_the_catalogue(name: str) -> None:
    """Text in a template outside `_()` would read the same in every language."""
    source = (PROMPTS_DIR / f"{name}.j2").read_text(encoding="utf-8")
    words = [
        data.data
        for data in PROMPTS._env.parse(source).find_all(nodes.TemplateData)
        if re.search(r"[^\W\d_]", data.data)
    ]
    assert not words, f"wrap in _() or {{% trans %}}: {words}"


def test_a_partial_catalogue_falls_back_to_english() -> None:
    assert PROMPTS.render("de", "nudge_title") == "Deine HKI-Frage für heute"
    assert PROMPTS.render("de", "resumed") == PROMPTS.render("en", "resumed").replace(
        "Welcome back! Your HKI question arrives on workdays again.",
        "Willkommen zurück! Deine HKI-Frage kommt wieder an Arbeitstagen.",
    )
    assert PROMPTS.render("de", "language_set") == PROMPTS.render("en", "language_set")
    assert "1.12.2026" in PROMPTS.render("de", "paused", until=date(2026, 12, 1))


@pytest.mark.parametrize(
    ("language", "template", "values", "one", "many"),
    [
        (
            "nl",
            "celebration_participation",
            {"members": 6},
            "1 van de 6 collega's stelde zichzelf",
            "2 van de 6 collega's stelden zichzelf",
        ),
        (
            "en",
            "celebration_participation",
            {"members": 6},
            "1 of 6 colleagues",
            "2 of 6 colleagues",
        ),
        ("nl", "celebration_principle", {"name": "X", "intentions": 0}, "1 verhaal", "2 verhalen"),
        ("en", "celebration_principle", {"name": "X", "intentions": 0}, "1 story", "2 stories"),
        ("nl", "celebration_more", {}, "Nog 1 verhaal in", "Nog 2 verhalen in"),
        ("en", "celebration_more", {}, "1 more story in", "2 more stories in"),
        ("nl", "principles_more", {}, "…en nog 1 principe.", "…en nog 2 principes."),
        ("en", "principles_more", {}, "…and 1 more principle.", "…and 2 more principles."),
    ],
)
def test_a_number_takes_the_right_plural(
    language: str, template: str, values: dict[str, object], one: str, many: str
) -> None:
    counted = {"celebration_participation": "participants", "celebration_principle": "stories"}
    key = counted.get(template, "count")
    assert one in PROMPTS.render(language, template, **values, **{key: 1})
    assert many in PROMPTS.render(language, template, **values, **{key: 2})


def test_dutch_counts_agree_in_the_app_home_and_the_admin_home() -> None:
    assert PROMPTS.render(
        "nl", "home_lead", part="team", team="N", channel="C", members=1
    ).endswith("· 1 collega")
    summary = {"part": "summary", "archived_count": 0, "catalog_version": 3}
    assert PROMPTS.render("nl", "admin_home", count=1, **summary).startswith("1 actief principe")
    assert PROMPTS.render("nl", "admin_home", count=4, **summary).startswith("4 actieve principes")
    assert PROMPTS.render("en", "admin_home", count=1, **summary).startswith("1 active principle ·")
