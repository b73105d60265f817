"""Values a forged or odd request carries that no database can hold: an id past the INTEGER
range, a NUL byte or a lone surrogate in typed text. Nothing breaks, and nothing typed is lost."""

from __future__ import annotations

import copy

from sqlalchemy import select

from coach.store.models import Intention, Nudge
from coach_demo.driver import Driver
from tests.coaching.test_replies import nudge_of, open_answer_modal

TOO_BIG = "99999999999999999"  # PostgreSQL: NumericValueOutOfRange if it reached a query


def test_a_forged_id_past_the_integer_range_changes_nothing(world: Driver) -> None:
    message = nudge_of(world, "U0ANNA")
    forged = copy.deepcopy(message)
    for block in forged["blocks"]:
        for element in block.get("elements", []):
            if element.get("type") == "button":
                element["value"] = TOO_BIG
    status, _ = world.click("U0ANNA", forged, "nudge_skip")
    assert status.startswith("200")
    view = open_answer_modal(world, "U0ANNA", message)
    status, _ = world.submit(
        "U0ANNA",
        {**view, "private_metadata": TOO_BIG},
        {"answer": {"answer_text": {"type": "plain_text_input", "value": "Nabellen"}}},
    )
    assert status.startswith("200")
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Nudge.status)).one() == "sent"
        assert session.scalars(select(Intention)).all() == []


def test_a_nul_byte_or_lone_surrogate_does_not_lose_the_answer(world: Driver) -> None:
    message = nudge_of(world, "U0ANNA")
    view = open_answer_modal(world, "U0ANNA", message)
    typed = "De klant\x00 nabellen\ud800 vandaag"
    status, _ = world.submit(
        "U0ANNA", view, {"answer": {"answer_text": {"type": "plain_text_input", "value": typed}}}
    )
    assert status.startswith("200")
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Intention.text)).one() == "De klant nabellen vandaag"


def test_a_thread_reply_with_a_nul_byte_is_kept(world: Driver) -> None:
    message = nudge_of(world, "U0ANNA")
    world.reply("U0ANNA", message["ts"], "Ik ruim\x00 de bus op")
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(Intention.text)).one() == "Ik ruim de bus op"
