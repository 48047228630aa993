"""Prometheus metrics of a worker, as one typed object built on an injected registry.

Naming follows Prometheus conventions: base units, ``_total`` counters, and only bounded
label values (outcomes, stages, CAMEO root codes, error types) — never an id or a URL.
"""

from __future__ import annotations

import platform
import re
import time
from dataclasses import dataclass
from typing import get_args

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.gc_collector import GCCollector

from services.articles import WarningType
from services.dedup import DedupStatus
from services.errors import DEAD_LETTER_TYPES
from services.pipeline import BatchResult, OutcomeKind, TopicKind

# Per-article stage latencies: sub-millisecond dedup up to multi-second NLP batches.
_LATENCY_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)
_FRESHNESS_BUCKETS = (1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 24 * 3600, 7 * 24 * 3600)
_KNOWN_ROOT_CODES = frozenset(f"{i:02d}" for i in range(1, 21))
#: What a valid article's message is to its article's history (``DedupDecision.origin``).
VERSION_KINDS = ("new", "revision", "resend", "replay", "stale", "superseded")
DEPENDENCIES = ("redis", "kafka")
#: A language label is an ISO 639-1 code; anything else (a three-letter code a scraper sent)
#: is counted as "other", so the label stays bounded.
_ISO_639_1 = re.compile(r"[a-z]{2}")


