"""`/coach my-data` and `/coach forget-me`: all of one person's data, in one workspace, and nobody
else's."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from coach.store.models import (
    Intention,
    Nudge,
    OutboxMessage,
    Person,
    Story,
    StoryCredit,
    StoryDraft,
    Workspace,
)
from coach_demo.driver import Driver
from slack_standin import payloads
from tests.coaching.conftest import TEAM
from tests.coaching.person_columns import rows_of_person_tables
from tests.coaching.test_stories import slash, values


def coach(world: Driver, user: str, text: str) -> dict[str, Any]:
    """Type `/coach TEXT`; returns the ephemeral answer."""
    return world.coach(user, "C0NOORD", text)


def intend(world: Driver, user: str, when: str, text: str) -> None:
    """Answer the day's nudge."""
    world.at(when)
    nudge = next(m for m in world.dm(user) if "nudge_answer" in json.dumps(m))
    world.click(user, nudge, "nudge_answer")
    view = world.slack.calls_to("views.open")[-1].response["view"]
    world.submit(
        user, view, {"answer": {"answer_text": {"type": "plain_text_input", "value": text}}}
    )


def story(
    world: Driver, user: str, text: str, colleagues: list[str], *, share: bool = True
) -> None:
    world.submit(
        user,
        slash(world, user, ""),
        values(
            text={"story_text": {"value": text}},
            colleagues={"story_colleagues": {"selected_users": colleagues}},
            consent={
                "story_consent": {"selected_option": {"value": "share" if share else "private"}}
            },
        ),
    )


def a_week_of_data(world: Driver) -> None:
    """Anna and Bob each answered a nudge and filed stories crediting each other."""
    world.at("2026-11-23T06:00:00+00:00")
    intend(world, "U0ANNA", "2026-11-23T08:00:00+00:00", "Mevrouw Jansen nabellen")
    intend(world, "U0BOB", "2026-11-23T14:00:00+00:00", "Call Mr Smith back")
    story(world, "U0ANNA", "Anna's verhaal over de lekkage", ["U0BOB"])
    story(world, "U0BOB", "Bob's shared story", ["U0ANNA", "U0KEN"])
    story(world, "U0BOB", "Bob's private story crediting Anna", ["U0ANNA"], share=False)
    story(world, "U0BOB", "Bob's own secret", [], share=False)
    world.passes.deliver()


def another_workspace_knows_anna(world: Driver) -> None:
    now = world.clock.now()
    with world.deps.unit_of_work() as session:
        session.add(Workspace(id="T0OTHER", name="Other", created_at=now))
        session.flush()
        session.add(
            Person(workspace_id="T0OTHER", user_id="U0ANNA", created_at=now, updated_at=now)
        )
        session.add(
            Story(
                workspace_id="T0OTHER",
                author_id="U0ANNA",
                filed_by="U0ANNA",
                text="Verhaal uit een andere werkruimte",
                share=True,
                author_consent="given",
                source="command",
                created_at=now,
                updated_at=now,
            )
        )


