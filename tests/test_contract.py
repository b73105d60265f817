"""Declarations agree: CONTRACT.md's commands and settings exist, and the README documents them."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Commands CONTRACT.md promises that later issues build; each xfail turns into a failure (strict)
# the day the command exists, so this list must shrink as they land.
NOT_YET: dict[str, str] = {}  # contract commands still being built, with their issue
CONTRACT_COMMANDS = [
    "run",
    "demo",
    "tick",
    "catalog validate",
    "catalog import",
    "catalog export",
    "team set",
    "admin add",
    "stories export",
    "migrate",
]


def _command(path: str) -> click.Command | None:
    command: click.Command | None = cli
    for part in path.split():
        assert isinstance(command, click.Group)
        command = command.commands.get(part)
        if command is None:
            return None
    return command


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[p]))
        if p in NOT_YET
        else p
        for p in CONTRACT_COMMANDS
    ],
)
def test_every_contract_command_exists_with_help(path: str) -> None:
    assert _command(path) is not None, f"`coach {path}` is missing"
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
