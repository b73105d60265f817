"""The catalogue editor in Slack, end to end over the stand-in: add, edit, move, archive and
restore principles, with the YAML file's rules on every field, an audit entry per change, the
version conflict, refusals for non-admins, and an export that round-trips."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from coach.catalog.files import CatalogFileError, dump_catalog, parse_catalog
from coach.catalog.schema import CatalogSpec
from coach.domain.team_settings import TeamChanges
from coach.render import Prompts
from coach.services.admin_home import admin_home
from coach.slack import ids
from coach.slack.admin_home_blocks import (
    MAX_SECTION_BLOCKS,
    build_admin_section,
    build_browser_modal,
)
from coach.store.catalog import load_catalog, replace_catalog
from coach.store.models import CatalogChange, Principle
from coach.store.teams import set_team
from coach.store.workspaces import add_admin
from coach_demo.driver import Driver
from slack_standin.blockkit import check_view
from tests.coaching.admin_steps import (
    as_shown,
    make_admin,
    opened,
    press,
    show_admin_section,
    snapshot,
)
from tests.coaching.conftest import TEAM

ROW = ids.CATALOG_ROW + ":"


def catalog(world: Driver) -> CatalogSpec:
    with world.deps.unit_of_work() as session:
        found = load_catalog(session, workspace_id=TEAM)
    assert found is not None
    return found


def audit(world: Driver) -> list[tuple[str, str, str]]:
    with world.deps.unit_of_work() as session:
        rows = session.scalars(
            select(CatalogChange).where(CatalogChange.actor != "test").order_by(CatalogChange.id)
        )
        return [(row.actor, row.action, row.subject) for row in rows]


def edit(world: Driver, user: str, key: str) -> dict[str, Any]:
    home = show_admin_section(world, user)
    press(world, user, home, ROW + key, f"edit:{key}")
    view = opened(world)
    assert view["callback_id"] == ids.CATALOG_PRINCIPLE_MODAL
    return view


def submitted(world: Driver, user: str, view: dict[str, Any], **changes: Any) -> Any:
    status, answer = world.submit(user, view, as_shown(view, **changes))
    assert status.startswith("200")
    return json.loads(answer) if answer not in (b"", b"null") else None


def test_an_admin_adds_a_principle_with_its_english_version(world: Driver) -> None:
    make_admin(world, "U0ANNA")
    version = snapshot(world)[1]
    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ids.CATALOG_ADD)
    view = opened(world)
    assert json.loads(view["private_metadata"]) == {"key": None, "version": version}
    answer = submitted(
        world,
        "U0ANNA",
        view,
        ce_level="relational",
        ce_name="Samen sterk",
        ce_customer_voice="Ik wil merken dat jullie samenwerken.",
        ce_hki_question="Hoe kan ik mijn collega vandaag helpen?",
        ce_behaviours="Draag je klus warm over\n\n  Vraag hulp als je vastloopt  ",
        ce_en_name="Stronger together",
        ce_en_customer_voice="I want to notice that you work together.",
        ce_en_hki_question="How can I help a colleague today?",
        ce_en_behaviours="Hand over your job warmly\nAsk for help when you are stuck",
    )
    assert answer is None
    spec = catalog(world)
    keys = [p.id for p in spec.principles]
    # At the end of its level: after the relational ones, before the meaning level.
    assert keys.index("samen-sterk") == keys.index("eerlijk-en-open") + 1
    added = next(p for p in spec.principles if p.id == "samen-sterk")
    assert added.behaviours == ["Draag je klus warm over", "Vraag hulp als je vastloopt"]
    assert added.translations["en"].name == "Stronger together"
    assert snapshot(world)[1] == version + 1
    # One audit entry per principle that changed: the new one, and the two moved down by it.
    assert audit(world) == [
        ("U0ANNA", "created", "samen-sterk"),
        ("U0ANNA", "updated", "partner-voor-de-toekomst"),
        ("U0ANNA", "updated", "oog-voor-mensen-achter-techniek"),
    ]


def test_rule_violations_show_on_their_fields_and_save_nothing(world: Driver) -> None:
    make_admin(world, "U0ANNA")
    view = edit(world, "U0ANNA", "goed-geregeld")
    before = snapshot(world)
    six = (  # English keeps its six examples while the original now has two
        "Hier 6 voorbeelden; er moeten er precies 2 zijn, één per origineel voorbeeld, "
        "in dezelfde volgorde."
    )
    cases = [
        ({"ce_name": "x" * 61}, {"ce_name": "61 tekens; er passen er hooguit 60."}),
        ({"ce_name": "  "}, {"ce_name": "Vul dit in."}),
        (
            {"ce_name": "daadkrachtig"},
            {"ce_name": "Een ander principe heeft al deze naam; geef het een eigen naam."},
        ),
        ({"ce_level": None}, {"ce_level": "Vul dit in."}),
        ({"ce_behaviours": "\n \n"}, {"ce_behaviours": "Vul dit in."}),
        (
            {"ce_behaviours": "Bel na\nbel NA"},
            {"ce_behaviours": "Regel 2 herhaalt een eerder voorbeeld.", "ce_en_behaviours": six},
        ),
        (
            {"ce_behaviours": "Bel na\n" + "y" * 301},
            {"ce_behaviours": "Regel 2: 301 tekens; er passen er hooguit 300."},
        ),
        (
            {"ce_en_hki_question": None},
            {"ce_en_hki_question": "Vul dit in."},
        ),
        (
            {"ce_en_behaviours": "Only one"},
            {
                "ce_en_behaviours": "Hier 1 voorbeeld; er moeten er precies 6 zijn, één per "
                "origineel voorbeeld, in dezelfde volgorde."
            },
        ),
    ]
    for change, errors in cases:
        answer = submitted(world, "U0ANNA", view, **change)
        assert answer == {"response_action": "errors", "errors": errors}, change
    assert snapshot(world) == before
    assert audit(world) == []


def test_the_editor_and_the_yaml_file_share_one_rule_set(world: Driver) -> None:
    """What the modal refuses, `coach catalog validate` refuses too, on the same field."""
    make_admin(world, "U0ANNA")
    view = edit(world, "U0ANNA", "goed-geregeld")
    answer = submitted(world, "U0ANNA", view, ce_en_behaviours="Only one")
    assert list(answer["errors"]) == ["ce_en_behaviours"]
    spec = catalog(world).model_dump(mode="json", by_alias=True)
    spec["principles"][0]["translations"]["en"]["behaviours"] = ["Only one"]
    yaml_text = dump_catalog(CatalogSpec.model_validate(spec)).encode()
    with pytest.raises(CatalogFileError) as error:
        parse_catalog(yaml_text, "catalog.yaml")
    assert [p.field for p in error.value.problems] == ["principles[0].translations.en.behaviours"]


def test_an_edit_in_slack_exports_to_yaml_that_imports_back_unchanged(world: Driver) -> None:
    make_admin(world, "U0ANNA")
    view = edit(world, "U0ANNA", "daadkrachtig")
    en = next(p for p in catalog(world).principles if p.id == "daadkrachtig").translations["en"]
    answer = submitted(
        world,
        "U0ANNA",
        view,
        ce_customer_voice="Als er iets misgaat, wil ik dat het snel & goed wordt opgelost.\n"
        "Zonder gedoe.",
        ce_behaviours="Pak het meteen op\nHoud de klant op de hoogte",
        ce_en_behaviours="Pick it up at once\nKeep the customer posted",
        ce_en_name=en.name + " <!channel>",
    )
    assert answer is None
    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ROW + "daadkrachtig", "up:daadkrachtig")
    edited = catalog(world)
    assert [p.id for p in edited.principles][:2] == ["daadkrachtig", "goed-geregeld"]
    exported = dump_catalog(edited)
    assert parse_catalog(exported.encode(), "export.yaml") == edited
    with world.deps.unit_of_work() as session:
        diff = replace_catalog(
            session,
            workspace_id=TEAM,
            catalog=parse_catalog(exported.encode(), "export.yaml"),
            actor="cli",
            now=world.clock.now(),
        )
    assert not diff.changed
    assert "Zonder gedoe." in exported and "Keep the customer posted" in exported


def test_two_admins_editing_the_same_principle_the_later_one_is_told_to_reload(
    world: Driver,
) -> None:
    world.at("2026-11-23T06:00:00+00:00")  # their profiles (and languages) are known
    make_admin(world, "U0ANNA")
    make_admin(world, "U0BOB")
    anna = edit(world, "U0ANNA", "goed-geregeld")
    bob = edit(world, "U0BOB", "goed-geregeld")
    assert submitted(world, "U0ANNA", anna, ce_name="Goed geregeld!") is None
    answer = submitted(world, "U0BOB", bob, ce_name="Well arranged")
    assert answer == {
        "response_action": "errors",
        "errors": {
            "ce_name": "Someone else changed the catalogue since you opened this, so nothing was "
            "saved. Close this and open it again to see the latest version."
        },
    }
    assert catalog(world).principles[0].name == "Goed geregeld!"
    assert audit(world) == [("U0ANNA", "updated", "goed-geregeld")]
    # Reopened, Bob sees Anna's change and can save his own.
    bob = edit(world, "U0BOB", "goed-geregeld")
    assert bob["blocks"][2]["element"]["initial_value"] == "Goed geregeld!"
    assert submitted(world, "U0BOB", bob, ce_name="Goed geregeld") is None


def test_move_archive_and_restore_with_an_audit_entry_for_each(world: Driver) -> None:
    make_admin(world, "U0ANNA")
    home = show_admin_section(world, "U0ANNA")
    row = next(b for b in home["blocks"] if b.get("block_id") == "admin_p_goed-geregeld")
    assert [o["value"] for o in row["accessory"]["options"]] == [
        "edit:goed-geregeld",
        "down:goed-geregeld",
        "archive:goed-geregeld",
    ]
    press(world, "U0ANNA", home, ROW + "goed-geregeld", "down:goed-geregeld")
    assert [p.id for p in catalog(world).principles][:3] == [
        "daadkrachtig",
        "goed-geregeld",
        "passie-voor-techniek",
    ]
    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ROW + "oprecht-betrokken", "archive:oprecht-betrokken")
    confirm = opened(world)
    assert confirm["callback_id"] == ids.CATALOG_ARCHIVE_MODAL
    assert "*Oprecht betrokken* archiveren?" in confirm["blocks"][0]["text"]["text"]
    assert submitted(world, "U0ANNA", confirm) is None
    assert "oprecht-betrokken" not in [p.id for p in catalog(world).principles]
    home = show_admin_section(world, "U0ANNA")
    archived = next(b for b in home["blocks"] if b.get("block_id") == "admin_p_oprecht-betrokken")
    assert archived["accessory"]["value"] == "restore:oprecht-betrokken"
    press(world, "U0ANNA", home, ROW + "oprecht-betrokken")
    keys = [p.id for p in catalog(world).principles]
    assert keys.index("oprecht-betrokken") == keys.index("eerlijk-en-open") + 1
    assert audit(world) == [
        ("U0ANNA", "updated", "daadkrachtig"),  # the swap: both moved
        ("U0ANNA", "updated", "goed-geregeld"),
        ("U0ANNA", "updated", "eerlijk-en-open"),  # archiving: those behind it move up
        ("U0ANNA", "updated", "partner-voor-de-toekomst"),
        ("U0ANNA", "updated", "oog-voor-mensen-achter-techniek"),
        ("U0ANNA", "archived", "oprecht-betrokken"),
        ("U0ANNA", "restored", "oprecht-betrokken"),  # back at the end of its level
        ("U0ANNA", "updated", "partner-voor-de-toekomst"),
        ("U0ANNA", "updated", "oog-voor-mensen-achter-techniek"),
    ]
    # The Home tab was refreshed after each change, and shows the catalogue as it is now.
    assert len(world.slack.calls_to("views.publish")) >= 6
    home_now = json.dumps(world.slack.home_view(TEAM, "U0ANNA"), ensure_ascii=False)
    assert "*Oprecht betrokken*" in home_now and "~Oprecht betrokken~" not in home_now


def test_the_last_active_principle_cannot_be_archived(world: Driver) -> None:
    make_admin(world, "U0ANNA")
    spec = catalog(world).model_dump(mode="json", by_alias=True)
    spec["principles"] = spec["principles"][:1]
    with world.deps.unit_of_work() as session:
        replace_catalog(
            session,
            workspace_id=TEAM,
            catalog=CatalogSpec.model_validate(spec),
            actor="test",
            now=world.clock.now(),
        )
    before = snapshot(world)
    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ROW + "goed-geregeld", "archive:goed-geregeld")
    _, answer = world.submit("U0ANNA", opened(world), {})
    update = json.loads(answer)
    assert update["response_action"] == "update"
    assert update["view"]["blocks"][0]["text"]["text"].startswith(
        "De catalogus heeft minstens één actief principe nodig"
    )
    assert snapshot(world) == before


def test_restoring_a_principle_whose_name_was_taken_meanwhile_is_refused(world: Driver) -> None:
    make_admin(world, "U0ANNA")
    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ROW + "daadkrachtig", "archive:daadkrachtig")
    world.submit("U0ANNA", opened(world), {})
    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ROW + "goed-geregeld", "edit:goed-geregeld")
    submitted(world, "U0ANNA", opened(world), ce_name="Daadkrachtig")
    before = snapshot(world)
    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ROW + "daadkrachtig")
    notice = opened(world)
    assert notice["blocks"][0]["text"]["text"].startswith("Een ander principe heeft al deze naam")
    assert snapshot(world) == before


def test_admins_see_who_changed_what_and_when(world: Driver) -> None:
    make_admin(world, "U0ANNA")
    submitted(world, "U0ANNA", edit(world, "U0ANNA", "goed-geregeld"), ce_name="Goed geregeld!")
    home = show_admin_section(world, "U0ANNA")
    latest = next(
        b["elements"][0]["text"]
        for b in home["blocks"]
        if b["type"] == "context" and "Laatste wijziging" in b["elements"][0]["text"]
    )
    assert "<@U0ANNA>" in latest and "wijzigde *Goed geregeld!* (naam)" in latest
    press(world, "U0ANNA", home, ids.CATALOG_CHANGES)
    changes = opened(world)
    lines = [b["text"]["text"] for b in changes["blocks"]]
    assert len(lines) == 10  # the edit, and the latest nine of the first import
    assert lines[0].startswith("<@U0ANNA> · <!date^")
    assert "wijzigde *Goed geregeld!* (naam) · versie 2" in lines[0]
    assert any(line.startswith("test · ") and "voegde *Daadkrachtig* toe" in line for line in lines)


def test_slack_workspace_admins_may_edit_too(world: Driver) -> None:
    world.slack.add_user(TEAM, "U0OWEN", name="owen", real_name="Owen", is_admin=True)
    world.slack.add_channel(TEAM, "C0ADMIN", name="admins", members=["U0OWEN", "U0BOTACME"])
    with world.deps.unit_of_work() as session:
        set_team(
            session,
            workspace_id=TEAM,
            channel_id="C0ADMIN",
            changes=TeamChanges(name="Admins"),
            now=world.clock.now(),
        )
    world.at("2026-11-23T06:00:00+00:00")  # the member sync reads the admin flag
    submitted(world, "U0OWEN", edit(world, "U0OWEN", "goed-geregeld"), ce_name="Goed geregeld!")
    assert catalog(world).principles[0].name == "Goed geregeld!"


def test_forged_editor_actions_from_a_non_admin_change_nothing(
    world: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    make_admin(world, "U0ANNA")
    anna_edit = edit(world, "U0ANNA", "goed-geregeld")
    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ROW + "daadkrachtig", "archive:daadkrachtig")
    anna_archive = opened(world)
    before, opened_before = snapshot(world), len(world.slack.calls_to("views.open"))
    caplog.set_level(logging.WARNING, logger="coach.services.roles")
    ken_home = show_admin_section(world, "U0KEN")  # as if Ken had the buttons
    press(world, "U0KEN", ken_home, ids.CATALOG_ADD)
    press(world, "U0KEN", ken_home, ids.CATALOG_CHANGES)
    press(world, "U0KEN", ken_home, ROW + "goed-geregeld", "edit:goed-geregeld")
    press(world, "U0KEN", ken_home, ROW + "goed-geregeld", "down:goed-geregeld")
    press(world, "U0KEN", ken_home, ROW + "daadkrachtig", "archive:daadkrachtig")
    assert submitted(world, "U0KEN", anna_edit, ce_name="Gehackt") is None
    assert submitted(world, "U0KEN", anna_archive) is None
    assert snapshot(world) == before
    assert len(world.slack.calls_to("views.open")) == opened_before
    refusals = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(refusals) == 7
    assert all("by U0KEN" in r and "not an admin" in r for r in refusals)


def test_a_sixty_principle_catalogue_fits_the_home_tab_and_pages_in_the_browser(
    world: Driver,
) -> None:
    make_admin(world, "U0ANNA")
    base = catalog(world).principles[0].model_dump(mode="json")
    levels = ("operational", "relational", "meaning")
    original = catalog(world).model_dump(mode="json", by_alias=True)
    big = catalog(world).model_dump(mode="json", by_alias=True)
    big["principles"] = [
        {**base, "id": f"p{n:02d}", "name": f"Principe {n}", "level": levels[n % 3]}
        for n in range(70)
    ]
    with world.deps.unit_of_work() as session:
        replace_catalog(
            session,
            workspace_id=TEAM,
            catalog=CatalogSpec.model_validate(big),
            actor="test",
            now=world.clock.now(),
        )
        big["principles"] = big["principles"][:60]  # and ten archived
        replace_catalog(
            session,
            workspace_id=TEAM,
            catalog=CatalogSpec.model_validate(big),
            actor="test",
            now=world.clock.now(),
        )
        for n in range(14):
            set_team(
                session,
                workspace_id=TEAM,
                channel_id=f"C0T{n:02d}",
                changes=TeamChanges(name=f"Team {n}", leads=("U0ANNA", "U0BOB")),
                now=world.clock.now(),
            )
        for n in range(20):  # and many admins, each with a Remove button
            add_admin(
                session,
                workspace_id=TEAM,
                user_id=f"U0A{n:02d}",
                added_by="cli",
                now=world.clock.now(),
            )
        home = admin_home(session, workspace_id=TEAM, language="en", viewer="U0ANNA")
        assert session.query(Principle).count() == 77
    blocks = build_admin_section(home, Prompts(), "en")
    assert len(blocks) <= MAX_SECTION_BLOCKS
    assert blocks[-1]["block_id"] == "admin_retention"  # nothing was cut off the end
    assert sum(b.get("block_id", "").startswith("admin_a_") for b in blocks) == 6
    view = show_admin_section(world, "U0ANNA", "en")  # the stand-in checks Slack's limits
    assert len(view["blocks"]) == len(blocks)
    # The browser pages through every principle, archived ones included, each exactly once.
    seen: list[str] = []
    press(world, "U0ANNA", view, ids.CATALOG_BROWSE + ":principles")
    page = opened(world)
    while True:
        assert check_view(page) == []
        seen += [
            b["block_id"].removeprefix("admin_p_")
            for b in page["blocks"]
            if b.get("block_id", "").startswith("admin_p_")
        ]
        if not any(
            e.get("action_id") == ids.CATALOG_BROWSE_NEXT
            for b in page["blocks"]
            for e in b.get("elements", [])
        ):
            break
        press(world, "U0ANNA", page, ids.CATALOG_BROWSE_NEXT)
        page = {**world.slack.calls_to("views.update")[-1].response["view"]}
    originals = [p.id for p in CatalogSpec.model_validate(original).principles]
    assert sorted(seen) == sorted([f"p{n:02d}" for n in range(70)] + originals)
    teams = build_browser_modal(home, "teams", 0, Prompts(), "en")
    assert check_view(teams) == [] and len(home.teams) == 15


def test_an_edit_from_the_browser_is_pushed_on_it_and_refreshes_it(world: Driver) -> None:
    make_admin(world, "U0ANNA")
    base = catalog(world).principles[0].model_dump(mode="json")
    large = catalog(world).model_dump(mode="json", by_alias=True)
    large["principles"] = [{**base, "id": f"p{n:02d}", "name": f"P {n}"} for n in range(25)]
    with world.deps.unit_of_work() as session:
        replace_catalog(
            session,
            workspace_id=TEAM,
            catalog=CatalogSpec.model_validate(large),
            actor="test",
            now=world.clock.now(),
        )
    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ids.CATALOG_BROWSE + ":principles")
    browser = opened(world)
    assert browser["callback_id"] == ids.CATALOG_BROWSER_MODAL
    press(world, "U0ANNA", browser, ROW + "p22", "edit:p22")
    pushed = opened(world, "views.push")
    meta = json.loads(pushed["private_metadata"])
    assert meta["browser"] == browser["id"] and meta["kind"] == "principles"
    assert submitted(world, "U0ANNA", pushed, ce_name="P 22!") is None
    refreshed = world.slack.view(browser["id"])
    assert refreshed is not None
    rows = {b.get("block_id"): b["text"]["text"] for b in refreshed["blocks"] if "text" in b}
    assert rows["admin_p_p22"].startswith("*P 22!*")


def test_a_full_catalogue_takes_no_more_principles(world: Driver) -> None:
    make_admin(world, "U0ANNA")
    base = catalog(world).principles[0].model_dump(mode="json")
    full = catalog(world).model_dump(mode="json", by_alias=True)
    full["principles"] = [{**base, "id": f"p{n}", "name": f"P {n}"} for n in range(100)]
    with world.deps.unit_of_work() as session:
        replace_catalog(
            session,
            workspace_id=TEAM,
            catalog=CatalogSpec.model_validate(full),
            actor="test",
            now=world.clock.now(),
        )
    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ids.CATALOG_ADD)
    view = opened(world)
    answer = submitted(
        world,
        "U0ANNA",
        view,
        ce_level="meaning",
        ce_name="Nog eentje",
        ce_customer_voice="x",
        ce_hki_question="y",
        ce_behaviours="z",
    )
    assert answer == {
        "response_action": "errors",
        "errors": {
            "ce_name": "De catalogus is vol: hooguit 100 actieve principes. Archiveer er eerst een."
        },
    }


def form_principles(world: Driver, user: str) -> dict[str, str]:
    """The principles the story form (`/9plus`) offers `user` now: key -> name."""
    fields = world.slack.slash_command(
        TEAM, user_id=user, channel_id="C0NOORD", command="/9plus", text=""
    )
    status, _ = world.post(urlencode(fields).encode())
    assert status.startswith("200")
    view = world.slack.calls_to("views.open")[-1].response["view"]
    [select_] = [
        block["element"] for block in view["blocks"] if "option_groups" in block.get("element", {})
    ]
    return {
        option["value"]: option["text"]["text"]
        for group in select_["option_groups"]
        for option in group["options"]
    }


def test_the_story_form_offers_the_catalogue_as_edited_a_moment_ago(world: Driver) -> None:
    """The form keeps its principles per catalogue version: an edit in Slack, an archive and a
    YAML import (as `coach catalog import` makes it, from another process) each show in the
    very next form."""
    make_admin(world, "U0ANNA")
    assert form_principles(world, "U0ANNA")["goed-geregeld"] == as_named(world, "goed-geregeld")
    submitted(world, "U0ANNA", edit(world, "U0ANNA", "goed-geregeld"), ce_name="Tot in de puntjes")
    assert form_principles(world, "U0ANNA")["goed-geregeld"] == "Tot in de puntjes"

    home = show_admin_section(world, "U0ANNA")
    press(world, "U0ANNA", home, ROW + "goed-geregeld", "archive:goed-geregeld")
    assert submitted(world, "U0ANNA", opened(world)) is None
    assert "goed-geregeld" not in form_principles(world, "U0ANNA")

    spec = catalog(world)
    renamed = [
        p.model_copy(update={"name": "Daadkracht!"}) if p.id == "daadkrachtig" else p
        for p in spec.principles
    ]
    with world.deps.unit_of_work() as session:
        replace_catalog(
            session,
            workspace_id=TEAM,
            catalog=spec.model_copy(update={"principles": renamed}),
            actor="cli",
            now=world.clock.now(),
        )
    assert form_principles(world, "U0ANNA")["daadkrachtig"] == "Daadkracht!"


def as_named(world: Driver, key: str) -> str:
    return next(p.name for p in catalog(world).principles if p.id == key)
