"""CSV for the exports: RFC 4180 with a header line, and no cell a spreadsheet would run as a
formula (typed text that starts with = + - @ or a tab gets a leading ')."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Value = str | int | float | bool | list[str] | None


def csv_text(columns: Sequence[str], records: Iterable[Mapping[str, Value]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow(cell(record[column]) for column in columns)
    return out.getvalue()


def cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # a number, also a negative one, is only a number
    text = " ".join(value) if isinstance(value, list) else value
    return "'" + text if text.startswith(FORMULA_START) else text
