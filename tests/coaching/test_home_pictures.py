"""The lead's pyramid on the App Home: uploaded once into the lead's DM, shown from that file."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from coach.store.models import PictureFile
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM, add_story, set_leads


def images(view: dict[str, Any] | None) -> list[dict[str, Any]]:
    assert view is not None
    return [b for b in view["blocks"] if b["type"] == "image"]


def uploads(world: Driver) -> list[str]:
    """The files the bot finished uploading, in order."""
    calls = world.slack.calls_to("files.completeUploadExternal")
    return [str(c.response["files"][0]["id"]) for c in calls if c.ok]


def test_a_lead_sees_the_team_s_pyramid_shared_in_their_own_dm(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    world.at("2026-11-23T08:00:00+00:00")
    add_story(world, "Een mooi verhaal")
    view = world.open_home("U0ANNA")
    (image,) = images(view)
    (file_id,) = uploads(world)
    assert image["slack_file"] == {"id": file_id}
    assert image["alt_text"].startswith("Noord: onze piramide.")
    assert "Goed geregeld: 1 verhaal" in image["alt_text"]
    png = world.slack.uploaded_file(file_id)
    assert png is not None and png.startswith(b"\x89PNG")
    dm = world.slack.im_channel_id(TEAM, "U0ANNA")
    assert [f["id"] for m in world.slack.messages_in(dm) for f in m.get("files", [])] == [file_id]
    reading = next(b for b in view["blocks"] if b["type"] == "context" and "basis" in str(b))
    assert "De operationele basis" in reading["elements"][0]["text"]
    assert images(world.open_home("U0BOB")) == []  # not a lead: no picture, nothing uploaded
    assert len(uploads(world)) == 1


def test_an_unchanged_pyramid_is_re_used_and_a_changed_one_is_uploaded_at_most_daily(
    world: Driver,
) -> None:
    set_leads(world, "U0ANNA")
    world.at("2026-11-23T08:00:00+00:00")
    add_story(world, "Een mooi verhaal")
    first = images(world.open_home("U0ANNA"))
    again = images(world.open_home("U0ANNA"))
    assert first == again and len(uploads(world)) == 1
    add_story(world, "Nog een", principle="daadkrachtig")
    same_day = images(world.open_home("U0ANNA"))  # changed, but the DM got a picture today
    assert same_day == first and len(uploads(world)) == 1
    world.at("2026-11-24T08:00:00+00:00")
    next_day = images(world.open_home("U0ANNA"))
    assert len(uploads(world)) == 2
    assert next_day[0]["slack_file"]["id"] == uploads(world)[1] != uploads(world)[0]
    assert "Daadkrachtig: 1 verhaal" in next_day[0]["alt_text"]
    assert images(world.open_home("U0ANNA")) == next_day and len(uploads(world)) == 2


def picture_rows(world: Driver) -> list[tuple[str, str, str]]:
    """The picture cache: (kind, digest, file id) of every file remembered, oldest first."""
    with world.deps.unit_of_work() as session:
        rows = session.execute(
            select(PictureFile.kind, PictureFile.digest, PictureFile.file_id).order_by(
                PictureFile.created_at
            )
        )
        return [(kind, digest, file_id) for kind, digest, file_id in rows]


def drawn(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The pictures drawn, as the drawing's debug log line says."""
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("drawing ")]


def test_a_second_home_visit_with_unchanged_data_draws_and_uploads_nothing(
    world: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="coach.picture_words")
    set_leads(world, "U0ANNA")
    world.at("2026-11-23T08:00:00+00:00")
    add_story(world, "Een mooi verhaal")
    first = images(world.open_home("U0ANNA"))
    assert len(drawn(caplog)) == 1
    cached = picture_rows(world)
    (kind, _, file_id), *others = cached
    assert kind.startswith("pyramid:") and others == [] and uploads(world) == [file_id]
    caplog.clear()
    calls = len(world.slack.calls)
    world.at("2026-11-23T15:00:00+00:00")
    assert images(world.open_home("U0ANNA")) == first
    files_calls = [c.method for c in world.slack.calls[calls:] if c.method.startswith("files.")]
    assert files_calls == [] and picture_rows(world) == cached
    assert drawn(caplog) == []
    # A new shared story changes the data: within the 20 hours the older file stays, undrawn;
    # after them the new picture is drawn once and uploaded once.
    add_story(world, "Nog een", principle="daadkrachtig")
    assert images(world.open_home("U0ANNA")) == first and drawn(caplog) == []
    world.at("2026-11-24T05:00:00+00:00")
    changed = images(world.open_home("U0ANNA"))
    assert len(drawn(caplog)) == 1 and len(uploads(world)) == 2
    assert changed[0]["slack_file"]["id"] == uploads(world)[1]
    assert "Daadkrachtig: 1 verhaal" in changed[0]["alt_text"]
    assert [row[2] for row in picture_rows(world)] == uploads(world)


def test_housekeeping_deletes_superseded_pictures_and_their_files_after_a_month(
    world: Driver,
) -> None:
    set_leads(world, "U0ANNA")
    world.at("2026-11-23T08:00:00+00:00")
    add_story(world, "Een mooi verhaal")
    world.open_home("U0ANNA")
    add_story(world, "Nog een", principle="daadkrachtig")
    world.at("2026-11-24T08:00:00+00:00")
    current = images(world.open_home("U0ANNA"))
    old, new = uploads(world)
    dm = world.slack.im_channel_id(TEAM, "U0ANNA")
    assert world.passes.housekeep().pictures == 0  # the older one is a day old: it stays
    world.clock.set(world.clock.now() + timedelta(days=31))
    assert world.passes.housekeep().pictures == 1
    assert [call.args["file"] for call in world.slack.calls_to("files.delete")] == [old]
    assert [row[2] for row in picture_rows(world)] == [new]  # the current one stays, however old
    assert world.slack.uploaded_file(old) is None
    assert [f["id"] for m in world.slack.messages_in(dm) for f in m.get("files", [])] == [new]
    assert world.passes.housekeep().pictures == 0
    assert len(world.slack.calls_to("files.delete")) == 1
    (later,) = images(world.open_home("U0ANNA"))  # a month on: other weeks, a new picture
    assert later != current[0] and later["slack_file"]["id"] == uploads(world)[-1] != new


def test_a_file_slack_will_not_delete_yet_keeps_its_row_for_the_next_run(world: Driver) -> None:
    set_leads(world, "U0ANNA")
    world.at("2026-11-23T08:00:00+00:00")
    add_story(world, "Een mooi verhaal")
    world.open_home("U0ANNA")
    add_story(world, "Nog een", principle="daadkrachtig")
    world.at("2026-11-24T08:00:00+00:00")
    world.open_home("U0ANNA")
    old, _ = uploads(world)
    world.clock.set(world.clock.now() + timedelta(days=31))
    world.slack.fail_next("files.delete", status=429, retry_after=30)
    assert world.passes.housekeep().pictures == 0
    assert old in [row[2] for row in picture_rows(world)]
    assert world.passes.housekeep().pictures == 1
    assert old not in [row[2] for row in picture_rows(world)]
