"""Revisions of one article against a real Redis: the claim script numbers versions, tells
re-sends, replays and stale versions apart, and the commit script publishes revisions in order
with the event ids they retract. Racing worker processes included.

Every test uses its own key prefix and deletes its keys afterwards.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from services.articles import Article, InputLimits, validate_article
from services.dedup import DedupDecision, Deduplicator, RedisDedupStore
from services.evaluation.dedup_eval import load_corpus

pytestmark = pytest.mark.integration

TTL = 3600
THRESHOLD = 0.45
WORKERS = 4


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def store(redis_client: redis.Redis, unique_name: str) -> Iterator[RedisDedupStore]:
    yield RedisDedupStore(redis_client, prefix=unique_name, ttl_seconds=TTL, threshold=THRESHOLD)
    delete_prefix(redis_client, unique_name)


@pytest.fixture
def dedup(store: RedisDedupStore) -> Deduplicator:
    return Deduplicator(store)


def delete_prefix(client: redis.Redis, prefix: str) -> None:
    keys = list(client.scan_iter(match="{" + prefix + "}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return load_corpus()


def version(body: str, article_id: str = "pw-1001", **fields: Any) -> Article:
    raw = {"id": article_id, "url": f"https://wire.example/{article_id}", "body": body, "source": "wire"}
    return validate_article({**raw, **fields}, InputLimits())


def corrected(text: str, n: int = 1) -> str:
    """The text with its last sentence replaced: a correction that keeps most of the words."""
    head = text.rsplit(".", 2)[0]
    return f"{head}. The ministry corrected its figures on day {n}, officials said."


def one(dedup: Deduplicator, art: Article, position: str, now: float) -> DedupDecision:
    (decision,) = dedup.decide([(art, position)], now)
    return decision


def test_a_changed_version_is_the_next_revision_in_its_own_story(
    dedup: Deduplicator, store: RedisDedupStore, corpus: list[str]
) -> None:
    v1, v2 = version(corpus[0]), version(corrected(corpus[0]))
    first = one(dedup, v1, "raw:0:1", 100.0)
    second = one(dedup, v2, "raw:1:5", 90.0)  # a worker whose clock is behind
    assert (first.status, first.revision, first.origin) == ("unique", 1, "new")
    assert (second.status, second.story_id, second.duplicate_of) == ("unique", "pw-1001", None)
    assert (second.revision, second.origin) == (2, "revision")
    # Claim times of revisions increase whatever the clocks: consumers may order by them.
    assert second.claimed_at == pytest.approx(100.001)
    stats = store.story("pw-1001")
    assert stats is not None and stats["article_count"] == 1  # a revision is not a new article


def test_copies_of_either_version_find_the_article(dedup: Deduplicator, corpus: list[str]) -> None:
    text = corpus[1]
    new_text = corrected(text)
    one(dedup, version(text), "raw:0:1", 100.0)
    one(dedup, version(new_text), "raw:0:2", 110.0)
    # The new text is indexed: a syndicated copy of the corrected article is an exact copy.
    copy_of_new = one(dedup, version(new_text, "copy-new"), "raw:0:3", 120.0)
    # The old entries stay until they expire and lead to the article: its old text too.
    copy_of_old = one(dedup, version(text, "copy-old"), "raw:0:4", 130.0)
    # A near copy is verified against the article's latest text.
    edited = new_text.replace(" the ", " a ", 3)
    near = one(dedup, version(edited, "near-new"), "raw:0:5", 140.0)
    for decision in (copy_of_new, copy_of_old):
        assert (decision.status, decision.duplicate_of) == ("exact_duplicate", "pw-1001")
    assert (near.status, near.duplicate_of, near.story_id) == ("near_duplicate", "pw-1001", "pw-1001")


def test_resend_of_a_kept_revision_is_an_exact_duplicate_of_that_revision(
    dedup: Deduplicator, corpus: list[str]
) -> None:
    v1, v2 = version(corpus[2]), version(corrected(corpus[2]))
    r1 = one(dedup, v1, "raw:0:1", 100.0)
    r2 = one(dedup, v2, "raw:0:2", 200.0)
    again2 = one(dedup, v2, "raw:0:3", 300.0)
    again1 = one(dedup, v1, "raw:0:4", 400.0)
    assert (again2.status, again2.duplicate_of, again2.revision, again2.origin) == (
        "exact_duplicate",
        "pw-1001",
        2,
        "resend",
    )
    assert again2.claimed_at == r2.claimed_at
    assert (again1.status, again1.revision, again1.claimed_at) == ("exact_duplicate", 1, r1.claimed_at)
    # A different URL under the same id is a different version (the record would differ).
    moved = one(dedup, version(corpus[2], url="https://wire.example/moved"), "raw:0:5", 500.0)
    assert (moved.status, moved.revision) == ("unique", 3)


def test_replays_repeat_each_revision_until_a_later_one_is_published(
    dedup: Deduplicator, corpus: list[str]
) -> None:
    v1, v2 = version(corpus[3]), version(corrected(corpus[3]))
    r1 = one(dedup, v1, "raw:0:1", 100.0)
    r2 = one(dedup, v2, "raw:0:2", 200.0)
    # Both replayed (a worker killed before it committed its offsets): their own decisions.
    replay1, replay2 = dedup.decide([(v1, "raw:0:1"), (v2, "raw:0:2")], 300.0)
    assert (replay1.status, replay1.revision, replay1.claimed_at, replay1.origin) == (
        "unique",
        1,
        r1.claimed_at,
        "replay",
    )
    assert (replay2.status, replay2.revision, replay2.claimed_at) == ("unique", 2, r2.claimed_at)
    # Once revision 2 is published, revision 1's message may never be published again.
    dedup.commit([(v1, r1, ["e1"]), (v2, r2, ["e1"])])
    late = one(dedup, v1, "raw:0:1", 400.0)
    assert (late.status, late.duplicate_of, late.revision, late.origin) == (
        "near_duplicate",
        "pw-1001",
        1,
        "replay",
    )
    assert 0.45 < late.similarity < 1.0  # compared with the latest text
    assert late.claimed_at == r1.claimed_at


def test_a_version_dated_before_one_already_seen_is_stale(dedup: Deduplicator, corpus: list[str]) -> None:
    text = corpus[4]
    newer = version(corrected(text, 2), updated_at="2026-03-02T12:00:00Z")
    older = version(corrected(text, 1), updated_at="2026-03-02T11:00:00Z")
    undated = version(corrected(text, 3))
    first = one(dedup, newer, "raw:1:9", 100.0)  # rev 2's message processed first
    stale = one(dedup, older, "raw:0:4", 110.0)
    assert first.revision == 1
    assert (stale.status, stale.duplicate_of, stale.revision, stale.origin) == (
        "near_duplicate",
        "pw-1001",
        None,
        "stale",
    )
    assert stale.claimed_at == first.claimed_at
    # Without a date the arrival order decides.
    assert one(dedup, undated, "raw:0:5", 120.0).revision == 2
    # The latest date seen stays the bar.
    assert one(dedup, older, "raw:0:6", 130.0).origin == "stale"


def test_commit_retracts_the_events_the_replaced_revision_lost(
    dedup: Deduplicator, corpus: list[str]
) -> None:
    v1, v2, v3 = version(corpus[5]), version(corrected(corpus[5], 1)), version(corrected(corpus[5], 2))
    r1 = one(dedup, v1, "raw:0:1", 100.0)
    (c1,) = dedup.commit([(v1, r1, ["evt-a", "evt-b", "evt-c"])])
    assert (c1.superseded, c1.replaces, c1.retracted) == (False, None, ())
    r2 = one(dedup, v2, "raw:0:2", 200.0)
    (c2,) = dedup.commit([(v2, r2, ["evt-a", "evt-d"])])
    assert (c2.replaces, c2.replaces_content_hash) == (1, v1.content_hash)
    assert c2.retracted == ("evt-b", "evt-c")
    # The same revision again (a replay) answers the same, so its records are the same bytes.
    assert dedup.commit([(v2, r2, ["evt-a", "evt-d"])]) == [c2]
    r3 = one(dedup, v3, "raw:0:3", 300.0)
    (c3,) = dedup.commit([(v3, r3, [])])  # a revision without events retracts them all
    assert (c3.replaces, c3.replaces_content_hash, c3.retracted) == (2, v2.content_hash, ("evt-a", "evt-d"))


def test_a_revision_whose_nlp_ends_after_a_later_ones_is_superseded(
    dedup: Deduplicator, corpus: list[str]
) -> None:
    v1, v2 = version(corpus[6]), version(corrected(corpus[6]))
    r1, r2 = dedup.decide([(v1, "raw:0:1"), (v2, "raw:0:2")], 100.0)
    (c2,) = dedup.commit([(v2, r2, ["evt-x"])])
    (c1,) = dedup.commit([(v1, r1, ["evt-y"])])
    assert (c2.superseded, c2.replaces, c2.retracted) == (False, None, ())  # 1 was never published
    assert c1.superseded
    assert 0.45 < c1.similarity < 1.0
    assert dedup.commit([(v1, r1, ["evt-y"])])[0].superseded  # and stays so on a replay


def test_a_copy_with_new_content_is_judged_again(
    dedup: Deduplicator, store: RedisDedupStore, corpus: list[str]
) -> None:
    one(dedup, version(corpus[7], "orig"), "raw:0:1", 100.0)
    # A scraper first got the syndicated text (a copy), then the outlet's own article.
    copy = one(dedup, version(corpus[7], "outlet-9"), "raw:0:2", 110.0)
    recopy = one(
        dedup,
        version(corpus[7] + " The outlet added a reaction from local farmers.", "outlet-9"),
        "raw:0:3",
        120.0,
    )
    own = one(dedup, version(corpus[8], "outlet-9"), "raw:0:4", 130.0)
    assert (copy.status, copy.story_id) == ("exact_duplicate", "orig")
    assert (recopy.status, recopy.story_id, recopy.revision) == ("near_duplicate", "orig", 2)
    stats = store.story("orig")
    assert stats is not None and stats["article_count"] == 2  # counted in its story once
    assert (own.status, own.story_id, own.duplicate_of, own.revision) == ("unique", "outlet-9", None, 3)
    assert store.story("outlet-9") is not None
    # Its own text is indexed now.
    assert one(dedup, version(corpus[8], "copy-9"), "raw:0:5", 140.0).duplicate_of == "outlet-9"


def test_a_failed_revision_runs_again_on_a_resend(
    dedup: Deduplicator, store: RedisDedupStore, corpus: list[str]
) -> None:
    v1, v2 = version(corpus[9]), version(corrected(corpus[9]))
    one(dedup, v1, "raw:0:1", 100.0)
    r2 = one(dedup, v2, "raw:0:2", 200.0)
    store.mark_failed("pw-1001", 2)
    retry = one(dedup, v2, "raw:0:3", 300.0)
    assert (retry.status, retry.revision, retry.origin, retry.claimed_at) == (
        "unique",
        2,
        "replay",
        r2.claimed_at,
    )


def test_a_claim_keeps_a_bounded_history(
    dedup: Deduplicator, store: RedisDedupStore, redis_client: redis.Redis, corpus: list[str]
) -> None:
    text = corpus[10]
    for n in range(12):  # a live blog: twelve versions
        body = text if n == 0 else corrected(text, n)
        assert one(dedup, version(body), f"raw:0:{n}", 100.0 + n).revision == n + 1
    fields = {k.decode() for k in redis_client.hkeys(store.claim_key("pw-1001"))}
    assert {f for f in fields if f.startswith("h")} == {f"h{k}" for k in range(5, 13)}
    # Revision 12 is kept: an exact duplicate. Revision 1 is forgotten: a new revision.
    assert one(dedup, version(corrected(text, 11)), "raw:0:20", 200.0).origin == "resend"
    assert one(dedup, version(text), "raw:0:21", 210.0).revision == 13


def test_a_claim_written_before_revisions_existed_takes_a_changed_version_as_revision_2(
    dedup: Deduplicator, store: RedisDedupStore, redis_client: redis.Redis, corpus: list[str]
) -> None:
    v1 = version(corpus[11])
    one(dedup, v1, "raw:0:1", 100.0)
    redis_client.hdel(store.claim_key("pw-1001"), "h")  # the layout before revisions
    assert one(dedup, v1, "raw:0:1", 110.0).origin == "replay"
    # Whether it changed cannot be told: it is run, never lost.
    assert one(dedup, v1, "raw:0:2", 120.0).revision == 2


def race_versions(redis_url: str, prefix: str, worker: int, body: str, barrier: Any, results: Any) -> None:
    """One worker process with one version of the article: decide at the barrier, then
    commit after a random pause (its NLP), then report."""
    client = redis.Redis.from_url(redis_url)
    dedup = Deduplicator(RedisDedupStore(client, prefix=prefix, ttl_seconds=TTL, threshold=THRESHOLD))
    art = version(body)
    barrier.wait(timeout=60)
    (decision,) = dedup.decide([(art, f"raw:{worker}:0")], time.time())
    time.sleep(random.Random(worker).uniform(0, 0.05))
    (commit,) = dedup.commit([(art, decision, ["evt-common", f"evt-own-{worker}"])])
    results.put(
        (worker, decision.revision, decision.status, commit.superseded, commit.replaces, commit.retracted)
    )
    client.close()


def test_racing_workers_number_versions_of_one_article_once_each_and_publish_in_order(
    redis_url: str, redis_client: redis.Redis, unique_name: str, corpus: list[str]
) -> None:
    bodies = [corrected(corpus[12], n) for n in range(WORKERS)]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=race_versions, args=(redis_url, unique_name, w, bodies[w], barrier, results))
        for w in range(WORKERS)
    ]
    try:
        for p in procs:
            p.start()
        reports = [results.get(timeout=120) for _ in range(WORKERS)]
        for p in procs:
            p.join(timeout=30)
            assert p.exitcode == 0
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
        delete_prefix(redis_client, unique_name)

    by_revision = {revision: report for _, revision, *report in (r for r in reports)}
    assert sorted(by_revision) == list(range(1, WORKERS + 1))
    assert all(status == "unique" for status, *_ in by_revision.values())
    published = sorted(r for r, (_, superseded, _, _) in by_revision.items() if not superseded)
    assert published[-1] == WORKERS  # the latest revision is always published
    # Published revisions form a chain: each replaces the one before it and retracts its own event.
    own = {r: f"evt-own-{w}" for w, r, *_ in reports}
    previous = None
    for r in published:
        _, _, replaces, retracted = by_revision[r]
        assert replaces == previous
        assert retracted == (() if previous is None else (own[previous],))
        previous = r
