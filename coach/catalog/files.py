"""Catalogue files: YAML in, validated CatalogSpec out, with every problem tied to a line.

Hostile input is expected: files are size-checked before they are read, must be UTF-8, and may
not use anchors, aliases or tags (so no "billion laughs" and no object construction). Nothing is
ever written here; callers write only a catalogue that came back valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from coach.catalog.schema import MAX_PRINCIPLES, CatalogSpec, cross_checks

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 20
# Deeper than this, the YAML is refused during the event pass, before PyYAML's composer (one
# Python frame per level) could run out of stack on a hostile `[[[[...`.
MAX_YAML_DEPTH = 100
FILE_FIELD = "<file>"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class CatalogFileError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


Loc = tuple[str | int, ...]


def load_catalog_file(path: Path) -> CatalogSpec:
    """Read and validate one file; raise CatalogFileError listing every problem found."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CatalogFileError([_file_problem(name, _too_big(size))])
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CatalogFileError([_file_problem(name, f"cannot read: {error.strerror}")]) from None
    return parse_catalog(data, name)


def parse_catalog(data: bytes, name: str) -> CatalogSpec:
    if len(data) > MAX_FILE_BYTES:
        raise CatalogFileError([_file_problem(name, _too_big(len(data)))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogFileError(
            [
                Problem(
                    name,
                    line,
                    FILE_FIELD,
                    f"is not UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8",
                )
            ]
        ) from None
    document, lines = _read_yaml(text, name)
    try:
        catalog = CatalogSpec.model_validate(document)
    except ValidationError as error:
        problems = [_problem(name, lines, item) for item in error.errors()]
        raise CatalogFileError(sorted(set(problems))) from None
    problems = [
        Problem(name, _line_of(lines, loc), format_loc(loc), msg)
        for loc, msg in cross_checks(catalog)
    ]
    if problems:
        raise CatalogFileError(sorted(problems))
    return catalog


def _read_yaml(text: str, name: str) -> tuple[Any, dict[Loc, int]]:
    try:
        # The reader refuses control characters (NUL, ...) as soon as it is built.
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise CatalogFileError(
            [
                Problem(
                    name,
                    line,
                    FILE_FIELD,
                    f"holds a character YAML does not allow (#x{error.character:04x})",
                )
            ]
        ) from None
    try:
        # The event pass runs first and stops at the first unsafe or too deep event, before the
        # composer (which recurses once per level) ever sees the document.
        _reject_unsafe_events(yaml.parse(text, Loader=yaml.SafeLoader), name)
        node = loader.get_single_node()
    except CatalogFileError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise CatalogFileError(
            [Problem(name, line, FILE_FIELD, f"is not valid YAML: {error.problem}")]
        ) from None
    except yaml.YAMLError as error:
        raise CatalogFileError([_file_problem(name, f"is not valid YAML: {error}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise CatalogFileError([_file_problem(name, "is empty; see principles_catalog/README.md")])
    lines: dict[Loc, int] = {}
    problems: list[Problem] = []
    document = _to_python(loader, node, (), lines, problems, name)
    if problems:
        raise CatalogFileError(problems)
    return document, lines


def _reject_unsafe_events(events: Iterable[yaml.Event], name: str) -> None:
    documents = depth = 0
    for event in events:
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise CatalogFileError(
                    [
                        Problem(
                            name, line, FILE_FIELD, f"nests more than {MAX_YAML_DEPTH} levels deep"
                        )
                    ]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise CatalogFileError(
                    [
                        Problem(
                            name,
                            line,
                            FILE_FIELD,
                            "holds more than one YAML document; use one file per catalogue",
                        )
                    ]
                )
        if isinstance(event, yaml.AliasEvent):
            raise CatalogFileError(
                [Problem(name, line, FILE_FIELD, "YAML aliases (*name) are not allowed")]
            )
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise CatalogFileError(
                [Problem(name, line, FILE_FIELD, "YAML anchors (&name) are not allowed")]
            )
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and _explicit_tag(
            event
        ):
            raise CatalogFileError(
                [Problem(name, line, FILE_FIELD, f"YAML tags ({event.tag}) are not allowed")]
            )


def _explicit_tag(event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> bool:
    if event.tag is None or event.tag == "!":
        return False
    if isinstance(event, yaml.ScalarEvent):
        return not any(event.implicit)
    return not event.implicit


def _to_python(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    loc: Loc,
    lines: dict[Loc, int],
    problems: list[Problem],
    name: str,
) -> Any:
    lines[loc] = node.start_mark.line + 1
    if len(loc) > MAX_DEPTH:
        problems.append(Problem(name, lines[loc], format_loc(loc), "is nested too deeply"))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = (
                loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            )
            if not isinstance(key, str):
                problems.append(
                    Problem(
                        name,
                        key_node.start_mark.line + 1,
                        format_loc(loc) or FILE_FIELD,
                        "keys must be plain text",
                    )
                )
                continue
            if key in result:
                problems.append(
                    Problem(
                        name, key_node.start_mark.line + 1, format_loc((*loc, key)), "duplicate key"
                    )
                )
                continue
            result[key] = _to_python(loader, value_node, (*loc, key), lines, problems, name)
            lines[(*loc, key)] = (
                key_node.start_mark.line + 1
            )  # "principles:" rather than its first item
        return result
    if isinstance(node, yaml.SequenceNode):
        if len(node.value) > MAX_PRINCIPLES * 10:
            problems.append(
                Problem(
                    name, lines[loc], format_loc(loc), f"has {len(node.value)} items; far too many"
                )
            )
            return []
        return [
            _to_python(loader, item, (*loc, index), lines, problems, name)
            for index, item in enumerate(node.value)
        ]
    try:
        return loader.construct_object(node)
    except ValueError:  # e.g. an integer past Python's 4,300-digit conversion limit
        problems.append(
            Problem(
                name,
                lines[loc],
                format_loc(loc) or FILE_FIELD,
                "is not a value a catalogue can hold (a number far too long?)",
            )
        )
        return None


def format_loc(loc: Iterable[str | int]) -> str:
    """('principles', 2, 'behaviours') -> 'principles[2].behaviours'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part != "[key]":
            out += f".{part}" if out else part
    return out


def _line_of(lines: dict[Loc, int], loc: Loc) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def _problem(name: str, lines: dict[Loc, int], item: ErrorDetails) -> Problem:
    loc: Loc = tuple(item["loc"])
    return Problem(name, _line_of(lines, loc), format_loc(loc) or FILE_FIELD, _message(item))


def _message(item: ErrorDetails) -> str:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    given = item.get("input")
    if "[key]" in item["loc"]:
        return f"{given!r} is not allowed here; use one of {ctx.get('expected', 'the documented keys')}"
    messages = {
        "missing": "is required",
        "extra_forbidden": "unknown key; see principles_catalog/README.md for the schema",
        "string_type": "must be text",
        "list_type": "must be a list",
        "dict_type": "must be a mapping of keys to values",
        "model_type": "must be a mapping of keys to values",
        "model_attributes_type": "must be a mapping of keys to values",
        "int_type": "must be a whole number",
        "string_pattern_mismatch": "must be a short lowercase id: a-z, 0-9 and '-', starting with a letter or digit, at most 40 characters",
    }
    if kind in messages:
        return messages[kind]
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        length = len(given) if isinstance(given, str) else "too many"
        return f"is {length} characters long; at most {ctx.get('max_length')} fit in Slack"
    if kind == "too_short":
        return (
            "must not be empty"
            if ctx.get("min_length") == 1
            else f"needs at least {ctx.get('min_length')} items"
        )
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} items; at most {ctx.get('max_length')} allowed"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, not {given!r}"
    return item["msg"]


def _file_problem(name: str, message: str) -> Problem:
    return Problem(name, 1, FILE_FIELD, message)


def _too_big(size: int) -> str:
    return f"is {size / 1_000_000:.1f} MB; a catalogue file may be at most {MAX_FILE_BYTES // 1_000_000} MB"


def iter_problems(paths: Iterable[Path]) -> Iterator[Problem]:
    """Every problem of every file, for `coach catalog validate`."""
    for path in paths:
        try:
            load_catalog_file(path)
        except CatalogFileError as error:
            yield from error.problems


class _Dumper(yaml.SafeDumper):
    """Block style; long texts folded, multi-line texts literal, so files stay readable in git."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else (">" if len(value) > 80 else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_catalog(catalog: CatalogSpec) -> str:
    """The catalogue as YAML that `parse_catalog` reads back to an equal CatalogSpec."""
    data = _prune(catalog.model_dump(mode="json", by_alias=True, exclude_none=True))
    header = "# 9+ Coach principles catalogue; schema: principles_catalog/README.md\n"
    return header + yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88, indent=2
    )


def _prune(value: Any) -> Any:
    """Leave out empty `translations` and `levels` mappings."""
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v != {}}
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value
