"""`coach pulse export` and `coach team set --pulse` as an operator uses them: results per team
per month only where enough people answered, one workspace only, numbers as numbers."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.store.pulse import add_answer, add_statement_answer
from coach.store.teams import set_team
from tests.test_cli import coach

WS, OTHER = "T0001", "T0002"
MARCH, APRIL = date(2025, 3, 1), date(2025, 4, 1)


@pytest.fixture
def answered(deps: Deps) -> Deps:
    """Team =Noord (a name a spreadsheet would take for a formula) answered in March 2025 (six
    people) and April 2025 (four); team Zuid of another workspace answered in March too."""
    with deps.unit_of_work() as session:
        teams = {}
        for workspace, channel, name in ((WS, "C0NOORD", "=Noord"), (OTHER, "C0ZUID", "Zuid")):
            teams[workspace], _ = set_team(
                session,
                workspace_id=workspace,
                channel_id=channel,
                changes=TeamChanges(name=name),
                now=deps.clock.now(),
            )
        for month, scores in ((MARCH, [10, 9, 6, 3, 8, 9]), (APRIL, [10, 10, 10, 10])):
            for n, score in enumerate(scores):
                ids = {"workspace_id": WS, "team_id": teams[WS].id, "month": month}
                add_answer(session, **ids, token=f"t{n}", score=score)
                add_statement_answer(session, **ids, token=f"t{n}", statement="trust", score=4)
        for n in range(6):
            ids = {"workspace_id": OTHER, "team_id": teams[OTHER].id, "month": MARCH}
            add_answer(session, **ids, token=f"z{n}", score=0)
    return deps


def test_the_export_has_each_month_with_enough_answers_and_nothing_else(
    answered: Deps, tmp_path: Path
) -> None:
    url = answered.settings.database_url
    result = coach("pulse", "export", "--workspace", WS, database_url=url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["team"], r["month"], r["question"]) for r in rows] == [
        ("'=Noord", "2025-03", "enps"),
        ("'=Noord", "2025-03", "trust"),
    ]
    enps, trust = rows
    # 3 promoters (10, 9, 9), 1 passive (8), 2 detractors (6, 3) of 6: (3 - 2) / 6 = +17
    assert (enps["answers"], enps["value"], enps["promoters"], enps["detractors"]) == (
        "6",
        "17",
        "3",
        "2",
    )
    assert (trust["answers"], trust["value"], trust["promoters"]) == ("6", "4.0", "")
    as_json = coach(
        "pulse", "export", "--workspace", WS, "--format", "json", database_url=url, cwd=tmp_path
    )
    records = json.loads(as_json.stdout)
    assert [r["value"] for r in records] == [17, 4.0]
    assert "Zuid" not in result.stdout + as_json.stdout  # another workspace
    assert "Exported 2 pulse result(s) of T0001." in result.stderr


def test_team_set_turns_the_pulse_on_from_next_month(answered: Deps, tmp_path: Path) -> None:
    url = answered.settings.database_url
    args = ["team", "set", "--workspace", WS, "--channel", "C0NOORD"]
    result = coach(*args, "--pulse", "monthly", database_url=url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ", pulse monthly from " in result.stdout
    refused = coach(*args, "--pulse", "weekly", database_url=url, cwd=tmp_path)
    assert refused.returncode == 2 and "use monthly or off" in refused.stderr
