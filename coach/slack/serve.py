"""Running the app: HTTP (waitress) or Socket Mode, until SIGTERM or SIGINT.

On a stop signal the server stops taking requests, lets the ones in flight finish (up to
GRACE_SECONDS), then waits for work Bolt runs after acks before the process exits.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

import waitress
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from waitress import wasyncore

from coach.slack.after_ack import AfterAck
from coach.slack.app import interactive_client
from coach.slack.http import MAX_BODY_BYTES, Wsgi

logger = logging.getLogger(__name__)

GRACE_SECONDS = 10
POLL_SECONDS = 0.1


class _Stop(Exception):
    """Raised in the main thread by the signal handler to leave the server's loop."""


def serve_http(app: App, wsgi: Wsgi, after_ack: AfterAck, *, host: str, port: int) -> None:
    server = waitress.create_server(
        wsgi,
        host=host,
        port=port,
        threads=8,
        max_request_body_size=MAX_BODY_BYTES,
        ident="9plus-coach",
        clear_untrusted_proxy_headers=True,
    )
    address = f"http://{host}:{server.effective_port}"
    logger.info(
        "9+ Coach listening on %s (POST /slack/events, GET /healthz, GET /metrics)", address
    )

    def stop() -> None:
        raise _Stop

    _on_stop_signal(stop)
    try:
        server.run()
    except _Stop:
        logger.info("stopping: no new requests, finishing the ones in flight")
        server.close()  # the listening socket: no new connections
        _drain(server._map)
    server.task_dispatcher.shutdown(cancel_pending=False, timeout=GRACE_SECONDS)
    _finish_background_work(app, after_ack)
    logger.info("stopped")


def _drain(channels: dict[int, Any]) -> None:
    """Run the loop until every request in flight has been answered, or the grace time is up."""
    for _ in range(int(GRACE_SECONDS / POLL_SECONDS)):
        busy = [
            c
            for c in channels.values()
            if getattr(c, "requests", None) or getattr(c, "total_outbufs_len", 0)
        ]
        if not busy:
            break
        wasyncore.loop(timeout=POLL_SECONDS, map=channels, count=1)
    wasyncore.close_all(channels)


def serve_socket_mode(app: App, after_ack: AfterAck, *, app_token: str, api_url: str) -> None:
    handler = SocketModeHandler(app, app_token=app_token, web_client=interactive_client(api_url))
    stopped = threading.Event()
    _on_stop_signal(stopped.set)
    handler.connect()  # type: ignore[no-untyped-call]
    logger.info("9+ Coach connected to Slack over Socket Mode")
    stopped.wait()
    logger.info("stopping: closing the Socket Mode connection")
    handler.close()  # type: ignore[no-untyped-call]
    _finish_background_work(app, after_ack)
    logger.info("stopped")


def wait_for_stop() -> None:
    """Block until SIGTERM or SIGINT (a worker: its passes run on the scheduler's threads)."""
    stopped = threading.Event()
    _on_stop_signal(stopped.set)
    stopped.wait()
    logger.info("stopping: letting a running pass finish")


def _on_stop_signal(callback: object) -> None:
    def handle(signum: int, _frame: FrameType | None) -> None:
        logger.info("received %s", signal.Signals(signum).name)
        callback()  # type: ignore[operator]

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


def _finish_background_work(app: App, after_ack: AfterAck) -> None:
    app.listener_runner.listener_executor.shutdown(wait=True)
    after_ack.stop()