def my_file(world: Driver, user: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The DM carrying the data file, and the file's JSON."""
    [message] = [m for m in world.dm(user) if m.get("files")]
    [shared] = message["files"]
    content = world.slack.uploaded_file(shared["id"])
    assert content is not None
    return message, json.loads(content)


def test_my_data_sends_me_a_file_with_everything_about_me_and_nothing_else(world: Driver) -> None:
    a_week_of_data(world)
    another_workspace_knows_anna(world)
    reply = coach(world, "U0ANNA", "mijn-gegevens")
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Ik stuur je alles wat 9+ Coach over je bewaart")
    message, data = my_file(world, "U0ANNA")
    assert message["files"][0]["name"] == "9plus-coach-my-data.json"
    assert message["text"].startswith("Hier is alles wat 9+ Coach in deze werkruimte over je")
    assert (data["workspace"], data["user"]) == (TEAM, "U0ANNA")
    assert data["settings"]["time_zone"] == "Europe/Amsterdam"
    assert [t["team"] for t in data["teams"]] == ["Noord"]
    assert [i["text"] for i in data["intentions"]] == ["Mevrouw Jansen nabellen"]
    assert [n["status"] for n in data["nudges"]] == ["answered"]
    assert [(s["text"], s["credits"]) for s in data["stories"]] == [
        ("Anna's verhaal over de lekkage", ["U0BOB"])
    ]
    assert [(c["author"], c["text"]) for c in data["credited_in"]] == [
        ("U0BOB", "Bob's shared story"),
        ("U0BOB", None),  # a private story stays Bob's: only that it credits Anna is hers
    ]
    assert {m["kind"] for m in data["messages_to_you"]} >= {"nudge", "story_saved", "story_thanks"}
    everything = json.dumps(data, ensure_ascii=False)
    for not_hers in (
        "Call Mr Smith back",
        "Bob's own secret",
        "Bob's private story crediting Anna",
        "Verhaal uit een andere werkruimte",
    ):
        assert not_hers not in everything
    methods = [c.method for c in world.slack.calls if c.method.startswith("files.")]
    assert methods == ["files.getUploadURLExternal", "files.upload", "files.completeUploadExternal"]


def test_my_data_when_nothing_is_stored_says_so(world: Driver) -> None:
    world.slack.add_user(TEAM, "U0EVE", name="eve", real_name="Eve", tz="UTC", locale="en-GB")
    world.at("2026-11-23T06:00:00+00:00")  # Eve is in no team: the coach never met her
    reply = coach(world, "U0EVE", "my-data")
    assert reply["text"] == "9+ Coach bewaart niets over je in deze werkruimte."  # the org's
    assert not [c for c in world.slack.calls if c.method.startswith("files.")]
    assert world.dm("U0EVE") == []


def test_my_data_tells_me_to_try_again_when_the_upload_fails(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    world.slack.fail_next("files.completeUploadExternal", error="internal_error")
    reply = coach(world, "U0BOB", "my-data")
    assert reply["text"].startswith("I'm sending you everything")
    answer = world.slack.calls_to("response_url")[-1]
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"] == (
        "Sending your data did not work out. Please try `/coach my-data` again in a moment."
    )
    assert not [m for m in world.dm("U0BOB") if m.get("files")]


def click_ephemeral(
    world: Driver, user: str, reply: dict[str, Any], action_id: str
) -> tuple[str, bytes]:
    """A click on a button of an ephemeral answer (which only its reader sees)."""
    [actions] = [b for b in reply["blocks"] if b["type"] == "actions"]
    [button] = [e for e in actions["elements"] if e["action_id"] == action_id]
    body = payloads.block_actions(
        team_id=TEAM,
        team_domain="acme",
        user_id=user,
        user_name=user.lower(),
        api_app_id=world.slack.app_id,
        trigger_id=world.slack.new_trigger_id(TEAM, user),
        actions=[
            payloads.button_action(
                action_id=action_id,
                block_id=actions["block_id"],
                value=button["value"],
                text=button["text"]["text"],
                at=world.clock.now(),
            )
        ],
        message={"type": "message", "ts": "1795420800.000100", **reply},
        channel={"id": "C0NOORD", "name": "team-noord"},
        response_url=world.slack.new_response_url(TEAM, "C0NOORD", user),
    )
    return world.post(urlencode({"payload": json.dumps(body)}).encode())


def snapshot(world: Driver) -> dict[str, Any]:
    """Every row of every table that holds a person (found by tests/coaching/person_columns.py's
    rule, so a new table is in it), and the columns the tests below read by name."""
    with world.deps.unit_of_work() as session:
        return {
            "tables": rows_of_person_tables(session),
            "people": sorted(session.scalars(select(Person.user_id))),
            "intentions": sorted(session.scalars(select(Intention.text))),
            "nudges": sorted(
                session.scalars(select(Person.user_id).join(Nudge, Nudge.person_id == Person.id))
            ),
            "stories": sorted(session.scalars(select(Story.text))),
            "filed_by": sorted(session.scalars(select(Story.filed_by))),
            "credits": sorted(
                f"{text}:{user}"
                for text, user in session.execute(
                    select(Story.text, StoryCredit.user_id).join(
                        StoryCredit, StoryCredit.story_id == Story.id
                    )
                )
            ),
            "drafts": sorted(session.scalars(select(StoryDraft.user_id))),
            "outbox": sorted(session.scalars(select(OutboxMessage.channel))),
        }


def test_forget_me_asks_first_and_explains(world: Driver) -> None:
    a_week_of_data(world)
    reply = coach(world, "U0ANNA", "vergeet-mij")
    text = reply["blocks"][0]["text"]["text"]
    assert text.startswith("*Vergeet mij?*")
    assert "je dagelijkse vragen (1) en voornemens (1)" in text
    assert "de 9+ verhalen die je schreef (1), en je naam in verhalen van collega's (2)" in text
    assert "krijg je geen dagelijkse vragen meer" in text and "`/coach resume`" in text
    [actions] = [b for b in reply["blocks"] if b["type"] == "actions"]
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        ("forget_me_yes", "U0ANNA"),
        ("forget_me_cancel", "U0ANNA"),
    ]
    assert "U0ANNA" in snapshot(world)["people"]  # asking deletes nothing


