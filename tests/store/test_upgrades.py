"""Upgrading keeps the data: for every earlier revision, a database at that revision holding a
bit of everything (written with plain SQL as it stood then) is upgraded to head, and every row
is still there with its values, on SQLite and on PostgreSQL (`fresh_database_url`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select, text

from coach.deps import Deps
from coach.settings import Settings
from coach.store.db import make_engine, make_sessions
from coach.store.models import Nudge, Person, Principle, Story, StoryDraft, Team, Workspace
from coach.store.schema import MIGRATIONS, current_revision, head_revision, migrate
from tests.store.test_catalog_store import dump_tables


def _revisions() -> list[str]:
    """Every revision from the first to the newest."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    walk = ScriptDirectory.from_config(config).walk_revisions("base", "heads")
    return [script.revision for script in reversed(list(walk))]


EARLIER = _revisions()[:-1]

# (the revision that made the table, the rows as plain SQL); {at} is an instant in UTC.
ROWS: list[tuple[str, str]] = [
    (
        "0001",
        "INSERT INTO workspaces (id, name, organisation, language, catalog_version, "
        "created_at) VALUES ('T0001', 'Acme', 'Acme BV', 'nl', 1, {at})",
    ),
    (
        "0001",
        "INSERT INTO catalog_levels (workspace_id, level, name, description, translations) "
        "VALUES ('T0001', 'operational', 'Basis', NULL, '{{}}')",
    ),
    (
        "0001",
        "INSERT INTO principles (id, workspace_id, key, level, position, name, "
        "customer_voice, hki_question, translations, created_at, updated_at) VALUES (1, 'T0001', "
        "'daadkrachtig', 'operational', 1, 'Daadkrachtig', 'Ze doen wat ze zeggen.', "
        "'Wat maak je vandaag af?', '{{}}', {at}, {at})",
    ),
    (
        "0001",
        "INSERT INTO behaviours (id, principle_id, position, text, translations) "
        "VALUES (1, 1, 1, 'Bel terug binnen een uur.', '{{}}')",
    ),
    (
        "0001",
        "INSERT INTO catalog_changes (id, workspace_id, version, actor, at, action, subject) "
        "VALUES (1, 'T0001', 1, 'cli', {at}, 'create', 'daadkrachtig')",
    ),
    (
        "0001",
        "INSERT INTO people (id, workspace_id, user_id, tz, nudge_time, is_bot, deleted, "
        "created_at, updated_at) VALUES (1, 'T0001', 'U0BOB', 'Europe/Amsterdam', '08:30:00', "
        "false, false, {at}, {at})",
    ),
    (
        "0001",
        "INSERT INTO teams (id, workspace_id, channel_id, name, nudge_time, "
        "celebrate_weekday, celebrate_time, timezone, holiday_country, language, "
        "pinned_principle_id, created_at, updated_at) VALUES (1, 'T0001', 'C0NOORD', 'Noord', "
        "'09:00:00', 4, '16:00:00', 'Europe/Amsterdam', 'NL', 'nl', 1, {at}, {at})",
    ),
    ("0001", "INSERT INTO team_leads (team_id, user_id) VALUES (1, 'U0ANNA')"),
    (
        "0001",
        "INSERT INTO admins (workspace_id, user_id, added_by, added_at) "
        "VALUES ('T0001', 'U0ANNA', 'cli', {at})",
    ),
    (
        "0002",
        "INSERT INTO slack_events (event_id, workspace_id, received_at) "
        "VALUES ('Ev1', 'T0001', {at})",
    ),
    ("0003", "INSERT INTO team_members (team_id, user_id, joined_at) VALUES (1, 'U0BOB', {at})"),
    (
        "0003",
        "INSERT INTO nudges (id, workspace_id, person_id, team_id, local_date, principle_id, "
        "behaviour_id, language, status, created_at, updated_at) VALUES (1, 'T0001', 1, 1, "
        "'2026-11-24', 1, 1, 'nl', 'answered', {at}, {at})",
    ),
    (
        "0003",
        "INSERT INTO intentions (id, workspace_id, person_id, nudge_id, text, created_at) "
        "VALUES (1, 'T0001', 1, 1, 'Mevrouw Jansen nabellen', {at})",
    ),
    (
        "0003",
        "INSERT INTO outbox (id, workspace_id, key, kind, channel, payload, person_id, "
        "nudge_id, status, due_at, expires_at, attempts, created_at) VALUES (1, 'T0001', "
        "'nudge:1:2026-11-24', 'nudge', 'U0BOB', '{{\"text\": \"HKI?\"}}', 1, 1, 'sent', {at}, "
        "{at}, 1, {at})",
    ),
    (
        "0004",
        "INSERT INTO stories (id, workspace_id, author_id, filed_by, team_id, principle_id, "
        "text, share, author_consent, source, created_at, updated_at) VALUES (1, 'T0001', "
        "'U0ANNA', 'U0ANNA', 1, 1, 'De lekkage binnen een uur verholpen', true, 'given', "
        "'command', {at}, {at})",
    ),
    ("0004", "INSERT INTO story_credits (story_id, user_id) VALUES (1, 'U0BOB')"),
    (
        "0004",
        "INSERT INTO story_drafts (view_id, workspace_id, user_id, source, story_id, "
        "created_at) VALUES ('V1', 'T0001', 'U0ANNA', 'command', 1, {at})",
    ),
    (
        "0005",
        "INSERT INTO celebrations (id, workspace_id, team_id, iso_year, iso_week, due_at, "
        "status, created_at, updated_at) VALUES (1, 'T0001', 1, 2026, 48, {at}, 'posted', {at}, "
        "{at})",
    ),
]


