"""The command line: parse, call one service, print. docs/contract.md lists the commands."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

import click
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from coach.catalog.files import CatalogFileError, dump_catalog, iter_problems, load_catalog_file
from coach.clock import Clock, FixedClock, SystemClock, as_utc
from coach.deps import Deps, build_deps
from coach.domain.retention import parse_retention_days
from coach.domain.schedule import MON_TO_FRI, days_from_text
from coach.domain.team_settings import (
    CELEBRATION_PICTURES,
    WEEKDAY_NAMES,
    InvalidSetting,
    TeamChanges,
    check_holiday_country,
    check_language,
    check_pin,
    check_team_name,
    check_timezone,
    parse_celebrate,
    parse_clock_time,
    parse_pulse,
    parse_weekdays,
)
from coach.logs import configure_logging
from coach.render import Prompts
from coach.services import administration, pulse_export
from coach.services.backup import BackupRefused, back_up
from coach.services.organisation import ORGANISATION_WEEKS
from coach.services.report import MAX_WEEKS as MAX_REPORT_WEEKS
from coach.services.report import UnknownWorkspace, organisation_report
from coach.services.scheduled_nudges import withdraw_workspace
from coach.services.story_export import FORMATS, to_csv, to_json
from coach.services.teams import update_team
from coach.settings import SettingsError, load_settings
from coach.store import schema
from coach.store.catalog import CatalogConflict, load_catalog, replace_catalog
from coach.store.models import Team
from coach.store.pulse import latest_rule
from coach.store.stories import stories_for_export
from coach.store.teams import UnknownPrinciple
from coach.store.workspaces import add_admin, get_workspace

T = TypeVar("T")

WORKSPACE_ID = re.compile(r"^[TE][A-Z0-9]{2,31}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,31}$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - a server: Slack must reach it


def _slack_id(
    pattern: re.Pattern[str], example: str
) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def check(_ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        values = value if isinstance(value, tuple) else (value,)
        for item in values:
            if item is not None and not pattern.match(item):
                raise click.BadParameter(f"{item!r} is not a Slack ID like {example}", param=param)
        return value

    return check


def _setting(
    parse: Callable[[str], T],
) -> Callable[[click.Context, click.Parameter, str | None], T | None]:
    def check(_ctx: click.Context, param: click.Parameter, value: str | None) -> T | None:
        if value is None:
            return None
        try:
            return parse(value)
        except InvalidSetting as error:
            raise click.BadParameter(str(error), param=param) from None

    return check


workspace_option = click.option(
    "--workspace",
    "workspace_id",
    required=True,
    callback=_slack_id(WORKSPACE_ID, "T0123ABCD"),
    help="Slack workspace (team) ID, e.g. T0123ABCD.",
)


def _deps(*, need_current_schema: bool = True, clock: Clock | None = None) -> Deps:
    """Settings, database and clock, or a clear message and a non-zero exit."""
    try:
        settings = load_settings()
    except SettingsError as error:
        for problem in error.problems:
            click.echo(f"Error: {problem}", err=True)
        click.echo("Fix the environment (or .env) and try again.", err=True)
        sys.exit(2)
    deps = build_deps(settings, clock or SystemClock())
    context = click.get_current_context(silent=True)
    if context is not None:  # the command's connections close with it, whatever happens
        context.call_on_close(deps.engine.dispose)
    if need_current_schema:
        try:
            schema.require_current(deps.engine)
        except schema.SchemaOutdated as error:
            raise click.ClickException(str(error)) from None
        except OperationalError as error:
            raise click.ClickException(_unreachable(error)) from None
    return deps


def _unreachable(error: OperationalError) -> str:
    return f"cannot reach the database named by DATABASE_URL: {error.orig}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(package_name="nineplus-coach", prog_name="9+ Coach")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """9+ Coach: a Slack bot that keeps an organisation's Guiding Principles alive.

    With no command, `run`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(run)


