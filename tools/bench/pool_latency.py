"""The latency floor of the NLP pool alone: Poisson arrivals straight into an EnricherPool, no
broker, no Redis, and the queueing model that the measured parse times predict.

For each article it records the wait for a free NLP process, the parse inside the process and
the hand-back; then it replays the same arrivals and parse times through queue models: one
queue for all processes (what the pool is) and one queue per process (what a worker per core
behind Kafka partitions is), fed round-robin or by key hash. The gap between the measured pool
and its model is what the processes cost each other on shared cores.

    python -m tools.bench.pool_latency --rate 4.2 --seconds 120 [--processes 2]
"""

from __future__ import annotations

import argparse
import heapq
import os
import random
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from config.settings import Settings
from services.articles import Article, validate_article
from services.nlp import pool as pool_module
from tools.bench.corpus import WORDS, CorpusBuilder
from tools.bench.measure import percentile


def timed_parse(articles: Sequence[Article]) -> tuple[float, float]:
    """Runs inside an NLP process: wall-clock start and end of its parse."""
    enricher = pool_module._child_enricher
    assert enricher is not None
    started = time.time()
    enricher.enrich(articles)
    return started, time.time()


def arrivals(rate: float, seconds: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    times, t = [], 0.0
    while t < seconds:
        times.append(t)
        t += rng.expovariate(rate)
    return times


def modelled(arrive: Sequence[float], service: Sequence[float], queues: int, spread: str) -> list[float]:
    """Sojourn times, FIFO, ``queues`` servers: ``shared`` is one queue for all; otherwise a
    queue per server, articles dealt ``round-robin`` (what the bench's producer does) or by
    ``key`` hash (what a keyed producer does: each queue sees a random share)."""
    if spread == "shared":
        free = [0.0] * queues
        out = []
        for t, s in zip(arrive, service, strict=True):
            start = max(t, heapq.heappop(free))
            heapq.heappush(free, start + s)
            out.append(start + s - t)
        return out
    ends = [0.0] * queues
    out = []
    rng = random.Random(1)
    for i, (t, s) in enumerate(zip(arrive, service, strict=True)):
        q = i % queues if spread == "round-robin" else rng.randrange(queues)
        ends[q] = max(t, ends[q]) + s
        out.append(ends[q] - t)
    return out


def summary(values: Sequence[float]) -> str:
    return "  ".join(f"{q} {percentile(values, p)}" for q, p in (("p50", 50), ("p95", 95), ("p99", 99)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=4.2, help="articles/s")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--processes", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    settings = Settings()
    limits = replace(settings.input_limits, max_body_chars=10**6)
    schedule = arrivals(args.rate, args.seconds, args.seed)
    corpus = [validate_article(a, limits) for a in CorpusBuilder().articles(len(schedule) + 4, WORDS, "pool")]
    pool = pool_module.EnricherPool(replace(settings.nlp_params, processes=args.processes, batch_size=1))
    pool.start()
    time.sleep(5)  # the other processes finish loading
    executor = pool._current()
    for future in [executor.submit(timed_parse, [a]) for a in corpus[-4:]]:
        future.result()

    #: arrival index -> (wait for a process, parse, hand-back) in seconds
    timings: dict[int, tuple[float, float, float]] = {}
    lock = threading.Lock()

    def one(index: int, article: Article, due: float) -> None:
        started, ended = executor.submit(timed_parse, [article]).result()
        back = time.time()
        with lock:
            timings[index] = (started - due, ended - started, back - ended)

    threads = ThreadPoolExecutor(max_workers=args.processes)
    origin = time.time() + 0.5
    jobs = []
    for index, offset in enumerate(schedule):
        due = origin + offset
        time.sleep(max(0.0, due - time.time()))
        jobs.append(threads.submit(one, index, corpus[index], due))
    for job in jobs:
        job.result()
    pool.close()

    parts = [timings[i] for i in range(len(schedule))]
    parse = [p[1] for p in parts]
    print(
        f"{len(parts)} articles, Poisson {args.rate}/s for {args.seconds:g} s, {args.processes} NLP processes"
    )
    print(f"measured total        {summary([sum(p) for p in parts])}")
    print(f"  wait for a process  {summary([p[0] for p in parts])}")
    print(f"  parse               {summary(parse)}  mean {sum(parse) / len(parse):.3f}")
    print(f"  hand-back           {summary([p[2] for p in parts])}")
    # The same arrivals and parse times through each queue model.
    for spread, label in (
        ("shared", "one queue for all"),
        ("round-robin", "queue per core, round-robin"),
        ("key", "queue per core, by key"),
    ):
        print(f"model, {label:28} {summary(modelled(schedule, parse, args.processes, spread))}")


if __name__ == "__main__":
    main()
