"""The metrics read at scrape time rather than counted as work happens: the NLP processes'
count and memory (which the process collector, watching the worker process alone, does not
see), and the consumer's lag in messages and in seconds."""

from __future__ import annotations

import contextlib
import math
import os
import time
from pathlib import Path
from typing import Any

from services.enrichment import Enricher
from services.nlp.pool import EnricherPool
from streams.metrics import WorkerMetrics

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def update_nlp_processes(metrics: WorkerMetrics, enricher: Enricher | None) -> None:
    """Count and memory of the live NLP processes (restarts are counted as they happen:
    ``on_restart`` in :func:`streams.domain.build_enricher`)."""
    pids: list[int] = enricher.pids() if isinstance(enricher, EnricherPool) else []
    metrics.nlp_processes.set(len(pids))
    metrics.nlp_memory.set(sum(resident_bytes(pid) for pid in pids))


def resident_bytes(pid: int) -> int:
    """A process's resident memory (0 once it exited, or off Linux)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


class PartitionClock:
    """What the lag in seconds is computed from at each scrape, per assigned partition: the
    broker timestamp of the last message the worker took from it, and when it was last seen
    without a backlog. Computed at the scrape rather than set when a message is taken, the lag
    keeps growing while a stalled worker takes nothing, which is when it matters."""

    def __init__(self) -> None:
        self.last_message: dict[Any, float] = {}
        self.caught_up: dict[Any, float] = {}
        self.first_seen: dict[Any, float] = {}

    def consumed(self, tp: Any, timestamp: float | None) -> None:
        """The worker took a message of ``tp`` with this broker timestamp (epoch seconds)."""
        if timestamp is not None and timestamp > 0:
            self.last_message[tp] = max(timestamp, self.last_message.get(tp, 0.0))

    def waited(self, tp: Any, backlog: int, now: float) -> float:
        """How long the oldest message waiting in ``tp`` has waited, at most; 0 without a
        backlog. That message was written after the last one taken and after the partition was
        last seen caught up, so ``now`` minus the later of the two bounds its wait from above.
        Knowing neither (a partition with a backlog from the start, nothing taken yet), the
        time since the partition was first seen: a bound from below, which still grows."""
        self.first_seen.setdefault(tp, now)
        if backlog <= 0:
            self.caught_up[tp] = now
            return 0.0
        since = max(self.last_message.get(tp, -math.inf), self.caught_up.get(tp, -math.inf))
        if since == -math.inf:
            since = self.first_seen[tp]
        return max(0.0, now - since)

    def forget(self, tp: Any) -> None:
        for known in (self.last_message, self.caught_up, self.first_seen):
            known.pop(tp, None)


def update_lag(
    metrics: WorkerMetrics, consumer: Any, clock: PartitionClock, now: float | None = None
) -> None:
    """Lag of every assigned partition in messages (end offset minus committed offset, or the
    offset after the last one read while nothing is committed yet) and the worker's lag in
    seconds (:class:`PartitionClock`); series of partitions no longer assigned are dropped.
    Real Kafka only: Tansu reports end offsets wrongly (README, "Known limits")."""
    now = time.time() if now is None else now
    try:
        assigned = set(consumer.assignment())
        # Faust keeps the committed and read offsets only in these attributes.
        committed = getattr(consumer, "_committed_offset", {})
        read = getattr(consumer, "_read_offset", {})
        waits = [0.0]
        for tp in assigned:
            highwater = consumer.highwater(tp)
            position = committed.get(tp)
            if position is None and read.get(tp) is not None:
                position = read[tp] + 1
            if highwater is None or position is None:
                continue
            backlog = max(0, highwater - position)
            metrics.lag_messages.labels(tp.topic, str(tp.partition)).set(backlog)
            waits.append(clock.waited(tp, backlog, now))
        for tp in [tp for tp in clock.first_seen if tp not in assigned]:
            clock.forget(tp)
            with contextlib.suppress(KeyError):
                metrics.lag_messages.remove(tp.topic, str(tp.partition))
        metrics.lag_seconds.set(max(waits))
    except Exception:  # lag is best effort; never break the scrape
        return
