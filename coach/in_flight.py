"""Slack's requests being answered right now, so that background work in the same process can
give way to them.

Python runs one thread at a time. When a burst of clicks lands while the process is also
opening forms for earlier clicks (the work after the ack) or planning the morning's nudges (the
worker lane of `coach run --role all`), every ack waits its turn behind that work, and Slack
counts the wait (issue 12). That work can wait a little instead: it checks `give_way` before
each piece, and goes on when no request is being answered, or when it has waited long enough.
A process that answers no requests (`--role worker`) never waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class InFlight:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._answering = 0
        self._waiting = 0
        self._quiet = threading.Condition()
        self._monotonic = monotonic

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Around the answer to one request (up to its ack, not the work after it)."""
        with self._quiet:
            self._answering += 1
        try:
            yield
        finally:
            with self._quiet:
                self._answering -= 1
                if not self._answering:
                    self._quiet.notify_all()

    def give_way(self, at_most: float) -> None:
        """Wait until no request is being answered, for at most `at_most` seconds: background
        work is late by that much at worst, however busy the web is."""
        deadline = self._monotonic() + at_most
        with self._quiet:
            self._waiting += 1
            try:
                while self._answering:
                    left = deadline - self._monotonic()
                    if left <= 0:
                        return
                    self._quiet.wait(left)
            finally:
                self._waiting -= 1

    @property
    def waiting(self) -> int:
        """How many pieces of work are giving way right now."""
        with self._quiet:
            return self._waiting
