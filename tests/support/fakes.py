"""In-memory stand-ins for the two outbound edges of the domain pipeline: the dedup store
(Redis) and the enricher (spaCy), so the processor and the agent run without servers or a model."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from services.articles import Article
from services.dedup import DedupDecision, DedupRequest
from services.enrichment import Enrichment
from services.errors import InfrastructureError, ProcessingFailed


class MemoryStore:
    """Exact-body dedup in dicts, with what the Redis claim guarantees: an article id seen
    again gets its first decision again, until ``mark_failed`` releases it. ``down`` makes every
    decision fail as an unreachable Redis does; ``requests`` keeps what was asked."""

    def __init__(self) -> None:
        self.first_by_body: dict[bytes, str] = {}
        self.claims: dict[str, DedupDecision] = {}
        self.requests: list[DedupRequest] = []
        self.failed: list[str] = []
        self.down = False

    def decide(self, requests: Sequence[DedupRequest], now: float) -> list[DedupDecision]:
        if self.down:
            raise InfrastructureError("redis", "connection refused")
        self.requests.extend(requests)
        return [self._decide(request, now) for request in requests]

    def _decide(self, request: DedupRequest, now: float) -> DedupDecision:
        if request.article_id not in self.claims:
            first = self.first_by_body.setdefault(request.body_digest, request.article_id)
            if first == request.article_id:
                decision = DedupDecision("unique", request.article_id, None, 0.0, now)
            else:
                decision = DedupDecision("exact_duplicate", first, first, 1.0, now, story_size=2)
            self.claims[request.article_id] = decision
        return self.claims[request.article_id]

    def mark_failed(self, article_id: str) -> None:
        self.failed.append(article_id)
        self.claims.pop(article_id, None)

    def story(self, story_id: str) -> dict[str, Any] | None:
        return None


class KeywordEnricher:
    """Tags 'Japan' as a country entity and 'met' as a CAMEO 040 event; 'boom' fails the
    article. ``seen`` lists the article ids it was given, in order."""

    model_name = "keyword-test"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        self.seen.extend(a.article_id for a in articles)
        return [self._enrich(article) for article in articles]

    def _enrich(self, article: Article) -> Enrichment | ProcessingFailed:
        if "boom" in article.text:
            return ProcessingFailed("nlp_error", "model choked", "nlp")
        start = article.text.index("Japan")
        entity = {
            "id": "country:JPN",
            "name": "Japan",
            "type": "GPE",
            "count": 1,
            "mentions": [{"text": "Japan", "start": start, "end": start + 5}],
        }
        events = []
        if "met" in article.text:
            i = article.text.index("met")
            events.append(
                {
                    "id": f"{article.article_id}:ev1",
                    "code": "040",
                    "root_code": "04",
                    "label": "Consult",
                    "trigger": {"text": "met", "start": i, "end": i + 3},
                    "actors": ["country:JPN"],
                    "targets": [],
                    "sentence": {"start": 0, "end": 10},
                }
            )
        return Enrichment(entities=[entity], events=events, extras={"tone": 0.5})


class GatedEnricher(KeywordEnricher):
    """The keyword enricher, but a chunk holding an article named in ``hold`` waits for
    ``release``: a slow NLP chunk whose start (``holding``) a test can observe."""

    def __init__(self, hold: set[str]) -> None:
        super().__init__()
        self.hold = hold
        self.release = threading.Event()
        self.holding = threading.Event()

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        if any(a.article_id in self.hold for a in articles):
            self.holding.set()
            assert self.release.wait(10), "test never released the enricher"
        return super().enrich(articles)


class BlankEnricher:
    """Finds nothing in any article: the pipeline's routing without any NLP."""

    model_name = "blank-test"

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        return [Enrichment(entities=[], events=[]) for _ in articles]
