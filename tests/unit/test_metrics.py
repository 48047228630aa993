"""Worker metrics count outcomes with bounded labels only."""

from __future__ import annotations

from prometheus_client import generate_latest

from services.dedup import DedupDecision
from services.pipeline import BatchResult, OutboundRecord, Outcome
from streams.metrics import WorkerMetrics


def batch() -> BatchResult:
    decision = DedupDecision("near_duplicate", "s1", "a0", 0.8, 0.0, candidates=2, story_size=3)
    return BatchResult(
        outcomes=[
            Outcome(
                "enriched",
                [OutboundRecord("enriched", b"a1", b"{}"), OutboundRecord("events", b"e1", b"{}")],
                article_id="a1",
                decision=DedupDecision("unique", "a1", None, 0.0, 0.0),
                entity_count=4,
                event_root_codes=["04", "99"],
                published_at="2026-03-02T09:15:00Z",
            ),
            Outcome(
                "duplicate", [OutboundRecord("duplicates", b"a2", b"{}")], article_id="a2", decision=decision
            ),
            Outcome(
                "dlq",
                [OutboundRecord("dlq", b"raw:0:3", b"{}")],
                error_type="invalid_json",
                error_stage="decode",
            ),
        ],
        stage_seconds={"decode": 0.003, "dedup": 0.003, "nlp": 0.1},
        nlp_articles=1,
    )


def test_observe_batch_counts_outcomes_records_and_decisions() -> None:
    metrics = WorkerMetrics.create()
    metrics.observe_batch(batch(), publish_seconds=0.01, now=1_772_443_000.0)
    text = generate_latest(metrics.registry).decode()
    assert 'newswire_articles_processed_total{outcome="enriched"} 1.0' in text
    assert 'newswire_records_published_total{topic="events"} 1.0' in text
    assert 'newswire_dlq_records_total{error_type="invalid_json",stage="decode"} 1.0' in text
    assert 'newswire_dedup_decisions_total{decision="near_duplicate"} 1.0' in text
    assert "newswire_entities_extracted_total 4.0" in text
    # An unknown root code is folded into "other": label values stay bounded.
    assert 'newswire_events_extracted_total{root_code="other"} 1.0' in text
    assert 'newswire_stage_duration_seconds_count{stage="nlp"} 1.0' in text
    assert "process_resident_memory_bytes" in text


def test_metrics_objects_do_not_share_state_between_registries() -> None:
    first, second = WorkerMetrics.create(), WorkerMetrics.create()
    first.consumed.inc(5)
    assert "newswire_articles_consumed_total 0.0" in generate_latest(second.registry).decode()


def test_articles_without_nlp_are_counted_by_language_and_warnings_by_reason() -> None:
    metrics = WorkerMetrics.create()
    unread = [
        Outcome("enriched", [], article_id=f"f{n}", language=language, nlp_skipped="unsupported_language")
        for n, language in enumerate(["fr", "fr", "de", "fra-ca", None])
    ]
    warned = Outcome("duplicate", [], article_id="d1", warnings=["unreadable_published_at"])
    metrics.observe_batch(BatchResult(outcomes=[*unread, warned], stage_seconds=batch().stage_seconds), 0.0)
    text = generate_latest(metrics.registry).decode()
    assert 'newswire_nlp_skipped_articles_total{language="fr"} 2.0' in text
    assert 'newswire_nlp_skipped_articles_total{language="de"} 1.0' in text
    # Not an ISO 639-1 code: folded into "other", so the label values stay bounded.
    assert 'newswire_nlp_skipped_articles_total{language="other"} 2.0' in text
    assert 'newswire_input_warnings_total{type="unreadable_published_at"} 1.0' in text


def test_labelled_counters_a_dashboard_reads_have_their_series_at_zero_from_the_start() -> None:
    text = generate_latest(WorkerMetrics.create().registry).decode()
    for series in (
        'newswire_dependency_retries_total{dependency="redis"} 0.0',
        'newswire_dependency_retries_total{dependency="kafka"} 0.0',
        'newswire_articles_processed_total{outcome="dlq"} 0.0',
        'newswire_records_published_total{topic="events"} 0.0',
        'newswire_dlq_records_total{error_type="not_prose",stage="validate"} 0.0',
        'newswire_dlq_records_total{error_type="invalid_header",stage="decode"} 0.0',
        'newswire_dedup_decisions_total{decision="near_duplicate"} 0.0',
        'newswire_events_extracted_total{root_code="20"} 0.0',
        'newswire_input_warnings_total{type="language_mismatch"} 0.0',
        'newswire_article_versions_total{kind="resend"} 0.0',
        "newswire_tombstones_published_total 0.0",
    ):
        assert series in text, series
    # Any ISO 639-1 code may come: no language series until one does.
    assert "newswire_nlp_skipped_articles_total{" not in text


def test_revisions_resends_and_tombstones_are_counted() -> None:
    def decided(origin: str, status: str = "unique") -> DedupDecision:
        return DedupDecision(status, "s1", None, 1.0, 0.0, origin=origin)  # type: ignore[arg-type]

    tombstone = OutboundRecord("events", b"evt-old", None)
    outcomes = [
        Outcome("enriched", [OutboundRecord("enriched", b"a1", b"{}")], decision=decided("new")),
        Outcome(
            "enriched",
            [
                OutboundRecord("enriched", b"a1", b"{}"),
                OutboundRecord("events", b"evt-new", b"{}"),
                tombstone,
            ],
            decision=decided("revision"),
        ),
        Outcome("duplicate", [], decision=decided("resend", "exact_duplicate")),
        Outcome("duplicate", [], decision=decided("stale", "near_duplicate")),
        Outcome("duplicate", [], decision=decided("superseded", "near_duplicate")),
    ]
    metrics = WorkerMetrics.create()
    metrics.observe_batch(BatchResult(outcomes=outcomes, stage_seconds=batch().stage_seconds), 0.0)
    text = generate_latest(metrics.registry).decode()
    for kind in ("new", "revision", "resend", "stale", "superseded"):
        assert f'newswire_article_versions_total{{kind="{kind}"}} 1.0' in text, kind
    assert 'newswire_article_versions_total{kind="replay"} 0.0' in text
    assert "newswire_tombstones_published_total 1.0" in text
    assert 'newswire_records_published_total{topic="events"} 2.0' in text
