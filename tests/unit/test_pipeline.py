"""The per-batch processor routes each message to exactly one outcome (no servers, no model)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import orjson
import pytest

from services.articles import Article
from services.enrichment import Enrichment
from services.errors import InfrastructureError, ProcessingFailed
from services.pipeline import ArticleProcessor, Outcome, RawMessage
from tests.support.builders import keyword_article as article
from tests.support.builders import make_processor, message
from tests.support.fakes import KeywordEnricher, MemoryStore


def test_each_message_gets_exactly_one_outcome_in_input_order(processor: ArticleProcessor) -> None:
    batch = [
        message(article(1), 0),
        message(b"{bad", 1),
        message(article(2), 2),
        message(article(3, "Japan boom."), 3),
    ]
    result = processor.process(batch)
    assert [o.kind for o in result.outcomes] == ["enriched", "dlq", "duplicate", "dlq"]
    assert result.nlp_articles == 2  # the duplicate cost no NLP


def test_enriched_outcome_publishes_the_article_and_one_record_per_event(processor: ArticleProcessor) -> None:
    outcome = processor.process([message(article(1), 0)]).outcomes[0]
    kinds = [r.topic_kind for r in outcome.records]
    assert kinds == ["enriched", "events"]
    enriched = orjson.loads(outcome.records[0].value)
    event = orjson.loads(outcome.records[1].value)
    assert enriched["schema"] == "newswire.enriched/1"
    assert enriched["tone"] == 0.5
    assert enriched["processed_at"] == "2023-11-14T22:13:20.000Z"
    assert event["schema"] == "newswire.event/1"
    assert event["actors"] == [
        {"id": "country:JPN", "name": "Japan", "type": "GPE", "country": "JPN", "role": None}
    ]
    assert outcome.records[1].key == b"a1:ev1"
    assert event["story_id"] == "a1"


def test_nlp_failure_is_dead_lettered_and_its_claim_released(
    processor: ArticleProcessor, store: MemoryStore
) -> None:
    outcome = processor.process([message(article(7, "Japan boom."), 5)]).outcomes[0]
    record = orjson.loads(outcome.records[0].value)
    assert (outcome.kind, outcome.error_stage) == ("dlq", "nlp")
    assert record["error"] == {"type": "nlp_error", "message": "model choked", "stage": "nlp"}
    assert record["source"] == {"topic": "raw", "partition": 0, "offset": 5}
    assert record["article_id"] == "a7"
    assert store.failed == [("a7", 1)]


def test_dead_letter_keeps_original_bytes_as_base64_when_not_utf8(processor: ArticleProcessor) -> None:
    raw = b"\xff\xfe\x00garbage"
    record = orjson.loads(processor.process([message(raw, 9)]).outcomes[0].records[0].value)
    assert record["payload_encoding"] == "base64"
    assert base64.b64decode(record["payload"]) == raw
    assert record["error"]["type"] == "invalid_utf8"


def test_redis_outage_fails_the_whole_batch_so_nothing_is_acknowledged(
    processor: ArticleProcessor, store: MemoryStore
) -> None:
    store.down = True
    with pytest.raises(InfrastructureError):
        processor.process([message(article(1), 0), message(b"{bad", 1)])


def test_isolated_processing_dead_letters_a_message_that_breaks_the_processor(
    processor: ArticleProcessor, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = processor.enricher.enrich

    def flaky(articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        if any(a.article_id == "a2" for a in articles):
            raise RuntimeError("unexpected")
        return original(articles)

    monkeypatch.setattr(processor.enricher, "enrich", flaky)
    result = processor.process_isolated([message(article(1), 0), message(article(2, "Japan met Chile."), 1)])
    assert [o.kind for o in result.outcomes] == ["enriched", "dlq"]
    assert result.outcomes[1].error_type == "internal_error"


def test_an_identical_resend_under_its_id_is_an_exact_duplicate_of_itself_without_nlp() -> None:
    enricher = KeywordEnricher()
    processor = make_processor(MemoryStore(), enricher)
    first = processor.process([message(article(1), 0), message(article(1), 1)])
    again = processor.process([message(article(1), 7)])
    assert enricher.seen == ["a1"]  # one NLP pass for three copies under one id
    assert [o.kind for o in first.outcomes + again.outcomes] == ["enriched", "duplicate", "duplicate"]
    for outcome in (first.outcomes[1], again.outcomes[0]):
        (record,) = [orjson.loads(r.value or b"") for r in outcome.records]
        assert record["dedup"] == {
            "status": "exact_duplicate",
            "story_id": "a1",
            "duplicate_of": "a1",
            "similarity": 1.0,
        }
        assert record["revision"] == {"number": 1, "updated_at": None}
        assert (
            record["processed_at"] == orjson.loads(first.outcomes[0].records[0].value or b"")["processed_at"]
        )


def test_a_replayed_message_gets_byte_identical_records_without_new_nlp() -> None:
    enricher = KeywordEnricher()
    processor = make_processor(MemoryStore(), enricher)
    first = processor.process([message(article(1), 0)])
    again = processor.process([message(article(1), 0)])  # e.g. a batch retried after a send failed
    assert enricher.seen == ["a1"]
    assert again.outcomes[0].records == first.outcomes[0].records
    assert again.outcomes[0].kind == "enriched"


def _record_bytes(outcome: Outcome) -> int:
    return sum(len(r.key) + len(r.value or b"") for r in outcome.records)


def test_the_reuse_cache_is_bounded_by_the_bytes_of_its_records() -> None:
    sizing = make_processor(MemoryStore()).process([message(article(1), 0)])
    one_record = _record_bytes(sizing.outcomes[0])
    enricher = KeywordEnricher()
    # Room for one article's records, not two: the older one is evicted.
    processor = make_processor(MemoryStore(), enricher, reuse_cache_bytes=one_record * 3 // 2)
    processor.process([message(article(1), 0)])
    processor.process([message(article(2, "Japan met Peru in Lima."), 1)])
    again = processor.process([message(article(2, "Japan met Peru in Lima."), 1), message(article(1), 0)])
    assert enricher.seen == ["a1", "a2", "a1"]  # a2 reused, a1 parsed again
    assert [o.kind for o in again.outcomes] == ["enriched", "enriched"]


def test_records_too_large_for_the_reuse_cache_are_still_identical_when_replayed() -> None:
    enricher = KeywordEnricher()
    processor = make_processor(MemoryStore(), enricher, reuse_cache_bytes=10)
    first = processor.process([message(article(1), 0)])
    again = processor.process([message(article(1), 0)])
    assert enricher.seen == ["a1", "a1"]  # nothing was cached: parsed again
    assert again.outcomes[0].records == first.outcomes[0].records


def test_outcomes_are_handed_over_as_soon_as_they_are_final(store: MemoryStore) -> None:
    enricher = KeywordEnricher()
    processor = make_processor(store, enricher, nlp_chunk_size=2)
    handed: list[tuple[list[int], list[str]]] = []

    def on_ready(pairs: list[tuple[int, Outcome]]) -> None:
        # What NLP had run when each group was handed over tells when it was handed over.
        handed.append(([i for i, _ in pairs], list(enricher.seen)))

    batch = [
        message(article(1), 0),
        message(b"{bad", 1),
        message(article(2), 2),  # same body as a1: a duplicate
        message(article(3, "Japan met Chile."), 3),
        message(article(4, "Japan met Peru."), 4),
    ]
    result = processor.process(batch, on_ready)

    assert handed == [([1, 2], []), ([0, 3], ["a1", "a3"]), ([4], ["a1", "a3", "a4"])]
    assert [o.kind for o in result.outcomes] == ["enriched", "dlq", "duplicate", "enriched", "enriched"]


class RefusingEnricher(KeywordEnricher):
    """Fails the test if any article reaches the NLP stage."""

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        raise AssertionError(f"NLP ran on {[a.language for a in articles]}")


def test_an_article_in_a_language_without_nlp_is_published_unread_not_dead_lettered(
    store: MemoryStore,
) -> None:
    body = (
        "Le ministre japonais des Affaires étrangères a rencontré mardi son homologue coréen à "
        "Séoul pour discuter de la sécurité régionale et des échanges commerciaux entre les deux pays."
    )
    processor = make_processor(store, RefusingEnricher())
    result = processor.process([message(article(1, body), 0)])
    [outcome] = result.outcomes
    assert (outcome.kind, outcome.language, outcome.nlp_skipped) == ("enriched", "fr", "unsupported_language")
    assert result.nlp_articles == 0
    [record] = outcome.records
    value = orjson.loads(record.value)
    assert value["language"] == "fr"
    assert value["nlp"] == {"status": "skipped", "reason": "unsupported_language"}
    assert value["language_detection"]["source"] == "detected"
    assert (value["entities"], value["events"], value["text"]) == ([], [], body)


def test_an_unreadable_date_reaches_the_record_as_a_warning(processor: ArticleProcessor) -> None:
    raw = orjson.dumps(
        {"id": "d1", "url": "https://x.example/d", "body": "Japan met Korea.", "published_at": "soon"}
    )
    [outcome] = processor.process([message(raw, 0)]).outcomes
    assert (outcome.kind, outcome.warnings) == ("enriched", ["unreadable_published_at"])
    value = orjson.loads(outcome.records[0].value)
    assert value["published_at"] is None
    assert value["warnings"][0]["type"] == "unreadable_published_at"
    assert value["nlp"] == {"status": "done", "reason": None}


# --------------------------------------------------------------------------- dead-letter envelope
def dead_letter(processor: ArticleProcessor, raw: RawMessage) -> tuple[bytes, dict[str, Any]]:
    (outcome,) = processor.process([raw]).outcomes
    assert outcome.kind == "dlq"
    (record,) = outcome.records
    return record.key, orjson.loads(record.value)


def test_dead_letter_is_dated_by_its_message_so_a_reprocessed_one_is_byte_identical(
    store: MemoryStore,
) -> None:
    raw = RawMessage(b"{bad", None, "raw", 0, 5, timestamp_ms=1_767_225_600_123)
    first = make_processor(store).process([raw]).outcomes[0].records[0]
    later = make_processor(store, clock=lambda: 1_900_000_000.0)
    assert later.process([raw]).outcomes[0].records[0] == first
    assert orjson.loads(first.value)["failed_at"] == "2026-01-01T00:00:00.123Z"
    # Without a message timestamp (files through `newswire enrich`): the clock.
    _, record = dead_letter(make_processor(store), RawMessage(b"{bad", None, "file:x", 0, 1))
    assert record["failed_at"] == "2023-11-14T22:13:20.000Z"


@pytest.mark.parametrize(
    ("key", "payload", "want_key", "want_id"),
    [
        (b"scraper-key-1", b'{"id": "wire-1", "url": "ftp://x"}', b"scraper-key-1", "wire-1"),
        (None, b'{"id": " wire-2 ", "url": "ftp://x"}', b"wire-2", "wire-2"),
        (b"\xff\xfe", b'{"id": "wire-3", "url": "ftp://x"}', b"wire-3", "wire-3"),  # key not text
        (b"\xff", b'{"id": "line\\nbreak", "url": "ftp://x"}', b"raw:0:9", None),  # neither readable
        (None, b"{bad", b"raw:0:9", None),
        (b"k", b'{"id": 5, "body": "x"}', b"k", None),
    ],
)
def test_dead_letter_is_keyed_by_what_the_sender_sent_when_readable(
    processor: ArticleProcessor, key: bytes | None, payload: bytes, want_key: bytes, want_id: str | None
) -> None:
    got_key, record = dead_letter(processor, RawMessage(payload, key, "raw", 0, 9))
    assert (got_key, record["article_id"]) == (want_key, want_id)


def test_unreadable_record_is_dead_lettered_with_its_headers_whatever_its_payload(
    processor: ArticleProcessor,
) -> None:
    raw = RawMessage(
        article(7),
        b"k7",
        "raw",
        1,
        3,
        headers=(("trace-id", b"abc"), (b"\xff\xfe", None)),
        unreadable=("invalid_header", "1 of 2 Kafka header names are not valid UTF-8"),
    )
    key, record = dead_letter(processor, raw)
    assert key == b"k7" and record["article_id"] == "a7"
    assert record["error"] == {
        "type": "invalid_header",
        "message": "1 of 2 Kafka header names are not valid UTF-8",
        "stage": "decode",
    }
    assert record["headers"] == [
        {"name": "trace-id", "name_encoding": "utf-8", "value": "abc", "value_encoding": "utf-8"},
        {"name": "//4=", "name_encoding": "base64", "value": None, "value_encoding": "none"},
    ]
    assert record["payload"] == article(7).decode()
