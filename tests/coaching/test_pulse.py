"""The monthly team pulse: asked instead of a nudge on the first workday, answered anonymously
with one tap, shown per team and month only from five answers on."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, select, text

from coach.domain.team_settings import TeamChanges
from coach.render import Prompts
from coach.services.admin_home import admin_home
from coach.services.teams import update_team
from coach.slack import ids
from coach.slack.admin_home_blocks import build_team_section
from coach.store.models import Base, Nudge, OutboxMessage, Person
from coach_demo.driver import Driver
from tests.coaching.admin_steps import as_shown, make_admin, opened, press
from tests.coaching.conftest import TEAM, shown_text
from tests.coaching.pulse_steps import (
    CHANNEL,
    CREW,
    LEAD,
    PULSE_DAYS,
    pulse_dm,
    pulse_team,
    tap,
)
from tests.coaching.test_privacy import click_ephemeral, coach, my_file


def test_the_pulse_comes_instead_of_the_nudge_on_the_first_workday(world: Driver) -> None:
    pulse_team(world)
    world.at("2026-11-30T08:00:00+00:00")  # a Monday in November: the pulse starts in December
    assert all(pulse_dm(world, user) is None for user in CREW)
    assert all(len(world.dm(user)) == 1 for user in CREW)  # the day's nudge
    world.at(PULSE_DAYS[0])
    for user in CREW:
        [_, pulse] = world.dm(user)  # yesterday's nudge, today's pulse: nothing else
        assert pulse == pulse_dm(world, user)
        said = shown_text([pulse])
        assert "anonymous" in said.lower() and "forget-me" in said
    with world.deps.unit_of_work() as session:
        people = select(Person.id).where(Person.user_id.in_(CREW))
        days = session.scalars(select(Nudge.local_date).where(Nudge.person_id.in_(people)))
        assert {d.isoformat() for d in days} == {"2026-11-30"}
    world.at("2026-12-02T08:00:00+00:00")
    assert all(len(world.dm(user)) == 3 for user in CREW)  # the nudges are back


def test_someone_nudged_on_mondays_and_wednesdays_gets_the_pulse_on_their_first_day(
    world: Driver,
) -> None:
    pulse_team(world)
    world.coach(CREW[1], CHANNEL, "days mon,wed")
    world.at("2026-11-30T08:00:00+00:00")  # Monday: the day's nudge
    world.at(PULSE_DAYS[0])  # Tuesday 1 December, the team's pulse day: not one of their days
    assert pulse_dm(world, CREW[1]) is None and pulse_dm(world, CREW[2]) is not None
    world.at("2026-12-02T08:00:00+00:00")  # Wednesday: their first day of the month
    assert pulse_dm(world, CREW[1]) is not None
    assert len(world.dm(CREW[1])) == 2  # Monday's nudge and the pulse: not a nudge as well
    world.at("2026-12-07T08:00:00+00:00")  # the next Monday: a nudge again, and no second pulse
    assert len(world.dm(CREW[1])) == 3
    assert len([m for m in world.dm(CREW[1]) if m == pulse_dm(world, CREW[1])]) == 1


# Three months of a twelve-person team: (scores, expected eNPS). December: 5 promoters, 4
# passives, 3 detractors of 12 -> +17; January: 8 promoters, 2 detractors of 10 -> +60;
# February: 6 answers, 1 promoter, 3 detractors -> -33.
MONTHS = [
    ([10, 9, 9, 10, 9, 8, 7, 8, 7, 6, 3, 0], "+17 (12 answers)"),
    ([9, 9, 10, 10, 9, 9, 10, 9, 5, 6], "+60 (10 answers)"),
    ([9, 8, 7, 6, 5, 4], "-33 (6 answers)"),
]


def test_a_twelve_person_team_sees_its_enps_month_by_month(world: Driver) -> None:
    pulse_team(world)
    for moment, (scores, _) in zip(PULSE_DAYS, MONTHS, strict=True):
        world.at(moment)
        for user, score in zip(CREW, scores, strict=False):
            tap(world, user, "enps", score)
    world.at("2027-02-09T08:00:00+00:00")  # February's pulse has closed
    lead_home = shown_text([world.open_home(CREW[0]) or {}])
    member_home = shown_text([world.open_home(CREW[11]) or {}])
    for said in (lead_home, member_home):
        assert "Team pulse of Crew" in said
        assert "Dec 2026: eNPS +17 (12 answers)" in said
        assert "Jan 2027: eNPS +60 (10 answers)" in said
        assert "Feb 2027: eNPS -33 (6 answers)" in said
        assert "Nov 2026: no pulse" in said
    noord = shown_text([world.open_home("U0ANNA") or {}])  # another team: sees nothing of it
    assert "Crew" not in noord and "eNPS" not in noord


def test_a_month_with_four_answers_shows_no_number(world: Driver) -> None:
    pulse_team(world)
    world.at(PULSE_DAYS[0])
    for user, score in zip(CREW, [10, 10, 2, 0], strict=False):
        tap(world, user, "enps", score)
    world.at("2026-12-04T08:00:00+00:00")
    assert "answers still coming in" in shown_text([world.open_home(CREW[0]) or {}])
    world.at("2026-12-08T08:00:00+00:00")  # closed: 1 to 7 December
    said = shown_text([world.open_home(CREW[0]) or {}])
    assert "Dec 2026: not enough answers to show without singling anyone out" in said
    assert "eNPS +" not in said and "eNPS -" not in said and "4 answers" not in said


def test_a_second_answer_is_refused_kindly(world: Driver) -> None:
    pulse_team(world)
    world.at(PULSE_DAYS[0])
    first = tap(world, CREW[1], "enps", 9)
    assert "Thank you, your answer is in." in shown_text([first])
    assert "pulse_answer:enps" not in str(first["blocks"])  # its buttons are gone
    stale = {**pulse_dm_before(world, CREW[1]), "ts": first["ts"]}
    again = world.click(CREW[1], stale, "pulse_answer:enps:0")
    assert again[0].startswith("200")
    said = shown_text([pulse_dm(world, CREW[1]) or {}])
    assert "You had answered that already: your first answer counts" in said
    assert answers(world) == [9]


def pulse_dm_before(world: Driver, user: str) -> dict[str, Any]:
    """The pulse DM as it first arrived (buttons and all), as a stale client would still show."""
    with world.deps.unit_of_work() as session:
        row = session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.kind == "pulse", OutboxMessage.channel == user
            )
        )
        assert row is not None
        return dict(row.payload)


def answers(world: Driver) -> list[int]:
    with world.deps.unit_of_work() as session:
        return sorted(session.scalars(text("SELECT score FROM pulse_answers")))


def test_no_pulse_table_names_a_person(world: Driver) -> None:
    pulse_team(world, statements=True)
    world.at(PULSE_DAYS[0])
    for user in CREW[:6]:
        tap(world, user, "enps", 8)
        message = pulse_dm(world, user) or {}
        for key in [
            b["block_id"].split(":")[1] for b in message["blocks"] if b["type"] == "actions"
        ]:
            tap(world, user, key, 4)
    with world.deps.unit_of_work() as session:
        people = session.execute(select(Person.id, Person.user_id)).all()
        tables = [name for name in inspect(session.get_bind()).get_table_names() if "pulse" in name]
        rows = {t: session.execute(text(f"SELECT * FROM {t}")).all() for t in tables}  # noqa: S608
    assert set(tables) >= {"pulse_answers", "pulse_statement_answers", "team_pulse_settings"}
    assert len(rows["pulse_answers"]) == 6 and len(rows["pulse_statement_answers"]) == 18
    for table, found in rows.items():
        for row in found:
            cells = {str(cell) for cell in row}
            assert not cells & {p.user_id for p in people}, table
            if table != "team_pulse_settings":
                # no column but the team, month, token, statement and score
                assert set(Base.metadata.tables[table].columns.keys()) == (
                    {"workspace_id", "team_id", "month", "token", "score"}
                    | ({"statement"} if table == "pulse_statement_answers" else set())
                )
    assert len(people) > 12  # the people are there, just not in these tables


def pulses(world: Driver, user: str) -> int:
    return sum(1 for m in world.dm(user) if str(m.get("text", "")).startswith("Team pulse"))


def lead_sets_pulse(world: Driver, choice: str) -> None:
    """The team's lead opens its settings from their Home and picks a pulse `choice`."""
    with world.deps.unit_of_work() as session:
        home = admin_home(session, workspace_id=TEAM, language="en")
    row = next(t for t in home.teams if t.channel_id == CHANNEL)
    section = {"id": "V0LEAD", "type": "home", "blocks": build_team_section(row, Prompts(), "en")}
    press(world, LEAD, section, f"{ids.TEAM_SETTINGS}:{row.id}:lead")
    view = opened(world)
    status, answer = world.submit(LEAD, view, as_shown(view, team_pulse=choice))
    assert status.startswith("200") and answer in (b"", b"null")


