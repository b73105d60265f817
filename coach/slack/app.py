"""build_app: the Bolt app with its listeners, for HTTP and Socket Mode alike."""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from coach.delivery.tokens import Installed, installed_by
from coach.settings import bolt_env_hidden
from coach.slack import middleware
from coach.slack.deps import SlackDeps
from coach.slack.installs import state_store
from coach.slack.listeners import (
    actions,
    admin_home,
    catalog_editor,
    celebrations,
    commands,
    events,
    home,
    nudge_answers,
    privacy,
    pulse,
    shortcuts,
    story_edits,
    team_setup,
    views,
)
from coach.store.workspaces import mark_installed

logger = logging.getLogger(__name__)

BOT_SCOPES = (  # the same list as manifest.yaml's oauth_config.scopes.bot (a test checks)
    "channels:history",  # to find a celebration a crashed attempt may have posted
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "users:read",
)


def interactive_client(api_url: str, token: str | None = None) -> WebClient:
    """A Web API client for interactive calls: retries resets, 5xx and 429 (after Retry-After).

    Scheduled sends do not use it: the outbox handles 429 and ambiguous failures itself.
    """
    return WebClient(
        token=token,
        base_url=api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=1),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


# Bolt runs every listener on this pool and the request's thread waits (polling) until the
# listener calls ack(). Its default of 5 threads is held by the work listeners do after acking
# (views.open, a transaction), so at a burst of clicks the next ack waited for a free thread
# (issue 12). Post-ack work is short (one Slack call, one transaction) and I/O-bound: 32
# threads keep a free one for the next ack at Slack's pace of bursts; the database pool is sized
# to match (store/db.py).
LISTENER_THREADS = 32


def build_app(deps: SlackDeps, installed: Installed | None = None) -> App:
    """The Bolt app with every listener; `installed`: the single install's workspace when the
    caller already asked Slack (`coach run` asks once for both lanes)."""
    settings = deps.core.settings
    common: dict[str, Any] = {
        "name": "9+ Coach",
        # HTTP and Socket Mode alike: ack() answers Slack at once, the rest runs after it.
        "process_before_response": False,
        "listener_executor": ThreadPoolExecutor(LISTENER_THREADS, "coach-listener"),
        # The HTTP layer (coach/slack/http.py) verifies signatures against the injected clock
        # before the body is parsed; Socket Mode needs no signature.
        "request_verification_enabled": False,
        "raise_error_for_unhandled_request": True,
        "logger": logging.getLogger("coach.slack.bolt"),
        "signing_secret": _secret(settings.slack_signing_secret) or "",
        # Bolt's answer to a request from a workspace without this install, in our words
        "user_facing_authorize_error_message": deps.prompts.render("en", "not_installed_here"),
    }
    with bolt_env_hidden():
        app = _bolt_app(deps, common, installed)
    _register(app, deps)
    return app


def _bolt_app(deps: SlackDeps, common: dict[str, Any], installed: Installed | None) -> App:
    settings = deps.core.settings
    if settings.oauth_enabled:
        assert deps.installation_store is not None  # noqa: S101 - built with OAuth by make_slack_deps
        app = App(
            **common,
            client=interactive_client(settings.slack_api_url),
            installation_store=deps.installation_store,
            oauth_settings=OAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=_secret(settings.slack_client_secret),
                scopes=list(BOT_SCOPES),
                installation_store=deps.installation_store,
                state_store=state_store(deps.core.engine),
                callback_options=CallbackOptions(
                    success=lambda args: _installed(args, deps), failure=_install_failed
                ),
            ),
        )
    else:
        token = _secret(settings.slack_bot_token) or ""  # serving refuses to start without
        # One auth.test (the caller's, or here), failing loudly on a bad token; Bolt would make
        # its own at start-up and again at the first request. Each request's client gets the
        # token from the authorization, so the app's own client carries none.
        installed = installed or installed_by(interactive_client(settings.slack_api_url, token))
        client = interactive_client(settings.slack_api_url)
        # Bolt takes an Authorize instance as it is (app.py), though its annotation names only callables
        only_the_install: Any = _OnlyTheInstall(installed, token)
        app = App(**common, client=client, authorize=only_the_install)
        with deps.core.unit_of_work() as session:
            mark_installed(
                session,
                workspace_id=installed.workspace_id,
                name=installed.name,
                now=deps.core.clock.now(),
            )
    return app


class _OnlyTheInstall(Authorize):
    """Bolt's authorization for the single install: its token for its own workspace's requests,
    nothing for another's (Bolt then refuses them)."""

    def __init__(self, installed: Installed, token: str) -> None:
        self._workspace_id = installed.workspace_id
        self._result = AuthorizeResult.from_auth_test_response(
            bot_token=token, auth_test_response=installed.answer
        )

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        return self._result if team_id == self._workspace_id else None


def _register(app: App, deps: SlackDeps) -> None:
    middleware.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    shortcuts.register(app, deps)
    nudge_answers.register(app, deps)
    views.register(app, deps)
    story_edits.register(app, deps)
    privacy.register(app, deps)
    celebrations.register(app, deps)
    home.register(app, deps)
    catalog_editor.register(app, deps)
    team_setup.register(app, deps)
    pulse.register(app, deps)
    admin_home.register(app, deps)
    events.register(app, deps)
    app.error(_on_error(deps))


def _secret(value: Any) -> str | None:
    return None if value is None else str(value.get_secret_value())


def _installed(args: SuccessArgs, deps: SlackDeps) -> BoltResponse:
    installation = args.installation
    with deps.core.unit_of_work() as session:
        mark_installed(
            session,
            workspace_id=str(installation.team_id),
            name=str(installation.team_name or ""),
            now=deps.core.clock.now(),
        )
    logger.info("installed in workspace %s", installation.team_id)
    return args.default.success(args)


def _install_failed(args: FailureArgs) -> BoltResponse:
    logger.warning("install failed: %s (%s)", args.reason, args.error)
    return args.default.failure(args)


def _on_error(deps: SlackDeps) -> Any:
    def handle(error: Exception, request: BoltRequest, body: dict[str, Any]) -> BoltResponse:
        """One place for unexpected errors: a traceback in the log, a short word to the person."""
        if isinstance(error, BoltUnhandledRequestError):
            logger.info("no listener for %s", _kind(body))
            return BoltResponse(status=200, body="")
        logger.exception("error while handling %s", _kind(body), exc_info=error)
        if body.get("command"):
            text = deps.prompts.render("en", "error")
            return BoltResponse(
                status=200,
                headers={"content-type": "application/json"},
                body=json.dumps({"response_type": "ephemeral", "text": text}),
            )
        return BoltResponse(status=200, body="")

    return handle


def _kind(body: dict[str, Any]) -> str:
    event = body.get("event")
    event_type = event.get("type") if isinstance(event, dict) else None
    return str(body.get("command") or event_type or body.get("type") or "request")
