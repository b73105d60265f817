"""Convert old-style template pairs, prompts/en/NAME.j2 + prompts/nl/NAME.j2, to the catalogue.

    .venv/bin/python .ci/convert_prompts.py NAME [NAME...]

For each NAME: writes the language-neutral prompts/NAME.j2 (the English template, each text run
and each worded string literal wrapped in `_()`, one branch per line), deletes the old pair,
runs `bash .ci/messages`, fills the new Dutch msgstrs from the old Dutch template, and runs
`bash .ci/messages` again. It pairs English and Dutch run by run, so it needs both templates to
have the same shape; it says which templates and lines need a hand: a different shape (then only
the English side is converted and the Dutch msgstrs stay empty), a plural written as
`"x" if n == 1 else "xs"` (make it one `ngettext()`), a Dutch translation that differs from the
one the catalogue already has for the same English (use `pgettext()`). Check afterwards with
`.venv/bin/pytest -n0 tests/test_messages.py tests/test_render.py`. Meant for the merge of
branches written before the catalogue; delete it once no old-style template is left.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = ROOT / "prompts"
DUTCH = PROMPTS / "locale" / "nl" / "LC_MESSAGES" / "coach.po"
ENV = Environment(trim_blocks=True, lstrip_blocks=True)  # noqa: S701 - as coach/render.py reads them
WORD = re.compile(r"[^\W\d_]")
TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
Segment = tuple[str, str, list[tuple[str, str]]]


def _segments(source: str) -> list[Segment]:
    """(kind, text, tokens): data, a simple `{{ a.b }}`, or any other tag."""
    out: list[Segment] = []
    current: list[tuple[str, str]] = []
    for _line, kind, value in ENV.lex(source):
        if kind == "data":
            out.append(("data", value, []))
        elif kind.endswith("_begin"):
            current = [(kind, value)]
        elif kind.endswith("_end"):
            current.append((kind, value))
            inner = [(k, v) for k, v in current[1:-1] if k != "whitespace"]
            simple = current[0][0] == "variable_begin" and bool(inner) and len(inner) % 2 == 1
            simple = simple and all(
                k == "name" if i % 2 == 0 else (k, v) == ("operator", ".")
                for i, (k, v) in enumerate(inner)
            )
            text = "".join(v for _k, v in current)
            out.append(("simple" if simple else "tag", text, inner if simple else current))
        else:
            current.append((kind, value))
    return out


def _runs(segments: list[Segment]) -> list[tuple[str, list[Segment]]]:
    out: list[tuple[str, list[Segment]]] = []
    for segment in segments:
        kind = "run" if segment[0] in ("data", "simple") else "tag"
        if kind == "run" and out and out[-1][0] == "run":
            out[-1][1].append(segment)
        else:
            out.append((kind, [segment]))
    return out


def _message(run: list[Segment]) -> tuple[str, dict[str, str]]:
    text, values = [], {}
    for kind, value, tokens in run:
        if kind == "data":
            text.append(value.replace("%", "%%"))
            continue
        names = [v for k, v in tokens if k == "name"]
        name = (
            names[-1]
            if values.get(names[-1], ".".join(names)) == ".".join(names)
            else "_".join(names)
        )
        values[name] = ".".join(names)
        text.append(f"%({name})s")
    return "".join(text), values


def _shape(run: tuple[str, list[Segment]]) -> object:
    if run[0] == "run":
        return "run"
    return [(k, "STR" if k == "string" else v) for k, v in run[1][0][2] if k != "whitespace"]


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def convert(name: str, english: str, dutch: str) -> tuple[str, dict[str, str], list[str]]:
    """The new template, {msgid: Dutch}, and what needs a hand."""
    en, nl = _runs(_segments(english)), _runs(_segments(dutch))
    same = len(en) == len(nl) and all(_shape(a) == _shape(b) for a, b in zip(en, nl, strict=False))
    notes = [] if same else [f"{name}: English and Dutch differ in shape: translate by hand"]
    out, pairs = [], {}
    for i, (kind, segments) in enumerate(en):
        if kind == "tag":
            tokens = segments[0][2]
            strings = [v for k, v in tokens if k == "string"]
            dutch_strings = [v for k, v in nl[i][1][0][2] if k == "string"] if same else strings
            rebuilt, k = [], 0
            for lexeme, value in tokens:
                # a string that differs between the languages is wording; others are values
                if lexeme == "string" and WORD.search(value) and dutch_strings[k] != value:
                    pairs[value[1:-1].replace("%", "%%")] = dutch_strings[k][1:-1]
                    value = f"_({value})"
                k += lexeme == "string"
                rebuilt.append(value)
            text = "".join(rebuilt)
            if re.search(r"==\s*1\b", text) and "_(" in text:
                notes.append(f"{name}: a plural by hand: {text.strip()[:90]} -> ngettext()")
            out.append(text)
            continue
        message, values = _message(segments)
        if not WORD.search(re.sub(r"%\(\w+\)s", "", message)):
            out.append("".join(text for _k, text, _t in segments))
            continue
        lead, core, trail = re.fullmatch(r"(\s*)(.*?)(\s*)", message, re.S).groups()  # type: ignore[union-attr]
        if same:
            pairs[core] = _message(nl[i][1])[0].strip()
        arguments = "".join(f", {n}={e}" for n, e in values.items() if f"%({n})s" in core)
        out.append(f"{lead}{{{{ _({_literal(core)}{arguments}) }}}}{trail}")
    return _layout("".join(out)), pairs, notes


def _layout(source: str) -> str:
    """One branch per line for a top-level if/elif table (safe under trim_blocks)."""
    if len(re.findall(r"\{%\s*elif", source)) < 2 and "{% set" not in source:
        return source.rstrip("\n") + "\n"
    out, position, depth = [], 0, 0
    for tag in TAG.finditer(source):
        word, text = tag.group(1), tag.group(0)
        out.append(source[position : tag.start()])
        position = tag.end()
        if word in ("if", "for"):
            depth += 1
            out.append(text + ("\n" if depth == 1 and word == "if" else ""))
        elif word in ("elif", "else") and depth == 1:
            out.append("\n" + text.replace("{%", "{%-", 1) + "\n")
        elif word in ("endif", "endfor"):
            depth -= 1
            top = depth == 0 and word == "endif"
            out.append("\n" + text.replace("{%", "{%-", 1) + "\n" if top else text)
        else:
            out.append(text + ("\n" if word == "set" and depth == 0 else ""))
    out.append(source[position:])
    return "".join(out).rstrip("\n") + "\n"


def _messages() -> None:
    subprocess.run(["bash", str(ROOT / ".ci" / "messages"), sys.executable], check=True)  # noqa: S603, S607


def main(names: list[str]) -> int:
    if not names:
        print(__doc__)
        return 2
    pairs: dict[str, str] = {}
    notes: list[str] = []
    for name in names:
        old = [PROMPTS / language / f"{name}.j2" for language in ("en", "nl")]
        template, found, needs = convert(name, *(path.read_text(encoding="utf-8") for path in old))
        (PROMPTS / f"{name}.j2").write_text(template, encoding="utf-8")
        for path in old:
            path.unlink()
        pairs.update(found)
        notes += needs
    _messages()
    with DUTCH.open("rb") as source:
        catalogue = read_po(source, locale="nl")
    for message in catalogue:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if message.id and message.context is None and key in pairs:
            have = message.string if isinstance(message.string, str) else message.string[0]
            if not have or message.fuzzy:  # fuzzy: Babel's guess from a similar message
                message.flags.discard("fuzzy")
                message.string = pairs[key] if isinstance(message.id, str) else (pairs[key],) * 2
            elif have != pairs[key]:
                notes.append(
                    f"{key!r}: the catalogue says {have!r}, the old template {pairs[key]!r}"
                )
    with DUTCH.open("wb") as target:
        write_po(target, catalogue, width=0, sort_output=True)
    _messages()
    print("\n".join(notes) or "converted; nothing needs a hand")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
