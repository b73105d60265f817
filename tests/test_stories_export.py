"""`coach stories export` as an operator uses it: the rows and columns they get, one workspace
only, the --since filter, text that survives CSV, no spreadsheet formulas, clear errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from coach.catalog.files import load_catalog_file
from coach.cli import cli
from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.store.catalog import replace_catalog
from coach.store.models import Principle, Story, StoryCredit
from coach.store.teams import get_team, set_team
from coach.store.workspaces import ensure_workspace
from tests.test_cli import NL, coach

WS, OTHER = "T0001", "T0002"
COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "author",
    "filed_by",
    "team",
    "team_channel",
    "principle_key",
    "principle",
    "level",
    "text",
    "shared",
    "author_consent",
    "source",
    "celebrated_at",
    "credited",
]
MULTILINE = 'Ketel in één keer goed,\nen daarna "even" nagebeld.\r\nKlant: 10/10; dank!'


@pytest.fixture
def world(deps: Deps) -> Deps:
    """Two workspaces with the sample catalogue; T0001 has team Noord, T0002 team Zuid."""
    with deps.unit_of_work() as session:
        for workspace, channel, name in ((WS, "C0NOORD", "Noord"), (OTHER, "C0ZUID", "Zuid")):
            replace_catalog(
                session,
                workspace_id=workspace,
                catalog=load_catalog_file(NL),
                actor="cli",
                now=deps.clock.now(),
            )
            set_team(
                session,
                workspace_id=workspace,
                channel_id=channel,
                changes=TeamChanges(name=name),
                now=deps.clock.now(),
            )
    return deps


def add_story(
    deps: Deps,
    text: str,
    *,
    workspace: str = WS,
    at: datetime | None = None,
    author: str = "U0ANNA",
    filed_by: str | None = None,
    channel: str | None = "C0NOORD",
    principle: str | None = "goed-geregeld",
    credits: tuple[str, ...] = (),
    share: bool = True,
    celebrated_at: datetime | None = None,
) -> int:
    at = at or deps.clock.now()
    with deps.unit_of_work() as session:
        team = get_team(session, workspace_id=workspace, channel_id=channel) if channel else None
        principle_id = session.scalar(
            select(Principle.id).where(
                Principle.workspace_id == workspace, Principle.key == principle
            )
        )
        story = Story(
            workspace_id=workspace,
            author_id=author,
            filed_by=filed_by or author,
            team_id=team.id if team else None,
            principle_id=principle_id,
            text=text,
            share=share,
            author_consent="given",
            source="command",
            celebrated_at=celebrated_at,
            created_at=at,
            updated_at=at,
            credits=[StoryCredit(user_id=c) for c in credits],
        )
        session.add(story)
        session.flush()
        return story.id


def export(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> Result:
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner().invoke(cli, ["stories", "export", *args], env={"DATABASE_URL": database_url})


def parse_csv(text: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    assert header == COLUMNS
    return [dict(zip(header, row, strict=True)) for row in reader]


def test_csv_has_every_story_of_the_workspace_oldest_first(
    world: Deps, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = world.clock.now()
    later = add_story(
        world,
        "Monteur belde na afloop zelf terug.",
        at=start + timedelta(hours=2),
        filed_by="U0LEAD",
        credits=("U0CEES", "U0BERT"),
        celebrated_at=start + timedelta(days=3),
    )
    amsterdam = timezone(timedelta(hours=1))
    earlier = add_story(
        world,
        "Zonder team of principe.",
        at=datetime(2026, 11, 24, 9, 30, tzinfo=amsterdam),  # 08:30 UTC, before `later`
        channel=None,
        principle=None,
        share=False,
    )
    add_story(world, "Verhaal van een andere klant", workspace=OTHER, channel="C0ZUID")

    result = export(database_url, tmp_path, monkeypatch, "--workspace", WS)

    assert result.exit_code == 0, result.stderr
    assert "Exported 2 stories of T0001." in result.stderr
    assert "andere klant" not in result.stdout
    first, second = parse_csv(result.stdout)
    assert first == {
        "id": str(earlier),
        "created_at": "2026-11-24T08:30:00+00:00",
        "updated_at": "2026-11-24T08:30:00+00:00",
        "author": "U0ANNA",
        "filed_by": "U0ANNA",
        "team": "",
        "team_channel": "",
        "principle_key": "",
        "principle": "",
        "level": "",
        "text": "Zonder team of principe.",
        "shared": "false",
        "author_consent": "given",
        "source": "command",
        "celebrated_at": "",
        "credited": "",
    }
    assert second["id"] == str(later)
    assert second["created_at"] == "2026-11-24T10:00:00+00:00"
    assert second["filed_by"] == "U0LEAD"
    assert (second["team"], second["team_channel"]) == ("Noord", "C0NOORD")
    assert (second["principle_key"], second["principle"], second["level"]) == (
        "goed-geregeld",
        "Goed geregeld",
        "operational",
    )
    assert second["shared"] == "true"
    assert second["celebrated_at"] == "2026-11-27T08:00:00+00:00"
    assert second["credited"] == "U0BERT U0CEES"


def test_text_with_newlines_commas_and_quotes_survives_a_real_process(
    world: Deps, database_url: str, tmp_path: Path
) -> None:
    add_story(world, MULTILINE)
    add_story(world, "tweede")

    result = coach("stories", "export", "--workspace", WS, database_url=database_url, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    # text=True reads CRLF as LF, so compare line breaks as the reader sees them.
    texts = [row["text"] for row in parse_csv(result.stdout)]
    assert texts == [MULTILINE.replace("\r\n", "\n"), "tweede"]


def test_csv_rows_end_in_crlf_and_quote_what_needs_quoting(
    world: Deps, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_story(world, MULTILINE)

    # Result.stdout turns CRLF into LF; the bytes are what a file redirect receives.
    out = export(database_url, tmp_path, monkeypatch, "--workspace", WS).stdout_bytes.decode()

    assert out.startswith(",".join(COLUMNS) + "\r\n") and out.endswith("\r\n")
    assert '"Ketel in één keer goed,\nen daarna ""even"" nagebeld.\r\nKlant: 10/10; dank!"' in out
    assert [row["text"] for row in parse_csv(out)] == [MULTILINE]


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil","klik")', "+31 6 1234", "-2+3", "@SUM(A1)"]
)
def test_a_formula_in_csv_is_only_text_but_json_keeps_it_raw(
    text: str, world: Deps, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_story(world, text)

    as_csv = export(database_url, tmp_path, monkeypatch, "--workspace", WS).stdout
    as_json = export(database_url, tmp_path, monkeypatch, "--workspace", WS, "--format", "json")

    [row] = parse_csv(as_csv)
    assert row["text"] == "'" + text
    assert [story["text"] for story in json.loads(as_json.stdout)] == [text]


def test_json_is_a_list_of_objects_with_the_same_fields(
    world: Deps, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story_id = add_story(world, MULTILINE, credits=("U0BERT",))
    add_story(world, "Elders", workspace=OTHER, channel="C0ZUID")

    result = export(database_url, tmp_path, monkeypatch, "--workspace", WS, "--format", "json")

    assert result.exit_code == 0, result.stderr
    assert "één" in result.stdout  # not \u00e9\u00e9n
    [story] = json.loads(result.stdout)
    assert list(story) == COLUMNS
    assert story == {
        "id": story_id,
        "created_at": "2026-11-24T08:00:00+00:00",
        "updated_at": "2026-11-24T08:00:00+00:00",
        "author": "U0ANNA",
        "filed_by": "U0ANNA",
        "team": "Noord",
        "team_channel": "C0NOORD",
        "principle_key": "goed-geregeld",
        "principle": "Goed geregeld",
        "level": "operational",
        "text": MULTILINE,
        "shared": True,
        "author_consent": "given",
        "source": "command",
        "celebrated_at": None,
        "credited": ["U0BERT"],
    }


def test_since_keeps_stories_from_that_day_on_in_utc(
    world: Deps, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    midnight = datetime(2026, 11, 24, tzinfo=UTC)
    add_story(world, "late on the 23rd", at=midnight - timedelta(seconds=1))
    add_story(world, "at midnight", at=midnight)
    add_story(world, "next week", at=midnight + timedelta(days=7))

    def texts(*args: str) -> list[str]:
        result = export(database_url, tmp_path, monkeypatch, "--workspace", WS, *args)
        assert result.exit_code == 0, result.stderr
        return [row["text"] for row in parse_csv(result.stdout)]

    assert texts("--since", "2026-11-24") == ["at midnight", "next week"]
    assert texts("--since", "2026-11-25") == ["next week"]
    assert texts("--since", "2027-01-01") == []
    assert len(texts()) == 3


@pytest.mark.parametrize("since", ["2026-13-01", "24-11-2026", "20261124", "yesterday", ""])
def test_a_bad_since_names_the_option(
    since: str, world: Deps, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = export(database_url, tmp_path, monkeypatch, "--workspace", WS, "--since", since)

    assert result.exit_code == 2
    assert "--since" in result.stderr and "YYYY-MM-DD" in result.stderr
    assert result.stdout == ""


def test_an_unknown_workspace_is_an_error(world: Deps, database_url: str, tmp_path: Path) -> None:
    result = coach(
        "stories", "export", "--workspace", "T0NOPE", database_url=database_url, cwd=tmp_path
    )

    assert result.returncode == 1
    assert "workspace T0NOPE is unknown" in result.stderr
    assert result.stdout == ""


def test_a_workspace_without_stories_gives_only_the_header_or_an_empty_list(
    deps: Deps, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with deps.unit_of_work() as session:
        ensure_workspace(session, workspace_id=WS, now=deps.clock.now())

    as_csv = export(database_url, tmp_path, monkeypatch, "--workspace", WS)
    as_json = export(database_url, tmp_path, monkeypatch, "--workspace", WS, "--format", "json")

    assert (as_csv.exit_code, as_json.exit_code) == (0, 0)
    assert parse_csv(as_csv.stdout) == []
    assert json.loads(as_json.stdout) == []


def test_an_outdated_schema_is_refused(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = export(fresh_database_url, tmp_path, monkeypatch, "--workspace", WS)

    assert result.exit_code == 1
    assert "coach migrate" in result.stderr
    assert result.stdout == ""
