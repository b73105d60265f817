"""What an operator scrapes at /metrics, and the scheduler's heartbeat that /healthz reads.

One `Metrics` per process, built at the edge (`coach run`) and handed to the WSGI app and the
passes. It owns its registry (not prometheus_client's global one), so two apps in one process,
as in the tests, never share a number.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from coach.clock import Clock

if TYPE_CHECKING:
    from coach.services.operations import Backlog

logger = logging.getLogger(__name__)

# Slack's deadline for an ack is 3 s: the buckets around it are the ones that matter.
ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
PASS_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
# A pass may legitimately take a while (a big send, a slow Slack): a scheduler is stalled when a
# job has not completed a pass for three of its intervals, and never sooner than this.
MIN_STALL = timedelta(minutes=1)
STALL_INTERVALS = 3


class Metrics:
    def __init__(self, backlog: Callable[[], Sequence[Backlog]] | None = None) -> None:
        """`backlog` reads the outbox at scrape time (None: no outbox metrics)."""
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self._requests = Counter(
            "coach_slack_requests_total",
            "Requests from Slack to /slack/events, by kind and HTTP status.",
            ["kind", "status"],
            registry=self.registry,
        )
        self._ack = Histogram(
            "coach_slack_ack_seconds",
            "Time from a Slack request's arrival to its answer (the ack), by kind.",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self._messages = Counter(
            "coach_messages_total",
            "Queued messages the sender tried, by kind and outcome "
            "(sent, retried, rate_limited, failed, dropped).",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self._passes = Counter(
            "coach_scheduler_passes_total",
            "Scheduler passes by job (sync, plan, deliver) and outcome (ok, error).",
            ["job", "outcome"],
            registry=self.registry,
        )
        self._pass_seconds = Histogram(
            "coach_scheduler_pass_seconds",
            "How long completed scheduler passes took, by job.",
            ["job"],
            buckets=PASS_BUCKETS,
            registry=self.registry,
        )
        self._heartbeat = Gauge(
            "coach_scheduler_last_pass_timestamp_seconds",
            "When a job last completed a pass (Unix time), by job.",
            ["job"],
            registry=self.registry,
        )
        if backlog is not None:
            self.registry.register(_OutboxCollector(backlog))
        self._lock = threading.Lock()
        self._last_pass: dict[str, datetime] = {}  # or when the scheduler started, if later
        self._stall_after: dict[str, timedelta] = {}

    def slack_request(self, kind: str, status: int, seconds: float) -> None:
        self._requests.labels(kind=kind, status=str(status)).inc()
        self._ack.labels(kind=kind).observe(seconds)

    def messages(self, outcomes: Mapping[tuple[str, str], int]) -> None:
        """A delivery pass's outcomes, counted per (kind, outcome)."""
        for (kind, outcome), count in outcomes.items():
            self._messages.labels(kind=kind, outcome=outcome).inc(count)

    @contextmanager
    def timed_pass(self, job: str, clock: Clock) -> Iterator[None]:
        """Count and time one pass of `job`; a pass that completes is the job's heartbeat."""
        started = time.perf_counter()  # a duration, not a decision: the monotonic timer
        try:
            yield
        except BaseException:
            self._passes.labels(job=job, outcome="error").inc()
            raise
        self._pass_seconds.labels(job=job).observe(time.perf_counter() - started)
        self._passes.labels(job=job, outcome="ok").inc()
        now = clock.now()
        self._heartbeat.labels(job=job).set(now.timestamp())
        with self._lock:
            self._last_pass[job] = now

    def expect_passes(self, now: datetime, every: Mapping[str, int]) -> None:
        """The scheduler runs in this process from `now`: each job passes every so many seconds."""
        with self._lock:
            for job, seconds in every.items():
                self._stall_after[job] = max(
                    timedelta(seconds=seconds * STALL_INTERVALS), MIN_STALL
                )
                self._last_pass[job] = max(self._last_pass.get(job, now), now)

    def stalled(self, now: datetime) -> bool:
        """A job the scheduler runs here has not completed a pass for too long."""
        with self._lock:
            return any(
                now - self._last_pass[job] > limit for job, limit in self._stall_after.items()
            )


class _OutboxCollector(Collector):
    """The outbox read at scrape time (one grouped query), so it is never stale."""

    def __init__(self, backlog: Callable[[], Sequence[Backlog]]) -> None:
        self._backlog = backlog

    def collect(self) -> Iterable[Metric]:
        try:
            backlog = self._backlog()
        except Exception as error:  # /metrics still answers; /healthz says what is wrong
            logger.warning("metrics: could not read the outbox: %s", type(error).__name__)
            return []
        depth = GaugeMetricFamily(
            "coach_outbox_messages",
            "Messages waiting in the outbox (not sent yet), by kind.",
            labels=["kind"],
        )
        age = GaugeMetricFamily(
            "coach_outbox_oldest_age_seconds",
            "Seconds since the oldest message still waiting in the outbox was queued, by kind.",
            labels=["kind"],
        )
        for row in backlog:
            depth.add_metric([row.kind], row.messages)
            age.add_metric([row.kind], row.oldest_age_seconds)
        return [depth, age]

    def describe(self) -> Iterable[Metric]:
        return []  # not read at registration: the database may not be up yet
