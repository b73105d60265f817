"""What leaves the database: `coach backup`, `stories export`, `pulse export`, `report`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import click

from coach.cli.common import ISO_DATE, load_deps, unknown_workspace, workspace_option
from coach.render import Prompts
from coach.services import pulse_export
from coach.services.backup import BackupRefused, back_up
from coach.services.organisation import ORGANISATION_WEEKS
from coach.services.report import MAX_WEEKS as MAX_REPORT_WEEKS
from coach.services.report import UnknownWorkspace, organisation_report
from coach.services.story_export import FORMATS, to_csv, to_json
from coach.store.stories import stories_for_export
from coach.store.workspaces import get_workspace


@click.command()
@click.option(
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The file to write the copy to.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT when it exists.")
def backup(output: Path, force: bool) -> None:
    """Copy the SQLite database consistently while it is in use (`coach run` may keep writing).
    For PostgreSQL use pg_dump."""
    try:
        size = back_up(load_deps(need_current_schema=False), output=output, force=force)
    except BackupRefused as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the database to {output} ({size} bytes).")


@click.group()
def stories() -> None:
    """Export the 9+ stories of a workspace."""


def _since(_ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value) if ISO_DATE.match(value) else None
    except ValueError:
        day = None
    if day is None:
        raise click.BadParameter(
            f"{value!r} is not a date like 2026-11-24 (YYYY-MM-DD)", param=param
        )
    return datetime.combine(day, time(), tzinfo=UTC)


@stories.command("export")
@workspace_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    help="csv (one row per story, credits joined with spaces) or json (a list of objects).",
)
@click.option(
    "--since",
    metavar="DATE",
    callback=_since,
    help="Only stories created on or after this day (YYYY-MM-DD, from 00:00 UTC).",
)
def stories_export(workspace_id: str, output_format: str, since: datetime | None) -> None:
    """Write the workspace's stories to stdout, oldest first.

    Each story comes with its principle, team, author, credits and dates (ISO 8601, UTC). In CSV
    a cell that a spreadsheet would take for a formula starts with a ' instead.
    """
    deps = load_deps()
    with deps.unit_of_work() as session:
        if get_workspace(session, workspace_id=workspace_id) is None:
            raise unknown_workspace(workspace_id)
        rows = stories_for_export(session, workspace_id=workspace_id, since=since)
    click.echo(to_json(rows) if output_format == "json" else to_csv(rows), nl=False)
    count = f"{len(rows)} {'story' if len(rows) == 1 else 'stories'}"
    click.echo(f"Exported {count} of {workspace_id}.", err=True)


@click.group()
def pulse() -> None:
    """The monthly team pulse (turn it on with `coach team set --pulse monthly`)."""


@pulse.command("export")
@workspace_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(pulse_export.FORMATS),
    default="csv",
    show_default=True,
    help="csv (one row per team, month and question) or json (a list of objects).",
)
def pulse_export_command(workspace_id: str, output_format: str) -> None:
    """Write the pulse results to stdout: per team per month the eNPS (with its promoters,
    passives and detractors) and each ownership statement's average. Only months whose pulse
    has closed, and only where enough people answered; never per person."""
    deps = load_deps()
    with deps.unit_of_work() as session:
        if get_workspace(session, workspace_id=workspace_id) is None:
            raise unknown_workspace(workspace_id)
    records = pulse_export.pulse_records(deps, workspace_id=workspace_id)
    text = (
        pulse_export.to_json(records) if output_format == "json" else pulse_export.to_csv(records)
    )
    click.echo(text, nl=False)
    click.echo(f"Exported {len(records)} pulse result(s) of {workspace_id}.", err=True)


@click.command()
@workspace_option
@click.option(
    "--weeks",
    type=click.IntRange(1, MAX_REPORT_WEEKS),
    default=ORGANISATION_WEEKS,
    show_default=True,
    help="How many weeks back, the current one included.",
)
@click.option(
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The HTML file to write (replaced when it exists).",
)
def report(workspace_id: str, weeks: int, output: Path) -> None:
    """Write the organisation's view as one self-contained HTML page (pictures inlined) to open
    or print for a team meeting: stories per principle per team, participation, principles
    nobody touched, this week's stories with the most colleagues in them, each team's pyramid.
    Numbers that cover too few people are left out."""
    from coach.report import report_html  # matplotlib only for this command

    try:
        made = organisation_report(load_deps(), workspace_id=workspace_id, weeks=weeks)
    except UnknownWorkspace:
        raise unknown_workspace(workspace_id) from None
    output.write_text(report_html(made, Prompts()), encoding="utf-8")
    teams = len(made.view.teams)
    click.echo(f"Wrote the report of {workspace_id} ({teams} teams, {weeks} weeks) to {output}.")
