"""The work a listener does after its ack (Slack calls, writes), on a small pool of its own.

Bolt runs each listener on its listener pool while the request's thread waits for ack(). When
the same threads also open forms and write rows, a burst of clicks keeps them busy, and in one
Python process every busy thread also competes for the interpreter with the threads answering
Slack (issue 12). So a listener acks, then hands the rest to this pool: few threads (the work
is a Slack call and a transaction, mostly waiting on I/O), so the acks meet little competition.
A failure here is logged with its traceback, as Bolt's error handler would; the person already
has their answer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

logger = logging.getLogger(__name__)

AFTER_ACK_THREADS = 4


class AfterAck:
    def __init__(self, threads: int = AFTER_ACK_THREADS) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(self._threads, "coach-after-ack")

    def run(self, work: Callable[..., None], *args: Any) -> None:
        """Run `work(*args)` after the ack, on this pool."""
        with self._lock:
            self._pool.submit(_logged, work, args)

    def drain(self) -> None:
        """Wait until the work handed over so far is done (the demo and the tests, which look
        at its effects right after a request)."""
        with self._lock:
            pool, self._pool = self._pool, self._new_pool()
        pool.shutdown(wait=True)

    def stop(self) -> None:
        """Finish the work handed over, take no more (a graceful stop)."""
        self._pool.shutdown(wait=True)


def _logged(work: Callable[..., None], args: tuple[Any, ...]) -> None:
    try:
        work(*args)
    except Exception:
        logger.exception("error after the ack, in %s", getattr(work, "__name__", work))