@cli.command()
@click.option(
    "--host", default=ALL_INTERFACES, show_default=True, help="Address to listen on in HTTP mode."
)
@click.option(
    "--role",
    type=click.Choice(["all", "web", "worker"]),
    default="all",
    show_default=True,
    help="web: serve Slack only; worker: only plan, sync and send; all: both in one process.",
)
@click.option("--no-scheduler", is_flag=True, help="Serve Slack only (the same as --role web).")
def run(host: str = ALL_INTERFACES, role: str = "all", no_scheduler: bool = False) -> None:
    """Serve Slack: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on $PORT."""
    from coach.lanes import Role, run_role

    deps = _deps()
    chosen = Role("web" if no_scheduler else role)
    problems = deps.settings.problems_for_serving(web=chosen is not Role.WORKER)
    if problems:
        for problem in problems:
            click.echo(f"Error: {problem}", err=True)
        sys.exit(2)
    configure_logging(deps.settings.log_level, deps.settings.log_format)
    try:
        run_role(deps, chosen, host=host)
    except SlackApiError as error:
        raise click.ClickException(
            f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}); check the token"
        ) from None
    except (SlackClientError, OSError) as error:
        raise click.ClickException(f"cannot reach Slack at SLACK_API_URL: {error}") from None


@cli.command()
@click.option(
    "--language",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="The week in this language, with that language's sample catalogue.",
)
def demo(language: str) -> None:
    """Play a simulated week for the sample organisation against a built-in Slack stand-in,
    on a temporary SQLite database, and print what each person saw and did."""
    import time as timer

    from coach_demo.week import play_week

    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    started = timer.monotonic()
    play_week(click.echo, language)
    click.echo(f"({timer.monotonic() - started:.1f} s)")


# A pass looks weeks ahead and hours back; far from today that arithmetic leaves datetime's range.
TICK_YEARS = range(2000, 9000)


def _instant(at: str) -> datetime:
    example = "use e.g. 2026-11-24T09:00:00+01:00"
    try:
        instant = as_utc(datetime.fromisoformat(at.replace("Z", "+00:00")))
    except ValueError as error:
        raise click.BadParameter(f"{at!r}: {error}; {example}", param_hint="--now") from None
    if instant.year not in TICK_YEARS:
        raise click.BadParameter(
            f"{at!r}: must be in the years {TICK_YEARS.start}-{TICK_YEARS.stop - 1}; {example}",
            param_hint="--now",
        )
    return instant


@cli.command()
@click.option(
    "--now",
    "at",
    metavar="ISO-8601",
    help="The instant of the pass, with a timezone (default: now).",
)
def tick(at: str | None) -> None:
    """One scheduler pass: queue what is due at that instant and deliver it, then exit."""
    clock: Clock = SystemClock()
    if at is not None:
        clock = FixedClock(_instant(at))
    deps = _deps(clock=clock)
    configure_logging(deps.settings.log_level, deps.settings.log_format)
    from coach.delivery.passes import build_passes

    passes = build_passes(deps)
    if passes is None:
        raise click.ClickException(
            "no Slack token: set SLACK_BOT_TOKEN, or configure the OAuth install"
        )
    result = passes.run_once()
    report = result.delivery
    click.echo(
        f"{clock.now().isoformat()}: {result.teams_synced} team(s) synced, {result.queued} queued, "
        f"{report.sent} sent, {report.retried} to retry, {report.failed} failed, {report.dropped} dropped"
        + (f", rate-limited {report.rate_limited}x" if report.rate_limited else "")
        + "."
    )


@cli.command()
def migrate() -> None:
    """Bring the database schema to the newest version."""
    deps = _deps(need_current_schema=False)
    try:
        before = schema.current_revision(deps.engine)
        schema.migrate(deps.engine)
    except OperationalError as error:
        raise click.ClickException(_unreachable(error)) from None
    head = schema.head_revision()
    if before == head:
        click.echo(f"Database schema is up to date (revision {head}).")
    else:
        click.echo(f"Database schema migrated from {before or 'empty'} to {head}.")


