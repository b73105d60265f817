"""Every field of `/coach my-data`'s file, as the person receives it: a change to how the export
is read or built (it grows with the person's years of use, so it is kept cheap) must not change
what they get."""

from __future__ import annotations

from typing import Any

from coach_demo.driver import Driver
from tests.coaching.test_privacy import coach, my_file
from tests.coaching.test_privacy_coverage import everyone_knows_anna

# Anna after a week in which every column that can name a person names her (the coverage test's
# scene): her settings, roles, nudge and intention, the stories she wrote or filed (with whom
# they credit), the stories crediting her (a private one without its text), her story forms, the
# messages to her (one dropped, never sent), her celebration note and her catalogue edits.
EXPECTED: dict[str, Any] = {
    "export": {"version": 1, "at": "2026-11-27T13:00:00+00:00"},
    "workspace": "T0ACME",
    "user": "U0ANNA",
    "settings": {
        "language": None,
        "nudge_time": None,
        "weekdays": None,
        "rhythm": None,
        "nudges_without_reaction": 0,
        "asked_about_rhythm_at": None,
        "weekly_until_you_react": False,
        "paused_until": None,
        "time_zone": "Europe/Amsterdam",
        "locale": "nl-NL",
        "next_nudge_at": "2026-11-30T08:00:00+00:00",
        "unreachable": None,
        "workspace_admin_in_slack": False,
        "first_seen": "2026-11-23T06:00:00+00:00",
        "updated": "2026-11-27T13:00:00+00:00",
    },
    "catalogue_admin": {"added_by": "test", "added_at": "2026-11-23T14:00:00+00:00"},
    "teams": [{"team": "Noord", "channel": "C0NOORD", "joined_at": "2026-11-23T06:00:00+00:00"}],
    "team_lead_of": [{"team": "Noord", "channel": "C0NOORD"}],
    "nudges": [
        {"date": "2026-11-23", "principle": "Goed geregeld", "status": "answered", "language": "nl"}
    ],
    "intentions": [
        {
            "text": "Mevrouw Jansen nabellen",
            "outcome": None,
            "at": "2026-11-23T08:00:00+00:00",
            "outcome_at": None,
        }
    ],
    "stories": [
        {
            "id": 1,
            "text": "Anna's verhaal over de lekkage",
            "principle": "Goed geregeld",
            "team": "Noord",
            "author": "U0ANNA",
            "filed_by": "U0ANNA",
            "for_team": False,
            "credits": ["U0BOB"],
            "share": True,
            "author_consent": "given",
            "source": "command",
            "created_at": "2026-11-23T14:00:00+00:00",
            "updated_at": "2026-11-23T14:00:00+00:00",
            "celebrated_at": None,
        },
        {
            "id": 5,
            "text": "Bob hielp de klant meteen",
            "principle": "Goed geregeld",
            "team": "Noord",
            "author": "U0BOB",
            "filed_by": "U0ANNA",
            "for_team": False,
            "credits": [],
            "share": True,
            "author_consent": "pending",
            "source": "message",
            "created_at": "2026-11-23T14:00:00+00:00",
            "updated_at": "2026-11-23T14:00:00+00:00",
            "celebrated_at": None,
        },
    ],
    "credited_in": [
        {
            "story": 2,
            "author": "U0BOB",
            "principle": "Goed geregeld",
            "at": "2026-11-23T14:00:00+00:00",
            "text": "Bob's shared story",
        },
        {
            "story": 3,
            "author": "U0BOB",
            "principle": "Goed geregeld",
            "at": "2026-11-23T14:00:00+00:00",
            "text": None,
        },
    ],
    "story_forms_opened": [
        {"source": "command", "at": "2026-11-23T14:00:00+00:00", "story": 1, "edits": None},
        {"source": "message", "at": "2026-11-23T14:00:00+00:00", "story": 5, "edits": None},
        {"source": "message", "at": "2026-11-23T14:00:00+00:00", "story": None, "edits": None},
    ],
    "messages_to_you": [
        {
            "kind": "nudge",
            "status": "sent",
            "queued_at": "2026-11-23T08:00:00+00:00",
            "sent_at": "2026-11-23T08:00:00+00:00",
        },
        {
            "kind": "story_saved",
            "status": "sent",
            "queued_at": "2026-11-23T14:00:00+00:00",
            "sent_at": "2026-11-23T14:00:00+00:00",
        },
        {
            "kind": "story_thanks",
            "status": "sent",
            "queued_at": "2026-11-23T14:00:00+00:00",
            "sent_at": "2026-11-23T14:00:00+00:00",
        },
        {
            "kind": "story_saved",
            "status": "dropped",
            "queued_at": "2026-11-23T14:00:00+00:00",
            "sent_at": None,
        },
        {
            "kind": "celeb_preview",
            "status": "sent",
            "queued_at": "2026-11-27T13:00:00+00:00",
            "sent_at": "2026-11-27T13:00:00+00:00",
        },
    ],
    "celebration_actions": [
        {
            "team": "Noord",
            "week": "2026-W48",
            "action": "note",
            "at": "2026-11-27T13:00:00+00:00",
            "note": "Trots!",
        }
    ],
    "catalogue_changes_you_made": [
        {"at": "2026-11-23T14:00:00+00:00", "action": "updated", "principle": "daadkrachtig"},
        {"at": "2026-11-23T14:00:00+00:00", "action": "updated", "principle": "goed-geregeld"},
    ],
    "team_pulse_answered_in": [],
}


def test_my_data_file_holds_every_field_of_mine_and_nothing_else(world: Driver) -> None:
    everyone_knows_anna(world)
    coach(world, "U0ANNA", "my-data")
    _, data = my_file(world, "U0ANNA")
    assert list(data) == list(EXPECTED)  # the sections, in the file's order
    for section, expected in EXPECTED.items():
        assert data[section] == expected, section
