"""The committed argument table is exactly what Slack's OpenAPI spec says, plus a short,
honest list of newer arguments."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from slack_standin.dispatch import HANDLERS
from slack_standin.spec import DATA_FILE, NEWER_ARGUMENTS, NOT_IN_SPEC, SPEC_METHODS, load_table
from slack_standin.spec_derive import data_file_content, derive
from tests.shared import SHARED

SPECS = SHARED / "slack-api-specs"
SPEC_FILE = SPECS / "slack_web_openapi_v2.json"
needs_spec = pytest.mark.skipif(not SPEC_FILE.exists(), reason="shared/slack-api-specs is absent")


def committed() -> dict[str, Any]:
    text = resources.files("slack_standin").joinpath(DATA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@needs_spec
def test_data_file_is_derived_from_the_spec() -> None:
    spec = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    licence = (SPECS / "LICENSE").read_text(encoding="utf-8")
    assert committed() == data_file_content(spec, licence)


@needs_spec
def test_newer_arguments_really_are_missing_from_the_spec() -> None:
    spec = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    derived = derive(spec)
    for method, names in NEWER_ARGUMENTS.items():
        assert not names & set(derived[method]["allowed"]), method
    for method in NOT_IN_SPEC:
        assert f"/{method}" not in spec["paths"]


def test_data_file_carries_source_and_licence() -> None:
    data = committed()
    assert "slack_web_openapi_v2.json" in data["_source"]
    assert data["_licence"][0] == "MIT License"
    assert "Copyright (c) 2017 SlackAPI" in data["_licence"]
    assert sorted(data["methods"]) == sorted(SPEC_METHODS)


def test_every_answered_method_has_an_argument_table() -> None:
    table = load_table()
    assert table.keys() == HANDLERS.keys()
    assert "metadata" in table["chat.postMessage"].allowed
    assert "include_all_metadata" in table["conversations.history"].allowed
    assert {"channel"} <= table["chat.postMessage"].required
    assert "token" not in table["chat.postMessage"].allowed
