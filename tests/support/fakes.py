"""In-memory stand-ins for the two outbound edges of the domain pipeline: the dedup store
(Redis) and the enricher (spaCy), so the processor and the agent run without servers or a model."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from services.articles import Article
from services.dedup import CommitRequest, DedupDecision, DedupRequest, RevisionCommit
from services.enrichment import ArticleTone, CameoCode, Enrichment, Entity, Event, TextSpan
from services.errors import InfrastructureError, ProcessingFailed


@dataclass
class _Claim:
    decision: DedupDecision  # of the latest revision
    versions: dict[bytes, int]  # fingerprint -> revision
    positions: dict[str, int]  # message position -> revision
    claimed: dict[int, float]  # revision -> claim time
    failed: int = 0
    published: int = 0
    content_hash: str | None = None
    live: tuple[str, ...] = ()
    answer: RevisionCommit = field(default_factory=RevisionCommit)


class MemoryStore:
    """Exact-body dedup and revisions in dicts: what the Redis scripts decide, in the cases
    the processor and agent tests need (the scripts themselves are tested against a real Redis
    in tests/integration/test_revisions.py). ``down`` fails every call as an unreachable Redis
    does; ``requests`` and ``failed`` keep what was asked."""

    def __init__(self) -> None:
        self.first_by_body: dict[bytes, str] = {}
        self.claims: dict[str, _Claim] = {}
        self.failed: list[tuple[str, int]] = []
        #: Every request decided, in order.
        self.requests: list[DedupRequest] = []
        self.down = False

    def decide(self, requests: Sequence[DedupRequest], now: float) -> list[DedupDecision]:
        if self.down:
            raise InfrastructureError("redis", "connection refused")
        self.requests.extend(requests)
        return [self._decide(req, now) for req in requests]

    def _decide(self, req: DedupRequest, now: float) -> DedupDecision:
        claim = self.claims.get(req.article_id)
        if claim is None:
            first = self.first_by_body.setdefault(req.body_digest, req.article_id)
            if first == req.article_id:
                decision = DedupDecision("unique", req.article_id, None, 0.0, now)
            else:
                decision = DedupDecision("exact_duplicate", first, first, 1.0, now, story_size=2)
            self.claims[req.article_id] = _Claim(decision, {req.fingerprint: 1}, {req.position: 1}, {1: now})
            return decision
        latest = claim.decision
        if req.position in claim.positions:  # a revision's own message again
            k = claim.positions[req.position]
            return replace(latest, claimed_at=claim.claimed[k], origin="replay", revision=k)
        if req.fingerprint in claim.versions:
            k = claim.versions[req.fingerprint]
            if claim.failed == k == latest.revision:
                claim.failed = 0
                claim.positions[req.position] = k
                return replace(latest, origin="replay")
            return DedupDecision(
                "exact_duplicate",
                latest.story_id,
                req.article_id,
                1.0,
                claim.claimed[k],
                origin="resend",
                revision=k,
            )
        k = (latest.revision or 1) + 1
        claim.claimed[k] = max(now, claim.claimed[k - 1] + 0.001)
        claim.versions[req.fingerprint] = k
        claim.positions[req.position] = k
        claim.decision = replace(latest, claimed_at=claim.claimed[k], origin="revision", revision=k)
        return claim.decision

    def commit(self, requests: Sequence[CommitRequest]) -> list[RevisionCommit]:
        if self.down:
            raise InfrastructureError("redis", "connection refused")
        out = []
        for req in requests:
            claim = self.claims[req.article_id]
            if req.revision < claim.published:
                out.append(RevisionCommit(superseded=True))
            elif req.revision > claim.published:
                claim.answer = RevisionCommit(
                    replaces=claim.published or None,
                    replaces_content_hash=claim.content_hash,
                    retracted=tuple(i for i in claim.live if i not in req.event_ids),
                )
                claim.published, claim.content_hash, claim.live = (
                    req.revision,
                    req.content_hash,
                    req.event_ids,
                )
                out.append(claim.answer)
            else:
                out.append(claim.answer)
        return out

    def mark_failed(self, article_id: str, revision: int) -> None:
        self.failed.append((article_id, revision))
        self.claims[article_id].failed = revision

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
        return Enrichment(entities=[entity], events=events, tone=tone)


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
