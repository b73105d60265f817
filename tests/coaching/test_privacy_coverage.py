"""`/coach my-data` and `/coach forget-me` cover every table that holds a person, found in the
models by one rule (tests/coaching/person_columns.py), so a table or column added later fails
here until coach/store/personal_data.py covers it or it is listed below with its reason.

The scene fills every such column with rows naming Anna, through the app where it can; my-data
must show each, and after forget-me no row may name her, except the columns kept on purpose.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import func, select

from coach.services import catalog_editor
from coach.slack.installs import EncryptedInstallationStore
from coach.store.models import Person, Principle
from coach.store.workspaces import add_admin
from coach_demo.driver import Driver
from slack_standin import payloads
from tests.coaching.admin_steps import make_admin
from tests.coaching.conftest import TEAM, set_leads
from tests.coaching.person_columns import PERSON_COLUMNS, refers_to
from tests.coaching.test_privacy import a_week_of_data, click_ephemeral, coach, my_file
from tests.coaching.test_stories import values

ANNA = "U0ANNA"

# Where my-data shows the rows of each column that holds a person: a key of the JSON file.
EXPORTED_AS = {
    "admins.user_id": "catalogue_admin",
    "catalog_changes.actor": "catalogue_changes_you_made",
    "celebrations.lead_action_by": "celebration_actions",
    "intentions.person_id": "intentions",
    "nudges.person_id": "nudges",
    "outbox.person_id": "messages_to_you",
    "people.user_id": "settings",
    "stories.author_id": "stories",
    "stories.filed_by": "stories",
    "story_credits.user_id": "credited_in",
    "story_drafts.credited_author": "story_forms_opened",
    "story_drafts.user_id": "story_forms_opened",
    "team_leads.user_id": "team_lead_of",
    "team_members.user_id": "teams",
}
# Not in the file, on purpose.
NOT_EXPORTED = {
    "admins.added_by": "who made someone else an admin: part of that admin's record",
    "slack_installations.user_id": "who installed the app: the workspace's install, with tokens",
}
# Still naming the person after forget-me, on purpose (README, "What people can see and delete").
KEPT = {
    "admins.user_id": "a role an admin gave",
    "admins.added_by": "part of another admin's record",
    "team_leads.user_id": "a role an admin gave",
    "team_members.user_id": "read from Slack: the channel's members, synced back anyway",
    "people.user_id": "a row that says only: stopped (no more questions until /coach resume)",
    "catalog_changes.actor": "the shared catalogue's audit log, which the other admins read",
    "slack_installations.user_id": "the workspace's install: deleting it uninstalls the app",
}


def test_every_column_that_holds_a_person_is_covered_or_kept_on_purpose() -> None:
    found = set(PERSON_COLUMNS)
    listed = set(EXPORTED_AS) | set(NOT_EXPORTED)
    assert found - listed == set(), (
        "these columns hold a person: show them in /coach my-data and delete them in forget-me "
        "(coach/store/personal_data.py), then list them in EXPORTED_AS"
    )
    assert listed - found == set() and set(KEPT) - found == set(), "listed, but not in the models"
    assert not set(EXPORTED_AS) & set(NOT_EXPORTED)


def shortcut_on(world: Driver, clicker: str, author: str, text: str) -> dict[str, object]:
    """`clicker` saves `author`'s channel message as a story: the form that opens."""
    message = world.slack.post_as_user("C0NOORD", author, text)
    body = payloads.message_shortcut(
        team_id=TEAM,
        team_domain="acme",
        user_id=clicker,
        user_name=clicker.lower(),
        callback_id="save_9plus_story",
        trigger_id=world.slack.new_trigger_id(TEAM, clicker),
        channel_id="C0NOORD",
        channel_name="team-noord",
        message=message,
        response_url=world.slack.new_response_url(TEAM, "C0NOORD", clicker),
        at=world.clock.now(),
    )
    world.post(urlencode({"payload": json.dumps(body)}).encode())
    return dict(world.slack.calls_to("views.open")[-1].response["view"])


def everyone_knows_anna(world: Driver) -> None:
    """A week in which every column that can name a person names Anna at least once."""
    a_week_of_data(world)  # settings, nudges, intentions, messages, stories, credits, forms
    set_leads(world, ANNA)  # `coach team set --lead`
    make_admin(world, ANNA)  # `coach admin add`
    with world.deps.unit_of_work() as session:  # only `coach admin add` ("cli") sets it today
        add_admin(session, workspace_id=TEAM, user_id="U0BOB", added_by=ANNA, now=world.clock.now())
        first = session.scalars(select(Principle.key).order_by(Principle.position)).first()
    assert first is not None
    catalog_editor.move_principle(
        world.deps, workspace_id=TEAM, user_id=ANNA, key=first, direction="down"
    )
    form = shortcut_on(world, ANNA, "U0BOB", "Bob hielp de klant meteen")  # filed by Anna
    text = form["blocks"][0]["element"]["initial_value"]  # type: ignore[index]
    world.submit(ANNA, form, values(text={"story_text": {"value": text}}))
    shortcut_on(world, "U0BOB", ANNA, "Anna's bericht")  # Bob's open form credits Anna
    EncryptedInstallationStore(
        client_id="111.222", engine=world.deps.engine, key=Fernet.generate_key().decode()
    ).save(Installation(app_id="A0COACH", team_id=TEAM, user_id=ANNA, bot_token="xoxb-1"))
    world.at("2026-11-27T13:00:00+00:00")  # Friday: the celebration preview for the lead
    [preview] = [m for m in world.dm(ANNA) if "Voorproefje" in m["text"]]
    world.click(ANNA, preview, "celebration_note")
    modal = world.slack.calls_to("views.open")[-1].response["view"]
    note = {"note": {"celebration_note_text": {"type": "plain_text_input", "value": "Trots!"}}}
    world.submit(ANNA, modal, note)


def naming_anna(world: Driver, person_id: int | None) -> dict[str, int]:
    """How many rows of each person column name Anna."""
    with world.deps.unit_of_work() as session:
        return {
            name: session.scalar(
                select(func.count())
                .select_from(column.table)
                .where(refers_to(column, user_id=ANNA, person_id=person_id))
            )
            or 0
            for name, column in PERSON_COLUMNS.items()
        }


def test_my_data_shows_and_forget_me_deletes_every_column_that_names_me(world: Driver) -> None:
    everyone_knows_anna(world)
    with world.deps.unit_of_work() as session:
        person_id = session.scalar(select(Person.id).where(Person.user_id == ANNA))
    before = naming_anna(world, person_id)
    assert [name for name, count in before.items() if not count] == [], (
        "the scene leaves these empty: make everyone_knows_anna fill them"
    )

    coach(world, ANNA, "my-data")
    _, data = my_file(world, ANNA)
    assert [name for name, key in EXPORTED_AS.items() if not data[key]] == [], (
        "my-data leaves these out (coach/store/personal_data.py gather, services/privacy.py)"
    )

    click_ephemeral(world, ANNA, coach(world, ANNA, "forget-me"), "forget_me_yes")
    after = naming_anna(world, person_id)
    assert {name: n for name, n in after.items() if n and name not in KEPT} == {}, (
        "forget-me leaves these rows naming the person (coach/store/personal_data.py forget)"
    )
    assert {name: after[name] for name in KEPT} == {name: before[name] for name in KEPT}