def test_a_change_of_the_setting_takes_effect_the_next_month(world: Driver) -> None:
    pulse_team(world)  # on from December
    world.at("2026-12-01T07:00:00+00:00")  # the morning of December's pulse, an hour before
    lead_sets_pulse(world, "off")
    world.at(PULSE_DAYS[0])
    assert all(pulse_dm(world, user) is not None for user in CREW)  # December's stands
    world.at("2027-01-04T08:00:00+00:00")
    assert all(
        pulse_dm(world, user) is None or "2026" in str(pulse_dm(world, user)) for user in CREW
    )
    assert sum(1 for m in world.dm(CREW[5]) if str(m.get("text", "")).startswith("Team pulse")) == 1
    lead_sets_pulse(world, "monthly_ownership")  # on again, with the statements: from February
    world.at("2027-01-05T08:00:00+00:00")
    assert pulses(world, CREW[5]) == 1
    world.at(PULSE_DAYS[2])
    february = pulse_dm(world, CREW[5])
    assert february is not None and "February" in february["text"]
    asked = [b["block_id"] for b in february["blocks"] if b["type"] == "actions"]
    assert len(asked) == 4  # the eNPS question and three ownership statements


def test_ownership_statements_show_as_averages_from_five_answers(world: Driver) -> None:
    pulse_team(world, statements=True)
    world.at(PULSE_DAYS[0])
    message = pulse_dm(world, CREW[0])
    assert message is not None
    first, second, _ = [
        b["block_id"].split(":")[1] for b in message["blocks"] if b["type"] == "actions"
    ][1:]
    for n, user in enumerate(CREW[:6]):
        tap(world, user, "enps", 9)
        tap(world, user, first, [5, 4, 4, 3, 5, 4][n])  # 25 / 6 = 4.2
    for user in CREW[:4]:
        tap(world, user, second, 1)  # four answers: not shown
    world.at("2026-12-08T08:00:00+00:00")
    said = shown_text([world.open_home(LEAD) or {}])
    assert "Dec 2026: eNPS +100 (6 answers)" in said
    assert "Ownership in Dec" in said and " 4.2" in said
    assert " 1.0" not in said


