"""A scheduler pass: read who is where, queue what is due, deliver it. `coach tick` runs one;
`coach run` runs them on APScheduler's interval triggers (memory job store: the database, not
the scheduler, decides what is due, so any number of processes may tick)."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from coach.delivery.ahead import Ahead, AheadConfig, AheadReport
from coach.delivery.directory import sync_stale_teams
from coach.delivery.files import SlackFiles
from coach.delivery.reconcile import Reconciler
from coach.delivery.sender import Report, SendConfig, Sender, TokenSource
from coach.delivery.tokens import Installed, InstalledTokens, SingleWorkspaceTokens
from coach.deps import Deps
from coach.domain.celebration import MinGroup
from coach.in_flight import InFlight
from coach.metrics import Metrics
from coach.render import Prompts
from coach.services.celebration_delivery import (
    celebration_finished,
    refresh_post,
    refresh_reply,
    reply_finished,
)
from coach.services.celebration_plan import plan_celebrations
from coach.services.housekeeping import Housekept, housekeep
from coach.services.nudging import NudgeContent, RhythmQuestion, nudge_finished, plan_nudges
from coach.services.pulse_answers import PulseContent
from coach.services.retention import apply_retention
from coach.services.scheduled_nudges import scheduled_posted
from coach.slack.app import interactive_client
from coach.slack.celebration_blocks import CelebrationBuilder
from coach.slack.installs import build_installation_store
from coach.slack.nudge_blocks import build_nudge_payload
from coach.slack.pulse_blocks import build_pulse_payload
from coach.store.outbox import Claimed, Finished, Kind

logger = logging.getLogger(__name__)

# Planning in the web's process (`coach run --role all`) pauses before each person's message
# while Slack's requests are being answered, this long at most: a 500-person pass under
# unending requests takes at most 500 x this longer, well inside its 30 s.
PLANNING_GIVES_WAY = 0.02


@dataclass(frozen=True)
class PassResult:
    teams_synced: int
    queued: int
    delivery: Report


class Passes:
    def __init__(
        self,
        deps: Deps,
        tokens: TokenSource,
        prompts: Prompts,
        config: SendConfig,
        metrics: Metrics | None = None,
        ahead: AheadConfig | None = None,
        in_flight: InFlight | None = None,
    ) -> None:
        self._deps, self._tokens, self._prompts = deps, tokens, prompts
        self._in_flight = in_flight or InFlight()
        worker = f"{socket.gethostname()}-{os.getpid()}"
        self._plan_ahead = timedelta(hours=deps.settings.coach_plan_ahead_hours)
        self._ahead = Ahead(
            deps,
            tokens,
            config=ahead or AheadConfig(horizon=self._plan_ahead),
            worker=worker,
            on_posted=scheduled_posted,
        )
        self._reconciler = Reconciler(deps, tokens, self._ahead)
        self._metrics = metrics or Metrics()
        self._celebrations = CelebrationBuilder(prompts)
        self._sender = Sender(
            deps,
            tokens,
            config=config,
            on_finished={
                Kind.NUDGE: nudge_finished,
                Kind.CELEBRATION: self._celebration_finished,
                Kind.CELEBRATION_REPLY: self._reply_finished,
            },
            refresh={
                Kind.CELEBRATION: self._refresh_celebration,
                Kind.CELEBRATION_REPLY: refresh_reply,
            },
            worker=worker,
        )

    def plan(self) -> tuple[int, int]:
        api_url = self._deps.settings.slack_api_url
        clock = self._deps.clock
        with self._metrics.timed_pass("sync", clock):
            synced = sync_stale_teams(
                self._deps, self._tokens, lambda token: interactive_client(api_url, token)
            )
        with self._metrics.timed_pass("plan", clock):
            with self._deps.unit_of_work() as session:
                now = self._deps.clock.now()
                queued = plan_nudges(
                    session,
                    now=now,
                    compose=self._compose,
                    compose_pulse=self._compose_pulse,
                    ahead=self._plan_ahead,
                )
            queued += plan_celebrations(self._deps, messages=self._celebrations)
        return synced, queued

    def deliver(self) -> Report:
        """Hand nudges to Slack ahead of their time, then post what is due now."""
        with self._metrics.timed_pass("deliver", self._deps.clock):
            if self._plan_ahead:
                self._ahead.run()
                self._reconciler.resume()
            report = self._sender.deliver_due()
        self._metrics.messages(report.by_kind)
        return report

    def scheduled(self, every: dict[str, int]) -> None:
        """A scheduler runs these passes in this process, each job every so many seconds:
        from now on /healthz reports it stalled when they stop completing."""
        self._metrics.expect_passes(self._deps.clock.now(), every)

    def reconcile(self) -> AheadReport:
        """Compare Slack's queue of scheduled messages with what we handed over."""
        return self._reconciler.start()

    def forget_expired(self) -> int:
        """Delete intentions past their workspace's retention period (in small batches)."""
        return apply_retention(self._deps)

    def housekeep(self) -> Housekept:
        files = SlackFiles(self._tokens, self._deps.settings.slack_api_url)
        return housekeep(self._deps, files=files.delete)

    def run_once(self) -> PassResult:
        synced, queued = self.plan()
        report = self.deliver()
        logger.info(
            "pass: %d team(s) synced, %d queued, %d sent, %d retried, %d failed, %d dropped, %d rate-limited",
            synced,
            queued,
            report.sent,
            report.retried,
            report.failed,
            report.dropped,
            report.rate_limited,
        )
        return PassResult(synced, queued, report)

    def _celebration_finished(self, session: Session, finished: list[Finished]) -> None:
        celebration_finished(
            session,
            finished,
            now=self._deps.clock.now(),
            messages=self._celebrations,
            minimum=MinGroup.of(self._deps.settings.coach_min_group),
        )

    def _reply_finished(self, session: Session, finished: list[Finished]) -> None:
        reply_finished(session, finished, now=self._deps.clock.now())

    def _refresh_celebration(self, session: Session, row: Claimed) -> dict[str, Any] | None:
        return refresh_post(
            session,
            row,
            now=self._deps.clock.now(),
            messages=self._celebrations,
            minimum=MinGroup.of(self._deps.settings.coach_min_group),
        )

    def _compose(self, content: NudgeContent | RhythmQuestion) -> dict[str, object]:
        self._in_flight.give_way(PLANNING_GIVES_WAY)
        return build_nudge_payload(content, self._prompts)

    def _compose_pulse(self, content: PulseContent) -> dict[str, object]:
        self._in_flight.give_way(PLANNING_GIVES_WAY)
        minimum = MinGroup.of(self._deps.settings.coach_min_group).private
        return build_pulse_payload(content, self._prompts, minimum)


def token_source(deps: Deps, installed: Installed | None = None) -> TokenSource | None:
    store = build_installation_store(deps)
    if store is not None:
        return InstalledTokens(store)
    if deps.settings.slack_bot_token is not None:
        return SingleWorkspaceTokens(
            deps.settings.slack_bot_token.get_secret_value(), deps.settings.slack_api_url, installed
        )
    return None


def build_passes(
    deps: Deps,
    metrics: Metrics | None = None,
    installed: Installed | None = None,
    in_flight: InFlight | None = None,
) -> Passes | None:
    """`installed`: the single install's workspace when the caller already asked Slack;
    `in_flight`: the requests of the web lane in the same process, which planning gives way to."""
    tokens = token_source(deps, installed)
    if tokens is None:
        return None
    return Passes(
        deps,
        tokens,
        Prompts(),
        SendConfig(per_minute=deps.settings.coach_send_per_minute),
        metrics,
        in_flight=in_flight,
    )