def test_forget_me_deletes_exactly_my_data(world: Driver) -> None:
    a_week_of_data(world)
    before = snapshot(world)
    reply = coach(world, "U0ANNA", "forget-me")
    status, _ = click_ephemeral(world, "U0ANNA", reply, "forget_me_yes")
    assert status.startswith("200")
    after = snapshot(world)
    assert after["people"] == before["people"]  # Anna's row says only: stopped
    assert after["intentions"] == ["Call Mr Smith back"]
    assert after["nudges"] == ["U0BOB"]
    assert after["stories"] == [
        "Bob's own secret",
        "Bob's private story crediting Anna",
        "Bob's shared story",
    ]
    assert after["credits"] == ["Bob's shared story:U0KEN"]
    assert "U0ANNA" not in after["drafts"] and "U0ANNA" in before["drafts"]
    assert "U0ANNA" not in after["outbox"] and "U0BOB" in after["outbox"]
    assert after["filed_by"] == ["U0BOB", "U0BOB", "U0BOB"]
    done = world.slack.calls_to("response_url")[-1]
    assert done.args["replace_original"] is True
    assert done.args["text"].startswith("Klaar: 9+ Coach is alles vergeten")
    assert "geen dagelijkse vragen meer" in done.args["text"]
    coach(world, "U0ANNA", "my-data")  # what is left: that she stopped, the team Slack shows
    _, data = my_file(world, "U0ANNA")
    settings = data["settings"]
    assert (settings["language"], settings["nudge_time"], settings["next_nudge_at"]) == (
        None,
        None,
        None,
    )
    assert settings["paused_until"].startswith("9999-12-31")
    assert [t["team"] for t in data["teams"]] == ["Noord"]
    assert data["intentions"] == data["stories"] == data["credited_in"] == []


def test_after_forget_me_the_questions_stop_until_i_resume(world: Driver) -> None:
    a_week_of_data(world)
    coach(world, "U0ANNA", "language en")
    coach(world, "U0ANNA", "time 08:30")
    click_ephemeral(world, "U0ANNA", coach(world, "U0ANNA", "forget-me"), "forget_me_yes")
    done = world.slack.calls_to("response_url")[-1]
    assert "the daily questions stop" in done.args["text"]  # in her language until then
    assert "`/coach resume`" in done.args["text"]
    nudges = len(world.dm("U0ANNA"))
    for day in ("2026-11-23T21:00:00+00:00", "2026-11-24T08:00:00+00:00"):
        world.at(day)  # the member sync reads the channel again; Tuesday's questions go out
    world.at("2026-11-30T08:00:00+00:00")  # a week later
    assert len(world.dm("U0ANNA")) == nudges  # no question since
    assert any(m.get("blocks") for m in world.dm("U0BOB")[-1:])  # Bob's still come
    coach(world, "U0ANNA", "time 09:00")  # another /coach command does not opt in
    world.at("2026-12-01T08:00:00+00:00")
    assert len(world.dm("U0ANNA")) == nudges
    coach(world, "U0ANNA", "resume")  # this does: the default settings again
    world.at("2026-12-02T08:00:00+00:00")
    assert len(world.dm("U0ANNA")) == nudges + 1
    with world.deps.unit_of_work() as session:
        anna = session.scalars(select(Person).where(Person.user_id == "U0ANNA")).one()
        assert (anna.language, anna.paused_until) == (None, None)


def test_someone_elses_click_forgets_nobody(world: Driver) -> None:
    a_week_of_data(world)
    before = snapshot(world)
    reply = coach(world, "U0ANNA", "forget-me")
    answered = len(world.slack.calls_to("response_url"))  # her question
    click_ephemeral(world, "U0BOB", reply, "forget_me_yes")  # forged: Anna's question, Bob's click
    assert snapshot(world) == before
    assert len(world.slack.calls_to("response_url")) == answered


