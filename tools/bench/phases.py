"""The benchmark's measurements, phase by phase: bare spaCy (``nlp.pipe``) on the bench corpus,
the in-process processor, then the service end to end on its own broker and Redis (throughput,
back-to-back pairs against bare spaCy, article length, duplicates, hostile input, latency and
memory over a soak). :class:`Bench` runs the phases a :class:`Profile` sizes."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.settings import Settings
from streams.devstack import ChildServer, start_broker, start_redis
from tools import ROOT
from tools.bench.corpus import WORDS, CorpusBuilder, write_jsonl
from tools.bench.hostile import refused_payloads
from tools.bench.measure import CpuWindow, prioritise
from tools.bench.service import LATENCY_FETCH_WAIT_MS, Service

PHASES = ("pipe", "processor", "batch", "e2e", "length", "dup", "hostile", "latency")


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
    #: 700-word articles in each batch-mode run (``newswire enrich`` and bare spaCy beside it).
    batch_articles: int


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
    batch_articles=160,
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
    batch_articles=64,
)


def run_subprocess_bench(args: list[str], label: str, log: Callable[[str], None]) -> dict[str, Any]:
    window = CpuWindow()
    proc = subprocess.run(
        [sys.executable, "-m", "tools.bench.nlp_pipe", *args],
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
        path = write_jsonl(tmp / f"pipe-{count}.jsonl", corpus[:count])
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
    #: Niceness of the bench's broker, Redis and workers (``--nice``); 0 leaves them alone.
    nice: int = 0
    results: dict[str, Any] = field(default_factory=dict)

    def run(self) -> dict[str, Any]:
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
                if "batch" in self.phases:
                    self.phase_batch(tmp, redis)
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
                    prioritise(server.process.pid, self.nice)
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
        path = write_jsonl(tmp / "processor.jsonl", self.builder.articles(n + 2, WORDS, "proc"))
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

    def phase_batch(self, tmp: Path, redis: ChildServer) -> None:
        """``newswire enrich`` against bare ``nlp.pipe`` on all cores, on the same articles,
        back to back (the machine's speed drifts over minutes), ``paired_rounds`` times."""
        cores = len(os.sched_getaffinity(0))
        best = best_pipe(self.results.get("pipe", []))
        n_process, batch = (best["n_process"], best["batch_size"]) if best else (cores, 4)
        n = self.profile.batch_articles
        processes = Settings().nlp_params.processes  # what `newswire enrich` uses here
        self.log(
            f"[batch mode] newswire enrich vs nlp.pipe n_process={n_process} batch={batch}, {n} articles"
        )
        pairs = []
        for round_no in range(1, self.profile.paired_rounds + 1):
            # Fresh articles each round: a second round must not find the first one's in Redis.
            path = write_jsonl(
                tmp / f"batch{round_no}.jsonl", self.builder.articles(n, WORDS, f"batch{round_no}")
            )
            bare = run_subprocess_bench(
                [
                    "pipe",
                    "--input",
                    str(path),
                    "--model",
                    self.model,
                    "--n-process",
                    str(n_process),
                    "--batch-size",
                    str(batch),
                ],
                f"nlp.pipe n_process={n_process} batch={batch} (batch mode, pair {round_no})",
                self.log,
            )
            enrich = run_subprocess_bench(
                [
                    "enrich",
                    "--input",
                    str(path),
                    "--redis-url",
                    f"redis://127.0.0.1:{redis.port}/0",
                    "--prefix",
                    f"bench-enrich-{round_no}",
                ],
                f"newswire enrich, {processes} NLP processes (pair {round_no})",
                self.log,
            )
            if "error" in bare or "error" in enrich:
                break
            ratio = round(enrich["words_per_s"] / bare["words_per_s"], 3)
            self.log(
                f"  pair {round_no}: enrich {enrich['words_per_s']:.0f} words/s, bare "
                f"{bare['words_per_s']:.0f}: {ratio}"
            )
            pairs.append({"round": round_no, "pipe": bare, "enrich": enrich, "ratio": ratio})
        self.results["batch"] = pairs

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
            path = write_jsonl(tmp / f"len{words}.jsonl", self.builder.articles(count, words, f"len{words}p"))
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
                    nice=self.nice,
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
