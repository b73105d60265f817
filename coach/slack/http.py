"""The HTTP face of the app (WSGI): Slack's requests, the OAuth install pages and /healthz.

Signatures are checked here, before anything parses the body, against the injected clock.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier

from coach.clock import Clock
from coach.deps import Deps
from coach.store.db import check_connection

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1_000_000

StartResponse = Callable[..., Any]
Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class _SlackClock(SignatureClock):
    """slack_sdk's clock interface (seconds since the epoch) over our Clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock.now().timestamp()


def make_wsgi(app: App, deps: Deps, signing_secret: str) -> Wsgi:
    handler = SlackRequestHandler(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret, clock=_SlackClock(deps.clock))

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _health(deps, start_response)
        if path == EVENTS_PATH and method == "POST":
            body = _read_body(environ)
            if body is None:
                return _plain(start_response, "413 Payload Too Large", "too large")
            timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
            signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
            if not _signed(verifier, body, timestamp, signature):
                logger.warning("refused a request with a missing, wrong or stale signature")
                return _plain(start_response, "401 Unauthorized", "invalid signature")
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            try:
                return handler(environ, start_response)
            except Exception:  # Bolt could not even read the body: not a shape Slack sends
                # Bolt's own error handler covers everything after parsing; this covers parsing
                # (broken JSON, `"team": true`, ...). Ack, so Slack does not retry it.
                logger.warning("ignored a signed request Bolt cannot parse", exc_info=True)
                return _plain(start_response, "200 OK", "")
        return handler(environ, start_response)

    return wsgi


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


def _health(deps: Deps, start_response: StartResponse) -> Iterable[bytes]:
    try:
        check_connection(deps.engine)
    except Exception:
        logger.exception("health check: the database is not reachable")
        return _plain(start_response, "503 Service Unavailable", "database unreachable")
    return _plain(start_response, "200 OK", "ok")


def _plain(start_response: StartResponse, status: str, body: str) -> Iterable[bytes]:
    data = body.encode("utf-8")
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))]
    )
    return [data]
