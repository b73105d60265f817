"""Declarations agree: what docs/contract.md promises and what is built.

docs/contract.md is the outside interface (a copy of the project's shared CONTRACT.md, kept equal
to it). It has grown ahead of the code: `BUILT` below lists what exists today, each entry checked
against the contract, the CLI, the settings and the README; every other contract entry is for a
later issue and is checked not to exist yet, so the day it lands this test asks to list it here.
"""

from __future__ import annotations

import difflib
import re
from itertools import takewhile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.settings import Settings
from tests.shared import SHARED

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRACT = ROOT / "docs" / "contract.md"

# What the contract promises that is built today: commands ("team set"), their options
# ("team set --lead") and environment variables ("LOG_LEVEL").
BUILT = frozenset(
    {
        "run",
        "run --role",
        "demo",
        "demo --language",
        "tick",
        "tick --now",
        "catalog validate",
        "catalog import",
        "catalog import --workspace",
        "catalog export",
        "catalog export --workspace",
        "catalog export --output",
        "team set",
        "team set --workspace",
        "team set --channel",
        "team set --name",
        "team set --lead",
        "team set --nudge-time",
        "team set --celebrate",
        "team set --timezone",
        "team set --holidays",
        "team set --language",
        "team set --workdays",
        "team set --pulse",
        "pulse export",
        "pulse export --workspace",
        "pulse export --format",
        "team set --celebration-picture",
        "admin add",
        "admin add --workspace",
        "admin add --user",
        "stories export",
        "stories export --workspace",
        "stories export --format",
        "stories export --since",
        "migrate",
        "backup",
        "backup --output",
        "report",
        "report --workspace",
        "report --weeks",
        "report --output",
        "DATABASE_URL",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "SLACK_API_URL",
        "COACH_ENCRYPTION_KEY",
        "PORT",
        "LOG_LEVEL",
        "LOG_FORMAT",
        "COACH_PLAN_AHEAD_HOURS",
        "--version",
    }
)


def _section(text: str, title: str) -> str:
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def _first_cells(section: str) -> list[str]:
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [row.split(" | ")[0].removeprefix("| ") for row in rows]


def contract_entries(text: str) -> set[str]:
    """Each command of the Commands table (its words up to the first argument), each `--option`
    its row names, and each variable of the Environment table."""
    entries: set[str] = set()
    for cell in _first_cells(_section(text, "Commands")):
        usage = cell.split("`")[1]
        path = " ".join(takewhile(lambda word: word.isalpha() and word.islower(), usage.split()))
        options = re.findall(r"--[a-z][a-z-]*", usage)
        entries |= {f"{path} {o}".strip() for o in options} | ({path} if path else set())
    for cell in _first_cells(_section(text, "Environment")):
        entries |= set(re.findall(r"`([A-Z_]+)`", cell))
    return entries


ENTRIES = contract_entries(CONTRACT.read_text(encoding="utf-8"))


def test_the_contract_is_the_shared_one_with_additions_only() -> None:
    """docs/contract.md is the shared CONTRACT.md plus lines a branch ADDED (never a line
    changed or removed); the lead carries the additions into the shared copy at merge."""
    shared = SHARED / "CONTRACT.md"
    if not shared.exists():
        pytest.skip(f"{shared} is absent: nothing to compare with")
    theirs = shared.read_text(encoding="utf-8").splitlines()
    ours = CONTRACT.read_text(encoding="utf-8").splitlines()
    changes = difflib.SequenceMatcher(a=theirs, b=ours, autojunk=False).get_opcodes()
    changed = [theirs[i1:i2] for tag, i1, i2, _, _ in changes if tag in ("replace", "delete")]
    assert not changed, (
        f"docs/contract.md changes or drops lines of {shared}: {changed} (only add to it, and "
        f"update BUILT in {__name__})"
    )


def test_the_contract_is_read_whole() -> None:
    assert {"run", "team set --workdays", "--version", "backup", "LOG_FORMAT"} <= ENTRIES
    assert "catalog import --workspace" in ENTRIES and "tick --now" in ENTRIES


def test_built_lists_only_what_the_contract_promises() -> None:
    assert BUILT <= ENTRIES, f"not in docs/contract.md: {sorted(BUILT - ENTRIES)}"


def _command(path: str) -> click.Command | None:
    command: click.Command | None = cli
    for part in path.split():
        if not isinstance(command, click.Group):
            return None
        command = command.commands.get(part)
    return command


def _exists(entry: str) -> bool:
    if entry.isupper():
        return entry.lower() in Settings.model_fields
    path, _, option = entry.partition("--")
    command = _command(path) if path else cli
    if command is None or not option:
        return command is not None
    return any(f"--{option}" in p.opts for p in command.params)


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_built_is_what_exists(entry: str) -> None:
    if entry in BUILT:
        assert _exists(entry), f"{entry!r} is listed as built but does not exist"
    else:
        assert not _exists(entry), f"{entry!r} exists now: add it to BUILT"


@pytest.mark.parametrize("path", sorted(e for e in BUILT if not e.isupper() and "--" not in e))
def test_every_built_command_has_help_and_is_in_the_readme(path: str) -> None:
    result = CliRunner().invoke(cli, [*path.split(), "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output
    assert f"`{path.split()[0]}" in README or f"coach {path}" in README, (
        f"README does not mention `coach {path}`"
    )


def test_every_setting_is_in_the_readme_table() -> None:
    documented = set(re.findall(r"^\| `([A-Z_]+)`", README, flags=re.MULTILINE))
    expected = {name.upper() for name in Settings.model_fields}
    assert expected <= documented, f"undocumented settings: {sorted(expected - documented)}"
    assert documented - expected <= {"SLACK_CLIENT_SECRET", "COACH_TEST_DATABASE_URL"} | expected
