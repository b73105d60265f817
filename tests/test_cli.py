"""The command line as an operator uses it: a real process, its output and its exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from coach.deps import Deps
from coach.store.models import Admin, Team
from tests.store.test_catalog_store import dump_tables

ROOT = Path(__file__).resolve().parent.parent
NL = ROOT / "principles_catalog" / "technisch-dienstverlener.yaml"
EN = ROOT / "principles_catalog" / "service-organisation.yaml"


def coach(
    *args: str, database_url: str, cwd: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "COACH_"))}
    env.update(DATABASE_URL=database_url, **(extra_env or {}))
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_validate_accepts_the_samples(tmp_path: Path) -> None:
    result = coach("catalog", "validate", str(NL), str(EN), database_url="sqlite://", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "2 catalogue file(s) valid" in result.stderr


def test_validate_lists_problems_of_a_corrupted_copy(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        NL.read_text(encoding="utf-8").replace("level: relational", "level: relation", 1),
        encoding="utf-8",
    )
    result = coach(
        "catalog", "validate", str(NL), str(broken), database_url="sqlite://", cwd=tmp_path
    )
    assert result.returncode == 1
    line = next(
        n
        for n, text in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1)
        if "level: relation" in text and "relational" not in text
    )
    [problem] = result.stdout.splitlines()
    assert problem.startswith(
        f"{broken}:{line}: principles[3].level: must be one of 'operational', 'relational' or 'meaning'"
    )


def test_import_of_a_bad_file_writes_nothing(deps: Deps, database_url: str, tmp_path: Path) -> None:
    assert (
        coach(
            "catalog",
            "import",
            str(NL),
            "--workspace",
            "T0001",
            database_url=database_url,
            cwd=tmp_path,
        ).returncode
        == 0
    )
    before = dump_tables(deps)
    broken = tmp_path / "broken.yaml"
    broken.write_text(EN.read_text(encoding="utf-8") + "\nextra: true\n", encoding="utf-8")
    result = coach(
        "catalog",
        "import",
        str(broken),
        "--workspace",
        "T0001",
        database_url=database_url,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert f"{broken}:" in result.stderr and "extra: unknown key" in result.stderr
    assert "Nothing was imported." in result.stderr
    assert dump_tables(deps) == before


def test_import_export_import_changes_nothing(
    deps: Deps, database_url: str, tmp_path: Path
) -> None:
    first = coach(
        "catalog",
        "import",
        str(NL),
        "--workspace",
        "T0001",
        database_url=database_url,
        cwd=tmp_path,
    )
    assert "as version 1: 7 created" in first.stdout
    out = tmp_path / "export.yaml"
    assert (
        coach(
            "catalog",
            "export",
            "--workspace",
            "T0001",
            "--output",
            str(out),
            database_url=database_url,
            cwd=tmp_path,
        ).returncode
        == 0
    )
    before = dump_tables(deps)
    again = coach(
        "catalog",
        "import",
        str(out),
        "--workspace",
        "T0001",
        database_url=database_url,
        cwd=tmp_path,
    )
    assert again.returncode == 0
    assert "already matches" in again.stdout and "(version 1)" in again.stdout
    assert dump_tables(deps) == before
    stdout = coach(
        "catalog", "export", "--workspace", "T0001", database_url=database_url, cwd=tmp_path
    ).stdout
    assert stdout == out.read_text(encoding="utf-8")


def test_export_of_an_unknown_workspace_says_what_to_do(database_url: str, tmp_path: Path) -> None:
    result = coach(
        "catalog", "export", "--workspace", "T404", database_url=database_url, cwd=tmp_path
    )
    assert result.returncode == 1
    assert (
        "has no catalogue yet; import one with `coach catalog import FILE --workspace T404`"
        in result.stderr
    )


def test_commands_refuse_an_outdated_schema_and_migrate_fixes_it(
    fresh_database_url: str, tmp_path: Path
) -> None:
    result = coach(
        "catalog",
        "import",
        str(NL),
        "--workspace",
        "T0001",
        database_url=fresh_database_url,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "run `coach migrate` first" in result.stderr
    migrated = coach("migrate", database_url=fresh_database_url, cwd=tmp_path)
    assert migrated.returncode == 0 and "migrated from empty to" in migrated.stdout
    assert coach("migrate", database_url=fresh_database_url, cwd=tmp_path).stdout.startswith(
        "Database schema is up to date"
    )
    assert (
        coach(
            "catalog",
            "import",
            str(NL),
            "--workspace",
            "T0001",
            database_url=fresh_database_url,
            cwd=tmp_path,
        ).returncode
        == 0
    )


def test_team_set_creates_then_updates(deps: Deps, database_url: str, tmp_path: Path) -> None:
    created = coach(
        "team",
        "set",
        "--workspace",
        "T0001",
        "--channel",
        "C0NOORD",
        "--name",
        "Team Noord",
        "--lead",
        "U0ANNA",
        "--celebrate",
        "vrijdag 15:30",
        "--timezone",
        "America/New_York",
        "--holidays",
        "us",
        "--language",
        "en",
        database_url=database_url,
        cwd=tmp_path,
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith(
        "Created team 'Team Noord' (C0NOORD): nudges 09:00, celebration Friday 15:30, America/New_York, holidays US"
    )
    updated = coach(
        "team",
        "set",
        "--workspace",
        "T0001",
        "--channel",
        "C0NOORD",
        "--lead",
        "U0BOB",
        "--lead",
        "U0ANNA",
        "--nudge-time",
        "8:15",
        "--workdays",
        "mon,tue,wed,thu,fri,sat",
        database_url=database_url,
        cwd=tmp_path,
    )
    assert updated.stdout.startswith("Updated team 'Team Noord'")
    assert "workdays mon,tue,wed,thu,fri,sat," in updated.stdout
    with deps.unit_of_work() as session:
        team = session.scalars(select(Team)).one()
        assert (team.name, f"{team.nudge_time:%H:%M}", team.timezone, team.holiday_country) == (
            "Team Noord",
            "08:15",
            "America/New_York",
            "US",
        )
        assert [lead.user_id for lead in team.leads] == ["U0ANNA", "U0BOB"]
        assert team.workdays == "012345"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--nudge-time", "25:00"], "'25:00' is not a time of day; use HH:MM"),
        (["--celebrate", "someday 16:00"], "is not a weekly moment; use DAY HH:MM"),
        (["--timezone", "Europe/Atlantis"], "'Europe/Atlantis' is not an IANA timezone"),
        (["--holidays", "XX"], "'XX' is not a country the holidays calendar knows"),
        (["--language", "fr"], "'fr' is not a language 9+ Coach speaks; use nl or en"),
        (["--lead", "anna"], "'anna' is not a Slack ID like U0123ABCD"),
        (["--workdays", "mon,someday"], "'mon,someday' is not a list of weekdays"),
    ],
)
def test_team_set_rejects_bad_values_and_writes_nothing(
    deps: Deps, database_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    result = coach(
        "team",
        "set",
        "--workspace",
        "T0001",
        "--channel",
        "C0NOORD",
        *args,
        database_url=database_url,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert message in result.stderr
    with deps.unit_of_work() as session:
        assert session.scalars(select(Team)).all() == []


def test_admin_add(deps: Deps, database_url: str, tmp_path: Path) -> None:
    assert (
        "U0ANNA is now a catalogue admin of T0001."
        in coach(
            "admin",
            "add",
            "--workspace",
            "T0001",
            "--user",
            "U0ANNA",
            database_url=database_url,
            cwd=tmp_path,
        ).stdout
    )
    assert (
        "already"
        in coach(
            "admin",
            "add",
            "--workspace",
            "T0001",
            "--user",
            "U0ANNA",
            database_url=database_url,
            cwd=tmp_path,
        ).stdout
    )
    with deps.unit_of_work() as session:
        assert [
            (a.workspace_id, a.user_id, a.added_by) for a in session.scalars(select(Admin))
        ] == [("T0001", "U0ANNA", "cli")]


def test_a_bad_environment_names_every_variable(tmp_path: Path) -> None:
    result = coach(
        "migrate",
        database_url="mysql://localhost/x",
        cwd=tmp_path,
        extra_env={"PORT": "eighty", "SLACK_BOT_TOKEN": "xoxp-user-token", "LOG_LEVEL": "chatty"},
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Error: DATABASE_URL: uses 'mysql'; 9+ Coach supports sqlite, postgresql",
        "Error: SLACK_BOT_TOKEN: must be a bot token starting with 'xoxb-'",
        "Error: PORT: must be a whole number",
        "Error: LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
        "Fix the environment (or .env) and try again.",
    ]


def test_dot_env_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "DATABASE_URL=sqlite:///from-dotenv.db\nLOG_LEVEL=debug\n", encoding="utf-8"
    )
    result = coach("migrate", database_url="sqlite:///from-environment.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-environment.db").exists()
    assert not (tmp_path / "from-dotenv.db").exists()


def test_unreachable_database(tmp_path: Path) -> None:
    result = coach("migrate", database_url="postgresql://127.0.0.1:1/nothing", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: cannot reach the database named by DATABASE_URL")


def test_team_set_pins_a_principle_of_the_catalogue(
    deps: Deps, database_url: str, tmp_path: Path
) -> None:
    coach(
        "catalog",
        "import",
        str(NL),
        "--workspace",
        "T0001",
        database_url=database_url,
        cwd=tmp_path,
    )
    pinned = coach(
        "team",
        "set",
        "--workspace",
        "T0001",
        "--channel",
        "C0NOORD",
        "--pin",
        "daadkrachtig",
        database_url=database_url,
        cwd=tmp_path,
    )
    assert pinned.returncode == 0 and "pinned principle daadkrachtig" in pinned.stdout
    unknown = coach(
        "team",
        "set",
        "--workspace",
        "T0001",
        "--channel",
        "C0NOORD",
        "--pin",
        "vliegen",
        database_url=database_url,
        cwd=tmp_path,
    )
    assert unknown.returncode == 2 and "has no active principle 'vliegen'" in unknown.stderr
    with deps.unit_of_work() as session:
        assert session.scalars(select(Team.pinned_principle_id)).one() is not None
    assert (
        coach(
            "team",
            "set",
            "--workspace",
            "T0001",
            "--channel",
            "C0NOORD",
            "--pin",
            "none",
            database_url=database_url,
            cwd=tmp_path,
        ).returncode
        == 0
    )
    with deps.unit_of_work() as session:
        assert session.scalars(select(Team.pinned_principle_id)).one() is None


def test_a_number_out_of_range_is_named_for_its_own_setting(tmp_path: Path) -> None:
    result = coach(
        "migrate",
        database_url=f"sqlite:///{tmp_path / 'c.db'}",
        cwd=tmp_path,
        extra_env={"COACH_SEND_PER_MINUTE": "0", "PORT": "70000", "LOG_FORMAT": "xml"},
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Error: PORT: must be a port number from 0 to 65535 (0 picks any free port)",
        "Error: LOG_FORMAT: must be one of text, json",
        "Error: COACH_SEND_PER_MINUTE: must be a whole number of messages from 1 to 100000",
        "Fix the environment (or .env) and try again.",
    ]


@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00"])
def test_tick_refuses_an_instant_it_cannot_compute_around(tmp_path: Path, instant: str) -> None:
    result = coach(
        "tick", "--now", instant, database_url=f"sqlite:///{tmp_path / 'c.db'}", cwd=tmp_path
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"Invalid value for --now: '{instant}': must be in the years 2000-8999" in result.stderr


def test_team_set_turns_the_celebration_picture_off_and_on(
    deps: Deps, database_url: str, tmp_path: Path
) -> None:
    def picture(*value: str) -> str:
        ran = coach(
            "team",
            "set",
            "--workspace",
            "T0001",
            "--channel",
            "C0NOORD",
            *(("--celebration-picture", *value) if value else ()),
            database_url=database_url,
            cwd=tmp_path,
        )
        assert ran.returncode == 0, ran.stderr
        with deps.unit_of_work() as session:
            return session.scalars(select(Team)).one().celebration_picture

    assert picture() == "monthly"  # the default
    assert picture("off") == "off"
    assert picture() == "off"  # left as it is
    assert picture("monthly") == "monthly"
    wrong = coach(
        "team", "set", "--workspace", "T0001", "--channel", "C0NOORD",
        "--celebration-picture", "weekly", database_url=database_url, cwd=tmp_path,
    )  # fmt: skip
    assert wrong.returncode == 2 and "'weekly' is not one of 'monthly', 'off'" in wrong.stderr
