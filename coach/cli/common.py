"""What every command shares: Slack id checks, the common options, settings and database (or
a clear message and a non-zero exit), and the refusals several commands give."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from sqlalchemy.exc import OperationalError

from coach.clock import Clock, SystemClock
from coach.deps import Deps, build_deps
from coach.domain.team_settings import InvalidSetting
from coach.settings import SettingsError, load_settings
from coach.store import schema

T = TypeVar("T")

WORKSPACE_ID = re.compile(r"^[TE][A-Z0-9]{2,31}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,31}$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - a server: Slack must reach it


def slack_id(
    pattern: re.Pattern[str], example: str
) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def check(_ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        values = value if isinstance(value, tuple) else (value,)
        for item in values:
            if item is not None and not pattern.match(item):
                raise click.BadParameter(f"{item!r} is not a Slack ID like {example}", param=param)
        return value

    return check


def setting(
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
    callback=slack_id(WORKSPACE_ID, "T0123ABCD"),
    help="Slack workspace (team) ID, e.g. T0123ABCD.",
)


def load_deps(*, need_current_schema: bool = True, clock: Clock | None = None) -> Deps:
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
            raise click.ClickException(unreachable(error)) from None
    return deps


def unreachable(error: OperationalError) -> str:
    return f"cannot reach the database named by DATABASE_URL: {error.orig}"


channel_option = click.option(
    "--channel",
    "channel_id",
    required=True,
    callback=slack_id(CHANNEL_ID, "C0123ABCD"),
    help="The team's Slack channel ID.",
)


def refusing(error: LookupError) -> click.ClickException:
    return click.ClickException(str(error.args[0]) if error.args else str(error))


user_option = click.option(
    "--user",
    "user_id",
    required=True,
    callback=slack_id(USER_ID, "U0123ABCD"),
    help="The person's Slack user ID.",
)


def unknown_workspace(workspace_id: str) -> click.ClickException:
    return click.ClickException(
        f"workspace {workspace_id} is unknown to this database; "
        "check the Slack team ID and DATABASE_URL"
    )
