"""Catalogue files: every malformed shape gets FILE:LINE: FIELD: message, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.catalog.files import (
    MAX_FILE_BYTES,
    CatalogFileError,
    dump_catalog,
    load_catalog_file,
    parse_catalog,
)

VALID = """\
organisation: Acme
language: en
principles:
  - id: right-first-time
    level: operational
    name: Right first time
    customer_voice: I want it fixed the first time.
    hki_question: How can I get this right the first time?
    behaviours:
      - Check the parts before you drive out.
      - Call ahead when you are running late.
"""


def problems(text: str | bytes, name: str = "c.yaml") -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(data, name)
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_file_loads_with_trimmed_texts() -> None:
    catalog = parse_catalog(
        VALID.replace("Right first time", "'  Right first time  '").encode(), "c.yaml"
    )
    assert catalog.principles[0].name == "Right first time"
    assert catalog.principles[0].behaviours[1] == "Call ahead when you are running late."


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "level: operational",
            "level: top",
            "c.yaml:5: principles[0].level: must be one of 'operational', 'relational' or 'meaning', not 'top'",
        ),
        (
            "name: Right first time",
            "name: '   '",
            "c.yaml:6: principles[0].name: must not be empty",
        ),
        ("name: Right first time", "name: 12", "c.yaml:6: principles[0].name: must be text"),
        (
            "id: right-first-time",
            "id: Right First",
            "c.yaml:4: principles[0].id: must be a short lowercase id: a-z, 0-9 and '-', starting with a letter or digit, at most 40 characters",
        ),
        (
            "language: en",
            "language: de",
            "c.yaml:2: language: must be one of 'nl' or 'en', not 'de'",
        ),
        (
            "language: en",
            "language: no",
            "c.yaml:2: language: must be one of 'nl' or 'en', not False",
        ),
        (
            "    hki_question: How can I get this right the first time?\n",
            "",
            "c.yaml:4: principles[0].hki_question: is required",
        ),
        (
            "organisation: Acme",
            "organisation: Acme\ncolour: blue",
            "c.yaml:2: colour: unknown key; see principles_catalog/README.md for the schema",
        ),
        (
            "name: Right first time",
            "name: " + "x" * 61,
            "c.yaml:6: principles[0].name: is 61 characters long; at most 60 fit in Slack",
        ),
        (
            "customer_voice: I want it fixed the first time.",
            "customer_voice: " + "v" * 2001,
            "c.yaml:7: principles[0].customer_voice: is 2001 characters long; at most 2000 fit in Slack",
        ),
        (
            "behaviours:\n      - Check the parts before you drive out.\n      - Call ahead when you are running late.",
            "behaviours: []",
            "c.yaml:9: principles[0].behaviours: must not be empty",
        ),
        (
            "behaviours:\n      - Check the parts before you drive out.\n      - Call ahead when you are running late.",
            "behaviours: one",
            "c.yaml:9: principles[0].behaviours: must be a list",
        ),
        (
            "      - Call ahead when you are running late.",
            "      - ''",
            "c.yaml:11: principles[0].behaviours[1]: must not be empty",
        ),
        (
            "      - Call ahead when you are running late.",
            "      - Check the parts before you drive out.",
            "c.yaml:11: principles[0].behaviours[1]: the same behaviour example appears twice",
        ),
        (
            "organisation: Acme",
            "organisation: Acme\norganisation: Other",
            "c.yaml:2: organisation: duplicate key",
        ),
        (  # the Slack editor shows one example per line
            "      - Call ahead when you are running late.",
            "      - |\n        Call ahead\n        when you are running late.",
            "c.yaml:11: principles[0].behaviours[1]: a behaviour example is one line, without breaks",
        ),
        (  # ... and all of them in one field of at most 3,000 characters
            "behaviours:\n      - Check the parts before you drive out.\n      - Call ahead when you are running late.",
            "behaviours:\n" + "".join(f"      - {n:02d} {'x' * 290}\n" for n in range(11)),
            "c.yaml:9: principles[0].behaviours: the examples together are longer than 3000 characters",
        ),
    ],
)
def test_each_malformed_shape_names_line_and_field(old: str, new: str, expected: str) -> None:
    assert old in VALID
    assert problems(VALID.replace(old, new)) == [expected]


def test_duplicate_ids_and_names_point_at_the_second_one() -> None:
    second = VALID.split("principles:\n", 1)[1]
    text = VALID + second
    assert problems(text) == [
        "c.yaml:12: principles[1].id: duplicate id 'right-first-time' (also principles[0])",
        "c.yaml:14: principles[1].name: duplicate name 'Right first time' (also principles[0])",
    ]


def test_translations_must_line_up_with_the_original() -> None:
    text = VALID + (
        "    translations:\n"
        "      nl:\n"
        "        name: In één keer goed\n"
        "        customer_voice: Ik wil dat het in één keer goed is.\n"
        "        hki_question: Hoe kan ik dit in één keer goed doen?\n"
        "        behaviours: [Controleer de onderdelen.]\n"
        "      en:\n"
        "        name: Again\n"
        "        customer_voice: Again.\n"
        "        hki_question: Again?\n"
        "        behaviours: [a, b]\n"
        "      de:\n"
        "        name: Richtig\n"
    )
    assert problems(text) == [
        "c.yaml:23: principles[0].translations.de: 'de' is not allowed here; use one of 'nl' or 'en'",
        "c.yaml:23: principles[0].translations.de.behaviours: is required",
        "c.yaml:23: principles[0].translations.de.customer_voice: is required",
        "c.yaml:23: principles[0].translations.de.hki_question: is required",
    ]
    fixed = text.split("      de:\n")[0]
    assert problems(fixed) == [
        "c.yaml:17: principles[0].translations.nl.behaviours: has 1 example; it needs exactly one per original example (2), in the same order",
        "c.yaml:18: principles[0].translations.en: is the catalogue's own language (en); put these texts in the principle itself",
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "c.yaml:1: <file>: is empty; see principles_catalog/README.md"),
        (b"- a list\n", "c.yaml:1: <file>: must be a mapping of keys to values"),
        (
            b"organisation: 'unclosed\n",
            "c.yaml:2: <file>: is not valid YAML: found unexpected end of stream",
        ),
        (
            b"a: 1\n---\nb: 2\n",
            "c.yaml:2: <file>: holds more than one YAML document; use one file per catalogue",
        ),
        (
            "organisation: Café\n".encode("latin-1"),
            "c.yaml:1: <file>: is not UTF-8 (byte 0xe9); save it as UTF-8",
        ),
        (
            b"organisation: x\nlanguage: !!python/name:os.system en\n",
            "c.yaml:2: <file>: YAML tags (tag:yaml.org,2002:python/name:os.system) are not allowed",
        ),
        (b"{1: a}\n", "c.yaml:1: <file>: keys must be plain text"),
        (
            b"a: " + b"[" * 30 + b"]" * 30 + b"\n",
            "c.yaml:1: a[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: is nested too deeply",
        ),
        (b"a: " + b"[" * 50_000, "c.yaml:1: <file>: nests more than 100 levels deep"),
        (
            b"organisation: x\nlanguage: n\x00l\n",
            "c.yaml:2: <file>: holds a character YAML does not allow (#x0000)",
        ),
        (
            b"organisation: x\nversion: " + b"9" * 5_000 + b"\n",
            "c.yaml:2: version: is not a value a catalogue can hold (a number far too long?)",
        ),
    ],
)
def test_broken_files_get_one_clear_line(data: bytes, expected: str) -> None:
    assert problems(data) == [expected]


def test_a_yaml_bomb_is_refused_before_it_expands() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    assert problems("\n".join(lines)) == ["c.yaml:1: <file>: YAML anchors (&name) are not allowed"]


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1_000_000)  # sparse: 50 MB on paper, nothing on disk
    with pytest.raises(CatalogFileError) as caught:
        load_catalog_file(huge)
    assert [str(p) for p in caught.value.problems] == [
        f"{huge}:1: <file>: is 50.0 MB; a catalogue file may be at most 1 MB"
    ]
    assert MAX_FILE_BYTES == 1_000_000


def test_a_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError) as caught:
        load_catalog_file(tmp_path / "nope.yaml")
    assert (
        str(caught.value)
        == f"{tmp_path / 'nope.yaml'}:1: <file>: cannot read: No such file or directory"
    )


def test_too_many_principles() -> None:
    principle = VALID.split("principles:\n", 1)[1]
    many = [
        principle.replace("right-first-time", f"p{i}").replace("Right first time", f"P {i}")
        for i in range(101)
    ]
    assert problems(VALID.split("principles:\n")[0] + "principles:\n" + "".join(many)) == [
        "c.yaml:3: principles: has 101 items; at most 100 allowed"
    ]


texts = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029\ufeff"
        ),
        min_size=1,
        max_size=300,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(
    name=texts.map(lambda t: t[:60]).filter(bool),
    voice=st.lists(texts, min_size=1, max_size=4).map("\n".join),
    examples=st.lists(texts, min_size=1, max_size=5, unique_by=str.casefold),
)
def test_export_reads_back_equal_whatever_the_text(
    name: str, voice: str, examples: list[str]
) -> None:
    data = yaml.safe_load(VALID)
    data["principles"][0].update(
        name=name, customer_voice=voice[:2000].strip(), behaviours=examples
    )
    catalog = parse_catalog(yaml.safe_dump(data, allow_unicode=True).encode(), "c.yaml")
    assert parse_catalog(dump_catalog(catalog).encode(), "export.yaml") == catalog
