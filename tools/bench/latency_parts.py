"""Where end-to-end latency goes: produce -> dedup claim (fetch wait and queueing before the
batch) -> send (NLP of the batch's chunks up to this article's) -> readable (broker, consumer).

One worker with an NLP process per core (``--layout workers``: a worker per core, spaCy
inside each) on an embedded broker and Redis, Poisson arrivals, 700-word articles. The claim
time is the enriched record's ``processed_at``; the send time is the output record's Kafka
timestamp; the readable time is when the bench's consumer saw it.

    python -m tools.bench.latency_parts --rate 5 --seconds 150 [--batch-size 2] [--layout workers]

Worker settings can also come from the environment (``NEWSWIRE_CONSUMER_FETCH_MAX_WAIT_MS=30``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path

from streams.devstack import start_broker, start_redis
from streams.kafka_tools import OutputReader
from tools.bench.corpus import WORDS, CorpusBuilder
from tools.bench.measure import percentile
from tools.bench.service import LATENCY_FETCH_WAIT_MS, Service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=5.0, help="articles/s over all cores")
    parser.add_argument("--seconds", type=float, default=150.0)
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--layout", choices=("pool", "workers"), default="pool")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))

    tmp = Path(tempfile.mkdtemp(prefix="newswire-latency-"))
    broker, redis = start_broker(tmp), start_redis(tmp)
    builder = CorpusBuilder()
    service = Service(
        name=f"lat{int(time.time()) % 100000}",
        broker_url=f"kafka://127.0.0.1:{broker.port}",
        redis_url=f"redis://127.0.0.1:{redis.port}/0",
        workdir=tmp,
        workers=1 if args.layout == "pool" else cores,
        nlp_processes=cores if args.layout == "pool" else 0,
        partitions=4,
        batch_size=args.batch_size,
        within=0.02,
        broker=broker,
        redis=redis,
        log=print,
        outcome_fetch_wait_ms=LATENCY_FETCH_WAIT_MS,
    )
    try:
        service.warm_up(builder)
        articles = builder.articles(int(args.rate * args.seconds * 1.3) + 10, WORDS, "lat")
        sent = service.send_paced(articles, args.rate, args.seconds)
        service.outcomes.wait_for_keys(list(sent), 120)
        claimed: dict[bytes, float] = {}
        send_time: dict[bytes, float] = {}
        with OutputReader(service.settings, [service.settings.topics.enriched]) as enriched:
            enriched.wait_for_keys(list(sent), 60)
            for message in enriched.read(service.settings.topics.enriched):
                record = message.record()
                claimed[message.key] = datetime.fromisoformat(record["processed_at"]).timestamp()
                send_time[message.key] = message.timestamp / 1000
        parts: dict[str, list[float]] = {
            "total": [],
            "produce->claim": [],
            "claim->send": [],
            "send->readable": [],
        }
        for key, produced in sent.items():
            readable = service.outcome_at(key)
            if key not in claimed or readable is None:
                continue
            parts["total"].append(readable - produced)
            parts["produce->claim"].append(claimed[key] - produced)
            parts["claim->send"].append(send_time[key] - claimed[key])
            parts["send->readable"].append(readable - send_time[key])
        print(f"{len(parts['total'])} of {len(sent)} articles at {args.rate}/s, batch {args.batch_size}")
        for name, values in parts.items():
            values.sort()
            print(
                f"{name:15s} p50 {percentile(values, 50):.3f}  p95 {percentile(values, 95):.3f}  "
                f"p99 {percentile(values, 99):.3f}  max {values[-1]:.3f} s"
            )
    finally:
        service.close()
        broker.stop()
        redis.stop()


if __name__ == "__main__":
    main()