@cli.group()
def catalog() -> None:
    """Check, import and export principles catalogue files."""


@catalog.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def catalog_validate(files: tuple[Path, ...]) -> None:
    """Check catalogue FILES; print FILE:LINE: FIELD: message for each problem."""
    problems = list(iter_problems(files))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found; nothing was imported.", err=True)
        sys.exit(1)
    click.echo(f"{len(files)} catalogue file(s) valid.", err=True)


@catalog.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@workspace_option
def catalog_import(file: Path, workspace_id: str) -> None:
    """Make the workspace's catalogue equal to FILE, all or nothing."""
    try:
        spec = load_catalog_file(file)
    except CatalogFileError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was imported.", err=True)
        sys.exit(1)
    deps = _deps()
    try:
        with deps.unit_of_work() as session:
            diff = replace_catalog(
                session, workspace_id=workspace_id, catalog=spec, actor="cli", now=deps.clock.now()
            )
            if diff.changed:  # nudges planned with the old wording are planned again
                withdraw_workspace(session, workspace_id=workspace_id, now=deps.clock.now())
    except CatalogConflict as error:
        raise click.ClickException(f"{error}; nothing was imported, run the import again") from None
    if not diff.changed:
        click.echo(f"{workspace_id}: catalogue already matches {file} (version {diff.version}).")
        return
    parts = [
        f"{len(keys)} {label}"
        for label, keys in (
            ("created", diff.created),
            ("updated", diff.updated),
            ("archived", diff.archived),
            ("restored", diff.restored),
        )
        if keys
    ]
    summary = ", ".join(parts) or "headings updated"
    click.echo(
        f"{workspace_id}: catalogue imported from {file} as version {diff.version}: {summary}."
    )


@catalog.command("export")
@workspace_option
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: stdout).",
)
def catalog_export(workspace_id: str, output: Path | None) -> None:
    """Write the workspace's catalogue as YAML."""
    deps = _deps()
    with deps.unit_of_work() as session:
        spec = load_catalog(session, workspace_id=workspace_id)
    if spec is None:
        raise click.ClickException(
            f"workspace {workspace_id} has no catalogue yet; import one with `coach catalog import FILE --workspace {workspace_id}`"
        )
    text = dump_catalog(spec)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.", err=True)


@cli.group()
def team() -> None:
    """Create and change teams."""


@team.command("set")
@workspace_option
@click.option(
    "--channel",
    "channel_id",
    required=True,
    callback=_slack_id(CHANNEL_ID, "C0123ABCD"),
    help="The team's Slack channel ID.",
)
@click.option(
    "--name", callback=_setting(check_team_name), help="Team name (default: the channel)."
)
@click.option(
    "--lead",
    "leads",
    multiple=True,
    callback=_slack_id(USER_ID, "U0123ABCD"),
    help="A team lead's user ID; repeat for several. Replaces the leads.",
)
@click.option(
    "--nudge-time",
    callback=_setting(parse_clock_time),
    help="Daily nudge time HH:MM (default 09:00).",
)
@click.option(
    "--celebrate",
    callback=_setting(parse_celebrate),
    help="Weekly celebration 'DAY HH:MM' (default 'Friday 16:00').",
)
@click.option(
    "--timezone",
    callback=_setting(check_timezone),
    help="IANA timezone (default Europe/Amsterdam).",
)
@click.option(
    "--holidays",
    "holiday_country",
    callback=_setting(check_holiday_country),
    help="Country whose public holidays get no nudges (default NL).",
)
@click.option(
    "--language",
    callback=_setting(check_language),
    help="nl or en (default: the catalogue's language).",
)
@click.option(
    "--workdays",
    callback=_setting(parse_weekdays),
    help="The weekdays members may be nudged on, e.g. mon,tue,wed,thu,fri,sat "
    "(default Monday to Friday); members choose their own days among these.",
)
@click.option(
    "--pin",
    callback=_setting(check_pin),
    help="Keep this principle id in focus, or 'none' to rotate weekly again.",
)
@click.option(
    "--pulse",
    callback=_setting(parse_pulse),
    metavar="monthly|off",
    help="The monthly employee pulse (eNPS) on or off, from next month (default off).",
)
@click.option(
    "--pulse-statements/--no-pulse-statements",
    default=None,
    help="The pulse asks three rotating ownership statements too (from next month).",
)
@click.option(
    "--celebration-picture",
    type=click.Choice(CELEBRATION_PICTURES),
    help="The team's pyramid in the month's first celebration (monthly, the default) or not.",
)
def team_set(workspace_id: str, channel_id: str, leads: tuple[str, ...], **settings: Any) -> None:
    """Create or update the team of a channel. Its members are the channel's human members."""
    changes = TeamChanges(leads=leads or None, **settings)
    deps = _deps()
    try:
        saved_line = _set_team(deps, workspace_id, channel_id, changes)
    except UnknownPrinciple as error:
        raise click.BadParameter(str(error), param_hint="--pin") from None
    click.echo(saved_line)


