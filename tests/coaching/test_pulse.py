"""The monthly team pulse: asked instead of a nudge on the first workday, answered anonymously
with one tap, shown per team and month only from five answers on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select, text

from coach.store.models import Base, Nudge, OutboxMessage, Person
from coach_demo.driver import Driver
from tests.coaching.conftest import shown_text
from tests.coaching.pulse_steps import CREW, PULSE_DAYS, pulse_dm, pulse_team, tap


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
        assert "Team pulse of Pulse" in said
        assert "Dec 2026: eNPS +17 (12 answers)" in said
        assert "Jan 2027: eNPS +60 (10 answers)" in said
        assert "Feb 2027: eNPS -33 (6 answers)" in said
        assert "Nov 2026: no pulse" in said
    noord = shown_text([world.open_home("U0ANNA") or {}])  # another team: sees nothing of it
    assert "Pulse" not in noord and "eNPS" not in noord


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
