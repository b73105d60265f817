"""What travels over HTTP: decoding a Web API request into arguments, and Slack's error shape.

Slack accepts the same arguments as a query string, a form-encoded body, a multipart body or a
JSON body (slack_sdk uses all four: JSON for chat.* and views.*, form-encoded for most others,
multipart for oauth.v2.access, the query string for nothing but tolerates it). Arguments that hold
JSON (`blocks`, `view`, ...) arrive as JSON text in forms and as objects in JSON bodies; both are
decoded here so handlers and the call record see the same values.
"""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

Args = dict[str, Any]

# Arguments whose value is JSON text when sent in a form.
JSON_ARGUMENTS = frozenset({"blocks", "attachments", "view", "metadata", "files"})


class ApiError(Exception):
    """A Web API failure: `{"ok": false, "error": error, **extra}` with an HTTP status."""

    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        messages: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.headers = dict(headers or {})
        self.extra = dict(extra)
        if messages:
            self.extra["response_metadata"] = {"messages": list(messages)}

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


def invalid_arguments(*messages: str) -> ApiError:
    """Slack's answer to a request its argument schema rejects."""
    return ApiError("invalid_arguments", messages=[f"[ERROR] {m}" for m in messages])


@dataclass(frozen=True)
class Credentials:
    """Who is calling: a bearer token (header or `token` argument) or HTTP basic auth."""

    token: str | None = None
    basic: tuple[str, str] | None = None


@dataclass
class DecodedRequest:
    args: Args = field(default_factory=dict)
    credentials: Credentials = field(default_factory=Credentials)
    # Set when a JSON-valued argument could not be parsed: (argument name, raw text).
    unparsable: list[tuple[str, str]] = field(default_factory=list)


def decode_request(
    *, query: str, content_type: str, body: bytes, authorization: str | None
) -> DecodedRequest:
    """Merge query-string and body arguments and take the credentials out of them.

    Raises ApiError for a body Slack would refuse (`invalid_json`, `invalid_form_data`,
    `invalid_post_type`).
    """
    args: Args = dict(parse_qsl(query, keep_blank_values=True))
    args.update(_decode_body(content_type, body))
    decoded = DecodedRequest()
    for name in JSON_ARGUMENTS & args.keys():
        value = args[name]
        if isinstance(value, str):
            try:
                args[name] = json.loads(value)
            except ValueError:
                decoded.unparsable.append((name, value))
    token = args.pop("token", None)
    basic = None
    if authorization:
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() == "bearer" and credential:
            token = credential.strip()
        elif scheme.lower() == "basic":
            basic = _decode_basic(credential.strip())
    decoded.args = args
    decoded.credentials = Credentials(token=token if isinstance(token, str) else None, basic=basic)
    return decoded


def _decode_body(content_type: str, body: bytes) -> Args:
    if not body:
        return {}
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        try:
            value = json.loads(body)
        except ValueError as exc:
            raise ApiError("invalid_json") from exc
        if not isinstance(value, dict):
            raise ApiError("json_not_object")
        return value
    if media_type in ("application/x-www-form-urlencoded", "text/plain", ""):
        try:
            return dict(
                parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
            )
        except (UnicodeDecodeError, ValueError) as exc:
            raise ApiError("invalid_form_data") from exc
    if media_type == "multipart/form-data":
        return _decode_multipart(content_type, body)
    raise ApiError("invalid_post_type")


def _decode_multipart(content_type: str, body: bytes) -> Args:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ApiError("invalid_form_data")
    args: Args = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise ApiError("invalid_form_data")
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise ApiError("invalid_form_data")
        args[name] = payload.decode("utf-8", errors="replace")
    return args


def _decode_basic(credential: str) -> tuple[str, str] | None:
    try:
        user, sep, password = base64.b64decode(credential, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def as_bool(value: Any) -> bool:
    """Slack's reading of a boolean argument: true/1 (any case) or a JSON true."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1")


def as_int(value: Any, *, error: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise ApiError(error) from exc


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