def celebration_posts(world: Driver) -> str:
    return shown_text([m for m in world.slack.messages_in(CHANNEL) if m.get("bot_id")])


@pytest.mark.parametrize(("answers", "line"), [(6, True), (4, False)])
def test_the_celebration_after_a_pulse_month_says_it_in_one_line(
    world: Driver, answers: int, line: bool
) -> None:
    pulse_team(world)
    world.at(PULSE_DAYS[0])
    for user in CREW[:answers]:
        tap(world, user, "enps", 10)
    world.at("2026-12-04T15:00:00+00:00")  # Friday 4 December: the pulse is still open
    world.at("2026-12-04T15:01:00+00:00")
    assert "pulse" not in celebration_posts(world).lower()
    for moment in ("2026-12-11T15:00:00+00:00", "2026-12-11T15:01:00+00:00"):
        world.at(moment)  # Friday 11 December: the first celebration after it closed
    posted = celebration_posts(world)
    assert ("Our team pulse of December: eNPS +100" in posted) is line
    assert ("_How can we_" in posted) is line
    for moment in ("2026-12-18T15:00:00+00:00", "2026-12-18T15:01:00+00:00"):
        world.at(moment)
    assert celebration_posts(world).count("team pulse") == int(line)  # once


def test_my_data_says_only_when_i_answered_and_forget_me_leaves_the_answer(
    world: Driver,
) -> None:
    pulse_team(world)
    world.at(PULSE_DAYS[0])
    for user, score in zip(CREW[:6], [3, 9, 9, 9, 9, 9], strict=True):
        tap(world, user, "enps", score)
    coach(world, CREW[0], "my-data")
    _, data = my_file(world, CREW[0])
    assert data["team_pulse_answered_in"] == ["2026-12"]
    coach(world, CREW[7], "my-data")  # asked, did not answer
    assert my_file(world, CREW[7])[1]["team_pulse_answered_in"] == []
    click_ephemeral(world, CREW[0], coach(world, CREW[0], "forget-me"), "forget_me_yes")
    assert answers(world) == [3, 9, 9, 9, 9, 9]  # nobody's any more: it stays


