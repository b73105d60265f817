"""Socket Mode: the WebSocket end that apps.connections.open points to.

As Slack does, the server sends `hello` on connect, then envelopes (`events_api`, `interactive`,
`slash_commands`) as text frames; the app acks each with `{"envelope_id": ..., "payload": ...}`.
URLs carry a single-use ticket issued by apps.connections.open. Shapes follow slack_sdk's own
mock Socket Mode server (tests/slack_sdk/socket_mode/mock_socket_mode_server.py).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

logger = logging.getLogger(__name__)


class SocketModeServer:
    def __init__(self, *, app_id: str, close_timeout: float = 1.0) -> None:
        self.app_id = app_id
        self._lock = threading.Condition()
        self._tickets: set[str] = set()
        self._connections: list[ServerConnection] = []
        self._acks: dict[str, dict[str, Any]] = {}
        self._server: Server = serve(
            self._serve_connection,
            "127.0.0.1",
            0,
            compression=None,
            process_request=self._check_ticket,
            close_timeout=close_timeout,
            ping_interval=None,
        )
        self.port: int = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="slack-standin-socket-mode", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def new_url(self) -> str:
        ticket = secrets.token_hex(16)
        with self._lock:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    # ---- the server side ----------------------------------------------------------------------
    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        ticket = parse_qs(urlsplit(request.path).query).get("ticket", [""])[0]
        with self._lock:
            if ticket in self._tickets:
                self._tickets.discard(ticket)  # single use, like Slack's
                return None
        return Response(HTTPStatus.UNAUTHORIZED, "Unauthorized", Headers(), b"invalid ticket\n")

    def _serve_connection(self, connection: ServerConnection) -> None:
        with self._lock:
            self._connections.append(connection)
            count = len(self._connections)
        try:
            connection.send(json.dumps(self._hello(count)))
            with self._lock:
                self._lock.notify_all()  # connected and greeted
            for frame in connection:
                self._receive(frame)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._connections.remove(connection)
                self._lock.notify_all()

    def _hello(self, num_connections: int) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": num_connections,
            "debug_info": {
                "host": "applink-standin",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }

    def _receive(self, frame: str | bytes) -> None:
        try:
            message = json.loads(frame)
        except ValueError:
            logger.warning("Socket Mode client sent a frame that is not JSON: %r", frame)
            return
        envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
        if isinstance(envelope_id, str):
            with self._lock:
                self._acks[envelope_id] = message
                self._lock.notify_all()

    # ---- what tests call ----------------------------------------------------------------------
    @property
    def connection_count(self) -> int:
        with self._lock:
            return len(self._connections)

    def wait_connected(self, timeout: float, count: int = 1) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: len(self._connections) >= count, timeout=timeout)

    def send(self, message: dict[str, Any]) -> None:
        """Send one frame to the newest connection (Slack picks one of the app's connections)."""
        with self._lock:
            if not self._connections:
                raise RuntimeError("no Socket Mode client is connected")
            connection = self._connections[-1]
        connection.send(json.dumps(message))

    def wait_ack(self, envelope_id: str, timeout: float) -> dict[str, Any]:
        with self._lock:
            if not self._lock.wait_for(lambda: envelope_id in self._acks, timeout=timeout):
                raise TimeoutError(f"no ack for envelope {envelope_id} within {timeout} s")
            return self._acks[envelope_id]
