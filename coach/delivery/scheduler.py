"""APScheduler only triggers passes; the database decides what is due (FIELD-NOTES)."""

from __future__ import annotations

import logging
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler

from coach.delivery.passes import Passes

logger = logging.getLogger(__name__)

PLAN_EVERY_SECONDS = 30
DELIVER_EVERY_SECONDS = 2
HOUSEKEEP_EVERY_SECONDS = 3600
RETENTION_EVERY_MINUTES = 60
RECONCILE_EVERY_MINUTES = 15


def start_scheduler(passes: Passes) -> BackgroundScheduler:
    """Plan every 30 s and deliver every 2 s, in this process, one run of each at a time."""
    scheduler = BackgroundScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
    )
    scheduler.add_job(
        passes.plan, "interval", seconds=PLAN_EVERY_SECONDS, id="plan", replace_existing=True
    )
    scheduler.add_job(
        passes.deliver,
        "interval",
        seconds=DELIVER_EVERY_SECONDS,
        id="deliver",
        replace_existing=True,
    )
    scheduler.add_job(
        passes.housekeep,
        "interval",
        seconds=HOUSEKEEP_EVERY_SECONDS,
        id="housekeeping",
        replace_existing=True,
    )
    scheduler.add_job(
        passes.forget_expired,
        "interval",
        minutes=RETENTION_EVERY_MINUTES,
        id="retention",
        replace_existing=True,
    )
    scheduler.add_job(
        passes.reconcile,
        "interval",
        minutes=RECONCILE_EVERY_MINUTES,
        id="reconcile",
        replace_existing=True,
    )
    passes.scheduled({"plan": PLAN_EVERY_SECONDS, "deliver": DELIVER_EVERY_SECONDS})
    scheduler.start()
    logger.info(
        "scheduler started: planning every %ds, delivering every %ds",
        PLAN_EVERY_SECONDS,
        DELIVER_EVERY_SECONDS,
    )
    return scheduler


def stop_scheduler(scheduler: BackgroundScheduler) -> None:
    """Let a running pass finish: what it claimed is sent or released, never half-done."""
    scheduler.shutdown(wait=True)