def _set_team(deps: Deps, workspace_id: str, channel_id: str, changes: TeamChanges) -> str:
    with deps.unit_of_work() as session:
        saved, created = update_team(
            session,
            workspace_id=workspace_id,
            channel_id=channel_id,
            changes=changes,
            now=deps.clock.now(),
        )
        leads_text = ", ".join(lead.user_id for lead in saved.leads) or "none"
        line = (
            f"{'Created' if created else 'Updated'} team {saved.name!r} ({channel_id}): "
            f"nudges {saved.nudge_time:%H:%M}, celebration {WEEKDAY_NAMES[saved.celebrate_weekday]} "
            f"{saved.celebrate_time:%H:%M}, {saved.timezone}, holidays {saved.holiday_country}, "
            f"workdays {_weekday_names(saved.workdays)}, language {saved.language}, "
            f"leads {leads_text}"
            + (f", pinned principle {changes.pin}" if changes.pin else "")
            + _pulse_line(session, saved)
            + "."
        )
    return line


def _weekday_names(stored: str | None) -> str:
    days = days_from_text(stored) or MON_TO_FRI
    return ",".join(WEEKDAY_NAMES[d][:3].lower() for d in sorted(days))


def _pulse_line(session: Session, team: Team) -> str:
    rule = latest_rule(session, workspace_id=team.workspace_id, team_id=team.id)
    if rule.starts is None:
        return ""
    mode = (
        ("monthly" + (" with ownership statements" if rule.statements else ""))
        if rule.enabled
        else "off"
    )
    return f", pulse {mode} from {rule.starts:%Y-%m}"


channel_option = click.option(
    "--channel",
    "channel_id",
    required=True,
    callback=_slack_id(CHANNEL_ID, "C0123ABCD"),
    help="The team's Slack channel ID.",
)


def _refusing(error: LookupError) -> click.ClickException:
    return click.ClickException(str(error.args[0]) if error.args else str(error))


@team.command("list")
@workspace_option
def team_list(workspace_id: str) -> None:
    """List the workspace's teams: id, channel, name, leads, members and settings."""
    try:
        found = administration.list_teams(_deps(), workspace_id=workspace_id)
    except administration.UnknownWorkspace as error:
        raise _refusing(error) from None
    for t in found:
        click.echo(
            f"{t.id}\t{t.channel_id}\t{t.name}\tleads {', '.join(t.leads) or 'none'}\t"
            f"{t.members} member(s)\tnudges {t.nudge_time:%H:%M}, celebration "
            f"{WEEKDAY_NAMES[t.celebrate_weekday]} {t.celebrate_time:%H:%M}, {t.timezone}, "
            f"holidays {t.holiday_country}, language {t.language}"
            + (f", pinned principle #{t.pinned_principle_id}" if t.pinned_principle_id else "")
        )
    click.echo(f"{len(found)} team(s) in {workspace_id}.", err=True)


