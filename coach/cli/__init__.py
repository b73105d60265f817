"""The command line: parse, call one service, print. docs/contract.md lists the commands.

Each module below holds one group of commands; this one puts them under `coach`.
"""

from __future__ import annotations

import click

from coach.cli.access import admin, workspace
from coach.cli.catalogue import catalog
from coach.cli.exports import backup, pulse, report, stories
from coach.cli.serving import demo, migrate, run, tick
from coach.cli.teams import team


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(package_name="nineplus-coach", prog_name="9+ Coach")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """9+ Coach: a Slack bot that keeps an organisation's Guiding Principles alive.

    With no command, `run`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(run)


for command in (
    run,
    demo,
    tick,
    migrate,
    catalog,
    team,
    admin,
    workspace,
    backup,
    stories,
    pulse,
    report,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="coach")