@dataclass(frozen=True)
class WorkerMetrics:
    registry: CollectorRegistry
    consumed: Counter
    processed: Counter
    published: Counter
    dlq: Counter
    stage_seconds: Histogram
    batch_size: Histogram
    dedup_decisions: Counter
    dedup_candidates: Histogram
    story_size: Histogram
    entities: Counter
    events: Counter
    redis_errors: Counter
    redis_up: Gauge
    retries: Counter
    ready: Gauge
    model_load_seconds: Gauge
    build_info: Gauge
    freshness: Histogram
    lag_messages: Gauge
    lag_seconds: Gauge
    rebalances: Counter
    last_output: Gauge
    nlp_processes: Gauge
    nlp_memory: Gauge
    nlp_restarts: Counter
    nlp_skipped: Counter
    input_warnings: Counter
    versions: Counter
    tombstones: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry | None = None) -> WorkerMetrics:
        """Build every metric on ``registry`` (a fresh one by default, so tests never
        share state), with the standard process/platform/GC collectors."""
        registry = registry if registry is not None else CollectorRegistry()
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        GCCollector(registry=registry)
        r = registry
        return cls(
            registry=r,
            consumed=Counter("newswire_articles_consumed", "Raw messages consumed.", registry=r),
            processed=Counter(
                "newswire_articles_processed", "Raw messages by final outcome.", ["outcome"], registry=r
            ),
            published=Counter(
                "newswire_records_published",
                "Records acknowledged by the broker, by output topic.",
                ["topic"],
                registry=r,
            ),
            dlq=Counter(
                "newswire_dlq_records",
                "Dead-lettered messages by stage and reason.",
                ["stage", "error_type"],
                registry=r,
            ),
            stage_seconds=Histogram(
                "newswire_stage_duration_seconds",
                "Time per article in each stage (batch: a whole batch).",
                ["stage"],
                buckets=_LATENCY_BUCKETS,
                registry=r,
            ),
            batch_size=Histogram(
                "newswire_batch_size",
                "Messages per processed batch.",
                buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
                registry=r,
            ),
            dedup_decisions=Counter(
                "newswire_dedup_decisions", "Dedup decisions by kind.", ["decision"], registry=r
            ),
            dedup_candidates=Histogram(
                "newswire_dedup_candidates",
                "LSH candidates verified per article.",
                buckets=(0, 1, 2, 3, 5, 10, 20, 50),
                registry=r,
            ),
            story_size=Histogram(
                "newswire_story_size_articles",
                "Size of the story an article joined or founded.",
                buckets=(1, 2, 3, 5, 10, 20, 50, 100, 500),
                registry=r,
            ),
            entities=Counter("newswire_entities_extracted", "Canonical entities extracted.", registry=r),
            events=Counter(
                "newswire_events_extracted",
                "CAMEO events extracted, by root code.",
                ["root_code"],
                registry=r,
            ),
            redis_errors=Counter("newswire_redis_errors", "Failed Redis operations.", registry=r),
            redis_up=Gauge("newswire_redis_up", "1 while Redis answers, 0 during an outage.", registry=r),
            retries=Counter(
                "newswire_dependency_retries",
                "Batch retries after an infrastructure failure.",
                ["dependency"],
                registry=r,
            ),
            ready=Gauge("newswire_ready", "1 when the worker can process articles.", registry=r),
            model_load_seconds=Gauge(
                "newswire_model_load_seconds", "Time it took to load the spaCy model.", registry=r
            ),
            build_info=Gauge(
                "newswire_build_info",
                "Constant 1, labelled with versions.",
                ["version", "model", "python"],
                registry=r,
            ),
            freshness=Histogram(
                "newswire_article_freshness_seconds",
                "Publish time minus the article's published_at.",
                buckets=_FRESHNESS_BUCKETS,
                registry=r,
            ),
            lag_messages=Gauge(
                "newswire_consumer_lag_messages",
                "High-water mark minus consumed offset.",
                ["topic", "partition"],
                registry=r,
            ),
            lag_seconds=Gauge(
                "newswire_consumer_lag_seconds",
                "At scrape time, how long the oldest message waiting for this worker has waited, at "
                "most (0 when no assigned partition has a backlog).",
                registry=r,
            ),
            rebalances=Counter(
                "newswire_rebalances", "Consumer group rebalances seen by this worker.", registry=r
            ),
            last_output=Gauge(
                "newswire_last_output_timestamp_seconds", "When a record was last published.", registry=r
            ),
            nlp_processes=Gauge(
                "newswire_nlp_processes",
                "Live NLP processes of this worker (0: spaCy in-process).",
                registry=r,
            ),
            nlp_memory=Gauge(
                "newswire_nlp_resident_memory_bytes",
                "Resident memory of this worker's NLP processes together (process_resident_memory_bytes "
                "counts the worker process only).",
                registry=r,
            ),
            nlp_restarts=Counter(
                "newswire_nlp_process_restarts",
                "Times the NLP pool was rebuilt because one of its processes died.",
                registry=r,
            ),
            nlp_skipped=Counter(
                "newswire_nlp_skipped_articles",
                "Articles published without NLP because no pipeline reads their language.",
                ["language"],
                registry=r,
            ),
            input_warnings=Counter(
                "newswire_input_warnings",
                "Fields set aside on accepted articles (an unreadable date, ...), by reason.",
                ["type"],
                registry=r,
            ),
            versions=Counter(
                "newswire_article_versions",
                "Valid articles by what their message is to the article's history: new, revision, "
                "resend (identical re-send), replay, stale or superseded (not applied).",
                ["kind"],
                registry=r,
            ),
            tombstones=Counter(
                "newswire_tombstones_published",
                "Tombstones published on the events topic: events a revision retracted.",
                registry=r,
            ),
        )._with_series_at_zero()

    def _with_series_at_zero(self) -> WorkerMetrics:
        """Give every labelled counter whose label values are known in advance its series now,
        at 0: a healthy worker then reads 0 retries, 0 dead letters, ... on a dashboard, not "No
        data", and rate() and increase() see the first event. Languages are left out: any
        ISO 639-1 code may come."""
        known: list[tuple[Counter, list[tuple[str, ...]]]] = [
            (self.processed, [(kind,) for kind in get_args(OutcomeKind)]),
            (self.published, [(kind,) for kind in get_args(TopicKind)]),
            (self.dlq, [(stage, error_type) for error_type, stage in DEAD_LETTER_TYPES.items()]),
            (self.dedup_decisions, [(status,) for status in get_args(DedupStatus)]),
            (self.events, [(code,) for code in sorted(_KNOWN_ROOT_CODES)] + [("other",)]),
            (self.retries, [(dependency,) for dependency in DEPENDENCIES]),
            (self.input_warnings, [(warning,) for warning in get_args(WarningType)]),
            (self.versions, [(kind,) for kind in VERSION_KINDS]),
        ]
        for counter, label_values in known:
            for values in label_values:
                counter.labels(*values)
        return self

    def set_build_info(self, version: str, model: str) -> None:
        self.build_info.labels(version=version, model=model, python=platform.python_version()).set(1)

    def observe_batch(self, result: BatchResult, publish_seconds: float, now: float | None = None) -> None:
        """Count everything one processed and published batch did."""
        now = time.time() if now is None else now
        n = max(len(result.outcomes), 1)
        self.batch_size.observe(len(result.outcomes))
        self.stage_seconds.labels("decode").observe(result.stage_seconds["decode"] / n)
        self.stage_seconds.labels("dedup").observe(result.stage_seconds["dedup"] / n)
        if result.nlp_articles:
            self.stage_seconds.labels("nlp").observe(result.stage_seconds["nlp"] / result.nlp_articles)
        self.stage_seconds.labels("publish").observe(publish_seconds / n)
        self.stage_seconds.labels("batch").observe(sum(result.stage_seconds.values()) + publish_seconds)
        for outcome in result.outcomes:
            self.processed.labels(outcome.kind).inc()
            for record in outcome.records:
                self.published.labels(record.topic_kind).inc()
                if record.value is None:
                    self.tombstones.inc()
            if outcome.kind == "dlq":
                self.dlq.labels(outcome.error_stage or "unknown", outcome.error_type or "unknown").inc()
                continue
            decision = outcome.decision
            if decision is not None:
                self.dedup_decisions.labels(decision.status).inc()
                if decision.origin in VERSION_KINDS:
                    self.versions.labels(decision.origin).inc()
                self.dedup_candidates.observe(decision.candidates)
                self.story_size.observe(decision.story_size)
            for warning in outcome.warnings:
                self.input_warnings.labels(warning).inc()
            if outcome.nlp_skipped:
                self.nlp_skipped.labels(_language_label(outcome.language)).inc()
            self.entities.inc(outcome.entity_count)
            for root in outcome.event_root_codes:
                self.events.labels(root if root in _KNOWN_ROOT_CODES else "other").inc()
            if outcome.published_at:
                self.freshness.observe(max(0.0, now - _epoch(outcome.published_at)))
        if result.outcomes:
            self.last_output.set(now)


def _language_label(language: str | None) -> str:
    return language if language and _ISO_639_1.fullmatch(language) else "other"


def _epoch(rfc3339: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp()
