"""The per-batch processor routes each message to exactly one outcome (no servers, no model)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import pytest

from services.articles import Article, InputLimits
from services.dedup import DedupDecision, Deduplicator, DedupRequest, DedupStore
from services.enrichment import ArticleTone, CameoCode, Enricher, Enrichment, Entity, Event, TextSpan
from services.errors import InfrastructureError, ProcessingFailed
from services.pipeline import ArticleProcessor, Outcome, RawMessage


class MemoryStore:
    """Exact-body dedup in a dict: enough to exercise the processor's routing."""

    def __init__(self) -> None:
        self.first_by_body: dict[bytes, str] = {}
        self.failed: list[str] = []
        self.down = False

    def decide(self, requests: Sequence[DedupRequest], now: float) -> list[DedupDecision]:
        if self.down:
            raise InfrastructureError("redis", "connection refused")
        out = []
        for req in requests:
            first = self.first_by_body.setdefault(req.body_digest, req.article_id)
            if first == req.article_id:
                out.append(DedupDecision("unique", req.article_id, None, 0.0, now))
            else:
                out.append(DedupDecision("exact_duplicate", first, first, 1.0, now, story_size=2))
        return out

    def mark_failed(self, article_id: str) -> None:
        self.failed.append(article_id)

    def story(self, story_id: str) -> dict[str, Any] | None:
        return None


class KeywordEnricher:
    """Tags capitalised words as entities and 'met' as a CAMEO 040 event; 'boom' fails."""

    model_name = "keyword-test"

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        results: list[Enrichment | ProcessingFailed] = []
        for article in articles:
            if "boom" in article.text:
                results.append(ProcessingFailed("nlp_error", "model choked", "nlp"))
                continue
            start = article.text.index("Japan")
            entity = Entity(
                id="country:JPN",
                name="Japan",
                type="GPE",
                mentions=(TextSpan("Japan", start, start + 5),),
                country="JPN",
            )
            events = []
            if "met" in article.text:
                i = article.text.index("met")
                events.append(
                    Event(
                        id=f"{article.article_id}:ev1",
                        cameo=CameoCode("040", "Consult, not specified below", 1, 1.0),
                        trigger=TextSpan("met", i, i + 3),
                        actors=("country:JPN",),
                        targets=(),
                        actor_countries=("JPN",),
                        target_countries=(),
                        sentence_start=0,
                        sentence_end=10,
                    )
                )
            tone = ArticleTone(tone=0.5, positive=1.0, negative=0.5, polarity=1.5, word_count=4)
            results.append(Enrichment(entities=[entity], events=events, tone=tone))
        return results


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def make_processor(
    store: DedupStore,
    enricher: Enricher | None = None,
    *,
    nlp_chunk_size: int = 2,
    reuse_cache_bytes: int = 8 * 2**20,
) -> ArticleProcessor:
    """The real processor on an in-memory store, a keyword enricher and a fixed clock."""
    return ArticleProcessor(
        limits=InputLimits(),
        deduplicator=Deduplicator(store),
        enricher=enricher or KeywordEnricher(),
        version="test",
        clock=lambda: 1_700_000_000.0,
        nlp_chunk_size=nlp_chunk_size,
        reuse_cache_bytes=reuse_cache_bytes,
    )


@pytest.fixture
def processor(store: MemoryStore) -> ArticleProcessor:
    return make_processor(store)


def message(value: bytes | None, offset: int) -> RawMessage:
    return RawMessage(value=value, key=None, topic="raw", partition=0, offset=offset)


def article(n: int, body: str = "Japan met Korea in Seoul.") -> bytes:
    return orjson.dumps({"id": f"a{n}", "url": f"https://x.example/{n}", "body": body})


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
    assert store.failed == ["a7"]


def test_dead_letter_keeps_original_bytes_as_base64_when_not_utf8(processor: ArticleProcessor) -> None:
    raw = b"\xff\xfe\x00garbage"
    record = orjson.loads(processor.process([message(raw, 9)]).outcomes[0].records[0].value)
    import base64

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


class CountingEnricher(KeywordEnricher):
    def __init__(self) -> None:
        self.seen: list[str] = []

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        self.seen.extend(a.article_id for a in articles)
        return super().enrich(articles)


class ResendStore(MemoryStore):
    """Same id again -> the first decision again (what the Redis claim does)."""

    def __init__(self) -> None:
        super().__init__()
        self.claims: dict[str, DedupDecision] = {}

    def decide(self, requests: Sequence[DedupRequest], now: float) -> list[DedupDecision]:
        out = []
        for req in requests:
            if req.article_id not in self.claims:
                self.claims[req.article_id] = super().decide([req], now)[0]
            out.append(self.claims[req.article_id])
        return out


def test_an_article_sent_again_under_its_id_gets_identical_records_without_new_nlp() -> None:
    enricher = CountingEnricher()
    processor = make_processor(ResendStore(), enricher)
    first = processor.process([message(article(1), 0), message(article(1), 1)])
    again = processor.process([message(article(1), 7)])
    assert enricher.seen == ["a1"]  # one NLP pass for three copies under one id
    records = [o.records for o in first.outcomes + again.outcomes]
    assert records[0] == records[1] == records[2]
    assert [o.kind for o in first.outcomes + again.outcomes] == ["enriched"] * 3


def _record_bytes(outcome: Outcome) -> int:
    return sum(len(r.key) + len(r.value) for r in outcome.records)


def test_the_reuse_cache_is_bounded_by_the_bytes_of_its_records() -> None:
    sizing = make_processor(ResendStore()).process([message(article(1), 0)])
    one_record = _record_bytes(sizing.outcomes[0])
    enricher = CountingEnricher()
    # Room for one article's records, not two: the older one is evicted.
    processor = make_processor(ResendStore(), enricher, reuse_cache_bytes=one_record * 3 // 2)
    processor.process([message(article(1), 0)])
    processor.process([message(article(2, "Japan met Peru in Lima."), 1)])
    again = processor.process([message(article(2, "Japan met Peru in Lima."), 2), message(article(1), 3)])
    assert enricher.seen == ["a1", "a2", "a1"]  # a2 reused, a1 parsed again
    assert [o.kind for o in again.outcomes] == ["enriched", "enriched"]


def test_records_too_large_for_the_reuse_cache_are_still_identical_for_copies_in_one_batch() -> None:
    enricher = CountingEnricher()
    processor = make_processor(ResendStore(), enricher, reuse_cache_bytes=10)
    first = processor.process([message(article(1), 0), message(article(1), 1)])
    assert enricher.seen == ["a1"]
    assert first.outcomes[0].records == first.outcomes[1].records
    processor.process([message(article(1), 2)])
    assert enricher.seen == ["a1", "a1"]  # nothing was cached


def test_outcomes_are_handed_over_as_soon_as_they_are_final(store: MemoryStore) -> None:
    enricher = CountingEnricher()
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