def test_admins_see_each_team_s_latest_month_and_no_team_under_the_minimum(
    world: Driver,
) -> None:
    pulse_team(world)
    with world.deps.unit_of_work() as session:  # Noord (3 people) has its pulse on too
        update_team(
            session,
            workspace_id=TEAM,
            channel_id="C0NOORD",
            changes=TeamChanges(pulse=True),
            now=world.clock.now(),
        )
    world.at("2026-12-01T00:00:00+00:00")  # 09:00 in Tokyo, where Ken is
    world.at(PULSE_DAYS[0])
    world.at("2026-12-01T14:00:00+00:00")  # 09:00 in New York, where Bob is
    for user in CREW[:5]:
        tap(world, user, "enps", 9)
    for user in ("U0ANNA", "U0BOB", "U0KEN"):
        tap(world, user, "enps", 0)
    world.at("2026-12-08T08:00:00+00:00")
    make_admin(world, "U0KEN")
    view = world.open_home("U0KEN") or {}
    [organisation] = [
        b["text"]["text"] for b in view["blocks"] if "organisation's pulse" in str(b.get("text"))
    ]
    assert "Crew, Dec 2026: eNPS +100 (5 answers)" in organisation
    assert "Noord" not in organisation  # 3 answers: left out, not marked
    assert "eNPS -100" not in shown_text([view])  # Noord's own number is not shown to Ken
    member = shown_text([world.open_home(CREW[4]) or {}])
    assert "organisation's pulse" not in member


def test_admins_see_the_latest_month_with_enough_answers_not_a_later_thin_one(
    world: Driver,
) -> None:
    pulse_team(world)
    make_admin(world, "U0KEN")
    for moment, scores in zip(PULSE_DAYS, ([9] * 5, [0] * 4, [0] * 6), strict=True):
        world.at(moment)
        for user, score in zip(CREW, scores, strict=False):
            tap(world, user, "enps", score)
        if moment == PULSE_DAYS[1]:
            world.at("2027-01-12T08:00:00+00:00")  # January closed with four answers
            said = organisation_line(world)
            assert "Crew, Dec 2026: eNPS +100 (5 answers)" in said and "Jan 2027" not in said
    world.at("2027-02-09T08:00:00+00:00")  # February closed with six
    assert "Crew, Feb 2027: eNPS -100 (6 answers)" in organisation_line(world)


def organisation_line(world: Driver) -> str:
    view = world.open_home("U0KEN") or {}
    [line] = [
        b["text"]["text"] for b in view["blocks"] if "organisation's pulse" in str(b.get("text"))
    ]
    return str(line)
