"""Redis memory per indexed article: ``INFO memory`` used_memory delta over N unique articles.

Runs against a private redis-server it starts (default; nothing else writes to it, so the
delta is the index alone) or, with --redis-url, against a server you name under a unique key
prefix (noisier: other clients move used_memory too). Each unique article is then published
as the worker does after NLP (its revision committed with ``--events`` event ids), and
``--revisions`` of them get a corrected version. Writes bench/results/dedup_memory.json.

    python bench/dedup_memory.py --articles 50000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import redis

from config.settings import Settings
from services.dedup import Deduplicator
from services.evaluation.dedup_eval import synthetic_articles
from streams.devstack import start_redis
from streams.resources import build_deduplicator

RESULTS = Path(__file__).resolve().parent / "results"


def start_private_redis(binary: str) -> tuple[subprocess.Popen[bytes], redis.Redis, str]:
    server = start_redis(Path(tempfile.mkdtemp(prefix="dedup-bench-")), binary=binary)
    assert server.process is not None
    client = redis.Redis(port=server.port)
    version = client.info("server")["redis_version"]
    return server.process, client, f"private redis-server {version} ({binary}) on port {server.port}"


def used_memory(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


def event_ids(article_id: str, count: int, version: int = 0) -> list[str]:
    """Ids shaped like the extractor's (``evt-`` + 20 hex); a new version keeps all but one."""
    return [
        "evt-" + hashlib.sha1(f"{article_id}|{i}|{version if i == 0 else 0}".encode()).hexdigest()[:20]
        for i in range(count)
    ]


def feed(
    dedup: Deduplicator, articles: list[Any], now: float, tag: str, events: int = -1, version: int = 0
) -> Counter[str]:
    """Decide in worker-sized batches; with ``events`` >= 0 publish (commit) every enriched
    article with that many event ids, as the worker does after NLP."""
    statuses: Counter[str] = Counter()
    for start in range(0, len(articles), 256):
        batch = articles[start : start + 256]
        decisions = dedup.decide([(a, f"{tag}:0:{start + i}") for i, a in enumerate(batch)], now)
        for d in decisions:
            statuses[d.status] += 1
        if events >= 0:
            dedup.commit(
                [
                    (a, d, event_ids(a.article_id, events, version))
                    for a, d in zip(batch, decisions, strict=True)
                    if d.status == "unique"
                ]
            )
    return statuses


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument(
        "--duplicates",
        type=int,
        default=10_000,
        help="exact re-sends (new ids) measured after the unique articles",
    )
    parser.add_argument(
        "--events",
        type=int,
        default=3,
        help="event ids committed per enriched article (-1: decisions only, no commit)",
    )
    parser.add_argument(
        "--revisions",
        type=int,
        default=5_000,
        help="articles that then get a corrected version (one event replaced)",
    )
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--redis-server", default=shutil.which("redis-server") or "redis-server")
    parser.add_argument("--out", type=Path, default=RESULTS / "dedup_memory.json")
    args = parser.parse_args(argv)

    settings = Settings()
    proc = None
    if args.redis_url:
        client, server = redis.Redis.from_url(args.redis_url), args.redis_url
    else:
        proc, client, server = start_private_redis(args.redis_server)
    prefix = f"bench-mem-{uuid.uuid4().hex[:8]}"
    dedup = build_deduplicator(client, settings, prefix=prefix)
    try:
        articles = synthetic_articles(args.articles)
        now = time.time()
        feed(dedup, articles[:10], now, "warm", args.events)  # load the scripts; first keys
        before = used_memory(client)
        statuses = feed(dedup, articles[10:], now, "raw", args.events)
        after = used_memory(client)
        indexed = args.articles - 10
        resends = [replace(a, article_id=f"copy-{a.article_id}") for a in articles[10 : 10 + args.duplicates]]
        dup_statuses = feed(dedup, resends, now, "dups")
        after_dups = used_memory(client)
        corrected = [
            replace(
                a,
                text=a.text + " Corrected.",
                content_hash=hashlib.sha256(a.content_hash.encode()).hexdigest(),
            )
            for a in articles[10 : 10 + args.revisions]
        ]
        revision_statuses = feed(dedup, corrected, now, "rev", args.events, version=1)
        after_revisions = used_memory(client)
        encodings: Counter[str] = Counter()
        key_kinds: Counter[str] = Counter()
        # MEMORY USAGE of a sample of each kind of key, scaled by the key count: where the
        # bytes go (an estimate; used_memory above is the measurement).
        usage: Counter[str] = Counter()
        sampled: Counter[str] = Counter()
        for key in client.scan_iter(match="{" + prefix + "}:*", count=5000):
            kind = key.decode().split(":", 2)[1]
            key_kinds[kind] += 1
            if sampled[kind] < 1000:
                sampled[kind] += 1
                usage[kind] += int(client.memory_usage(key, samples=0) or 0)
                encodings[f"{kind}:{client.object('encoding', key).decode()}"] += 1
        breakdown = {kind: round(usage[kind] / sampled[kind] * key_kinds[kind]) for kind in key_kinds}
        report = {
            "server": server,
            "params": {
                "minhash_permutations": settings.minhash_permutations,
                "lsh_bands": settings.lsh_bands,
                "shingle_size": settings.shingle_size,
            },
            "events_per_article": args.events,
            "unique_articles": indexed,
            "statuses": dict(statuses),
            "used_memory_delta_bytes": after - before,
            "bytes_per_indexed_article": round((after - before) / indexed, 1),
            "duplicates": len(resends),
            "duplicate_statuses": dict(dup_statuses),
            "bytes_per_duplicate": round((after_dups - after) / max(1, len(resends)), 1),
            "revisions": len(corrected),
            "revision_statuses": dict(revision_statuses),
            "bytes_per_revision": round((after_revisions - after_dups) / max(1, len(corrected)), 1),
            "keys_by_kind": dict(key_kinds),
            "memory_usage_estimate_bytes_by_kind": breakdown,
            "encodings_sample": dict(encodings),
            "budget_bytes_per_article": 2048,
        }
    finally:
        keys = list(client.scan_iter(match="{" + prefix + "}:*", count=5000))
        for start in range(0, len(keys), 5000):
            client.delete(*keys[start : start + 5000])
        if proc is not None:
            proc.terminate()
            proc.wait(10)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"server: {server}")
    print(
        f"{indexed} unique articles: used_memory +{report['used_memory_delta_bytes']:,} bytes "
        f"= {report['bytes_per_indexed_article']} bytes per indexed article "
        f"(budget 2048) {dict(statuses)}"
    )
    print(
        f"(each published with {args.events} event ids)"
        if args.events >= 0
        else "(decisions only: nothing published)"
    )
    print(f"{len(resends)} exact re-sends: {report['bytes_per_duplicate']} bytes each {dict(dup_statuses)}")
    print(
        f"{len(corrected)} corrected versions: {report['bytes_per_revision']} bytes each "
        f"{dict(revision_statuses)}"
    )
    print(f"keys: {dict(key_kinds)}; encodings (sample): {dict(encodings)}")
    print(f"MEMORY USAGE estimate by kind (bytes, after the re-sends): {breakdown}")
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
