"""A workspace's retention period: intentions (what people typed in answer to nudges) older than
it are deleted by the scheduler. Stories stay until someone deletes them."""

from __future__ import annotations

import logging
from functools import partial

from coach.deps import Deps
from coach.services.housekeeping import in_batches
from coach.store import workspace_data

logger = logging.getLogger(__name__)

BATCH = 500  # rows per transaction: a short lock, never one long delete


def apply_retention(core: Deps, *, batch: int = BATCH) -> int:
    """Delete what every workspace's retention period has run out on, `batch` rows per
    transaction; returns how many rows went."""
    now = core.clock.now()
    with core.unit_of_work() as session:
        periods = workspace_data.retention_periods(session)
    total = 0
    for workspace_id, days in periods:
        expired = partial(
            workspace_data.delete_expired_batch,
            workspace_id=workspace_id,
            days=days,
            now=now,
            limit=batch,
        )
        total += in_batches(core, expired, batch=batch)
    if total:
        logger.info("retention: %d old intention(s) and nudge message(s) deleted", total)
    return total
