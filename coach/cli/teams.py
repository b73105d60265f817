"""`coach team`: create, list, change and remove teams."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy.orm import Session

from coach.cli.common import (
    USER_ID,
    channel_option,
    load_deps,
    refusing,
    setting,
    slack_id,
    workspace_option,
)
from coach.deps import Deps
from coach.domain.schedule import MON_TO_FRI, days_from_text
from coach.domain.team_settings import (
    CELEBRATION_PICTURES,
    WEEKDAY_NAMES,
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
from coach.services import administration
from coach.services.teams import update_team
from coach.store.models import Team
from coach.store.pulse import latest_rule
from coach.store.teams import UnknownPrinciple


@click.group()
def team() -> None:
    """Create and change teams."""


@team.command("set")
@workspace_option
@channel_option
@click.option("--name", callback=setting(check_team_name), help="Team name (default: the channel).")
@click.option(
    "--lead",
    "leads",
    multiple=True,
    callback=slack_id(USER_ID, "U0123ABCD"),
    help="A team lead's user ID; repeat for several. Replaces the leads.",
)
@click.option(
    "--nudge-time",
    callback=setting(parse_clock_time),
    help="Daily nudge time HH:MM (default 09:00).",
)
@click.option(
    "--celebrate",
    callback=setting(parse_celebrate),
    help="Weekly celebration 'DAY HH:MM' (default 'Friday 16:00').",
)
@click.option(
    "--timezone",
    callback=setting(check_timezone),
    help="IANA timezone (default Europe/Amsterdam).",
)
@click.option(
    "--holidays",
    "holiday_country",
    callback=setting(check_holiday_country),
    help="Country whose public holidays get no nudges (default NL).",
)
@click.option(
    "--language",
    callback=setting(check_language),
    help="nl or en (default: the catalogue's language).",
)
@click.option(
    "--workdays",
    callback=setting(parse_weekdays),
    help="The weekdays members may be nudged on, e.g. mon,tue,wed,thu,fri,sat "
    "(default Monday to Friday); members choose their own days among these.",
)
@click.option(
    "--pin",
    callback=setting(check_pin),
    help="Keep this principle id in focus, or 'none' to rotate weekly again.",
)
@click.option(
    "--pulse",
    callback=setting(parse_pulse),
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
    deps = load_deps()
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


@team.command("list")
@workspace_option
def team_list(workspace_id: str) -> None:
    """List the workspace's teams: id, channel, name, leads, members and settings."""
    try:
        found = administration.list_teams(load_deps(), workspace_id=workspace_id)
    except administration.UnknownWorkspace as error:
        raise refusing(error) from None
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
@click.option("--name", required=True, callback=setting(check_team_name), help="The new name.")
def team_rename(workspace_id: str, channel_id: str, name: str) -> None:
    """Give a team a new name."""
    try:
        old = administration.rename_team(
            load_deps(), workspace_id=workspace_id, channel_id=channel_id, name=name
        )
    except administration.UnknownTeam as error:
        raise refusing(error) from None
    click.echo(f"Renamed team {old!r} ({channel_id}) to {name!r}.")


@team.command("remove")
@workspace_option
@channel_option
def team_remove(workspace_id: str, channel_id: str) -> None:
    """Remove a team. Its stories stay; its members get no more nudges from it."""
    try:
        removed = administration.remove_team(
            load_deps(), workspace_id=workspace_id, channel_id=channel_id
        )
    except administration.UnknownTeam as error:
        raise refusing(error) from None
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
