"""Block Kit builders stay within Slack's limits whatever the catalogue holds."""

from __future__ import annotations

import json

from coach.catalog.schema import MAX_BEHAVIOUR, MAX_NAME, MAX_PRINCIPLES, MAX_QUESTION, CatalogSpec
from coach.domain.coach_command import parse_coach_command
from coach.render import Prompts
from coach.slack.blocks import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT, build_principles, pack

PROMPTS = Prompts()


def huge_catalog() -> CatalogSpec:
    levels = ("operational", "relational", "meaning")
    return CatalogSpec.model_validate(
        {
            "organisation": "O" * 100,
            "language": "en",
            "principles": [
                {
                    "id": f"p{i}",
                    "level": levels[i % 3],
                    "name": f"{i:03d} " + "&" * (MAX_NAME - 4),
                    "customer_voice": "v" * 2000,
                    "hki_question": f"{i:03d} " + "<" * (MAX_QUESTION - 4),
                    "behaviours": [f"{j} " + "b" * (MAX_BEHAVIOUR - 3) for j in range(20)],
                }
                for i in range(MAX_PRINCIPLES)
            ],
        }
    )


def test_the_largest_catalogue_fits_in_one_message() -> None:
    catalog = huge_catalog()
    blocks = build_principles(catalog, "en", PROMPTS)
    assert len(blocks) <= MAX_MESSAGE_BLOCKS
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
    text = json.dumps(blocks)
    shown = [
        p
        for p in catalog.principles
        if p.name.replace("&", "&amp;") in text.replace("\\u0026", "&")
    ]
    more = [b for b in blocks if b["type"] == "context"]
    assert (
        len(shown) + (int(more[0]["elements"][0]["text"].split()[1]) if more else 0)
        == MAX_PRINCIPLES
    )


def test_pack_never_exceeds_the_limit_and_keeps_everything() -> None:
    parts = ["a" * 10, "b" * 2995, "c" * 7000, "d"]
    chunks = pack(parts)
    assert all(len(chunk) <= MAX_SECTION_TEXT for chunk in chunks)
    assert "".join(chunks).replace("\n", "") == "".join(parts)


def test_parse_coach_command() -> None:
    from datetime import time

    from coach.domain import coach_command as cmd

    assert parse_coach_command("") == cmd.Help()
    assert parse_coach_command("  HELP ") == cmd.Help()
    assert parse_coach_command("principles") == cmd.ShowPrinciples()
    assert parse_coach_command("language EN") == cmd.SetLanguage("en")
    assert parse_coach_command("time 7:05") == cmd.SetTime(time(7, 5))
    assert parse_coach_command("pause") == cmd.Pause(None)
    assert parse_coach_command("pause 14") == cmd.Pause(14)
    assert parse_coach_command("pause 366") == cmd.BadArgument("days", "366")
    assert parse_coach_command("pause -1") == cmd.BadArgument("days", "-1")
    assert parse_coach_command("resume") == cmd.Resume()
    assert parse_coach_command("resume now") == cmd.Unknown("resume now")
    assert parse_coach_command("x" * 5000) == cmd.Unknown("x" * 200)
