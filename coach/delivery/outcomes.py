"""What a Slack answer means for an outbox row: pure classification, no I/O.

Policy per failure (FIELD-NOTES: chat.postMessage has no idempotency key):
- 429: park the whole workspace until Retry-After; the row goes back untouched.
- HTTP 5xx and Slack's transient errors: Slack did not post; retry later with backoff + jitter.
- a timeout, a reset connection or `fatal_error`: Slack may have posted; the retry first looks
  for the message (by the outbox key in its metadata) and posts only if it is not there.
- errors about the person or channel: give up on this row and mark the person unreachable.
- errors about the token: stop sending to the workspace (as after an uninstall).
- anything else (invalid_blocks, msg_too_long, ...): a bug on our side; give up on the row.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

PERSON_ERRORS = frozenset(
    {
        "user_not_found",
        "channel_not_found",
        "cannot_dm_bot",
        "user_disabled",
        "is_archived",
        "not_in_channel",
    }
)
WORKSPACE_ERRORS = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "team_access_not_granted",
        "team_not_found",
        "org_login_required",
    }
)
TRANSIENT_ERRORS = frozenset(
    {"internal_error", "service_unavailable", "request_timeout", "ratelimited"}
)
AMBIGUOUS_ERRORS = frozenset({"fatal_error"})
MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=1)
MAX_BACKOFF = timedelta(minutes=10)
DEFAULT_RETRY_AFTER = timedelta(seconds=30)


@dataclass(frozen=True)
class Sent:
    channel: str
    ts: str


@dataclass(frozen=True)
class RateLimited:
    retry_after: timedelta


@dataclass(frozen=True)
class Retry:
    error: str
    ambiguous: bool


@dataclass(frozen=True)
class PersonGone:
    error: str


@dataclass(frozen=True)
class WorkspaceGone:
    error: str


@dataclass(frozen=True)
class GiveUp:
    error: str


Outcome = Sent | RateLimited | Retry | PersonGone | WorkspaceGone | GiveUp


def classify_error(status: int, error: str, retry_after: str | None) -> Outcome:
    """An answer from Slack that was not ok."""
    if status == 429:
        return RateLimited(_retry_after(retry_after))
    if status >= 500 or error in TRANSIENT_ERRORS:
        return Retry(error or f"http_{status}", ambiguous=False)
    if error in AMBIGUOUS_ERRORS:
        return Retry(error, ambiguous=True)
    if error in PERSON_ERRORS:
        return PersonGone(error)
    if error in WORKSPACE_ERRORS:
        return WorkspaceGone(error)
    return GiveUp(error or f"http_{status}")


def backoff(attempts: int, rng: random.Random) -> timedelta:
    """Exponential backoff with full-range jitter, so retries of many rows do not line up."""
    delay: timedelta = min(BASE_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
    return timedelta(seconds=delay.total_seconds() * rng.uniform(0.5, 1.5))


def _retry_after(value: str | None) -> timedelta:
    try:
        seconds = int(value) if value is not None else -1
    except ValueError:
        seconds = -1
    return timedelta(seconds=seconds) if 0 < seconds <= 3600 else DEFAULT_RETRY_AFTER
