"""The only code that posts queued messages to Slack: claim from the outbox, post, record.

Each workspace is served by its own worker in a pass, so a slow or failing workspace never
holds up another; each takes what the workspace's shared budget allows and no more. 429s park
the workspace (no worker sleeps); other failures follow the policy in outcomes.py.
"""

from __future__ import annotations

import base64
import logging
import random
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
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
from coach.store.outbox import Finished
from coach.store.workspaces import mark_uninstalled

logger = logging.getLogger(__name__)

METADATA_EVENT = "coach_outbox"
# A kind's hook, called in the transaction that records the batch's outcomes.
OnFinished = Callable[[Session, list[Finished]], None]
# Recomposes a claimed row's payload just before it is sent (None: send it as queued).
Refresh = Callable[[Session, outbox.Claimed], dict[str, Any] | None]


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
    by_kind: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, outcome): count

    def add(self, other: Report) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.dropped += other.dropped
        self.rate_limited += other.rate_limited
        for error, count in other.errors.items():
            self.errors[error] = self.errors.get(error, 0) + count
        for key, count in other.by_kind.items():
            self.by_kind[key] = self.by_kind.get(key, 0) + count

    def tally(self, kind: str, outcome: str) -> None:
        """One message's outcome: sent, retried, failed, dropped or rate_limited."""
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.by_kind[kind, outcome] = self.by_kind.get((kind, outcome), 0) + 1


class Sender:
    def __init__(
        self,
        deps: Deps,
        tokens: TokenSource,
        *,
        config: SendConfig,
        on_finished: Mapping[str, OnFinished],
        worker: str,
        refresh: Mapping[str, Refresh] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._deps = deps
        self._tokens = tokens
        self._config = config
        self._on_finished = on_finished
        self._refresh = refresh or {}
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
            rows = [self._refreshed(session, row) for row in rows]
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
                # Too late to be of use: dropped, not sent; unless an earlier attempt did post
                # it, which counts (its hook then records it as sent).
                found = self._look(client, row) if row.ambiguous and token else None
                results.append((row, found))
                continue
            outcome = WorkspaceGone("not_installed") if token is None else self._post(client, row)
            results.append((row, outcome))
            if isinstance(outcome, RateLimited | WorkspaceGone):
                stopped = (rows[index + 1 :], outcome)
                break
        # One transaction for the batch: a crash before it leaves the rows leased, and the next
        # claim reconciles them (see outcomes.py) instead of posting blindly.
        with self._deps.unit_of_work() as session:
            self._record(session, results, stopped, report)

    def _refreshed(self, session: Session, row: outbox.Claimed) -> outbox.Claimed:
        refresh = self._refresh.get(row.kind)
        if refresh is None or row.ambiguous:  # an earlier attempt may show the old content
            return row
        payload = refresh(session, row)
        if payload is None or payload == row.payload:
            return row
        outbox.set_payload(session, row.id, payload)
        return replace(row, payload=payload)

    def _look(self, client: WebClient, row: outbox.Claimed) -> Outcome | None:
        try:
            return _find_posted(client, row)
        except (SlackClientError, OSError, TimeoutError) as error:
            logger.info("could not look for %s: %s", row.key, error)
            return None

    def _post(self, client: WebClient, row: outbox.Claimed) -> Outcome:
        try:
            if row.ambiguous:
                found = _find_posted(client, row)
                if found is not None:
                    return found
            if isinstance(row.payload.get("upload"), dict):
                return _upload(client, row)
            try:
                response = _post_message(client, row)
            except SlackApiError as error:
                if not _joined(client, row, error):
                    raise
                response = _post_message(client, row)
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
        self,
        session: Session,
        results: list[tuple[outbox.Claimed, Outcome | None]],
        stopped: tuple[list[outbox.Claimed], Outcome] | None,
        report: Report,
    ) -> None:
        now = self._deps.clock.now()
        untried, reason = stopped if stopped is not None else ([], None)
        ids = [row.id for row, _ in results] + [row.id for row in untried]
        mine = outbox.still_ours(session, ids, self._worker)  # a lease may have run out meanwhile
        changes: list[dict[str, Any]] = []
        finished: dict[str, list[Finished]] = {}
        for row, result in results:
            if row.id not in mine:
                continue
            change = self._change(session, row, result, now, report)
            changes.append(change)
            if change["status"] != outbox.PENDING:
                finished.setdefault(row.kind, []).append(
                    Finished(
                        workspace_id=row.workspace_id,
                        key=row.key,
                        status=change["status"],
                        channel=change["sent_channel"],
                        ts=change["sent_ts"],
                        error=change["last_error"],
                        nudge_id=row.nudge_id,
                        payload=row.payload,
                    )
                )
        for row in untried:  # not tried: back as they were (a 429 is not their fault)
            if row.id not in mine:
                continue
            if isinstance(reason, WorkspaceGone):
                changes.append(_values(row, status=outbox.FAILED, last_error=reason.error))
            else:
                changes.append(_values(row, attempts=row.attempts - 1))
        outbox.finish(session, changes)
        for kind, rows in finished.items():
            hook = self._on_finished.get(kind)
            if hook is not None:
                hook(session, rows)

    def _change(
        self,
        session: Session,
        row: outbox.Claimed,
        result: Outcome | None,
        now: datetime,
        report: Report,
    ) -> dict[str, Any]:
        """The row's new values for this outcome, plus its side effects on people and workspaces."""
        if result is None:
            report.tally(row.kind, "dropped")
            return _values(row, status=outbox.DROPPED, last_error="expired")
        if isinstance(result, Sent):
            report.tally(row.kind, "sent")
            return _values(
                row, status=outbox.SENT, sent_at=now, sent_channel=result.channel, sent_ts=result.ts
            )
        if isinstance(result, RateLimited):
            _park(session, row.workspace_id, now + result.retry_after)
            report.tally(row.kind, "rate_limited")
            return _values(row, attempts=row.attempts - 1, last_error="ratelimited")
        if isinstance(result, Retry) and row.attempts < MAX_ATTEMPTS:
            report.tally(row.kind, "retried")
            _count(report, result.error)
            return _values(
                row,
                due_at=now + backoff(row.attempts, self._rng),
                last_error=outbox.AMBIGUOUS if result.ambiguous else result.error,
            )
        error = str(getattr(result, "error", "failed"))[:200]
        report.tally(row.kind, "failed")
        _count(report, error)
        if isinstance(result, PersonGone) and row.person_id is not None:
            outbox.mark_unreachable(session, person_id=row.person_id, error=error)
        if isinstance(result, WorkspaceGone):
            _stop_workspace(session, row.workspace_id, now, error)
        if isinstance(result, GiveUp):
            logger.error("gave up on %s: Slack answered %s", row.key, error)
        return _values(row, status=outbox.FAILED, last_error=error)


