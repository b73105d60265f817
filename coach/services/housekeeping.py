"""Housekeeping: delete what the bot no longer needs, so the database does not grow with years.

- Sent, failed and dropped outbox messages, `KEEP_MESSAGES` after they were due: each holds its
  whole Block Kit payload, and after a month nothing reads it. A nudge keeps its channel and ts on
  the `nudges` row; a celebration's thread replies are queued within minutes of its post. A
  story's messages stay while the story can still be edited (not celebrated, not deleted): an
  edit rewrites the confirmation through its channel and ts, and their keys keep the edit from
  thanking a colleague twice.
- Slack event ids after `KEEP_EVENTS`: Slack retries a delivery within minutes.
- Story forms opened more than `KEEP_DRAFTS` ago: submitting one later is refused as unknown.
- Nudges nobody answered, `KEEP_UNANSWERED` after their day, once the person was shown the same
  example again: nothing reads them after that (the lead's overview and the celebration count
  answered ones of the last weeks; the rotation asks only when each example was last shown, so
  the last showing of each example stays). Answered nudges stay with their intentions: they are
  the coaching history, and the workspace's retention period decides about those.
- Picture files (`picture_files`) uploaded `KEEP_PICTURES` ago or more that are no longer their
  reader's current picture of that kind, and their files at Slack (`files.delete`: every row is
  a file the bot uploaded, shared in the reader's DM). The current one stays whatever its age:
  the reader's App Home shows it. An older one is shown nowhere once the Home was drawn again,
  and a month is well past the 20 hours in which a changed picture re-uses it.

Every batch is its own short transaction, so sending and planning never wait long for it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session

from coach.deps import Deps
from coach.store import housekeeping as store

logger = logging.getLogger(__name__)

KEEP_MESSAGES = timedelta(days=30)
KEEP_EVENTS = timedelta(days=1)
KEEP_DRAFTS = timedelta(days=7)
KEEP_UNANSWERED = timedelta(days=90)  # beyond every view that looks back (the lead's 8 weeks)
KEEP_PICTURES = timedelta(days=30)
BATCH = 500
MAX_BATCHES = 200  # per kind of row and run: a backlog is worked off over several runs
PICTURE_BATCH = 50  # files.delete is Tier 3 at Slack (about 50 a minute)

# (workspace id, file ids) -> the ids gone from Slack now (deleted, or gone already). It may
# stop early (Slack asked it to slow down, or is unreachable): those rows wait for a later run.
FileDeleter = Callable[[str, Sequence[str]], Sequence[str]]

_STORY_KEY = re.compile(r"^story_[a-z]+:(\d+):")


@dataclass(frozen=True)
class Housekept:
    messages: int
    events: int
    drafts: int
    nudges: int = 0
    pictures: int = 0


def housekeep(
    core: Deps,
    *,
    keep_messages: timedelta = KEEP_MESSAGES,
    files: FileDeleter | None = None,
    batch: int = BATCH,
) -> Housekept:
    """One run: delete, in batches of `batch` rows, what the bot no longer needs; `files`
    deletes superseded pictures at Slack (None: their rows only, as when nothing can reach
    Slack).

    The scheduler's hourly job keeps `BATCH`: small transactions that sending and planning
    never wait long for. A larger `batch` is for catching up on a backlog nothing else is
    waiting on (the years benchmark's freshly built history)."""
    now = core.clock.now()
    with core.unit_of_work() as session:
        workspaces = store.workspace_ids(session)
    messages = drafts = nudges = pictures = 0
    for workspace_id in workspaces:
        pictures += _superseded_pictures(core, workspace_id, now - KEEP_PICTURES, files)
        nudges += _unanswered_nudges(core, workspace_id, (now - KEEP_UNANSWERED).date(), batch)
        messages += in_batches(
            core,
            partial(
                store.delete_finished_messages,
                workspace_id=workspace_id,
                before=now - keep_messages,
                limit=batch,
            ),
            batch=batch,
        )
        messages += _story_messages(core, workspace_id, now - keep_messages, batch)
        drafts += in_batches(
            core,
            partial(
                store.delete_drafts,
                workspace_id=workspace_id,
                before=now - KEEP_DRAFTS,
                limit=batch,
            ),
            batch=batch,
        )
    events = in_batches(
        core, partial(store.delete_slack_events, before=now - KEEP_EVENTS, limit=batch), batch=batch
    )
    if messages or events or drafts or nudges or pictures:
        logger.info(
            "housekeeping: %d message(s), %d event id(s), %d draft(s), %d unanswered nudge(s), "
            "%d picture file(s) deleted",
            messages,
            events,
            drafts,
            nudges,
            pictures,
        )
    return Housekept(messages, events, drafts, nudges, pictures)


def in_batches(core: Deps, delete_batch: Callable[[Session], int], *, batch: int = BATCH) -> int:
    """Call `delete_batch` (which deletes at most `batch` rows) one transaction at a time until
    a batch comes back short, at most MAX_BATCHES times a run; returns the rows deleted."""
    deleted = 0
    for _ in range(MAX_BATCHES):
        with core.unit_of_work() as session:
            count = delete_batch(session)
        deleted += count
        if count < batch:
            break
    return deleted


def _story_messages(core: Deps, workspace_id: str, before: datetime, batch: int) -> int:
    """A story's old messages, once the story is celebrated or gone."""
    deleted, after_id = 0, 0
    for _ in range(MAX_BATCHES):
        with core.unit_of_work() as session:
            rows = store.finished_story_messages(
                session, workspace_id=workspace_id, before=before, after_id=after_id, limit=batch
            )
            if not rows:
                break
            after_id = rows[-1][0]
            story_of = {row_id: _story_id(key) for row_id, key in rows}
            editable = store.editable_stories(
                session,
                workspace_id=workspace_id,
                story_ids=[i for i in story_of.values() if i is not None],
            )
            deleted += store.delete_messages(
                session,
                workspace_id=workspace_id,
                ids=[row_id for row_id, story in story_of.items() if story not in editable],
            )
        if len(rows) < batch:
            break
    return deleted


def _unanswered_nudges(core: Deps, workspace_id: str, before: date, batch: int) -> int:
    """Walk the unanswered nudges before `before` once, a batch per transaction, deleting the
    superseded ones. What stays (each person's last showing of an example) is bounded by the
    catalogue's size, so a run reads about as much in the tenth year as in the second."""
    deleted, after = 0, (date.min, 0)
    for _ in range(MAX_BATCHES):
        with core.unit_of_work() as session:
            rows = store.unanswered_nudges(
                session, workspace_id=workspace_id, before=before, after=after, limit=batch
            )
            if not rows:
                break
            after = (rows[-1][1], rows[-1][0])
            gone = [nudge_id for nudge_id, _, superseded in rows if superseded]
            deleted += store.delete_nudges(session, workspace_id=workspace_id, ids=gone)
        if len(rows) < batch:
            break
    return deleted


def _superseded_pictures(
    core: Deps, workspace_id: str, before: datetime, files: FileDeleter | None
) -> int:
    """Superseded picture files: deleted at Slack first (no transaction open meanwhile), then
    their rows; a file Slack could not take yet keeps its row for the next run."""
    deleted = 0
    for _ in range(MAX_BATCHES):
        with core.unit_of_work() as session:
            rows = store.superseded_picture_files(
                session, workspace_id=workspace_id, before=before, limit=PICTURE_BATCH
            )
        if not rows:
            break
        file_ids = [file_id for _, _, file_id in rows]
        gone = set(file_ids if files is None else files(workspace_id, file_ids))
        with core.unit_of_work() as session:
            deleted += store.delete_picture_files(
                session,
                workspace_id=workspace_id,
                keys=[
                    (channel_id, digest) for channel_id, digest, file_id in rows if file_id in gone
                ],
            )
        if len(rows) < PICTURE_BATCH or len(gone) < len(rows):
            break
    return deleted


def _story_id(key: str) -> int | None:
    match = _STORY_KEY.match(key)
    return int(match.group(1)) if match else None