@team.command("rename")
@workspace_option
@channel_option
@click.option("--name", required=True, callback=_setting(check_team_name), help="The new name.")
def team_rename(workspace_id: str, channel_id: str, name: str) -> None:
    """Give a team a new name."""
    try:
        old = administration.rename_team(
            _deps(), workspace_id=workspace_id, channel_id=channel_id, name=name
        )
    except administration.UnknownTeam as error:
        raise _refusing(error) from None
    click.echo(f"Renamed team {old!r} ({channel_id}) to {name!r}.")


@team.command("remove")
@workspace_option
@channel_option
def team_remove(workspace_id: str, channel_id: str) -> None:
    """Remove a team. Its stories stay; its members get no more nudges from it."""
    try:
        removed = administration.remove_team(
            _deps(), workspace_id=workspace_id, channel_id=channel_id
        )
    except administration.UnknownTeam as error:
        raise _refusing(error) from None
    click.echo(
        f"Removed team {removed.name!r} ({channel_id}) with its leads and celebrations. "
        f"Its stories stay (without a team). Its {removed.members} member(s) get no more nudges "
        f"from it (members of another team keep that team's)"
        + (
            f"; {removed.dropped_nudges} queued nudge(s) will not be sent"
            if removed.dropped_nudges
            else ""
        )
        + "."
    )


@cli.group()
def admin() -> None:
    """Manage catalogue admins."""


@admin.command("add")
@workspace_option
@click.option(
    "--user",
    "user_id",
    required=True,
    callback=_slack_id(USER_ID, "U0123ABCD"),
    help="The person's Slack user ID.",
)
def admin_add(workspace_id: str, user_id: str) -> None:
    """Make a person a catalogue admin (workspace owners and admins already are)."""
    deps = _deps()
    with deps.unit_of_work() as session:
        added = add_admin(
            session,
            workspace_id=workspace_id,
            user_id=user_id,
            added_by="cli",
            now=deps.clock.now(),
        )
    click.echo(f"{user_id} is {'now' if added else 'already'} a catalogue admin of {workspace_id}.")


user_option = click.option(
    "--user",
    "user_id",
    required=True,
    callback=_slack_id(USER_ID, "U0123ABCD"),
    help="The person's Slack user ID.",
)


@admin.command("list")
@workspace_option
def admin_list(workspace_id: str) -> None:
    """List the catalogue admins: those added here and Slack's workspace owners and admins."""
    try:
        admins = administration.list_admins(_deps(), workspace_id=workspace_id)
    except administration.UnknownWorkspace as error:
        raise _refusing(error) from None
    for user_id, added_by in admins.listed:
        click.echo(f"{user_id}\tadded by {added_by}")
    for user_id in admins.through_slack:
        click.echo(f"{user_id}\tworkspace owner or admin in Slack")
    click.echo(
        f"{len(admins.listed)} added admin(s), {len(admins.through_slack)} through Slack.", err=True
    )


@admin.command("remove")
@workspace_option
@user_option
def admin_remove(workspace_id: str, user_id: str) -> None:
    """Take a person off the catalogue admins added with `admin add`."""
    try:
        outcome = administration.remove_admin(_deps(), workspace_id=workspace_id, user_id=user_id)
    except administration.UnknownWorkspace as error:
        raise _refusing(error) from None
    line = (
        f"{user_id} is no longer an added catalogue admin of {workspace_id}."
        if outcome.removed
        else f"{user_id} was not an added catalogue admin of {workspace_id}; nothing changed."
    )
    if outcome.still_admin_through_slack:
        line += (
            " They stay an admin through Slack (a workspace owner or admin there); "
            "change their role in Slack to end that."
        )
    click.echo(line)


