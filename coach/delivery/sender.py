"""The only code that posts queued messages to Slack: claim from the outbox, post, record.

Each workspace is served by its own worker in a pass, so a slow or failing workspace never
holds up another; each takes what the workspace's shared budget allows and no more. 429s park
the workspace (no worker sleeps); other failures follow the policy in outcomes.py.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session

from coach.delivery.outcomes import (
    MAX_ATTEMPTS,
    GiveUp,
    Outcome,
    PersonGone,
    RateLimited,
    Retry,
    Sent,
    WorkspaceGone,
    backoff,
    classify_error,
)
from coach.deps import Deps
from coach.store import outbox
from coach.store.models import OutboxMessage, Person, Workspace

logger = logging.getLogger(__name__)

METADATA_EVENT = "coach_outbox"
Finished = Callable[[Session, OutboxMessage], None]


class TokenSource(Protocol):
    def bot_token(self, workspace_id: str) -> str | None: ...


@dataclass(frozen=True)
class SendConfig:
    per_minute: int = 300
    batch: int = 100
    lease: timedelta = timedelta(minutes=2)
    workers: int = 8
    timeout_seconds: int = 10

    @property
    def burst(self) -> int:
        """Ten seconds' worth, at least one: Slack allows short bursts above the average."""
        return max(1, self.per_minute // 6)


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0
    rate_limited: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, other: Report) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.dropped += other.dropped
        self.rate_limited += other.rate_limited
        for error, count in other.errors.items():
            self.errors[error] = self.errors.get(error, 0) + count


class Sender:
    def __init__(
        self,
        deps: Deps,
        tokens: TokenSource,
        *,
        config: SendConfig,
        on_finished: Mapping[str, Finished],
        worker: str,
        rng: random.Random | None = None,
    ) -> None:
        self._deps = deps
        self._tokens = tokens
        self._config = config
        self._on_finished = on_finished
        self._worker = worker
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not secrets

    def deliver_due(self) -> Report:
        """One delivery pass over every workspace with something due."""
        with self._deps.unit_of_work() as session:
            workspaces = outbox.workspaces_with_due(session, now=self._deps.clock.now())
        report = Report()
        if not workspaces:
            return report
        with ThreadPoolExecutor(min(self._config.workers, len(workspaces)), "coach-send") as pool:
            for part in pool.map(self._deliver_workspace, workspaces):
                report.add(part)
        return report

    def _deliver_workspace(self, workspace_id: str) -> Report:
        report = Report()
        try:
            self._deliver(workspace_id, report)
        except Exception:  # one workspace's trouble must not stop the others
            logger.exception("delivery to workspace %s failed", workspace_id)
        return report

    def _deliver(self, workspace_id: str, report: Report) -> None:
        now = self._deps.clock.now()
        config = self._config
        with self._deps.unit_of_work() as session:
            granted = outbox.take_budget(
                session,
                workspace_id=workspace_id,
                now=now,
                per_minute=config.per_minute,
                burst=config.burst,
                want=config.batch,
            )
            rows = outbox.claim(
                session,
                workspace_id=workspace_id,
                now=now,
                limit=granted,
                worker=self._worker,
                lease=config.lease,
            )
            outbox.give_back_budget(session, workspace_id=workspace_id, count=granted - len(rows))
        if not rows:
            return
        token = self._tokens.bot_token(workspace_id)
        client = WebClient(
            token=token,
            base_url=self._deps.settings.slack_api_url,
            timeout=config.timeout_seconds,
            retry_handlers=[],
        )
        results: list[tuple[outbox.Claimed, Outcome | None]] = []
        stopped: tuple[list[outbox.Claimed], Outcome] | None = None
        for index, row in enumerate(rows):
            if self._deps.clock.now() > row.expires_at:
                results.append((row, None))  # too late to be of use: dropped, not sent
                continue
            outcome = WorkspaceGone("not_installed") if token is None else self._post(client, row)
            results.append((row, outcome))
            if isinstance(outcome, RateLimited | WorkspaceGone):
                stopped = (rows[index + 1 :], outcome)
                break
        # One transaction for the batch: a crash before it leaves the rows leased, and the next
        # claim reconciles them (see outcomes.py) instead of posting blindly.
        with self._deps.unit_of_work() as session:
            for row, result in results:
                self._record(session, row, result, report)
            if stopped is not None:
                _release(session, stopped[0], stopped[1], self._worker)

    def _post(self, client: WebClient, row: outbox.Claimed) -> Outcome:
        try:
            if row.ambiguous:
                found = _find_posted(client, row)
                if found is not None:
                    return found
            response = client.chat_postMessage(
                channel=row.channel,
                text=row.payload.get("text", ""),
                blocks=row.payload.get("blocks"),
                metadata={"event_type": METADATA_EVENT, "event_payload": {"key": row.key}},
                unfurl_links=False,
                unfurl_media=False,
            )
            return Sent(channel=str(response["channel"]), ts=str(response["ts"]))
        except SlackApiError as error:
            headers = {k.lower(): v for k, v in (error.response.headers or {}).items()}
            retry_after = headers.get("retry-after")
            return classify_error(
                error.response.status_code,
                str(error.response.get("error") or ""),
                retry_after[0] if isinstance(retry_after, list) else retry_after,
            )
        except (SlackClientError, OSError, TimeoutError) as error:
            logger.info("ambiguous failure posting %s: %s", row.key, error)
            return Retry("connection", ambiguous=True)

    def _record(
        self, session: Session, row: outbox.Claimed, result: Outcome | None, report: Report
    ) -> None:
        now = self._deps.clock.now()
        stored = outbox.get(session, row.id)
        if stored.status != outbox.SENDING or stored.claimed_by != self._worker:
            return  # our lease ran out and another sender took the row over
        stored.lease_until = None
        if result is None:
            stored.status = outbox.DROPPED
            report.dropped += 1
        elif isinstance(result, Sent):
            stored.status, stored.sent_at = outbox.SENT, now
            stored.sent_channel, stored.sent_ts, stored.last_error = (
                result.channel,
                result.ts,
                None,
            )
            report.sent += 1
        elif isinstance(result, RateLimited):
            _park(session, row.workspace_id, now + result.retry_after)
            stored.status, stored.attempts, stored.last_error = (
                outbox.PENDING,
                stored.attempts - 1,
                "ratelimited",
            )
            report.rate_limited += 1
        elif isinstance(result, Retry) and stored.attempts < MAX_ATTEMPTS:
            stored.status, stored.due_at = (
                outbox.PENDING,
                now + backoff(stored.attempts, self._rng),
            )
            stored.last_error = "ambiguous" if result.ambiguous else result.error
            report.retried += 1
            _count(report, result.error)
        else:
            error = getattr(result, "error", "failed")
            stored.status, stored.last_error = outbox.FAILED, error[:200]
            report.failed += 1
            _count(report, error)
            if isinstance(result, PersonGone) and stored.person_id is not None:
                _mark_unreachable(session, stored.person_id, error)
            if isinstance(result, WorkspaceGone):
                _stop_workspace(session, row.workspace_id, now, error)
            if isinstance(result, GiveUp):
                logger.error("gave up on %s: Slack answered %s", row.key, error)
        hook = self._on_finished.get(row.kind)
        if hook is not None and stored.status != outbox.PENDING:
            hook(session, stored)