def test_cancel_keeps_everything(world: Driver) -> None:
    a_week_of_data(world)
    before = snapshot(world)
    click_ephemeral(world, "U0ANNA", coach(world, "U0ANNA", "forget-me"), "forget_me_cancel")
    assert snapshot(world) == before
    answer = world.slack.calls_to("response_url")[-1]
    assert answer.args["text"] == "Er is niets verwijderd."


def test_forgetting_is_per_workspace(world: Driver) -> None:
    a_week_of_data(world)
    another_workspace_knows_anna(world)
    click_ephemeral(world, "U0ANNA", coach(world, "U0ANNA", "forget-me"), "forget_me_yes")
    with world.deps.unit_of_work() as session:
        paused = {  # here only the row that says she stopped; the other workspace untouched
            p.workspace_id: p.paused_until is not None
            for p in session.scalars(select(Person).where(Person.user_id == "U0ANNA"))
        }
        assert paused == {TEAM: True, "T0OTHER": False}
        assert session.scalars(
            select(Story.workspace_id).where(Story.author_id == "U0ANNA")
        ).all() == ["T0OTHER"]


def test_help_lists_my_data_and_forget_me(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    text = json.dumps(coach(world, "U0BOB", "help"))
    assert "/coach my-data" in text and "/coach forget-me" in text


def test_forget_me_leaves_no_copy_of_my_words_in_messages_to_others(world: Driver) -> None:
    from coach.store.models import Celebration, OutboxMessage, Team

    world.at("2026-11-23T06:00:00+00:00")
    story(world, "U0ANNA", "Anna's eigen woorden over mevrouw Jansen", ["U0BOB"])
    world.passes.deliver()  # Bob's thank-you, quoting Anna, is sent
    with world.deps.unit_of_work() as session:
        team = session.scalars(select(Team)).one()
        now = world.clock.now()
        session.add(
            Celebration(
                workspace_id=TEAM,
                team_id=team.id,
                iso_year=2026,
                iso_week=48,
                due_at=now,
                status="previewed",
                note="Anna's persoonlijke notitie",
                lead_action="note",
                lead_action_by="U0ANNA",
                created_at=now,
                updated_at=now,
            )
        )
    click_ephemeral(world, "U0ANNA", coach(world, "U0ANNA", "forget-me"), "forget_me_yes")
    with world.deps.unit_of_work() as session:
        payloads = json.dumps(
            [row.payload for row in session.scalars(select(OutboxMessage))], ensure_ascii=False
        )
        celebration = session.scalars(select(Celebration)).one()
        assert (celebration.note, celebration.lead_action_by) == (None, None)
    assert "Anna's eigen woorden" not in payloads


def test_my_data_includes_catalogue_edits_i_made(world: Driver) -> None:
    from coach.catalog.files import load_catalog_file
    from coach.store.catalog import replace_catalog
    from tests.coaching.conftest import ROOT

    world.at("2026-11-23T06:00:00+00:00")
    catalogue = load_catalog_file(ROOT / "principles_catalog" / "technisch-dienstverlener.yaml")
    smaller = catalogue.model_copy(update={"principles": catalogue.principles[:-1]})
    with world.deps.unit_of_work() as session:  # Anna archives a principle in the editor
        replace_catalog(
            session, workspace_id=TEAM, catalog=smaller, actor="U0ANNA", now=world.clock.now()
        )
    coach(world, "U0ANNA", "my-data")
    _, data = my_file(world, "U0ANNA")
    changes = data["catalogue_changes_you_made"]
    assert [(c["action"], c["principle"]) for c in changes] == [
        ("archived", "oog-voor-mensen-achter-techniek")
    ]


def test_forget_me_finds_my_words_with_quotes_in_them_too(world: Driver) -> None:
    from coach.store.models import OutboxMessage

    world.at("2026-11-23T06:00:00+00:00")
    story(world, "U0ANNA", 'Meneer de Boer zei "top" & belde terug', ["U0BOB"])
    world.passes.deliver()  # Bob's thank-you quotes it
    click_ephemeral(world, "U0ANNA", coach(world, "U0ANNA", "forget-me"), "forget_me_yes")
    with world.deps.unit_of_work() as session:
        payloads = json.dumps(
            [row.payload for row in session.scalars(select(OutboxMessage))], ensure_ascii=False
        )
    assert "top" not in payloads
