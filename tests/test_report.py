"""`coach report`: one self-contained HTML page that opens, renders and prints in a real browser
(Chromium from the system packages, headless), with typed text escaped and small teams' numbers
left out. The screenshot is kept in tests/artefacts/ for a person to look at."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import numpy
import pytest
from click.testing import CliRunner
from PIL import Image

from coach.cli import cli
from coach.deps import Deps
from coach.render import Prompts
from coach.report import report_html
from coach.services.report import organisation_report
from coach.store.memberships import add_member
from coach.store.people import ensure_person
from coach.store.teams import get_team
from tests.test_stories_export import WS, add_story, world  # noqa: F401 - the fixture

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Debian's chromium is a system package: .ci/run installs it and sets COACH_TEST_BROWSER=required,
# so CI never skips this; on a developer's machine without it the browser test says so and skips.
BROWSER_REQUIRED = os.environ.get("COACH_TEST_BROWSER") == "required"
WINDOW = (1200, 1800)


def members(deps: Deps, channel: str, *users: str) -> None:
    with deps.unit_of_work() as session:
        team = get_team(session, workspace_id=WS, channel_id=channel)
        assert team is not None
        for user in users:
            ensure_person(session, workspace_id=WS, user_id=user, now=deps.clock.now())
            add_member(session, team_id=team.id, user_id=user, now=deps.clock.now())


def page(deps: Deps, weeks: int = 12) -> str:
    return report_html(organisation_report(deps, workspace_id=WS, weeks=weeks), Prompts())


def test_the_page_is_self_contained_and_escapes_what_people_typed(world: Deps) -> None:  # noqa: F811
    members(world, "C0NOORD", "U0ANNA", "U0BOB", "U0KEN")
    add_story(world, '<script>alert("9+")</script> & klant blij', credits=("U0BOB",))
    add_story(world, "Vorige maand", at=world.clock.now() - timedelta(weeks=5))
    html = page(world)
    assert (
        "<script>" not in html and "&lt;script&gt;alert(&#34;9+&#34;)&lt;/script&gt; &amp;" in html
    )
    assert not re.search(r"""(src|href)=["'](?!data:)""", html)  # nothing fetched from elsewhere
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 2  # the heat map and team Noord's pyramid
    for data in images:
        assert Image.open(io.BytesIO(base64.b64decode(data))).format == "PNG"
    assert "@media print" in html and "@page" in html
    assert "Noord: Goed geregeld 2" in html  # the heat map's alt text, three members


def test_a_team_of_two_shows_no_numbers_on_the_page(world: Deps) -> None:  # noqa: F811
    members(world, "C0NOORD", "U0ANNA", "U0BOB")
    for n in range(4):
        add_story(world, f"Verhaal {n}")
    html = page(world)
    assert "Noord: te klein om getallen te tonen." in html
    assert "Goed geregeld: 4" not in html and "Goed geregeld 4" not in html
    assert "te weinig om te tellen" in html


def test_the_command_writes_the_page_and_refuses_an_unknown_workspace(
    world: Deps,  # noqa: F811
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "report.html"
    run = CliRunner().invoke(
        cli,
        ["report", "--workspace", WS, "--weeks", "4", "--output", str(output)],
        env={"DATABASE_URL": database_url},
    )
    assert run.exit_code == 0, run.output
    assert "the last 4 weeks" in output.read_text(encoding="utf-8") or "de laatste 4 weken" in (
        output.read_text(encoding="utf-8")
    )
    unknown = CliRunner().invoke(
        cli,
        ["report", "--workspace", "T0UNKNOWN", "--output", str(tmp_path / "x.html")],
        env={"DATABASE_URL": database_url},
    )
    assert unknown.exit_code == 1 and "unknown to this database" in unknown.output
    assert not (tmp_path / "x.html").exists()


def test_the_page_renders_in_headless_chromium(world: Deps, tmp_path: Path) -> None:  # noqa: F811
    if not Path(CHROMIUM).exists() and not BROWSER_REQUIRED:
        pytest.skip("no chromium here (Debian's package; `apt-get install chromium`)")
    members(world, "C0NOORD", "U0ANNA", "U0BOB", "U0KEN")
    add_story(world, "Monteur kwam binnen het uur", credits=("U0BOB", "U0KEN"))
    source = tmp_path / "report.html"
    source.write_text(page(world), encoding="utf-8")
    ARTEFACTS.mkdir(exist_ok=True)
    shot, pdf = ARTEFACTS / "report.png", ARTEFACTS / "report.pdf"
    for old in (shot, pdf):
        old.unlink(missing_ok=True)
    for flag in (f"--screenshot={shot}", f"--print-to-pdf={pdf}"):
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",  # CI runs as root
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--window-size={WINDOW[0]},{WINDOW[1]}",
                f"--user-data-dir={tmp_path / 'profile'}",
                flag,
                source.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
    picture = Image.open(shot).convert("RGB")
    assert picture.size == WINDOW
    pixels = numpy.asarray(picture)
    white = numpy.all(pixels > 245, axis=-1).mean()
    assert white < 0.97  # text and the heat map are there, not a blank page
    green = numpy.all(pixels == [46, 182, 125], axis=-1).sum()
    assert green > 500  # the heat map's and the pyramid's green, drawn from the inlined PNGs
    assert pdf.read_bytes().startswith(b"%PDF") and b"/Type /Page" in pdf.read_bytes()
