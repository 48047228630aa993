"""How far a running worker process has come, read from its /metrics page, and what it said
in its log."""

from __future__ import annotations

import orjson

from streams.devstack import WorkerProcess
from streams.waiting import wait_until


def processed(worker: WorkerProcess) -> float:
    """Raw messages this worker process finished (published and acknowledged, any outcome)."""
    return sum(v for k, v in worker.metrics().items() if k.startswith("newswire_articles_processed_total"))


def wait_processed(worker: WorkerProcess, count: float, timeout: float = 120) -> None:
    """Block until the worker has finished ``count`` inputs; fail the test after ``timeout``."""
    if not wait_until(lambda: processed(worker) >= count, timeout, interval=0.25):
        raise AssertionError(
            f"worker processed {processed(worker):.0f} of {count:.0f} inputs in {timeout}s; "
            f"see {worker.log_path}"
        )


def log_messages(worker: WorkerProcess, logger: str = "newswire.worker") -> list[str]:
    """The messages ``logger`` wrote to the worker's log so far (JSON lines, in order)."""
    messages = []
    for line in worker.log_path.read_text("utf-8", errors="replace").splitlines():
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue  # a line of a library that writes to stderr itself
        if isinstance(entry, dict) and entry.get("logger") == logger:
            messages.append(str(entry.get("msg", "")))
    return messages
