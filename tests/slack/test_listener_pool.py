"""Bolt's listener pool: the request's thread waits for ack() while the listener runs on it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.slack.conftest import InProcess

BOLT_DEFAULT_THREADS = 5


def test_post_ack_work_has_room_beside_the_next_ack(in_process: InProcess) -> None:
    """Bolt's default 5 threads were held by work after acks (views.open, a transaction), and
    at a burst of clicks the next ack waited for one (issue 12): the app brings a larger pool."""
    executor = in_process.app.listener_runner.listener_executor
    assert isinstance(executor, ThreadPoolExecutor)
    assert executor._max_workers >= 4 * BOLT_DEFAULT_THREADS
