"""The record of every request the stand-in answered, and the faults a test asked it to inject."""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Call:
    """One request: the Web API method (or `response_url`, `files.upload`), the workspace the
    token belongs to (None when it was not recognised), the decoded arguments, and the answer."""

    method: str
    team_id: str | None
    args: dict[str, Any]
    status: int
    response: dict[str, Any]
    at: float  # monotonic seconds when answered

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        error = self.response.get("error")
        return error if isinstance(error, str) else None


class Transcript:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._recorded = threading.Condition(self._lock)

    def record(self, call: Call) -> None:
        with self._recorded:
            self._calls.append(call)
            self._recorded.notify_all()

    def all(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def wait_for(self, method: str, *, count: int, timeout: float) -> list[Call]:
        """Block until `count` calls to `method` are recorded (or the timeout passes)."""

        def matching() -> list[Call]:
            return [c for c in self._calls if c.method == method]

        with self._recorded:
            self._recorded.wait_for(lambda: len(matching()) >= count, timeout=timeout)
            return matching()


@dataclass
class Fault:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None


@dataclass
class FaultPlan:
    """Failures and latency to inject, per method. Thread-safe."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _failures: dict[str, deque[Fault]] = field(default_factory=dict)
    _delays: dict[str, float] = field(default_factory=dict)
    _random: dict[str, tuple[float, Fault, random.Random]] = field(default_factory=dict)

    def fail_next(self, method: str, fault: Fault, times: int) -> None:
        with self._lock:
            self._failures.setdefault(method, deque()).extend([fault] * times)

    def fail_randomly(self, method: str, fault: Fault, fraction: float, seed: int) -> None:
        with self._lock:
            if fraction > 0:
                self._random[method] = (fraction, fault, random.Random(seed))  # noqa: S311
            else:
                self._random.pop(method, None)

    def delay(self, method: str, seconds: float) -> None:
        with self._lock:
            if seconds > 0:
                self._delays[method] = seconds
            else:
                self._delays.pop(method, None)

    def take(self, method: str) -> tuple[float, Fault | None]:
        """The latency to add to this call and the failure to answer with, if any."""
        with self._lock:
            queue = self._failures.get(method)
            fault = queue.popleft() if queue else None
            if fault is None and method in self._random:
                fraction, random_fault, rng = self._random[method]
                fault = random_fault if rng.random() < fraction else None
            return self._delays.get(method, 0.0), fault
