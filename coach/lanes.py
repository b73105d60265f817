"""What `coach run --role` starts: the web lane (Slack's requests, acked at once) and the worker
lane (sync, plan, send on APScheduler's triggers); `all` runs both in one process.

The lanes share nothing but the database: the outbox's claims (`SKIP LOCKED`) and each row's
unique key make any number of web and worker processes against one PostgreSQL safe. On SQLite
claims take no row lock, so it allows one process that sends (`all`, or one `worker`); a `web`
process beside it only queues.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from coach.deps import Deps
from coach.in_flight import InFlight
from coach.metrics import Metrics

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

    from coach.delivery.tokens import Installed

logger = logging.getLogger(__name__)


class Role(StrEnum):
    ALL = "all"
    WEB = "web"
    WORKER = "worker"


def run_role(deps: Deps, role: Role, *, host: str) -> None:
    """Run until SIGTERM or SIGINT; a running pass and the requests in flight finish first.

    The web lane is built first, so a refused token stops the process before any pass runs."""
    from coach.services.operations import outbox_backlog

    metrics = Metrics(backlog=lambda: outbox_backlog(deps))
    installed = _single_install(deps)
    in_flight = InFlight()  # in `all`, the worker's planning gives way to the web's acks
    serve = None if role is Role.WORKER else _web(deps, metrics, installed, in_flight, host=host)
    scheduler = None if role is Role.WEB else _worker(deps, metrics, installed, in_flight)
    try:
        if serve is not None:
            serve()
        else:
            from coach.slack.serve import wait_for_stop

            logger.info("9+ Coach worker started: planning, syncing and sending; no requests")
            wait_for_stop()
    finally:
        if scheduler is not None:
            from coach.delivery.scheduler import stop_scheduler

            stop_scheduler(scheduler)


def _single_install(deps: Deps) -> Installed | None:
    """One auth.test for both lanes: a refused SLACK_BOT_TOKEN stops the process before anything
    runs, and the token's workspace is known (None with OAuth: each install has its own)."""
    from coach.delivery.tokens import installed_by
    from coach.slack.app import interactive_client

    settings = deps.settings
    if settings.slack_bot_token is None or settings.oauth_enabled:
        return None
    token = settings.slack_bot_token.get_secret_value()
    return installed_by(interactive_client(settings.slack_api_url, token))


def _worker(
    deps: Deps, metrics: Metrics, installed: Installed | None, in_flight: InFlight
) -> BackgroundScheduler:
    from coach.delivery.passes import build_passes
    from coach.delivery.scheduler import start_scheduler

    passes = build_passes(deps, metrics, installed, in_flight)
    if passes is None:  # problems_for_serving refuses this before we get here
        raise SystemExit("no Slack token: set SLACK_BOT_TOKEN, or configure the OAuth install")
    return start_scheduler(passes)


def _web(
    deps: Deps, metrics: Metrics, installed: Installed | None, in_flight: InFlight, *, host: str
) -> Callable[[], None]:
    """Build the Bolt app and return what serves it."""
    from coach.slack.app import build_app
    from coach.slack.deps import make_slack_deps
    from coach.slack.http import make_wsgi
    from coach.slack.serve import serve_http, serve_socket_mode

    settings = deps.settings
    slack_deps = make_slack_deps(deps, in_flight)
    app = build_app(slack_deps, installed)
    if settings.slack_app_token is not None:
        app_token = settings.slack_app_token.get_secret_value()
        return lambda: serve_socket_mode(
            app, slack_deps.after_ack, app_token=app_token, api_url=settings.slack_api_url
        )
    secret = settings.slack_signing_secret
    wsgi = make_wsgi(
        app,
        deps,
        secret.get_secret_value() if secret else "",
        metrics=metrics,
        # the single install: /healthz says when its token is revoked
        workspace_id=installed.workspace_id if installed else None,
        in_flight=in_flight,
    )
    return lambda: serve_http(app, wsgi, slack_deps.after_ack, host=host, port=settings.port)
