"""Serving and passes: `coach run`, `demo`, `tick` and `migrate`."""

from __future__ import annotations

import logging
import sys
from datetime import datetime

import click
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import OperationalError

from coach.cli.common import ALL_INTERFACES, load_deps, unreachable
from coach.clock import Clock, FixedClock, SystemClock, as_utc
from coach.logs import configure_logging
from coach.store import schema


@click.command()
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

    deps = load_deps()
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


@click.command()
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


@click.command()
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
    deps = load_deps(clock=clock)
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


@click.command()
def migrate() -> None:
    """Bring the database schema to the newest version."""
    deps = load_deps(need_current_schema=False)
    try:
        before = schema.current_revision(deps.engine)
        schema.migrate(deps.engine)
    except OperationalError as error:
        raise click.ClickException(unreachable(error)) from None
    head = schema.head_revision()
    if before == head:
        click.echo(f"Database schema is up to date (revision {head}).")
    else:
        click.echo(f"Database schema migrated from {before or 'empty'} to {head}.")
