"""The service under test: ``newswire worker`` processes on the bench's own broker and Redis,
fed by the bench's producer and read back by the shared output reader, which notes when each
article's outcome became readable."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from config.settings import Settings
from streams.devstack import ChildServer, WorkerProcess, free_port, worker_env
from streams.kafka_tools import OutputReader, create_topics, make_producer, wait_for_broker
from tools.bench.corpus import WORDS, CorpusBuilder, body_words, sample_articles
from tools.bench.measure import CpuWindow, RssMonitor, percentile, prioritise

#: How long the bench's outcome reader lets the broker hold a fetch open (ms). It shares the two
#: cores with the workers: at 20 ms, polling cost the bench and Tansu ~0.17 cores while idle and
#: ~10% of the machine during a 2-worker backlog; 200 ms costs ~0.02 cores and adds at most
#: ~0.1 s to a backlog's end (``python -m tools.bench.collector_cost``). Latency runs poll faster.
BACKLOG_FETCH_WAIT_MS = 200
LATENCY_FETCH_WAIT_MS = 50


@dataclass
class Service:
    """N worker processes, each with ``nlp_processes`` NLP processes (0: spaCy inside the
    worker), on fresh topics, consumer group and Redis prefix."""

    name: str
    broker_url: str
    redis_url: str
    workdir: Path
    workers: int
    partitions: int
    batch_size: int
    within: float
    broker: ChildServer
    redis: ChildServer
    log: Callable[[str], None]
    nlp_processes: int = 0
    outcome_fetch_wait_ms: int = BACKLOG_FETCH_WAIT_MS
    #: Niceness of the worker processes (``newswire bench --nice``); 0 leaves them alone.
    nice: int = 0
    procs: list[WorkerProcess] = field(default_factory=list)
    _sent: int = 0

    def __post_init__(self) -> None:
        self.settings = Settings(
            broker_url=self.broker_url,
            redis_url=self.redis_url,
            topic_prefix=f"{self.name}.",
            consumer_group=f"{self.name}-workers",
            redis_key_prefix=self.name,
            topic_partitions=self.partitions,
            nlp_batch_size=self.batch_size,
            batch_within_seconds=self.within,
            nlp_processes=self.nlp_processes,
        )
        wait_for_broker(self.settings)
        create_topics(self.settings)
        self.outcomes = self._outcome_reader(self.outcome_fetch_wait_ms)
        self.producer = make_producer(self.settings, linger_ms=1)
        for i in range(self.workers):
            env = worker_env(
                self.broker_url,
                self.redis_url,
                topic_prefix=self.settings.topic_prefix,
                consumer_group=self.settings.consumer_group,
                redis_key_prefix=self.name,
                topic_partitions=self.partitions,
                web_port=free_port(),
                nlp_batch_size=self.batch_size,
                batch_within_seconds=self.within,
                nlp_processes=self.nlp_processes,
            )
            self.procs.append(WorkerProcess(env, self.workdir, name=f"{self.name}-worker{i + 1}"))
        started = time.monotonic()
        for proc in self.procs:
            proc.start(timeout=180)
            if proc.process:
                prioritise(proc.process.pid, self.nice)
        self.start_seconds = time.monotonic() - started
        self.rss = RssMonitor([p.process.pid for p in self.procs if p.process])
        self.rss.start()

    # ----------------------------------------------------------------- helpers
    @property
    def lanes(self) -> int:
        """Articles parsed at once: the cores this service is meant to fill."""
        return self.workers * max(1, self.nlp_processes)

    @property
    def layout(self) -> str:
        if self.nlp_processes:
            return f"{self.workers} worker(s) x {self.nlp_processes} NLP process(es)"
        return f"{self.workers} worker(s), NLP in-process"

    def pids(self) -> dict[str, int]:
        pids = {f"worker{i + 1}": p.process.pid for i, p in enumerate(self.procs) if p.process}
        if self.broker.process:
            pids["broker"] = self.broker.process.pid
        if self.redis.process:
            pids["redis"] = self.redis.process.pid
        return pids

    def metrics(self) -> list[dict[str, float]]:
        return [proc.metrics() for proc in self.procs]

    def _outcome_reader(self, fetch_wait_ms: int) -> OutputReader:
        t = self.settings.topics
        return OutputReader(
            self.settings, [t.enriched, t.duplicates, t.dlq], fetch_wait_ms=fetch_wait_ms, keep_values=False
        )

    def outcome_at(self, key: bytes) -> float | None:
        """When the outcome record of the article keyed ``key`` became readable (or None)."""
        first = self.outcomes.first_by_key.get(key)
        return first.seen_at if first else None

    def poll_outcomes_every(self, fetch_wait_ms: int) -> None:
        """Swap in an outcome reader with another fetch wait (it re-reads the topics from the
        start, so every key seen so far stays known)."""
        old, self.outcomes = self.outcomes, self._outcome_reader(fetch_wait_ms)
        self.outcomes.wait_for_count(old.count(), timeout=60)
        old.close()

    def _next_partition(self) -> int:
        self._sent += 1
        return (self._sent - 1) % self.partitions

    def send(self, article: dict[str, Any]) -> bytes:
        # Round-robin over the partitions, as a load generator (or Kafka's sticky partitioner
        # over time) spreads them: hashing 600 random ids leaves one worker ~4% more articles
        # than the other (binomial spread), which would measure the keys, not the service.
        key = article["id"].encode()
        partition = self._next_partition()
        self.producer.send(
            self.settings.topics.raw, key=key, value=orjson.dumps(article), partition=partition
        )
        return key

    def warm_up(self, builder: CorpusBuilder) -> None:
        """Sample articles + a few composites through every worker, so that the model, the
        Redis scripts and the partition assignment are settled before anything is timed."""
        for attempt in range(4):
            before = self.outcomes.count()
            samples = list(sample_articles()) if attempt == 0 else []
            for line in samples:
                self.producer.send(self.settings.topics.raw, value=line)
            keys = [
                self.send(a) for a in builder.articles(4 * self.lanes, WORDS, f"{self.name}-warm{attempt}")
            ]
            self.producer.flush()
            self.outcomes.wait_for_keys(keys, 120)
            self.outcomes.wait_for_count(before + len(samples) + len(keys), timeout=30)
            consumed = [m.get("newswire_articles_consumed_total", 0.0) for m in self.metrics()]
            if all(c > 0 for c in consumed):
                return
            self.log(
                f"  warm-up {attempt}: not every worker consumed yet ({consumed}); waiting for the rebalance"
            )
            time.sleep(3)

    # ----------------------------------------------------------------- measurements
    def run_backlog(
        self,
        articles: list[dict[str, Any]],
        label: str,
        timeout: float = 900,
        alongside: Sequence[bytes] = (),
    ) -> dict[str, Any]:
        """Produce all articles at once, then time until every one has its outcome readable.

        ``alongside`` payloads (unkeyed) are interleaved one after each article; the timing
        and rates still count the articles only, and the run waits for every outcome."""
        before = self.metrics()
        outcomes_before = self.outcomes.count()
        window = CpuWindow(self.pids())
        t0 = time.time()
        keys = []
        for i, article in enumerate(articles):
            keys.append(self.send(article))
            if i < len(alongside):
                self.producer.send(
                    self.settings.topics.raw, value=alongside[i], partition=self._next_partition()
                )
        self.producer.flush()
        produced = time.time() - t0
        complete = self.outcomes.wait_for_keys(keys, timeout)
        if alongside:
            total = len(articles) + min(len(alongside), len(articles))
            complete = self.outcomes.wait_for_count(outcomes_before + total, timeout=120) and complete
        cpu = window.close()
        after = self.metrics()
        firsts = {k: m for k in keys if (m := self.outcomes.first_by_key.get(k))}
        done = sorted(m.seen_at for m in firsts.values())
        n = len(done)
        seconds = (done[-1] - t0) if done else float("nan")
        words = body_words(articles)
        lo, hi = (
            done[int(0.1 * n)] if n >= 10 else t0,
            done[int(0.9 * n) - 1] if n >= 10 else done[-1],
        )
        t = self.settings.topics
        kind_of = {t.enriched: "enriched", t.duplicates: "duplicate", t.dlq: "dlq"}
        kinds: dict[str, int] = {}
        for m in firsts.values():
            kinds[kind_of[m.topic]] = kinds.get(kind_of[m.topic], 0) + 1
        worker_cpu = sum(v for k, v in cpu["cpu_seconds"].items() if k.startswith("worker"))
        service_cpu = sum(cpu["cpu_seconds"].values())
        result = {
            "label": label,
            "workers": self.workers,
            "nlp_processes": self.nlp_processes,
            "batch_size": self.batch_size,
            "batch_within_seconds": self.within,
            "articles": len(articles),
            "completed": n,
            "complete": complete,
            "outcomes": kinds,
            "words": words,
            "produce_seconds": round(produced, 2),
            "seconds": round(seconds, 2),
            "articles_per_s": round(n / seconds, 3),
            "words_per_s": round(words * n / len(articles) / seconds, 1),
            "steady_articles_per_s": round(0.8 * n / (hi - lo), 3) if hi > lo else None,
            "worker_cpu_ms_per_article": round(1000 * worker_cpu / max(n, 1), 2),
            # Words per CPU-second of workers + broker + Redis: robust to other load.
            "words_per_cpu_s": round(words * n / len(articles) / service_cpu, 1) if service_cpu else None,
            "worker_words_per_cpu_s": round(words * n / len(articles) / worker_cpu, 1)
            if worker_cpu
            else None,
            "worker_utilisation": round(worker_cpu / (seconds * self.lanes), 3),
            "cpu": cpu,
            "stages": stage_summary(before, after),
            "peak_rss_mb": self.rss.peak_mb(),
            "peak_process_rss_mb": self.rss.peak_process_mb(),
        }
        return result

    def send_paced(
        self, articles: Sequence[dict[str, Any]], rate: float, seconds: float, seed: int = 7
    ) -> dict[bytes, float]:
        """Poisson arrivals at ``rate`` articles/s for ``seconds``; returns key -> produce time."""
        rng = random.Random(seed)
        sent: dict[bytes, float] = {}
        start = next_at = time.time()
        for article in articles:
            if next_at >= start + seconds:
                break
            time.sleep(max(0.0, next_at - time.time()))
            sent[self.send(article)] = time.time()
            next_at += rng.expovariate(rate)
        self.producer.flush()
        return sent

    def run_paced(
        self, articles: list[dict[str, Any]], rate: float, seconds: float, label: str, seed: int = 7
    ) -> dict[str, Any]:
        """Poisson arrivals at ``rate`` articles/s for ``seconds``: latency from the produce call
        to the moment the outcome is readable on its topic, and worker RSS over the run."""
        window = CpuWindow(self.pids())
        rss_start = self.rss.sample()
        t_start = time.time()
        sent = self.send_paced(articles, rate, seconds, seed)
        complete = self.outcomes.wait_for_keys(list(sent), 120)
        cpu = window.close()
        rss_end = self.rss.sample()
        readable = {k: at for k in sent if (at := self.outcome_at(k)) is not None}
        lat = sorted(readable[k] - t for k, t in sent.items() if k in readable)
        per_minute = []
        for m in range(int(seconds // 60)):
            chunk = [
                readable[k] - t
                for k, t in sent.items()
                if k in readable and t_start + 60 * m <= t < t_start + 60 * (m + 1)
            ]
            if chunk:
                per_minute.append(
                    {
                        "minute": m + 1,
                        "p50": percentile(chunk, 50),
                        "p99": percentile(chunk, 99),
                        "rss_mb": self._rss_at(t_start + 60 * (m + 1)),
                    }
                )
        return {
            "label": label,
            "target_rate": round(rate, 3),
            "achieved_rate": round(len(sent) / seconds, 3),
            "seconds": seconds,
            "articles": len(sent),
            "completed": len(lat),
            "complete": complete,
            "arrivals": "poisson",
            "latency_seconds": {
                "p50": percentile(lat, 50),
                "p95": percentile(lat, 95),
                "p99": percentile(lat, 99),
                "max": round(lat[-1], 3) if lat else None,
            },
            "per_minute": per_minute,
            "rss_start_mb": [round(v / 2**20, 1) for v in rss_start],
            "rss_end_mb": [round(v / 2**20, 1) for v in rss_end],
            "peak_rss_mb": self.rss.peak_mb(),
            "peak_process_rss_mb": self.rss.peak_process_mb(),
            "cpu": cpu,
        }

    def _rss_at(self, when: float) -> list[float]:
        rows = [v for t, v, _, _ in self.rss.samples if t <= when]
        return [round(x / 2**20, 1) for x in rows[-1]] if rows else []

    def close(self) -> None:
        for proc in self.procs:
            proc.stop()
        self.rss.stop()
        self.outcomes.close()
        self.producer.close()


def stage_summary(before: list[dict[str, float]], after: list[dict[str, float]]) -> dict[str, Any]:
    """Per-stage means over the window from the workers' own histograms: ms per article for
    decode/dedup/nlp/publish (batch means), mean batch size and batch seconds in total."""

    def delta(name: str) -> float:
        return sum(a.get(name, 0.0) - b.get(name, 0.0) for a, b in zip(after, before, strict=True))

    out: dict[str, Any] = {}
    for stage in ("decode", "dedup", "nlp", "publish"):
        s = delta(f'newswire_stage_duration_seconds_sum{{stage="{stage}"}}')
        c = delta(f'newswire_stage_duration_seconds_count{{stage="{stage}"}}')
        out[f"{stage}_ms_per_article"] = round(1000 * s / c, 2) if c else None
    batches = delta("newswire_batch_size_count")
    out["batches"] = int(batches)
    out["mean_batch_size"] = round(delta("newswire_batch_size_sum") / batches, 2) if batches else None
    out["batch_seconds_total"] = round(delta('newswire_stage_duration_seconds_sum{stage="batch"}'), 2)
    return out