def _values(row: outbox.Claimed, **changed: Any) -> dict[str, Any]:
    """Every column a batch update writes, so one executemany fits all rows (default: pending)."""
    values: dict[str, Any] = {
        "id": row.id,
        "status": outbox.PENDING,
        "lease_until": None,
        "attempts": row.attempts,
        "due_at": row.due_at,
        "last_error": None,
        "sent_at": None,
        "sent_channel": None,
        "sent_ts": None,
    }
    values.update(changed)
    return values


def _post_message(client: WebClient, row: outbox.Claimed) -> Any:
    return client.chat_postMessage(
        channel=row.channel,
        text=row.payload.get("text", ""),
        blocks=row.payload.get("blocks"),
        thread_ts=row.payload.get("thread_ts"),
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": row.key}},
        unfurl_links=False,
        unfurl_media=False,
    )


def _upload(client: WebClient, row: outbox.Claimed) -> Outcome:
    """A picture: files_upload_v2 shares it into the conversation (a thread with `thread_ts`)
    with its comment. An upload carries no metadata to look for, so after an ambiguous failure
    it is uploaded again: at least once, for pictures only."""
    upload = row.payload["upload"]
    client.files_upload_v2(
        channel=row.channel,
        content=base64.b64decode(upload["png"]),
        filename=upload["filename"],
        title=upload["title"],
        alt_txt=upload["alt"],
        initial_comment=upload["comment"],
        thread_ts=row.payload.get("thread_ts"),
    )
    return Sent(channel=row.channel, ts=str(row.payload.get("thread_ts") or ""))


def _joined(client: WebClient, row: outbox.Claimed, error: SlackApiError) -> bool:
    """After `not_in_channel` on a public channel: join it (the app may, with channels:join),
    so a team's celebration lands even if someone removed the bot. False if it could not."""
    if error.response.get("error") != "not_in_channel" or not row.channel.startswith("C"):
        return False
    try:
        client.conversations_join(channel=row.channel)
    except SlackApiError as join_error:
        logger.info("could not join %s: %s", row.channel, join_error.response.get("error"))
        return False
    return True


def _find_posted(client: WebClient, row: outbox.Claimed) -> Outcome | None:
    """Look in the conversation for a message carrying this row's key (an earlier attempt)."""
    channel = row.channel
    if channel.startswith(("U", "W")):
        channel = str(client.conversations_open(users=channel)["channel"]["id"])
    thread_ts = row.payload.get("thread_ts")
    if isinstance(thread_ts, str):  # a reply is not in the channel's history, only its thread's
        history = client.conversations_replies(
            channel=channel, ts=thread_ts, include_all_metadata=True, limit=200
        )
    else:
        history = client.conversations_history(
            channel=channel, include_all_metadata=True, limit=100
        )
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
    outbox.park_workspace(session, workspace_id=workspace_id, until=until)
    logger.warning(
        "Slack rate-limited workspace %s; no sending there until %s", workspace_id, until
    )


def _stop_workspace(session: Session, workspace_id: str, now: datetime, error: str) -> None:
    mark_uninstalled(session, workspace_id=workspace_id, now=now)
    logger.warning("stopped sending to workspace %s: Slack answered %s", workspace_id, error)


def _count(report: Report, error: str) -> None:
    report.errors[error] = report.errors.get(error, 0) + 1
