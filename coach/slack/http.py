"""The HTTP face of the app (WSGI): Slack's requests, the OAuth install pages, /healthz and
/metrics.

Signatures are checked here, before anything parses the body, against the injected clock.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from prometheus_client import make_wsgi_app
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier

from coach.clock import Clock
from coach.deps import Deps
from coach.in_flight import InFlight
from coach.metrics import Metrics
from coach.services.operations import token_revoked
from coach.store.db import check_connection

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
MAX_BODY_BYTES = 1_000_000

StartResponse = Callable[..., Any]
Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class _SlackClock(SignatureClock):
    """slack_sdk's clock interface (seconds since the epoch) over our Clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock.now().timestamp()


def make_wsgi(
    app: App,
    deps: Deps,
    signing_secret: str,
    *,
    metrics: Metrics | None = None,
    workspace_id: str | None = None,
    in_flight: InFlight | None = None,
) -> Wsgi:
    """`metrics`: what /metrics shows (default: this app's requests only); `workspace_id`: the
    single install's workspace, whose revoked token /healthz reports (None with OAuth);
    `in_flight`: counts Slack's requests until their ack, for the work that gives way to them."""
    handler = SlackRequestHandler(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret, clock=_SlackClock(deps.clock))
    metrics = metrics or Metrics()
    in_flight = in_flight or InFlight()
    scrape = make_wsgi_app(metrics.registry)

    def from_slack(environ: dict[str, Any], start_response: StartResponse) -> _Answer:
        body = _read_body(environ)
        if body is None:
            return UNVERIFIED, _plain(start_response, "413 Payload Too Large", "too large")
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not _signed(verifier, body, timestamp, signature):
            logger.warning("refused a request with a missing, wrong or stale signature")
            return UNVERIFIED, _plain(start_response, "401 Unauthorized", "invalid signature")
        kind = request_kind(body, environ.get("CONTENT_TYPE", ""))
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        try:
            return kind, handler(environ, start_response)
        except Exception:  # Bolt could not even read the body: not a shape Slack sends
            # Bolt's own error handler covers everything after parsing; this covers parsing
            # (broken JSON, `"team": true`, ...). Ack, so Slack does not retry it.
            logger.warning("ignored a signed request Bolt cannot parse", exc_info=True)
            return kind, _plain(start_response, "200 OK", "")

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _health(deps, metrics, workspace_id, start_response)
        if path == METRICS_PATH and method in ("GET", "HEAD"):
            return scrape(environ, start_response)  # type: ignore[no-any-return]
        if path == EVENTS_PATH and method == "POST":
            started = time.perf_counter()  # the ack's latency: a duration, not a decision
            answered = _Status(start_response)
            with in_flight.answering():
                kind, answer = from_slack(environ, answered)
            metrics.slack_request(kind, answered.code, time.perf_counter() - started)
            return answer
        return handler(environ, start_response)

    return wsgi


_Answer = tuple[str, Iterable[bytes]]
UNVERIFIED = "unverified"  # refused before the body was read: nothing in it is believed
# Slack's payload types, as an operator reads them (a bounded set: labels never grow).
_KINDS = {
    "block_actions": "block_action",
    "interactive_message": "block_action",
    "view_submission": "view_submission",
    "view_closed": "view_closed",
    "shortcut": "shortcut",
    "message_action": "shortcut",
    "block_suggestion": "options",
    "event_callback": "event",
    "url_verification": "url_verification",
}


def request_kind(body: bytes, content_type: str) -> str:
    """What a signed request is: slash_command, block_action, view_submission, view_closed,
    shortcut, options, event, url_verification or other."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            payload = json.loads(text)
        else:
            form = parse_qs(text)
            if "command" in form and "payload" not in form:
                return "slash_command"
            payload = json.loads(form.get("payload", ["{}"])[0])
    except ValueError:
        return "other"
    kind = payload.get("type") if isinstance(payload, dict) else None
    return _KINDS.get(kind, "other") if isinstance(kind, str) else "other"


class _Status:
    """start_response, remembering the status code it was given."""

    def __init__(self, start_response: StartResponse) -> None:
        self._start_response = start_response
        self.code = 0

    def __call__(self, status: str, *args: Any) -> Any:
        self.code = int(status.split(" ", 1)[0])
        return self._start_response(status, *args)


def _signed(verifier: SignatureVerifier, body: bytes, timestamp: str, signature: str) -> bool:
    """slack_sdk's check, after the shapes it assumes: it raises on a timestamp that is not a
    number and on a body that is not UTF-8 (Slack sends neither), which must be a 401, not a 500."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)


def _read_body(environ: dict[str, Any]) -> bytes | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return None
    stream = environ["wsgi.input"]
    return bytes(stream.read(length)) if length > 0 else b""


def _health(
    deps: Deps, metrics: Metrics, workspace_id: str | None, start_response: StartResponse
) -> Iterable[bytes]:
    """200 `ok`, or 503 with one short reason and nothing else (no ids, no tokens, no trace)."""
    try:
        check_connection(deps.engine)
        revoked = workspace_id is not None and token_revoked(deps, workspace_id=workspace_id)
    except Exception:
        logger.exception("health check: the database is not reachable")
        return _plain(start_response, "503 Service Unavailable", "database unreachable")
    if revoked:
        logger.warning("health check: the bot token was revoked or the app uninstalled")
        return _plain(start_response, "503 Service Unavailable", "token revoked")
    if metrics.stalled(deps.clock.now()):
        logger.warning("health check: the scheduler has not completed a pass for too long")
        return _plain(start_response, "503 Service Unavailable", "scheduler stalled")
    return _plain(start_response, "200 OK", "ok")


def _plain(start_response: StartResponse, status: str, body: str) -> Iterable[bytes]:
    data = body.encode("utf-8")
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))]
    )
    return [data]
