"""chat.postMessage rate limits: per channel and per workspace, answered with 429 + Retry-After.

Slack's method page: about one message per second per channel, with short bursts allowed, and a
workspace-wide limit that Slack's Java SDK calls "several hundred messages per minute". The
stand-in models both as token buckets, so a caller that honours Retry-After always gets through.
Time comes from an injected monotonic source (seconds as float), so tests move it by hand.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class PostMessageLimits:
    per_channel_per_second: float = 1.0
    channel_burst: int = 3
    workspace_per_minute: int = 300
    workspace_burst: int = 50

    def __post_init__(self) -> None:
        if self.per_channel_per_second <= 0 or self.workspace_per_minute <= 0:
            raise ValueError("rates must be positive")
        if self.channel_burst < 1 or self.workspace_burst < 1:
            raise ValueError("bursts must be at least 1")


class TokenBucket:
    def __init__(self, *, rate: float, capacity: int, now: float) -> None:
        self.rate = rate
        self.capacity = float(capacity)
        self.tokens = float(capacity)
        self.updated = now

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = max(self.updated, now)

    def wait(self) -> float:
        """Seconds until one token is available (0 when one is)."""
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate


class PostMessageLimiter:
    """Decides whether a chat.postMessage may pass now; not thread-safe (callers hold a lock)."""

    def __init__(self, limits: PostMessageLimits, monotonic: Callable[[], float]) -> None:
        self.limits = limits
        self.monotonic = monotonic
        self._channels: dict[tuple[str, str], TokenBucket] = {}
        self._workspaces: dict[str, TokenBucket] = {}

    def retry_after(self, team_id: str, channel_id: str) -> int | None:
        """None and a token taken from both buckets, or the whole seconds to wait (>= 1)."""
        now = self.monotonic()
        channel = self._channels.get((team_id, channel_id))
        if channel is None:
            channel = TokenBucket(
                rate=self.limits.per_channel_per_second,
                capacity=self.limits.channel_burst,
                now=now,
            )
            self._channels[(team_id, channel_id)] = channel
        workspace = self._workspaces.get(team_id)
        if workspace is None:
            workspace = TokenBucket(
                rate=self.limits.workspace_per_minute / 60.0,
                capacity=self.limits.workspace_burst,
                now=now,
            )
            self._workspaces[team_id] = workspace
        channel.refill(now)
        workspace.refill(now)
        wait = max(channel.wait(), workspace.wait())
        if wait > 0:
            return max(1, math.ceil(wait))
        channel.tokens -= 1.0
        workspace.tokens -= 1.0
        return None


# Requests per minute of Slack's tiers ("Rate limits": Tier 1 1+, Tier 2 20+, Tier 3 50+,
# Tier 4 100+); the "+" is Slack's headroom, the stand-in holds an app to the floor.
TIER_PER_MINUTE = {"Tier1": 1, "Tier2": 20, "Tier3": 50, "Tier4": 100}
# The methods paced by their tier unless told otherwise: the scheduled-message ones.
SCHEDULED_MESSAGE_METHODS = (
    "chat.scheduleMessage",
    "chat.scheduledMessages.list",
    "chat.deleteScheduledMessage",
)


def method_tiers() -> dict[str, str]:
    """Slack's own map of Web API methods to tiers (java-slack-sdk's rate_limit_tiers.json,
    MIT, copied unchanged beside this module)."""
    data = json.loads(resources.files("slack_standin").joinpath(TIERS_FILE).read_text("utf-8"))
    return {str(method): str(tier) for method, tier in data.items()}


TIERS_FILE = "rate_limit_tiers.json"


@dataclass(frozen=True)
class TierLimits:
    """Per workspace and method, a token bucket at the method's tier rate; `burst_seconds` of
    requests may come at once (Slack: "we allow bursts")."""

    methods: tuple[str, ...] = SCHEDULED_MESSAGE_METHODS
    burst_seconds: float = 10.0


class TierLimiter:
    """Decides whether a tiered call may pass now; not thread-safe (callers hold a lock)."""

    def __init__(self, limits: TierLimits, monotonic: Callable[[], float]) -> None:
        tiers = method_tiers()
        self.per_minute = {m: TIER_PER_MINUTE[tiers[m]] for m in limits.methods}
        self.limits = limits
        self.monotonic = monotonic
        self._buckets: dict[tuple[str, str], TokenBucket] = {}

    def retry_after(self, team_id: str, method: str) -> int | None:
        """None when the call passes (a token taken), else the whole seconds to wait (>= 1);
        methods outside the limits always pass."""
        per_minute = self.per_minute.get(method)
        if per_minute is None:
            return None
        now = self.monotonic()
        bucket = self._buckets.get((team_id, method))
        if bucket is None:
            capacity = max(1, int(per_minute * self.limits.burst_seconds / 60))
            bucket = TokenBucket(rate=per_minute / 60.0, capacity=capacity, now=now)
            self._buckets[(team_id, method)] = bucket
        bucket.refill(now)
        wait = bucket.wait()
        if wait > 0:
            return max(1, math.ceil(wait))
        bucket.tokens -= 1.0
        return None