@cli.group()
def workspace() -> None:
    """A workspace's settings, or deleting all its data."""


@workspace.command("set")
@workspace_option
@click.option(
    "--retention-days",
    required=True,
    metavar="DAYS|none",
    callback=_setting(parse_retention_days),
    help="Delete intentions (answers to nudges) older than DAYS; 'none' keeps them (default).",
)
def workspace_set(workspace_id: str, retention_days: int | None) -> None:
    """Change a workspace's settings."""
    try:
        administration.set_retention(_deps(), workspace_id=workspace_id, days=retention_days)
    except administration.UnknownWorkspace as error:
        raise _refusing(error) from None
    if retention_days is None:
        click.echo(f"{workspace_id} keeps intentions until they are deleted.")
    else:
        click.echo(
            f"{workspace_id} keeps intentions {retention_days} day(s); older ones are deleted "
            "by the scheduler of `coach run` (hourly). Stories stay."
        )


@workspace.command("delete")
@workspace_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
def workspace_delete(workspace_id: str, yes: bool) -> None:
    """Delete every row of a workspace (catalogue, teams, people, stories, installation), in one
    transaction. Other workspaces are untouched. Asks first unless --yes."""
    deps = _deps()
    counts = administration.workspace_rows(deps, workspace_id=workspace_id)
    if not counts:
        raise click.ClickException(
            f"workspace {workspace_id} has no data in this database; check the Slack team ID "
            "and DATABASE_URL"
        )
    click.echo(f"This deletes all data of workspace {workspace_id}:")
    for table, count in sorted(counts.items()):
        click.echo(f"  {table}: {count}")
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException(
                "not deleting without a confirmation: run it in a terminal, or add --yes"
            )
        click.confirm(f"Delete all {sum(counts.values())} rows of {workspace_id}?", abort=True)
    deleted = administration.delete_workspace(deps, workspace_id=workspace_id)
    click.echo(f"Deleted {sum(deleted.values())} rows of workspace {workspace_id}.")


@cli.command()
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
        size = back_up(_deps(need_current_schema=False), output=output, force=force)
    except BackupRefused as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the database to {output} ({size} bytes).")


@cli.group()
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
    deps = _deps()
    with deps.unit_of_work() as session:
        if get_workspace(session, workspace_id=workspace_id) is None:
            raise click.ClickException(
                f"workspace {workspace_id} is unknown to this database; check the Slack team ID and DATABASE_URL"
            )
        rows = stories_for_export(session, workspace_id=workspace_id, since=since)
    click.echo(to_json(rows) if output_format == "json" else to_csv(rows), nl=False)
    count = f"{len(rows)} {'story' if len(rows) == 1 else 'stories'}"
    click.echo(f"Exported {count} of {workspace_id}.", err=True)


@cli.group()
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
    deps = _deps()
    with deps.unit_of_work() as session:
        if get_workspace(session, workspace_id=workspace_id) is None:
            raise click.ClickException(
                f"workspace {workspace_id} is unknown to this database; check the Slack team ID and DATABASE_URL"
            )
    records = pulse_export.pulse_records(deps, workspace_id=workspace_id)
    text = (
        pulse_export.to_json(records) if output_format == "json" else pulse_export.to_csv(records)
    )
    click.echo(text, nl=False)
    click.echo(f"Exported {len(records)} pulse result(s) of {workspace_id}.", err=True)


@cli.command()
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
        made = organisation_report(_deps(), workspace_id=workspace_id, weeks=weeks)
    except UnknownWorkspace:
        raise click.ClickException(
            f"workspace {workspace_id} is unknown to this database; check the Slack team ID and DATABASE_URL"
        ) from None
    output.write_text(report_html(made, Prompts()), encoding="utf-8")
    teams = len(made.view.teams)
    click.echo(f"Wrote the report of {workspace_id} ({teams} teams, {weeks} weeks) to {output}.")


def main() -> None:
    cli(prog_name="coach")
