"""Signed HTTP requests from "Slack" to the app's request URL, exactly as Slack signs them.

`X-Slack-Signature: v0=<hex HMAC-SHA256(signing_secret, "v0:{timestamp}:{raw body}")>` with
`X-Slack-Request-Timestamp: {timestamp}` (Slack's "Verifying requests from Slack"; slack_sdk's
SignatureVerifier checks the same and refuses timestamps more than 5 minutes off). Redeliveries
add `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`. The timestamp comes from the `now` argument.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from slack_standin.clock import as_utc

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def signature(signing_secret: str, timestamp: int, body: bytes) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignedRequest:
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class AppResponse:
    status: int
    headers: dict[str, str]
    body: bytes = field(repr=False)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def sign(
    body: bytes,
    *,
    content_type: str,
    signing_secret: str,
    now: datetime,
    age: timedelta = timedelta(0),
    wrong_signature: bool = False,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> SignedRequest:
    """Headers for `body`. `age` backdates the timestamp (an old or replayed request);
    `wrong_signature` signs with another secret."""
    timestamp = int((as_utc(now) - age).timestamp())
    secret = signing_secret + "-wrong" if wrong_signature else signing_secret
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature(secret, timestamp, body),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    return SignedRequest(body, headers)


def slash_command_request(
    fields: Mapping[str, str], *, signing_secret: str, now: datetime, **options: Any
) -> SignedRequest:
    body = urlencode(fields).encode()
    return sign(body, content_type=FORM, signing_secret=signing_secret, now=now, **options)


def interactivity_request(
    payload: Mapping[str, Any], *, signing_secret: str, now: datetime, **options: Any
) -> SignedRequest:
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return sign(body, content_type=FORM, signing_secret=signing_secret, now=now, **options)


def event_request(
    envelope: Mapping[str, Any], *, signing_secret: str, now: datetime, **options: Any
) -> SignedRequest:
    body = json.dumps(envelope).encode()
    return sign(body, content_type=JSON, signing_secret=signing_secret, now=now, **options)


def send(url: str, request: SignedRequest, *, timeout: float = 10.0) -> AppResponse:
    """POST the request and return whatever the app answered, error statuses included."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url}")
    http_request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=request.body, headers=request.headers, method="POST"
    )
    try:
        with urllib.request.urlopen(http_request, timeout=timeout) as response:  # noqa: S310
            return AppResponse(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        with error:
            return AppResponse(error.code, dict(error.headers), error.read())


def call_wsgi(wsgi: Any, request: SignedRequest) -> tuple[str, bytes]:
    """Hand a signed request to a WSGI app in-process, as a server would: (status line, body)."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": request.headers.get("Content-Type", ""),
        "CONTENT_LENGTH": str(len(request.body)),
        "wsgi.input": io.BytesIO(request.body),
        **{
            "HTTP_" + k.upper().replace("-", "_"): v
            for k, v in request.headers.items()
            if k != "Content-Type"
        },
    }
    status: list[str] = []
    answer = b"".join(wsgi(environ, lambda line, headers, exc=None: status.append(line)))
    return status[0], answer
