"""Administering from the command line, as an operator does it: admins, teams, retention and
deleting a workspace, each a real process against the database."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from coach.deps import Deps
from coach.store.models import Admin, Nudge, OutboxMessage, Person, Story, Team, Workspace
from tests.seed import seed_workspace
from tests.store.test_catalog_store import dump_tables
from tests.test_cli import ROOT, coach


def _run(deps: Deps, database_url: str, tmp_path: Path, *args: str) -> Any:
    return coach(*args, database_url=database_url, cwd=tmp_path)


def test_admin_list_shows_added_admins_and_slack_admins(
    deps: Deps, database_url: str, tmp_path: Path
) -> None:
    seed_workspace(deps, "T0001")
    result = _run(deps, database_url, tmp_path, "admin", "list", "--workspace", "T0001")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "U0ANNA\tadded by cli",
        "U0BOSS\tworkspace owner or admin in Slack",
    ]


def test_admin_remove_takes_an_added_admin_off_and_says_when_slack_keeps_one(
    deps: Deps, database_url: str, tmp_path: Path
) -> None:
    seed_workspace(deps, "T0001")
    seed_workspace(deps, "T0002")
    removed = _run(
        deps, database_url, tmp_path, "admin", "remove", "--workspace", "T0001", "--user", "U0ANNA"
    )
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.strip() == "U0ANNA is no longer an added catalogue admin of T0001."
    with deps.unit_of_work() as session:
        assert [(a.workspace_id, a.user_id) for a in session.scalars(select(Admin))] == [
            ("T0002", "U0ANNA")
        ]
    boss = _run(
        deps, database_url, tmp_path, "admin", "remove", "--workspace", "T0001", "--user", "U0BOSS"
    )
    assert boss.returncode == 0
    assert "was not an added catalogue admin of T0001; nothing changed" in boss.stdout
    assert "They stay an admin through Slack" in boss.stdout


def test_admin_list_of_an_unknown_workspace_says_what_to_check(
    database_url: str, tmp_path: Path
) -> None:
    result = coach("admin", "list", "--workspace", "T404", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 1
    assert "workspace T404 is unknown to this database; check the Slack team ID" in result.stderr


def test_team_list_rename_and_remove(deps: Deps, database_url: str, tmp_path: Path) -> None:
    seed_workspace(deps, "T0001")
    seed_workspace(deps, "T0002")
    listed = _run(deps, database_url, tmp_path, "team", "list", "--workspace", "T0001")
    assert listed.returncode == 0, listed.stderr
    [line] = listed.stdout.splitlines()
    assert line.split("\t")[1:5] == ["C0NOORD", "Noord", "leads U0ANNA", "1 member(s)"]
    assert line.endswith(
        "nudges 09:00, celebration Friday 16:00, Europe/Amsterdam, holidays NL, language nl"
    )

    renamed = _run(
        deps,
        database_url,
        tmp_path,
        "team",
        "rename",
        "--workspace",
        "T0001",
        "--channel",
        "C0NOORD",
        "--name",
        " Noord-Oost ",
    )
    assert renamed.stdout.strip() == "Renamed team 'Noord' (C0NOORD) to 'Noord-Oost'."
    unknown = _run(
        deps,
        database_url,
        tmp_path,
        "team",
        "rename",
        "--workspace",
        "T0001",
        "--channel",
        "C0ZUID",
        "--name",
        "Zuid",
    )
    assert unknown.returncode == 1
    assert "has no team in channel C0ZUID; `coach team list --workspace T0001`" in unknown.stderr

    removed = _run(
        deps,
        database_url,
        tmp_path,
        "team",
        "remove",
        "--workspace",
        "T0001",
        "--channel",
        "C0NOORD",
    )
    assert removed.returncode == 0, removed.stderr
    assert "Removed team 'Noord-Oost' (C0NOORD)" in removed.stdout
    assert "Its stories stay (without a team). Its 1 member(s) get no more nudges" in removed.stdout
    assert "1 queued nudge(s) will not be sent" in removed.stdout
    with deps.unit_of_work() as session:
        teams = {(t.workspace_id, t.name) for t in session.scalars(select(Team))}
        assert teams == {("T0002", "Noord")}
        stories = {(s.workspace_id, s.team_id is None) for s in session.scalars(select(Story))}
        assert stories == {("T0001", True), ("T0002", False)}
        bob = {
            p.workspace_id: p.next_nudge_at
            for p in session.scalars(select(Person).where(Person.user_id == "U0BOB"))
        }
        assert bob["T0001"] is None and bob["T0002"] is not None
        assert [m.workspace_id for m in session.scalars(select(OutboxMessage))] == ["T0002"]
        assert {(n.workspace_id, n.status) for n in session.scalars(select(Nudge))} == {
            ("T0001", "dropped"),
            ("T0002", "queued"),
        }


def test_retention_is_set_per_workspace(deps: Deps, database_url: str, tmp_path: Path) -> None:
    seed_workspace(deps, "T0001")
    seed_workspace(deps, "T0002")
    result = _run(
        deps,
        database_url,
        tmp_path,
        "workspace",
        "set",
        "--workspace",
        "T0001",
        "--retention-days",
        "30",
    )
    assert result.returncode == 0, result.stderr
    assert "T0001 keeps intentions 30 day(s)" in result.stdout
    bad = _run(
        deps,
        database_url,
        tmp_path,
        "workspace",
        "set",
        "--workspace",
        "T0001",
        "--retention-days",
        "0",
    )
    assert bad.returncode == 2 and "is not a number of days from 1 to 36500" in bad.stderr
    with deps.unit_of_work() as session:
        assert dict(session.execute(select(Workspace.id, Workspace.retention_days)).all()) == {
            "T0001": 30,
            "T0002": None,
        }
    _run(
        deps,
        database_url,
        tmp_path,
        "workspace",
        "set",
        "--workspace",
        "T0001",
        "--retention-days",
        "none",
    )
    with deps.unit_of_work() as session:
        assert session.get(Workspace, "T0001").retention_days is None  # type: ignore[union-attr]


def _rows_mentioning(dump: dict[str, list[tuple[Any, ...]]], needle: str) -> dict[str, int]:
    return {
        table: n for table, rows in dump.items() if (n := sum(needle in repr(row) for row in rows))
    }


def test_workspace_delete_with_yes_deletes_every_row_of_it_and_nothing_else(
    deps: Deps, database_url: str, tmp_path: Path
) -> None:
    seed_workspace(deps, "T0001")
    seed_workspace(deps, "T0002")
    before = dump_tables(deps)
    seeded = {table for table, rows in before.items() if rows}
    assert seeded == set(before) - {"slack_oauth_states"}  # the seed fills every other table
    result = _run(
        deps, database_url, tmp_path, "workspace", "delete", "--workspace", "T0001", "--yes"
    )
    assert result.returncode == 0, result.stderr
    assert "This deletes all data of workspace T0001:" in result.stdout
    assert "  stories: 1" in result.stdout and "  slack_installations: 1" in result.stdout
    total = sum(len(rows) for rows in before.values()) // 2
    assert f"Deleted {total} rows of workspace T0001." in result.stdout
    after = dump_tables(deps)
    assert _rows_mentioning(after, "T0001") == {}
    # every table keeps exactly the other workspace's half, unchanged
    assert {t: len(rows) for t, rows in after.items()} == {
        t: len(rows) // 2 for t, rows in before.items()
    }
    assert all(row in before[t] for t in after for row in after[t])


def test_workspace_delete_refuses_without_a_terminal_and_without_yes(
    deps: Deps, database_url: str, tmp_path: Path
) -> None:
    seed_workspace(deps, "T0001")
    before = dump_tables(deps)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "workspace", "delete", "--workspace", "T0001"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        timeout=60,
        env={**_clean_env(), "DATABASE_URL": database_url},
        check=False,
    )
    assert result.returncode == 1
    assert "  people: 3" in result.stdout
    assert (
        "not deleting without a confirmation: run it in a terminal, or add --yes" in result.stderr
    )
    assert dump_tables(deps) == before


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "COACH_"))}


def _in_a_terminal(database_url: str, cwd: Path, answer: str) -> tuple[int, str]:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "workspace", "delete", "--workspace", "T0001"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=cwd,
        env={**_clean_env(), "DATABASE_URL": database_url},
    )
    os.close(terminal)
    os.write(controller, answer.encode() + b"\n")
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the process ended and closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    return process.wait(timeout=60), output.decode(errors="replace")


def test_workspace_delete_in_a_terminal_asks_first(
    deps: Deps, database_url: str, tmp_path: Path
) -> None:
    seed_workspace(deps, "T0001")
    before = dump_tables(deps)
    status, output = _in_a_terminal(database_url, tmp_path, "n")
    assert status == 1 and "Delete all" in output and "Aborted" in output
    assert dump_tables(deps) == before
    status, output = _in_a_terminal(database_url, tmp_path, "y")
    assert status == 0, output
    assert "Deleted" in output
    assert _rows_mentioning(dump_tables(deps), "T0001") == {}
