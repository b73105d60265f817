"""The work a listener does after its ack (Slack calls, writes), on a small pool of its own.

Bolt runs each listener on its listener pool while the request's thread waits for ack(). When
the same threads also open forms and write rows, a burst of clicks keeps them busy, and in one
Python process every busy thread also competes for the interpreter with the threads answering
Slack (issue 12). So a listener acks, then hands the rest to this pool: few threads (the work
is a Slack call and a transaction, mostly waiting on I/O), so the acks meet little competition.
Each piece of work also gives way to the requests being answered at that moment (up to
GIVES_WAY seconds), so a burst's acks are not queued behind the forms its first clicks open.
A failure here is logged with its traceback, as Bolt's error handler would; the person already
has their answer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from coach.in_flight import InFlight

logger = logging.getLogger(__name__)

AFTER_ACK_THREADS = 4
# Well inside the 3 s a trigger_id lives: a form opened this much later still opens.
GIVES_WAY = 0.5


class AfterAck:
    def __init__(self, threads: int = AFTER_ACK_THREADS, in_flight: InFlight | None = None) -> None:
        self._threads = threads
        self._in_flight = in_flight or InFlight()
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(self._threads, "coach-after-ack")

    def run(
        self, work: Callable[..., None], *args: Any, on_error: Callable[[], object] | None = None
    ) -> None:
        """Run `work(*args)` after the ack, on this pool; `on_error`: what tells the person
        when it fails unexpectedly (the ack can no longer say it)."""
        with self._lock:
            self._pool.submit(self._after_requests, work, args, on_error)

    def drain(self) -> None:
        """Wait until the work handed over so far is done (the demo and the tests, which look
        at its effects right after a request)."""
        with self._lock:
            pool, self._pool = self._pool, self._new_pool()
        pool.shutdown(wait=True)

    def stop(self) -> None:
        """Finish the work handed over, take no more (a graceful stop)."""
        self._pool.shutdown(wait=True)

    def _after_requests(
        self,
        work: Callable[..., None],
        args: tuple[Any, ...],
        on_error: Callable[[], object] | None,
    ) -> None:
        self._in_flight.give_way(GIVES_WAY)
        try:
            work(*args)
        except Exception:
            logger.exception("error after the ack, in %s", getattr(work, "__name__", work))
            if on_error is not None:
                try:
                    on_error()
                except Exception:
                    logger.exception("could not say so to the person")
