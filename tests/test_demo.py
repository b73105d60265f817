"""`coach demo`: a week in the life of a team, played against the built-in Slack stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach_demo.week import play_week

ROOT = Path(__file__).resolve().parents[1]


def test_the_demo_week_ends_with_a_dutch_celebration_of_the_shared_stories() -> None:
    lines: list[str] = []
    play_week(lines.append)
    transcript = "\n".join(lines)
    celebration = transcript.split("de viering in #team-service-noord")[1]
    celebration = celebration.split("Een week later: de teampuls.")[0]  # the week's, not after
    assert "9+ verhalen van week 48: Service Noord" in celebration
    assert "Van je teamleider:_ Wat een week, team." in celebration
    assert "Mevrouw Peters was verrast" in celebration and "— @Anna, samen met @Bram" in celebration
    assert "Meneer de Boer" in celebration and "— @Fatima, samen met @Joost" in celebration
    assert "warmtepomp" not in celebration  # Joost kept his story private
    assert "*Goed geregeld* · 1 verhaal" in celebration
    assert "collega's" not in celebration  # two of four answered: too few to count
    assert "Volgende week in de focus" in celebration


def test_the_demo_shows_what_each_person_saw_and_did() -> None:
    lines: list[str] = []
    play_week(lines.append)
    transcript = "\n".join(lines)
    for day in ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"):
        assert day in transcript
    assert "Jouw HKI-vraag voor vandaag" in transcript
    assert "Eerder nam je je voor: _Ik bel mevrouw Peters na" in transcript  # the follow-up
    assert "Dank je! @Anna noemde jou in een 9+ verhaal" in transcript  # Bram's thank-you
    assert "Voorproefje" in transcript  # the lead's preview


def english_week() -> str:
    result = CliRunner().invoke(cli, ["demo", "--language", "en"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_english_demo_plays_the_same_week_with_the_english_catalogue() -> None:
    transcript = english_week()
    assert transcript.startswith(
        "9+ Coach demo: a work week of team Service North (Example Service Co.)"
    )
    for day in ("Monday 23 Nov", "Tuesday", "Wednesday", "Thursday", "Friday 27 Nov"):
        assert day in transcript
    assert "Your HKI question for today" in transcript
    assert "Anna, Bram, Fatima and Joost see:" in transcript
    assert "Earlier you planned: _I'll call Mrs Peters back" in transcript  # the follow-up
    assert "Thank you! @Anna mentioned you in a 9+ story" in transcript  # Bram's thank-you
    assert "*Preview*" in transcript
    celebration = transcript.split("the celebration in #team-service-north")[1]
    celebration = celebration.split("A week later: the team pulse.")[0]
    assert "9+ stories of week 48: Service North" in celebration
    assert "_From your team lead:_ What a week, team." in celebration
    assert "*Right first time* · 1 story" in celebration
    assert (
        "Mrs Peters was surprised" in celebration and "— @Anna, together with @Bram" in celebration
    )
    assert "Mr de Boer" in celebration and "— @Fatima, together with @Joost" in celebration
    assert "heat pump" not in celebration  # Joost kept his story private
    assert "In focus next week" in celebration
    dutch = ("maandag", "verhaal", "ziet", "collega", "Volgende", "Eerder", "Jouw")
    assert [word for word in dutch if word in transcript] == []


def test_the_demo_plays_only_dutch_or_english() -> None:
    result = CliRunner().invoke(cli, ["demo", "--language", "de"])
    assert result.exit_code == 2 and "'de' is not one of 'nl', 'en'" in result.output


def test_coach_demo_runs_without_slack_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL", "SLACK_API_URL"):
        monkeypatch.setenv(name, "nonsense that would fail validation")
    # An operator's shell with a real OAuth install configured.
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "secret")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A1-1-abc")
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert "de viering in #team-service-noord" in result.output


@pytest.mark.parametrize(
    ("language", "marker", "heading"),
    [
        ("nl", "The demo's Friday ends with", "de viering in #team-service-noord\n"),
        ("en", "`coach demo --language en` ends with", "the celebration in #team-service-north\n"),
    ],
)
def test_the_readme_shows_the_celebration_the_demo_ends_with(
    language: str, marker: str, heading: str
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split(marker)[1].split("```text\n")[1].split("```")[0]
    lines: list[str] = []
    play_week(lines.append, language)
    celebration = "\n".join(lines).split(heading)[1]
    posted = "\n".join(
        line.removeprefix("  ") for line in celebration.splitlines()[: len(shown.splitlines())]
    )
    assert shown.strip() == posted.strip()


def test_the_demo_shows_the_light_nudge_and_a_rhythm_of_ones_own() -> None:
    transcript = english_week()
    monday, tuesday = transcript.split("\nTuesday 24 Nov")[0], transcript.split("\nTuesday")[1]
    assert "In the customer's words:" in monday  # the week's first nudge: the voice in full
    assert "In the customer's words:" not in tuesday  # short ones after it
    assert "Your HKI question will now only come on Monday and Wednesday" in monday
    thursday = transcript.split("\nThursday 26 Nov")[1].split("\nFriday")[0]
    assert "Anna, Bram and Fatima see:" in thursday and "Joost sees:\n    This week" not in thursday
    wednesday = transcript.split("\nWednesday 25 Nov")[1].split("\nThursday")[0]
    assert "Joost sees:\n    This week:" in wednesday


@pytest.mark.parametrize(
    ("language", "asked", "result", "line"),
    [
        (
            "nl",
            "Anna, Bram, Fatima, Joost en Lotte zien:\n    *Teampuls van december* · Service Noord",
            "dec 2026: eNPS +40 (5 antwoorden)",
            "📊 Onze teampuls van december: eNPS +40, uit 5 anonieme antwoorden. _Hoe kunnen we_",
        ),
        (
            "en",
            "Anna, Bram, Fatima, Joost and Lotte see:\n    *Team pulse of December* · Service North",
            "Dec 2026: eNPS +40 (5 answers)",
            "📊 Our team pulse of December: eNPS +40, from 5 anonymous answers. _How can we_",
        ),
    ],
)
def test_the_demo_shows_one_pulse_month(language: str, asked: str, result: str, line: str) -> None:
    lines: list[str] = []
    play_week(lines.append, language)
    transcript = "\n".join(lines)
    pulse = transcript.split("\n\n")[-5:]  # the epilogue, after the week's celebration
    assert asked in pulse[1] and "forget-me" in pulse[1]
    assert result in pulse[2] and line in pulse[3]
