"""The local Slack stand-in: a real HTTP server on 127.0.0.1 that answers the Web API.

    with SlackStandIn() as slack:
        slack.add_workspace("T1", name="Acme", bot_token="xoxb-1", bot_user_id="UBOT1")
        client = WebClient(token="xoxb-1", base_url=slack.api_url)

Besides /api/{method} it serves the upload URLs of files.uploadV2 (/upload/v1/{file_id}), the
response_url of commands and actions (/hooks/{id}), and, started on first use, the Socket Mode
WebSocket that apps.connections.open points to. World building, faults and observation are
methods on SlackStandIn (see world.py for the methods that shape the world).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from slack_standin import payloads
from slack_standin.clock import Clock, SystemClock
from slack_standin.context import Endpoints
from slack_standin.dispatch import WebApi
from slack_standin.limits import PostMessageLimits, TierLimits
from slack_standin.socket_mode import SocketModeServer
from slack_standin.state import SlackState, stable_id
from slack_standin.transcript import Call, Fault, FaultPlan, Transcript
from slack_standin.world import World

DEFAULT_APP_ID = "A0COACH001"
DEFAULT_CLIENT_ID = "1111111111.2222222222"
DEFAULT_CLIENT_SECRET = "standin-client-secret"  # noqa: S105 - the stand-in's own fake app
DEFAULT_LIMITS = PostMessageLimits()
DEFAULT_TIER_LIMITS = TierLimits()
JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"


class SlackStandIn(World):
    """Slack's Web API, Socket Mode and response URLs on loopback, with a transcript.

    Shape the world with add_workspace / add_user / add_channel / add_app_token /
    add_oauth_code / revoke_tokens / post_as_user (world.py); read it back with calls,
    calls_to, wait_for_calls, messages_in, ephemeral_messages_in, scheduled_messages, home_view,
    view, im_channel_id, uploaded_file; inject faults with fail_next and delay; drive Socket Mode
    with socket_send_events_api / socket_send_slash_command / socket_send_interactive and
    socket_ack.
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        post_message_limits: PostMessageLimits | None = DEFAULT_LIMITS,
        tier_limits: TierLimits | None = DEFAULT_TIER_LIMITS,
        app_id: str = DEFAULT_APP_ID,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
    ) -> None:
        """`clock` gives wall time (message ts, post_at checks, tz offsets); `monotonic` drives
        rate limits and trigger expiry; `sleep` serves injected latency."""
        state = SlackState(clock=clock or SystemClock(), monotonic=monotonic, app_id=app_id)
        super().__init__(state)
        self.app_id = app_id
        self.client_id = client_id
        self.client_secret = client_secret
        self._transcript = Transcript()
        self._faults = FaultPlan()
        self._limits = post_message_limits
        self._tier_limits = tier_limits
        self._sleep = sleep
        self._http: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._socket: SocketModeServer | None = None
        self._socket_lock = threading.Lock()
        self._web_api: WebApi | None = None

    # ---- lifecycle ----------------------------------------------------------------------------
    def start(self) -> Self:
        if self._http is not None:
            return self
        http = _HttpServer(("127.0.0.1", 0), _Handler)
        http.stand_in = self
        self._http = http
        endpoints = Endpoints(
            http_base=self.base_url,
            open_socket=self._open_socket,
            client_id=self.client_id,
            client_secret=self.client_secret,
        )
        self._web_api = WebApi(
            state=self.state,
            transcript=self._transcript,
            faults=self._faults,
            endpoints=endpoints,
            limits=self._limits,
            sleep=self._sleep,
            tier_limits=self._tier_limits,
        )
        self._thread = threading.Thread(
            target=http.serve_forever, args=(0.05,), name="slack-standin-http", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        with self._socket_lock:
            if self._socket is not None:
                self._socket.close()
                self._socket = None
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        if self._http is None:
            raise RuntimeError("the stand-in is not running: use `with SlackStandIn() as slack:`")
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL and WebClient(base_url=...) take."""
        return f"{self.base_url}/api/"

    # ---- observation --------------------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        return self._transcript.all()

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self._transcript.all() if c.method == method]

    def wait_for_calls(self, method: str, *, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls to `method` once there are `count` of them (fewer if the timeout passed)."""
        return self._transcript.wait_for(method, count=count, timeout=timeout)

    # ---- faults -------------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """The next `times` calls to `method` fail: with an HTTP `status` (5xx, or 429 with
        Retry-After), or with HTTP 200 and `{"ok": false, "error": error}`."""
        if (status is None) == (error is None):
            raise ValueError("give either status= or error=")
        if status is not None and not (status == 429 or 500 <= status <= 599):
            raise ValueError("status must be 429 or 5xx")
        fault = Fault(status=status or 200, error=error, retry_after=retry_after)
        self._faults.fail_next(method, fault, times)

    def fail_randomly(self, method: str, *, status: int, fraction: float, seed: int = 0) -> None:
        """Answer that share of the calls to `method` with HTTP `status` (a 5xx), at random but
        repeatably (`seed`); fraction 0 stops it."""
        if not 500 <= status <= 599 or not 0 <= fraction <= 1:
            raise ValueError("give a 5xx status and a fraction from 0 to 1")
        self._faults.fail_randomly(method, Fault(status=status), fraction, seed)

    def delay(self, method: str, *, seconds: float) -> None:
        """Answer every call to `method` `seconds` later (0 to stop)."""
        self._faults.delay(method, seconds)

    def set_tier_limits(self, limits: TierLimits | None) -> None:
        """Replace the tier pacing (None: unlimited); buckets start full again."""
        self._tier_limits = limits
        if self._web_api is not None:
            self._web_api.set_tier_limits(limits)

    def set_post_message_limits(self, limits: PostMessageLimits | None) -> None:
        """Replace chat.postMessage limits (None: unlimited); buckets start full again."""
        self._limits = limits
        if self._web_api is not None:
            self._web_api.set_limits(limits)

    # ---- Socket Mode --------------------------------------------------------------------------
    def _open_socket(self) -> str:
        with self._socket_lock:
            if self._socket is None:
                self._socket = SocketModeServer(app_id=self.app_id)
            return self._socket.new_url()

    @property
    def socket_mode(self) -> SocketModeServer:
        with self._socket_lock:
            if self._socket is None:
                raise RuntimeError("no Socket Mode connection was opened (apps.connections.open)")
            return self._socket

    # ---- Socket Mode envelopes -----------------------------------------------------------------
    def socket_send_events_api(
        self,
        team_id: str,
        event: Mapping[str, Any],
        *,
        event_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Push an Events API callback to the connected app; returns the envelope_id."""
        with self.state.lock:
            workspace = self.state.workspaces[team_id]
            serial = self.state.next_serial()
        body = payloads.event_callback(
            team_id=team_id,
            api_app_id=self.app_id,
            bot_user_id=workspace.bot_user_id,
            event=event,
            event_id=event_id or stable_id("Ev", team_id, str(serial)),
            event_time=self.state.clock.now(),
        )
        return self._push("events_api", body, retry_attempt, retry_reason)

    def socket_send_slash_command(self, fields: Mapping[str, str]) -> str:
        return self._push("slash_commands", fields)

    def socket_send_interactive(self, payload: Mapping[str, Any]) -> str:
        return self._push("interactive", payload)

    def socket_ack(self, envelope_id: str, *, timeout: float = 5.0) -> dict[str, Any]:
        """The app's ack of an envelope (with its `payload`, if any); TimeoutError if none."""
        return self.socket_mode.wait_ack(envelope_id, timeout)

    def socket_wait_connected(self, *, timeout: float = 5.0, count: int = 1) -> bool:
        with self._socket_lock:
            socket = self._socket
        if socket is None:
            return False
        return socket.wait_connected(timeout, count)

    def socket_send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does every few hours."""
        message = {
            "type": "disconnect",
            "reason": reason,
            "debug_info": {"host": "applink-standin"},
        }
        self.socket_mode.send(message)

    def _push(
        self, kind: str, payload: Mapping[str, Any], retry_attempt: int = 0, retry_reason: str = ""
    ) -> str:
        envelope_id = str(uuid.uuid4())
        envelope = payloads.socket_envelope(
            envelope_id=envelope_id,
            kind=kind,
            payload=payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )
        self.socket_mode.send(envelope)
        return envelope_id

    # ---- HTTP routes --------------------------------------------------------------------------
    def _route(self, method: str, path: str, headers: Message, body: bytes) -> _Reply:
        route, _, query = path.partition("?")
        if route.startswith("/api/") and self._web_api is not None:
            answer = self._web_api.handle(
                route.removeprefix("/api/"),
                query=query,
                content_type=headers.get("Content-Type", ""),
                body=body,
                authorization=headers.get("Authorization"),
            )
            payload = json.dumps(answer.body).encode()
            return _Reply(answer.status, JSON_TYPE, payload, answer.headers)
        if method == "POST" and route.startswith("/upload/v1/"):
            status, text = self.receive_upload(route.removeprefix("/upload/v1/"), body)
            return _Reply(status, TEXT_TYPE, text.encode())
        if method == "POST" and route.startswith("/hooks/"):
            status, text = self.receive_response_url(route.removeprefix("/hooks/"), body)
            return _Reply(status, TEXT_TYPE, text.encode())
        return _Reply(404, TEXT_TYPE, b"not found\n")

    def _record(self, call: Call) -> None:
        self._transcript.record(call)


@dataclass(frozen=True)
class _Reply:
    status: int
    content_type: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    stand_in: SlackStandIn


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.send_error(400, "bad Content-Length")
            return
        body = self.rfile.read(length) if length > 0 else b""
        reply = self.server.stand_in._route(method, self.path, self.headers, body)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the transcript is the log."""
