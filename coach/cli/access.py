"""`coach admin` and `coach workspace`: who may edit, and a workspace's own settings or data."""

from __future__ import annotations

import sys

import click

from coach.cli.common import (
    USER_ID,
    load_deps,
    refusing,
    setting,
    slack_id,
    user_option,
    workspace_option,
)
from coach.domain.retention import parse_retention_days
from coach.services import administration
from coach.store.workspaces import add_admin


@click.group()
def admin() -> None:
    """Manage catalogue admins."""


@admin.command("add")
@workspace_option
@click.option(
    "--user",
    "user_id",
    required=True,
    callback=slack_id(USER_ID, "U0123ABCD"),
    help="The person's Slack user ID.",
)
def admin_add(workspace_id: str, user_id: str) -> None:
    """Make a person a catalogue admin (workspace owners and admins already are)."""
    deps = load_deps()
    with deps.unit_of_work() as session:
        added = add_admin(
            session,
            workspace_id=workspace_id,
            user_id=user_id,
            added_by="cli",
            now=deps.clock.now(),
        )
    click.echo(f"{user_id} is {'now' if added else 'already'} a catalogue admin of {workspace_id}.")


@admin.command("list")
@workspace_option
def admin_list(workspace_id: str) -> None:
    """List the catalogue admins: those added here and Slack's workspace owners and admins."""
    try:
        admins = administration.list_admins(load_deps(), workspace_id=workspace_id)
    except administration.UnknownWorkspace as error:
        raise refusing(error) from None
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
        outcome = administration.remove_admin(
            load_deps(), workspace_id=workspace_id, user_id=user_id
        )
    except administration.UnknownWorkspace as error:
        raise refusing(error) from None
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


@click.group()
def workspace() -> None:
    """A workspace's settings, or deleting all its data."""


@workspace.command("set")
@workspace_option
@click.option(
    "--retention-days",
    required=True,
    metavar="DAYS|none",
    callback=setting(parse_retention_days),
    help="Delete intentions (answers to nudges) older than DAYS; 'none' keeps them (default).",
)
def workspace_set(workspace_id: str, retention_days: int | None) -> None:
    """Change a workspace's settings."""
    try:
        administration.set_retention(load_deps(), workspace_id=workspace_id, days=retention_days)
    except administration.UnknownWorkspace as error:
        raise refusing(error) from None
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
    deps = load_deps()
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
