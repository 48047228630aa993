"""Dedup evidence without a server: signatures, band digests and the similarity estimate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from services.articles import Article, InputLimits, validate_article
from services.dedup import (
    CommitRequest,
    DedupDecision,
    Deduplicator,
    DedupRequest,
    RevisionCommit,
    article_ref,
    estimated_jaccard,
    pack_signature,
)
from services.evaluation.dedup_eval import build_eval_set, load_corpus

LIMITS = InputLimits()


class RecordingStore:
    def __init__(self) -> None:
        self.requests: list[DedupRequest] = []

    def decide(self, requests: Sequence[DedupRequest], now: float) -> list[DedupDecision]:
        self.requests.extend(requests)
        return [DedupDecision("unique", r.article_id, None, 0.0, now) for r in requests]

    def commit(self, requests: Sequence[CommitRequest]) -> list[RevisionCommit]:
        return [RevisionCommit() for _ in requests]

    def mark_failed(self, article_id: str, revision: int) -> None:
        pass

    def story(self, story_id: str) -> dict[str, Any] | None:
        return None


def article(body: str, article_id: str = "a1", url: str = "https://example.com/a") -> Article:
    return validate_article({"id": article_id, "url": url, "body": body, "source": "x"}, LIMITS)


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return load_corpus()


def test_request_carries_compact_evidence(corpus: list[str]) -> None:
    store = RecordingStore()
    dedup = Deduplicator(store, num_perm=128, bands=32, shingle_size=2)
    dedup.decide([(article(corpus[0]), "raw:0:1")], now=1.0)
    (req,) = store.requests
    assert len(req.signature) == 2 * 128
    assert len(req.band_digests) == 32
    assert all(len(d) == 8 for d in (req.url_digest, req.body_digest, *req.band_digests))
    assert len(req.index_entries) == 8 * 34
    assert req.position == "raw:0:1"


def test_same_text_same_evidence_whatever_the_page_around_it(corpus: list[str]) -> None:
    dedup = Deduplicator(RecordingStore())
    plain = dedup.request_for(article(corpus[3]), "p:0:0")
    page = dedup.request_for(
        article(
            f"<html><body><h1>Headline</h1><p>{corpus[3]}</p><footer>(c) 2001</footer></body></html>",
            "a2",
            "https://m.example.com/a?utm_source=x",
        ),
        "p:0:1",
    )
    assert page.signature == plain.signature
    assert page.body_digest == plain.body_digest
    assert page.url_digest == plain.url_digest  # the same canonical URL


def test_syndicated_copy_scores_above_the_threshold_and_follow_up_below() -> None:
    items = build_eval_set()
    by_id = {it.article_id: it for it in items}
    dedup = Deduplicator(RecordingStore())

    def sig(body: str) -> bytes:
        return pack_signature(dedup.signature(article(body).text))

    copy = next(it for it in items if it.kind == "syndicated")
    follow_up = next(it for it in items if it.kind == "follow_up")
    original = by_id[copy.expected_story or ""]
    assert estimated_jaccard(sig(copy.body), sig(original.body)) >= 0.45
    others = [it for it in items if it.kind in ("original", "same_actors")][:50]
    assert max(estimated_jaccard(sig(follow_up.body), sig(o.body)) for o in others) < 0.45


def test_estimated_jaccard_counts_equal_values() -> None:
    a = pack_signature([1, 2, 3, 4])
    assert estimated_jaccard(a, a) == 1.0
    assert estimated_jaccard(a, pack_signature([1, 2, 9, 9])) == 0.5
    assert estimated_jaccard(a, pack_signature([1, 2])) == 0.0


def test_article_ref_is_eight_stable_bytes_for_ids_of_any_length() -> None:
    assert article_ref("a" * 256) == article_ref("a" * 256)
    assert len(article_ref("a" * 256)) == 8
    assert article_ref("a1") != article_ref("a2")


def test_permutations_must_split_into_bands() -> None:
    with pytest.raises(ValueError, match="multiple of bands"):
        Deduplicator(RecordingStore(), num_perm=100, bands=32)


def test_short_text_still_has_a_signature() -> None:
    dedup = Deduplicator(RecordingStore())
    assert len(dedup.signature("Fire.")) == 128
    assert dedup.shingles("") == [""]
