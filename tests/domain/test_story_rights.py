"""Who may change a story, and `/coach my-data` / `forget-me` as typed."""

from __future__ import annotations

import pytest

from coach.domain import coach_command as cmd
from coach.domain.story_rights import may_change


@pytest.mark.parametrize(
    ("change", "user", "celebrated", "verdict"),
    [
        ("edit", "U0ANNA", False, "ok"),  # the author
        ("edit", "U0LEAD", False, "ok"),  # who filed it
        ("edit", "U0BOB", False, "not_yours"),
        ("edit", "U0ANNA", True, "celebrated"),
        ("delete", "U0ANNA", True, "ok"),  # taking one's story back is always allowed
        ("delete", "U0LEAD", True, "ok"),
        ("delete", "U0BOB", False, "not_yours"),
        ("delete", "U0BOB", True, "not_yours"),
    ],
)
def test_may_change(change: str, user: str, celebrated: bool, verdict: str) -> None:
    assert (
        may_change(
            change,  # type: ignore[arg-type]
            user_id=user,
            author_id="U0ANNA",
            filed_by="U0LEAD",
            celebrated=celebrated,
        )
        == verdict
    )


def test_privacy_commands_in_both_languages() -> None:
    for text in ("my-data", "MIJN-GEGEVENS", " mydata "):
        assert cmd.parse_coach_command(text) == cmd.MyData()
    for text in ("forget-me", "vergeet-mij", "Vergeet-me"):
        assert cmd.parse_coach_command(text) == cmd.ForgetMe()
    assert isinstance(cmd.parse_coach_command("forget-me U0BOB"), cmd.Unknown)


def test_the_story_wall_command_in_both_languages() -> None:
    assert cmd.parse_coach_command("wall") == cmd.Wall(screen=False)
    assert cmd.parse_coach_command("Muur") == cmd.Wall(screen=False)
    assert cmd.parse_coach_command("wall screen") == cmd.Wall(screen=True)
    assert cmd.parse_coach_command("muur scherm") == cmd.Wall(screen=True)
    assert isinstance(cmd.parse_coach_command("wall C0OTHER"), cmd.Unknown)
