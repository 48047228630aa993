"""The metrics read at scrape time rather than counted as work happens: the NLP processes'
count and memory (which the process collector, watching the worker process alone, does not
see), and the consumer's lag in messages."""

from __future__ import annotations

import os
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


def update_lag(metrics: WorkerMetrics, consumer: Any) -> None:
    """Lag from the consumer's high-water marks (real Kafka; Tansu reports them wrong)."""
    try:
        # Faust keeps the committed offsets only in this attribute.
        committed = getattr(consumer, "_committed_offset", {})
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            position = committed.get(tp)
            if highwater is not None and position is not None:
                metrics.lag_messages.labels(tp.topic, str(tp.partition)).set(max(0, highwater - position))
    except Exception:  # lag is best effort; never break the scrape
        return
