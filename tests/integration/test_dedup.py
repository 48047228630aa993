"""The dedup decision against a real Redis: racing worker processes, replays, failed claims,
story stats, expiry, and the evaluation targets.

Every test uses its own key prefix and deletes its keys afterwards.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import redis

from services.articles import Article, validate_article
from services.dedup import Deduplicator, RedisDedupStore
from streams.domain import build_deduplicator, delete_prefix
from tests.support.builders import DEDUP, LIMITS
from tests.support.waiting import wait_until
from tools.evaluation.dedup_eval import run_dedup_eval

pytestmark = pytest.mark.integration

WORKERS = 4
STORIES = 25
TTL = 3600
THRESHOLD = 0.45
PARAMS = replace(DEDUP, ttl_seconds=TTL, threshold=THRESHOLD)


def copies_of(text: str, story: int) -> list[dict[str, str]]:
    """Four outlets' copies of one story: the wire text, a dateline copy, a web page and a
    lightly edited copy. Each worker process submits one of them."""
    words = text.split()
    edited = " ".join("reportedly" if i % 40 == 7 else w for i, w in enumerate(words))
    bodies = [
        text,
        f"SYDNEY, Dec 31 (AAP) - {text}",
        f"<html><body><h1>Headline</h1><p>{text}</p><footer>(c) AAP</footer></body></html>",
        edited,
    ]
    return [
        {
            "id": f"s{story}-w{w}",
            "url": f"https://outlet{w}.example/{story}",
            "body": body,
            "source": f"outlet{w}.example",
        }
        for w, body in enumerate(bodies)
    ]


def race_worker(
    redis_url: str, prefix: str, worker: int, payloads: list[dict[str, str]], barrier: Any, results: Any
) -> None:
    """One worker process: its own Redis client; every story submitted at the barrier."""
    client = redis.Redis.from_url(redis_url)
    dedup = build_deduplicator(client, PARAMS, prefix)
    articles = [validate_article(p, LIMITS) for p in payloads]
    for n, article in enumerate(articles):
        barrier.wait(timeout=60)
        (decision,) = dedup.decide([(article, f"raw:{worker}:{n}")], time.time())
        results.put((n, article.article_id, decision.status, decision.story_id))
    client.close()


@pytest.fixture
def store(redis_client: redis.Redis, unique_name: str) -> Iterator[RedisDedupStore]:
    yield RedisDedupStore(redis_client, prefix=unique_name, params=PARAMS)
    delete_prefix(redis_client, unique_name)


def article(body: str, article_id: str, url: str | None = None, source: str = "x") -> Article:
    return validate_article(
        {"id": article_id, "url": url or f"https://{source}/{article_id}", "body": body, "source": source},
        LIMITS,
    )


def test_racing_worker_processes_find_exactly_one_unique_per_story(
    redis_url: str, redis_client: redis.Redis, unique_name: str, corpus: list[str]
) -> None:
    stories = [copies_of(corpus[i * 7], i) for i in range(STORIES)]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    procs = [
        ctx.Process(
            target=race_worker, args=(redis_url, unique_name, w, [s[w] for s in stories], barrier, results)
        )
        for w in range(WORKERS)
    ]
    try:
        for p in procs:
            p.start()
        decided = [results.get(timeout=120) for _ in range(WORKERS * STORIES)]
        for p in procs:
            p.join(timeout=30)
            assert p.exitcode == 0
        by_story: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for n, article_id, status, story_id in decided:
            by_story[n].append((article_id, status, story_id))
        store = RedisDedupStore(redis_client, prefix=unique_name, params=PARAMS)
        for n, outcomes in by_story.items():
            uniques = [a for a, status, _ in outcomes if status == "unique"]
            assert len(uniques) == 1, (n, outcomes)
            assert {story for _, _, story in outcomes} == {uniques[0]}
            stats = store.story(uniques[0])
            assert stats is not None
            assert stats["article_count"] == WORKERS
            assert stats["source_count"] == WORKERS
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
        delete_prefix(redis_client, unique_name)


def test_two_copies_in_one_batch_are_decided_in_order(store: RedisDedupStore, corpus: list[str]) -> None:
    dedup = Deduplicator(store, PARAMS)
    first, second = article(corpus[1], "a1"), article("SYDNEY (AAP) - " + corpus[1], "a2")
    d1, d2 = dedup.decide([(first, "raw:0:1"), (second, "raw:0:2")], 100.0)
    assert (d1.status, d2.status) == ("unique", "exact_duplicate")
    assert d2.duplicate_of == "a1" and d2.story_id == "a1" and d2.story_size == 2


def test_replay_at_the_same_position_gets_the_same_decision(
    store: RedisDedupStore, corpus: list[str]
) -> None:
    dedup = Deduplicator(store, PARAMS)
    original, copy = article(corpus[2], "o1"), article(corpus[2].replace(" the ", " a ", 2), "c1")
    first = dedup.decide([(original, "raw:0:1"), (copy, "raw:0:2")], 100.0)
    again = dedup.decide([(original, "raw:0:1"), (copy, "raw:0:2")], 200.0)
    for a, b in zip(first, again, strict=True):
        assert (a.status, a.story_id, a.duplicate_of, a.claimed_at) == (
            b.status,
            b.story_id,
            b.duplicate_of,
            b.claimed_at,
        )
        assert b.origin == "replay"
    assert again[0].status == "unique"  # never a duplicate of itself
    assert again[1].status == "near_duplicate" and again[1].duplicate_of == "o1"


def test_resend_from_another_offset_is_an_exact_duplicate_of_itself(
    store: RedisDedupStore, corpus: list[str]
) -> None:
    dedup = Deduplicator(store, PARAMS)
    a = article(corpus[3], "r1")
    (first,) = dedup.decide([(a, "raw:0:1")], 100.0)
    (resent,) = dedup.decide([(a, "raw:3:77")], 150.0)
    assert first.status == "unique"
    assert (resent.status, resent.duplicate_of, resent.similarity) == ("exact_duplicate", "r1", 1.0)
    assert (resent.story_id, resent.revision, resent.origin) == ("r1", 1, "resend")
    assert resent.claimed_at == first.claimed_at  # its record is the same bytes each time


def test_failed_claim_can_be_run_again(
    store: RedisDedupStore, redis_client: redis.Redis, corpus: list[str]
) -> None:
    dedup = Deduplicator(store, PARAMS)
    a = article(corpus[4], "f1")
    (first,) = dedup.decide([(a, "raw:0:1")], 100.0)
    assert first.status == "unique"
    store.mark_failed("f1", 1)
    (retry,) = dedup.decide([(a, "raw:0:9")], 200.0)
    assert retry.status == "unique" and retry.origin == "replay"
    assert redis_client.hget(store.claim_key("f1"), "failed") == b"0"
    (resent,) = dedup.decide([(a, "raw:0:10")], 300.0)  # the retry ran: now a copy again
    assert resent.status == "exact_duplicate" and resent.origin == "resend"
    store.mark_failed("never-claimed", 1)  # no stray keys for unknown articles
    assert not redis_client.exists(store.claim_key("never-claimed"))


def test_story_stats_follow_the_cluster(store: RedisDedupStore, corpus: list[str]) -> None:
    dedup = Deduplicator(store, PARAMS)
    (founder,) = dedup.decide([(article(corpus[5], "st1", source="abc.net.au"), "raw:0:1")], 100.0)
    assert store.story("st1") == {
        "story_id": "st1",
        "article_count": 1,
        "sources": ["abc.net.au"],
        "source_count": 1,
        "first_seen": 100.0,
        "last_seen": 100.0,
    }
    dedup.decide([(article(corpus[5], "st2", source="smh.com.au"), "raw:0:2")], 160.0)
    dedup.decide([(article(corpus[5] + " More.", "st3", source="smh.com.au"), "raw:0:3")], 190.0)
    stats = store.story("st1")
    assert stats is not None
    assert stats["article_count"] == 3
    assert stats["sources"] == ["abc.net.au", "smh.com.au"]
    assert (stats["first_seen"], stats["last_seen"]) == (100.0, 190.0)
    assert store.story("unknown") is None
    assert founder.story_size == 1


def test_index_and_claims_expire_after_the_ttl(
    redis_client: redis.Redis, unique_name: str, corpus: list[str]
) -> None:
    store = RedisDedupStore(redis_client, prefix=unique_name, params=replace(PARAMS, ttl_seconds=2))
    dedup = Deduplicator(store, PARAMS)
    try:
        now = time.time()
        dedup.decide([(article(corpus[6], "e1"), "raw:0:1")], now)
        assert redis_client.exists(store.claim_key("e1"))

        # Redis drops the claim, the story and the index entries by itself: the claim after the
        # TTL (2 s), an index entry up to one time slice (here 1 s) later.
        def keys_left() -> list[bytes]:
            return list(redis_client.scan_iter(match="{" + unique_name + "}:*"))

        assert wait_until(lambda: not keys_left(), timeout=10), keys_left()
        (later,) = dedup.decide([(article(corpus[6], "e2"), "raw:0:2")], time.time())
        assert later.status == "unique"
    finally:
        delete_prefix(redis_client, unique_name)


def test_evaluation_meets_the_targets(redis_client: redis.Redis) -> None:
    report = run_dedup_eval(redis_client, PARAMS, LIMITS)
    assert report["overall"]["precision"] >= 0.99
    assert report["overall"]["recall"] >= 0.97
    assert report["overall"]["negatives_merged"] == 0
