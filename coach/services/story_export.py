"""Exported stories as CSV or JSON text: the same columns in both, in the same order."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime

from coach.services.spreadsheet import Value, csv_text
from coach.store.stories import StoryRow

FORMATS = ("csv", "json")
COLUMNS = tuple(field.name for field in fields(StoryRow))
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP "CSV injection"); tab and carriage return too, since some strip them first.


def story_record(row: StoryRow) -> dict[str, Value]:
    """The story as plain JSON values: instants in ISO 8601 UTC, credits as a list of user ids."""
    record: dict[str, Value] = {}
    for column in COLUMNS:
        value = getattr(row, column)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        record[column] = value
    return record


def to_json(rows: list[StoryRow]) -> str:
    """A JSON list of objects, text kept as typed."""
    return json.dumps([story_record(row) for row in rows], ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: list[StoryRow]) -> str:
    """RFC 4180 CSV with a header line; no cell can start a spreadsheet formula."""
    return csv_text(COLUMNS, (story_record(row) for row in rows))
