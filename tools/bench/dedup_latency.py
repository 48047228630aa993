"""Dedup stage cost per article, and how it grows with the index (10k -> 200k articles).

At each index size it times ``Deduplicator.decide`` (MinHash + one pipelined round trip of
atomic Lua decisions) on fresh unique articles and on near copies of indexed ones, in worker
batches of 16 and one at a time, and reads the server-side script time from
``INFO commandstats``. ``--out`` writes the report as JSON (the committed run:
tools/bench/results/dedup_latency.json).

    python -m tools.bench.dedup_latency --sizes 10000,50000,100000,200000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
import uuid
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import psutil
import redis

from config.settings import Settings
from services.articles import Article
from services.dedup import Deduplicator
from services.text import words
from streams.domain import build_deduplicator
from tools.bench.corpus import synthetic_articles
from tools.bench.dedup_memory import measured_redis
from tools.bench.measure import percentile


def near_copy(article: Article, rng: random.Random, n: str) -> Article:
    """A copy with ~3% of its words replaced: a near duplicate, never an exact one."""
    tokens = article.text.split()
    for i in rng.sample(range(len(tokens)), max(1, len(tokens) * 3 // 100)):
        tokens[i] = "edited"
    text = " ".join(tokens)
    return replace(
        article,
        article_id=f"near-{n}-{article.article_id}",
        canonical_url=f"https://copy.example/{n}",
        text=text,
        content_hash=f"{hash(text) & (2**64 - 1):016x}" * 4,
    )


def script_usec(client: redis.Redis) -> tuple[int, int]:
    stats = client.info("commandstats")
    calls = usec = 0
    for name in ("cmdstat_evalsha", "cmdstat_eval"):
        if name in stats:
            calls += int(stats[name]["calls"])
            usec += int(stats[name]["usec"])
    return calls, usec


def server_cpu(server: psutil.Process | None) -> float:
    if server is None:
        return 0.0
    times = server.cpu_times()
    return float(times.user + times.system)


def timed(
    dedup: Deduplicator, articles: list[Article], batch: int, tag: str, statuses: dict[str, int]
) -> list[float]:
    """Wall-clock milliseconds per article for each batch."""
    out = []
    now = time.time()
    for start in range(0, len(articles), batch):
        chunk = articles[start : start + batch]
        t0 = time.perf_counter()
        decisions = dedup.decide([(a, f"{tag}:0:{start + i}") for i, a in enumerate(chunk)], now)
        out.append(1000 * (time.perf_counter() - t0) / len(chunk))
        for d in decisions:
            statuses[d.status] = statuses.get(d.status, 0) + 1
            statuses["candidates"] = statuses.get("candidates", 0) + d.candidates
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000,200000")
    parser.add_argument("--probes", type=int, default=1000)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--redis-server", default=shutil.which("redis-server") or "redis-server")
    parser.add_argument("--out", type=Path, help="also write the report as JSON to this file")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    settings = Settings()
    prefix = f"bench-lat-{uuid.uuid4().hex[:8]}"
    rng = random.Random(11)
    rows = []
    # CPU seconds of both processes (Redis: private server only) are reported too: a cost the
    # other tenants of a busy machine cannot inflate.
    with measured_redis(args.redis_url, args.redis_server, prefix) as (client, server, server_proc):
        dedup = build_deduplicator(client, settings.dedup_params, prefix)
        print(f"server: {server}; generating {sizes[-1]:,} articles ...", flush=True)
        corpus = synthetic_articles(sizes[-1] + len(sizes) * 2 * args.probes)
        fill, probes = corpus[: sizes[-1]], corpus[sizes[-1] :]
        indexed = 0
        header = (
            f"{'index size':>10} {'unique b16':>11} {'near b16':>9} {'unique b1':>10} "
            f"{'p99 b1':>7} {'lua/call':>9} {'cpu b16':>8} {'redis cpu':>10} "
            f"{'minhash':>8} {'gens':>5}  (ms per article)"
        )
        print(header)
        for k, size in enumerate(sizes):
            timed(dedup, fill[indexed:size], 256, f"fill{k}", {})
            indexed = size
            fresh = probes[k * 2 * args.probes : (k * 2 + 1) * args.probes]
            single = probes[(k * 2 + 1) * args.probes : (k * 2 + 2) * args.probes]
            sample = rng.sample(fill[:size], args.probes)
            copies = [near_copy(a, rng, f"{k}-{n}") for n, a in enumerate(sample)]
            statuses: dict[str, int] = {}
            calls0, usec0 = script_usec(client)
            cpu0, scpu0 = time.process_time(), server_cpu(server_proc)
            unique16 = timed(dedup, fresh, 16, f"u{k}", statuses)
            cpu1, scpu1 = time.process_time(), server_cpu(server_proc)
            near16 = timed(dedup, copies, 16, f"n{k}", statuses)
            calls1, usec1 = script_usec(client)
            unique1 = timed(dedup, single, 1, f"s{k}", statuses)
            t0 = time.perf_counter()
            for a in fresh[:200]:
                dedup.signature(a.text)
            minhash_ms = 1000 * (time.perf_counter() - t0) / 200
            row = {
                "index_size": size,
                "unique_batch16_ms": round(statistics.mean(unique16), 3),
                "near_batch16_ms": round(statistics.mean(near16), 3),
                "unique_batch1_ms": round(statistics.mean(unique1), 3),
                "unique_batch1_p99_ms": percentile(unique1, 99),
                "lua_ms_per_call": round((usec1 - usec0) / max(1, calls1 - calls0) / 1000, 3),
                # CPU, not wall clock, of the unique batch-16 phase: worker + Redis (private
                # server only; it also runs its own cron, so this slightly overstates).
                "unique_batch16_cpu_ms": round(1000 * (cpu1 - cpu0) / len(fresh), 3),
                "unique_batch16_redis_cpu_ms": round(1000 * (scpu1 - scpu0) / len(fresh), 3),
                "minhash_ms": round(minhash_ms, 3),
                # Index generations every lookup reads (registry fields: name + count each).
                "generations": client.hlen("{" + prefix + "}:g") // 2,
                "statuses": statuses,
                "words_per_article": round(statistics.mean(len(words(a.text)) for a in fresh[:200])),
            }
            rows.append(row)
            print(
                f"{size:>10,} {row['unique_batch16_ms']:>11.3f} {row['near_batch16_ms']:>9.3f} "
                f"{row['unique_batch1_ms']:>10.3f} {row['unique_batch1_p99_ms']:>7.3f} "
                f"{row['lua_ms_per_call']:>9.3f} {row['unique_batch16_cpu_ms']:>8.3f} "
                f"{row['unique_batch16_redis_cpu_ms']:>10.3f} {row['minhash_ms']:>8.3f} "
                f"{row['generations']:>5}  {statuses}",
                flush=True,
            )
    report = {
        "server": server,
        "params": asdict(settings.dedup_params),
        "target_ms_per_article": 2.0,
        "load_average_after": os.getloadavg(),
        "cpus": os.cpu_count(),
        "rows": rows,
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
