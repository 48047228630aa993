"""Waiting on observable events: the runtime's one ``wait_until`` for threads and processes,
and its counterpart for conditions that only change while the event loop runs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from streams.waiting import wait_until

__all__ = ["async_wait_until", "wait_until"]


async def async_wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Yield to the event loop until ``condition`` holds; fail the test after ``timeout`` s."""
    try:
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"condition not met within {timeout}s") from None