def _write_rows_of(engine: Engine, revision: str) -> dict[str, int]:
    """The rows whose tables exist at `revision`; returns how many went into each table."""
    at = "'2026-11-24 08:00:00'" + ("::timestamptz" if engine.dialect.name == "postgresql" else "")
    at_order = _revisions()
    written: dict[str, int] = {}
    with engine.begin() as connection:
        for made_in, sql in ROWS:
            if at_order.index(made_in) <= at_order.index(revision):
                connection.execute(text(sql.format(at=at)))
                table = sql.split()[2]
                written[table] = written.get(table, 0) + 1
    return written


@pytest.mark.parametrize("revision", EARLIER)
def test_upgrading_from_each_revision_keeps_the_data(
    fresh_database_url: str, revision: str
) -> None:
    engine = make_engine(fresh_database_url)
    try:
        migrate(engine, revision)
        assert current_revision(engine) == revision
        written = _write_rows_of(engine, revision)
        assert {"workspaces", "principles", "teams", "people"} <= set(written)

        migrate(engine)

        assert current_revision(engine) == head_revision()
        deps = Deps(
            Settings(_env_file=None, database_url=fresh_database_url),
            engine,
            make_sessions(engine),
            None,  # type: ignore[arg-type]
        )
        counts = {table: len(rows) for table, rows in dump_tables(deps).items() if rows}
        assert counts == written
        _check_values(deps, written)
    finally:
        engine.dispose()


def _check_values(deps: Deps, written: dict[str, int]) -> None:
    instant = datetime(2026, 11, 24, 8, tzinfo=UTC)
    with deps.unit_of_work() as session:
        workspace = session.get(Workspace, "T0001")
        assert workspace is not None
        assert (workspace.name, workspace.catalog_version, workspace.created_at) == (
            "Acme",
            1,
            instant,
        )
        assert workspace.retention_days is None
        principle = session.scalars(select(Principle)).one()
        assert (principle.key, [b.text for b in principle.behaviours]) == (
            "daadkrachtig",
            ["Bel terug binnen een uur."],
        )
        team = session.scalars(select(Team)).one()
        assert (team.channel_id, team.name, team.nudge_time, team.pinned_principle_id) == (
            "C0NOORD",
            "Noord",
            time(9),
            principle.id,
        )
        assert [lead.user_id for lead in team.leads] == ["U0ANNA"]
        person = session.scalars(select(Person)).one()
        assert (person.user_id, person.nudge_time, person.slack_admin) == (
            "U0BOB",
            time(8, 30),
            False,
        )
        if "nudges" in written:
            nudge = session.scalars(select(Nudge)).one()
            assert (nudge.local_date, nudge.status, nudge.person_id) == (
                date(2026, 11, 24),
                "answered",
                person.id,
            )
        if "stories" in written:
            story = session.scalars(select(Story)).one()
            assert (story.text, story.for_team, story.team_id, story.created_at) == (
                "De lekkage binnen een uur verholpen",
                False,
                team.id,
                instant,
            )
            assert [c.user_id for c in story.credits] == ["U0BOB"]
            assert session.get(StoryDraft, "V1").story_id == story.id  # type: ignore[union-attr]


def test_every_earlier_revision_is_covered() -> None:
    assert EARLIER[0] == "0001" and head_revision() not in EARLIER
    assert {made_in for made_in, _ in ROWS} <= set(EARLIER)
