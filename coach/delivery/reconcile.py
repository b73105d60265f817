"""Reconcile: what Slack's queue of scheduled messages holds against what we handed over.

Scheduled messages carry no `metadata` (Slack does not post one that does), so the scheduled
message id and chat.scheduledMessages.list are what exactly-once rests on. A pass lists the
workspace's queue page by page within the method's Tier 3 budget, resuming on later delivery
passes when the budget runs dry, then:

- a row we hold as scheduled whose id Slack no longer lists, and whose time has not come, is
  made ambiguous: the next handover looks for it in that DM at that minute first (a page may
  have shifted under the cursor), and hands it over again only if it is not there;
- a message in Slack's queue that no row claims (a handover whose answer was never recorded,
  a withdrawn nudge whose id was lost) is deleted, unless it was created within the lease (its
  answer may be being recorded right now).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from coach.delivery.ahead import DELETE, LIST, Ahead, AheadReport
from coach.delivery.outcomes import RateLimited
from coach.delivery.sender import TokenSource
from coach.delivery.slack_queue import call, classified
from coach.deps import Deps
from coach.store import scheduled as store
from coach.store.scheduled import Held

logger = logging.getLogger(__name__)

PAGE = 1000


@dataclass
class _Listing:
    before: list[Held]  # what we held before the first page was read
    listed: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (channel, created)
    cursor: str | None = None


class Reconciler:
    def __init__(self, deps: Deps, tokens: TokenSource, ahead: Ahead) -> None:
        self._deps, self._tokens, self._ahead = deps, tokens, ahead
        self._listings: dict[str, _Listing] = {}
        self._lock = threading.Lock()

    def start(self) -> AheadReport:
        """Begin a reconcile of every workspace where Slack should hold messages of ours, and
        take it as far as the budget allows."""
        with self._deps.unit_of_work() as session:
            workspaces = store.workspaces_holding(session)
            for workspace_id in workspaces:
                before = store.held_in_slack(session, workspace_id=workspace_id)
                with self._lock:
                    self._listings.setdefault(workspace_id, _Listing(before))
        return self.resume()

    def resume(self) -> AheadReport:
        """Carry on with the reconciles under way (each delivery pass calls this)."""
        with self._lock:
            workspaces = list(self._listings)
        return self._ahead.each(workspaces, self._advance)

    def _advance(self, workspace_id: str) -> AheadReport:
        report = AheadReport()
        with self._lock:
            listing = self._listings.get(workspace_id)
        token = self._tokens.bot_token(workspace_id)
        if listing is None or token is None:
            self._drop(workspace_id)
            return report
        client = self._ahead.client(token)
        while True:
            with self._deps.unit_of_work() as session:
                if not self._ahead.budget(session, workspace_id, LIST, 1):
                    return report  # the next pass carries on from the cursor
            try:
                page = client.chat_scheduledMessages_list(limit=PAGE, cursor=listing.cursor)
            except SlackApiError as error:
                outcome = classified(error)
                if isinstance(outcome, RateLimited):
                    self._ahead.park(workspace_id, LIST, outcome, report)
                    return report
                logger.info("could not list scheduled messages in %s: %s", workspace_id, error)
                self._drop(workspace_id)
                return report
            except (SlackClientError, OSError, TimeoutError) as error:
                logger.info("could not list scheduled messages in %s: %s", workspace_id, error)
                return report
            for item in page.get("scheduled_messages") or []:
                created = int(item.get("date_created") or 0)
                listing.listed[str(item["id"])] = (str(item["channel_id"]), created)
            listing.cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not listing.cursor:
                self._drop(workspace_id)
                self._compare(workspace_id, listing, client, report)
                return report

    def _drop(self, workspace_id: str) -> None:
        with self._lock:
            self._listings.pop(workspace_id, None)

    def _compare(
        self, workspace_id: str, listing: _Listing, client: WebClient, report: AheadReport
    ) -> None:
        now = self._deps.clock.now()
        listed = listing.listed
        with self._deps.unit_of_work() as session:
            known = store.handed_over_ids(session, workspace_id=workspace_id)
            lost = [
                h.id
                for h in listing.before
                if h.scheduled_id not in listed and h.due_at > now and h.person_id is not None
            ]
            store.look_again(session, lost, now=now)
        report.lost = len(lost)
        if lost:
            logger.warning("%d scheduled message(s) not in Slack's queue; looking again", len(lost))
        self._delete_unclaimed(workspace_id, listed, known, now, client, report)

    def _delete_unclaimed(
        self,
        workspace_id: str,
        listed: dict[str, tuple[str, int]],
        known: set[str],
        now: datetime,
        client: WebClient,
        report: AheadReport,
    ) -> None:
        recent = int((now - self._ahead.lease).timestamp())
        for scheduled_id, (channel, created) in listed.items():
            if scheduled_id in known or created > recent:
                continue
            error = call(client, DELETE, channel=channel, scheduled_message_id=scheduled_id)
            if isinstance(error, RateLimited):
                self._ahead.park(workspace_id, DELETE, error, report)
                return
            if error is None:
                report.orphans += 1
                logger.warning(
                    "deleted scheduled message %s that no outbox row claims", scheduled_id
                )
