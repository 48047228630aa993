"""What the bench's own outcome reader costs, per fetch wait: CPU of the reader and of the broker
while nothing arrives, and how late a record is seen after it was produced.

The reader shares the two cores with the workers it measures, so its polling is a cost charged
to the service. ``python -m tools.bench.collector_cost`` (about 2 minutes) on a Tansu broker of its
own; the figures behind ``BACKLOG_FETCH_WAIT_MS`` and ``LATENCY_FETCH_WAIT_MS`` in
``tools/bench/service.py``.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import psutil

from config.settings import Settings
from streams.devstack import start_broker
from streams.kafka_tools import OutputReader, create_topics, make_producer, wait_for_broker
from tools.bench.measure import percentile


def _cpu(pid: int) -> float:
    t = psutil.Process(pid).cpu_times()
    return float(t.user + t.system)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--waits", default="20,50,100,200,500", help="fetch waits to try, ms")
    parser.add_argument("--idle-seconds", type=float, default=15.0)
    parser.add_argument("--records", type=int, default=40, help="records timed per wait")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newswire-collector-"))
    broker = start_broker(tmp)
    try:
        assert broker.process is not None
        settings = Settings(
            broker_url=f"kafka://127.0.0.1:{broker.port}",
            topic_prefix="collector-cost.",
            consumer_group="collector-cost",
        )
        wait_for_broker(settings)
        create_topics(settings)
        producer = make_producer(settings, linger_ms=1)
        rng = random.Random(3)
        print(f"{'wait ms':>8} {'reader CPU':>11} {'broker CPU':>11} {'late p50':>9} {'late max':>9}")
        for wait in (int(w) for w in args.waits.split(",")):
            t = settings.topics
            # The outcome topics, as the bench's own reader reads them.
            outcomes = OutputReader(
                settings, [t.enriched, t.duplicates, t.dlq], fetch_wait_ms=wait, keep_values=False
            )
            time.sleep(2)
            reader0, broker0, wall0 = time.process_time(), _cpu(broker.process.pid), time.monotonic()
            time.sleep(args.idle_seconds)
            wall = time.monotonic() - wall0
            reader = (time.process_time() - reader0) / wall
            served = (_cpu(broker.process.pid) - broker0) / wall
            late = []
            for i in range(args.records):
                time.sleep(rng.uniform(0.0, 0.7))  # land anywhere inside a fetch wait
                key = f"{wait}-{i}".encode()
                sent = time.time()
                producer.send(settings.topics.enriched, key=key, value=b"{}")
                producer.flush()
                outcomes.wait_for_keys([key], 10)
                late.append(outcomes.first_by_key[key].seen_at - sent)
            outcomes.close()
            median = percentile(late, 50) or 0.0
            print(
                f"{wait:>8} {reader:>9.3f} c {served:>9.3f} c {median:>8.3f}s {max(late):>8.3f}s",
                flush=True,
            )
        producer.close()
    finally:
        broker.stop()


if __name__ == "__main__":
    main()
