"""The one polling loop: check a condition until it holds or a deadline passes. The dev stack,
the tools and the tests wait on servers, workers and output records through it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float, interval: float = 0.2) -> T:
    """Call ``condition`` every ``interval`` seconds until it returns something truthy or
    ``timeout`` seconds have passed; return its last result (falsy on a timeout). It is always
    called once more at the deadline, and an exception it raises ends the wait at once."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        remaining = deadline - time.monotonic()
        if result or remaining <= 0:
            return result
        time.sleep(min(interval, remaining))
