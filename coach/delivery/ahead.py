"""The day's coaching DMs (nudges, and the pulse DMs and rhythm questions that take a nudge's
place: `store/scheduled.py` AHEAD) handed to Slack ahead of time with chat.scheduleMessage, so
Slack posts each at the person's minute however many are due at once (chat.postMessage alone
manages ~300 a minute).

Per workspace, each pass: scheduled messages whose time has passed become sent; withdrawn ones
are deleted in Slack (chat.deleteScheduledMessage); then messages due between `lead` and `horizon`
from now are handed over, within the method's Tier 3 pace (a shared budget per workspace and
method; a 429 parks that method there). What is not handed over in time stays pending and the
live sender posts it at its time, as before. reconcile.py compares with
chat.scheduledMessages.list: exactly-once rests on the scheduled message id and that list,
because Slack does not post a scheduled message that carries `metadata`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session

from coach.delivery.outcomes import MAX_ATTEMPTS, RateLimited
from coach.delivery.sender import TokenSource
from coach.delivery.slack_queue import Back, Handed, Posted, Result, call, classified, look_for
from coach.deps import Deps
from coach.store import scheduled as store
from coach.store import slack_budgets
from coach.store.outbox import AMBIGUOUS, PENDING, SENT, Claimed
from coach.store.scheduled import SCHEDULED, WITHDRAWING, Held

logger = logging.getLogger(__name__)

SCHEDULE, DELETE, LIST = (
    "chat.scheduleMessage",
    "chat.deleteScheduledMessage",
    "chat.scheduledMessages.list",
)
LIVE = store.LIVE
# Slack's own errors that mean "post it live instead": too close, or too many in that DM.
POST_LIVE_ERRORS = frozenset({"time_in_past", "restricted_too_many", "time_too_far"})
# Called with the rows whose scheduled messages Slack has posted by now.
OnPosted = Callable[[Session, list[Held]], None]


@dataclass(frozen=True)
class AheadConfig:
    per_minute: int = 50  # Tier 3: 50+ a minute, per method and workspace
    burst: int = 8
    lead: timedelta = timedelta(minutes=5)  # closer to its time than this: posted live
    horizon: timedelta = timedelta(hours=16)  # COACH_PLAN_AHEAD_HOURS; Slack allows 120 days
    batch: int = 50
    lease: timedelta = timedelta(minutes=2)
    timeout_seconds: int = 10


@dataclass
class AheadReport:
    scheduled: int = 0
    posted: int = 0
    withdrawn: int = 0
    live: int = 0  # left to the live sender
    retried: int = 0
    adopted: int = 0  # found in Slack's queue after a cut-off handover
    lost: int = 0  # reconcile: Slack no longer held it; handed over again
    orphans: int = 0  # reconcile: in Slack's queue, unknown to us; deleted
    rate_limited: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, other: AheadReport) -> None:
        for name, value in vars(other).items():
            if name == "errors":
                for error, count in value.items():
                    self.errors[error] = self.errors.get(error, 0) + count
            else:
                setattr(self, name, getattr(self, name) + value)


class Ahead:
    def __init__(
        self,
        deps: Deps,
        tokens: TokenSource,
        *,
        config: AheadConfig,
        worker: str,
        on_posted: OnPosted,
        workers: int = 8,
    ) -> None:
        self._deps, self._tokens, self._config = deps, tokens, config
        self._worker, self._on_posted, self._workers = worker, on_posted, workers

    def run(self) -> AheadReport:
        """One pass over every workspace with something to hand over, withdraw or settle."""
        now = self._deps.clock.now()
        with self._deps.unit_of_work() as session:
            workspaces = store.workspaces_with_work(
                session,
                now=now,
                earliest=now + self._config.lead,
                latest=now + self._config.horizon,
            )
        return self.each(workspaces, self._workspace)

    def each(self, workspaces: list[str], work: Callable[[str], AheadReport]) -> AheadReport:
        """`work` for each workspace on the pool; one workspace's failure stops no other."""
        report = AheadReport()
        if not workspaces:
            return report
        with ThreadPoolExecutor(min(self._workers, len(workspaces)), "coach-ahead") as pool:
            for part in pool.map(lambda w: self._guarded(work, w), workspaces):
                report.add(part)
        return report

    def _guarded(self, work: Callable[[str], AheadReport], workspace_id: str) -> AheadReport:
        try:
            return work(workspace_id)
        except Exception:  # one workspace's trouble must not stop the others
            logger.exception("scheduling messages in workspace %s failed", workspace_id)
            return AheadReport()

    @property
    def lease(self) -> timedelta:
        return self._config.lease

    def client(self, token: str) -> WebClient:
        return WebClient(
            token=token,
            base_url=self._deps.settings.slack_api_url,
            timeout=self._config.timeout_seconds,
            retry_handlers=[],
        )

    # ---- one workspace's pass ------------------------------------------------------------------
    def _workspace(self, workspace_id: str) -> AheadReport:
        report = AheadReport()
        with self._deps.unit_of_work() as session:
            posted = store.posted_by_now(
                session, workspace_id=workspace_id, now=self._deps.clock.now()
            )
            self._on_posted(session, posted)
        report.posted = len(posted)
        token = self._tokens.bot_token(workspace_id)
        if token is None:
            return report
        client = self.client(token)
        self._withdraw(client, workspace_id, report)
        self._hand_over(client, workspace_id, report)
        return report

    def budget(self, session: Session, workspace_id: str, method: str, want: int) -> int:
        return slack_budgets.take_budget(
            session,
            workspace_id=workspace_id,
            method=method,
            now=self._deps.clock.now(),
            per_minute=self._config.per_minute,
            burst=self._config.burst,
            want=want,
        )

    def _withdraw(self, client: WebClient, workspace_id: str, report: AheadReport) -> None:
        config = self._config
        with self._deps.unit_of_work() as session:
            granted = self.budget(session, workspace_id, DELETE, config.batch)
            held = store.to_withdraw(
                session,
                workspace_id=workspace_id,
                now=self._deps.clock.now(),
                limit=granted,
                lease=config.lease,
            )
            slack_budgets.give_back(
                session, workspace_id=workspace_id, method=DELETE, count=granted - len(held)
            )
        gone: list[int] = []
        for row in held:
            if row.scheduled_id is None or row.due_at <= self._deps.clock.now():
                if row.scheduled_id is not None:
                    logger.warning("%s was withdrawn too late: Slack has posted it", row.key)
                gone.append(row.id)  # never handed over (reconcile finds a cut-off one)
                continue
            error = call(client, DELETE, channel=row.channel, scheduled_message_id=row.scheduled_id)
            if error is None or error == "invalid_scheduled_message_id":
                gone.append(row.id)
                report.withdrawn += 1
            elif isinstance(error, RateLimited):
                self.park(workspace_id, DELETE, error, report)
                break
            else:
                _count(report, str(error))  # the lease runs out and the next pass tries again
        with self._deps.unit_of_work() as session:
            store.forget_rows(session, gone)

    def _hand_over(self, client: WebClient, workspace_id: str, report: AheadReport) -> None:
        config = self._config
        now = self._deps.clock.now()
        with self._deps.unit_of_work() as session:
            granted = self.budget(session, workspace_id, SCHEDULE, config.batch)
            rows = store.claim_to_schedule(
                session,
                workspace_id=workspace_id,
                now=now,
                earliest=now + config.lead,
                latest=now + config.horizon,
                limit=granted,
                worker=self._worker,
                lease=config.lease,
            )
            slack_budgets.give_back(
                session, workspace_id=workspace_id, method=SCHEDULE, count=granted - len(rows)
            )
        results: list[tuple[Claimed, Result]] = []
        for row in rows:
            result = self._schedule(client, row)
            if isinstance(result, RateLimited):
                self.park(workspace_id, SCHEDULE, result, report)
                break
            results.append((row, result))
        # A crash before this transaction leaves the rows leased as scheduling: the next claim
        # finds them ambiguous and looks in Slack's list before handing them over again.
        with self._deps.unit_of_work() as session:
            self._record(session, rows, results, report)

    def _schedule(self, client: WebClient, row: Claimed) -> Result | RateLimited:
        now = self._deps.clock.now()
        post_at = int(row.due_at.timestamp())
        try:
            if row.ambiguous:
                found = look_for(client, row, post_at, now)
                if found is not None:
                    return found
            if row.due_at - now < self._config.lead:
                return Back("too_close", live=True)
            response = client.chat_scheduleMessage(
                channel=row.channel,
                post_at=post_at,
                text=row.payload.get("text", ""),
                blocks=row.payload.get("blocks"),
                unfurl_links=False,
                unfurl_media=False,
            )
            return Handed(str(response["channel"]), str(response["scheduled_message_id"]))
        except SlackApiError as error:
            outcome = classified(error)
            if isinstance(outcome, RateLimited):
                return outcome
            code = str(error.response.get("error") or f"http_{error.response.status_code}")
            transient = error.response.status_code >= 500 or code in {
                "internal_error",
                "fatal_error",
            }
            return Back(code, live=not transient or code in POST_LIVE_ERRORS)
        except (SlackClientError, OSError, TimeoutError) as error:
            logger.info("ambiguous failure scheduling %s: %s", row.key, error)
            return Back("connection", live=False, ambiguous=True)

    def _record(
        self,
        session: Session,
        rows: list[Claimed],
        results: list[tuple[Claimed, Result]],
        report: AheadReport,
    ) -> None:
        now = self._deps.clock.now()
        statuses = store.still_scheduling(session, [r.id for r in rows], self._worker)
        changes: list[dict[str, Any]] = []
        late: list[dict[str, Any]] = []  # withdrawn while being handed over: Slack must delete
        handed: list[dict[str, Any]] = []
        posted: list[dict[str, Any]] = []
        tried = {row.id for row, _ in results}
        for row, result in results:
            status = statuses.get(row.id)
            if status is None:
                continue  # another process took it over after our lease ran out
            if status == WITHDRAWING:
                if isinstance(result, Handed):
                    late.append(
                        {
                            "id": row.id,
                            "scheduled_id": result.scheduled_id,
                            "sent_channel": result.channel,
                            "lease_until": None,
                        }
                    )
                continue
            if isinstance(result, Handed):
                report.scheduled += 1
                changes.append(
                    _values(
                        row,
                        status=SCHEDULED,
                        scheduled_id=result.scheduled_id,
                        sent_channel=result.channel,
                    )
                )
                handed.append(
                    {
                        "id": row.nudge_id,
                        "scheduled_message_id": result.scheduled_id,
                        "channel_id": result.channel,
                    }
                )
            elif isinstance(result, Posted):
                report.posted += 1
                changes.append(
                    _values(
                        row,
                        status=SENT,
                        sent_at=now,
                        sent_channel=result.channel,
                        sent_ts=result.ts,
                    )
                )
                posted.append(
                    {
                        "id": row.nudge_id,
                        "status": "sent",
                        "channel_id": result.channel,
                        "message_ts": result.ts,
                    }
                )
            elif result.ambiguous:  # only this lane may take it: it looks in Slack's queue first
                report.retried += 1
                changes.append(
                    _values(row, status=store.SCHEDULING, lease_until=now, last_error=AMBIGUOUS)
                )
            elif result.live or row.attempts >= MAX_ATTEMPTS:
                report.live += 1
                _count(report, result.error)
                changes.append(_values(row, attempts=0, last_error=f"{LIVE}{result.error}"[:200]))
            else:
                report.retried += 1
                _count(report, result.error)
                changes.append(_values(row, last_error=result.error[:200]))
        for row in rows:  # not tried (a 429 stopped the batch): back as they were
            if row.id not in tried and statuses.get(row.id) == store.SCHEDULING:
                if row.ambiguous:  # still to be looked for in Slack's queue, by this lane
                    back = _values(
                        row, status=store.SCHEDULING, lease_until=now, last_error=AMBIGUOUS
                    )
                else:
                    back = _values(row)
                changes.append({**back, "attempts": row.attempts - 1})
        for batch in (changes, late):
            store.record(session, batch)
        for batch in (handed, posted):
            store.record_on_nudges(session, [c for c in batch if c["id"] is not None])

    def park(
        self, workspace_id: str, method: str, limited: RateLimited, report: AheadReport
    ) -> None:
        until = self._deps.clock.now() + limited.retry_after
        with self._deps.unit_of_work() as session:
            slack_budgets.park(session, workspace_id=workspace_id, method=method, until=until)
        report.rate_limited += 1
        logger.warning("Slack rate-limited %s in %s; not before %s", method, workspace_id, until)


def _values(row: Claimed, **changed: Any) -> dict[str, Any]:
    """Every column a batch update writes, so one executemany fits all rows (default: pending)."""
    values: dict[str, Any] = {
        "id": row.id,
        "status": PENDING,
        "lease_until": None,
        "attempts": row.attempts,
        "last_error": None,
        "scheduled_id": None,
        "sent_at": None,
        "sent_channel": None,
        "sent_ts": None,
    }
    values.update(changed)
    return values


def _count(report: AheadReport, error: str) -> None:
    report.errors[error] = report.errors.get(error, 0) + 1