def _release(session: Session, rows: list[outbox.Claimed], reason: Outcome, worker: str) -> None:
    """Claimed rows we will not try now go back untouched (a 429 is not their fault)."""
    for row in rows:
        stored = outbox.get(session, row.id)
        if stored.status == outbox.SENDING and stored.claimed_by == worker:
            stored.status, stored.lease_until = outbox.PENDING, None
            stored.attempts -= 1
            if isinstance(reason, WorkspaceGone):
                stored.status, stored.last_error = outbox.FAILED, reason.error


def _find_posted(client: WebClient, row: outbox.Claimed) -> Outcome | None:
    """Look in the conversation for a message carrying this row's key (an earlier attempt)."""
    channel = row.channel
    if channel.startswith(("U", "W")):
        channel = str(client.conversations_open(users=channel)["channel"]["id"])
    history = client.conversations_history(channel=channel, include_all_metadata=True, limit=100)
    for message in history.get("messages") or []:
        metadata: Any = message.get("metadata") or {}
        if (
            metadata.get("event_type") == METADATA_EVENT
            and (metadata.get("event_payload") or {}).get("key") == row.key
        ):
            logger.info("%s was posted by an earlier attempt; not posting it again", row.key)
            return Sent(channel=channel, ts=str(message.get("ts")))
    return None


def _park(session: Session, workspace_id: str, until: datetime) -> None:
    workspace = session.get_one(Workspace, workspace_id)
    if workspace.send_parked_until is None or workspace.send_parked_until < until:
        workspace.send_parked_until = until
    logger.warning(
        "Slack rate-limited workspace %s; no sending there until %s", workspace_id, until
    )


def _mark_unreachable(session: Session, person_id: int, error: str) -> None:
    person = session.get_one(Person, person_id)
    person.unreachable, person.next_nudge_at = error[:64], None


def _stop_workspace(session: Session, workspace_id: str, now: datetime, error: str) -> None:
    workspace = session.get_one(Workspace, workspace_id)
    if workspace.uninstalled_at is None:
        workspace.uninstalled_at = now
    logger.warning("stopped sending to workspace %s: Slack answered %s", workspace_id, error)


def _count(report: Report, error: str) -> None:
    report.errors[error] = report.errors.get(error, 0) + 1
