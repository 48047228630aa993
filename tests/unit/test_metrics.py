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
