"""Bare spaCy and in-process pipeline measurements, one configuration per process.

Run by ``newswire bench`` as ``python -m tools.bench.nlp_pipe <mode> ...``; prints one JSON object.
A fresh process per configuration keeps the peak-RSS numbers honest.

* ``pipe``: ``nlp.pipe`` over the texts with the components the enricher loads
  (``services.nlp.enricher.load_pipeline``), ``--n-process`` processes or ``--threads`` threads.
* ``enrich``: ``newswire enrich`` (batch mode) on the configured NLP processes, the way the
  command runs it.
* ``processor``: the worker's whole ``ArticleProcessor`` (decode, dedup against a real Redis,
  spaCy, extraction, record building) in one thread, batch by batch, with the enricher's
  ``last_timings`` summed per batch: the extraction-vs-spaCy ratio and the cost of everything
  that is not spaCy, without Kafka.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import psutil

from config.settings import Settings


class RssSampler:
    """Peak RSS of this process and its children (sum and largest single process)."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_total = 0
        self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                rss = proc.memory_info().rss
            except psutil.Error:
                continue
            total += rss
            self.peak_single = max(self.peak_single, rss)
        self.peak_total = max(self.peak_total, total)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> RssSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def _mb(n: int) -> float:
    return round(n / 1_048_576, 1)


def run_pipe(texts: list[str], model: str, n_process: int, batch_size: int, threads: int) -> dict[str, Any]:
    from services.nlp.enricher import load_pipeline

    started = time.perf_counter()
    nlp = load_pipeline(model)
    load_seconds = time.perf_counter() - started
    for _ in nlp.pipe(texts[:4], batch_size=4):  # warm caches and lazy allocations
        pass
    words = sum(len(t.split()) for t in texts)
    tokens = 0
    with RssSampler() as rss:
        started = time.perf_counter()
        cpu_started = time.process_time()
        if threads > 1:
            counts = [0] * threads

            def work(k: int) -> None:
                counts[k] = sum(len(d) for d in nlp.pipe(texts[k::threads], batch_size=batch_size))

            pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            tokens = sum(counts)
        else:
            for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
                tokens += len(doc)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    return {
        "mode": "pipe",
        "components": nlp.pipe_names,
        "n_process": n_process,
        "threads": threads,
        "batch_size": batch_size,
        "articles": len(texts),
        "words": words,
        "tokens": tokens,
        "seconds": round(seconds, 3),
        "words_per_s": round(words / seconds, 1),
        "articles_per_s": round(len(texts) / seconds, 3),
        # This process only (n_process=2: the parent's share; the orchestrator adds children).
        "process_cpu_seconds": round(cpu, 3),
        # Imports, model load and warm-up: not part of the timed words.
        "setup_cpu_seconds": round(cpu_started, 3),
        "peak_rss_mb": _mb(rss.peak_total),
        "peak_rss_single_mb": _mb(rss.peak_single),
        "model_load_seconds": round(load_seconds, 2),
    }


def run_processor(payloads: list[bytes], batch_size: int, redis_url: str, prefix: str) -> dict[str, Any]:
    from services.pipeline import RawMessage
    from streams.domain import build_enricher, build_processor, redis_client

    settings = Settings(redis_url=redis_url, redis_key_prefix=prefix, nlp_batch_size=batch_size)
    client = redis_client(settings)
    # spaCy in this process, one thread, as documented.
    processor = build_processor(settings, client, build_enricher(replace(settings.nlp_params, processes=0)))
    enricher: Any = processor.enricher
    messages = [
        RawMessage(value=p, key=None, topic="bench", partition=0, offset=i) for i, p in enumerate(payloads)
    ]
    processor.process(messages[:2])  # warm-up (these two are then duplicates: skipped below)
    messages = messages[2:]
    totals = {"decode": 0.0, "dedup": 0.0, "nlp": 0.0, "spacy": 0.0, "extract": 0.0}
    words = 0
    outcomes: dict[str, int] = {}
    with RssSampler() as rss:
        started = time.perf_counter()
        for i in range(0, len(messages), batch_size):
            result = processor.process(messages[i : i + batch_size])
            for stage in ("decode", "dedup", "nlp"):
                totals[stage] += result.stage_seconds[stage]
            timings = getattr(enricher, "last_timings", {})
            if result.nlp_articles:
                totals["spacy"] += timings.get("spacy_seconds", 0.0)
                totals["extract"] += timings.get("extract_seconds", 0.0)
            for outcome in result.outcomes:
                outcomes[outcome.kind] = outcomes.get(outcome.kind, 0) + 1
        seconds = time.perf_counter() - started
    for p in payloads[2:]:
        words += len(orjson.loads(p)["body"].split())
    client.close()
    n = len(messages)
    records = totals["nlp"] - totals["spacy"] - totals["extract"]
    return {
        "mode": "processor",
        "batch_size": batch_size,
        "articles": n,
        "words": words,
        "outcomes": outcomes,
        "seconds": round(seconds, 3),
        "words_per_s": round(words / seconds, 1),
        "articles_per_s": round(n / seconds, 3),
        "stage_seconds": {k: round(v, 3) for k, v in totals.items()},
        "records_seconds": round(records, 3),
        "ms_per_article": {
            "decode": round(1000 * totals["decode"] / n, 2),
            "dedup": round(1000 * totals["dedup"] / n, 2),
            "spacy": round(1000 * totals["spacy"] / n, 2),
            "extract": round(1000 * totals["extract"] / n, 2),
            "records": round(1000 * records / n, 2),
        },
        "extract_to_spacy": round(totals["extract"] / totals["spacy"], 4) if totals["spacy"] else None,
        "peak_rss_mb": _mb(rss.peak_total),
    }


def run_enrich(path: Path, processes: int, redis_url: str, prefix: str) -> dict[str, Any]:
    """``newswire enrich`` as the command runs it (:mod:`streams.batch`: the configured NLP
    processes, batches overlapping), timed from the first article to the last record, after a
    warm-up through every NLP process."""
    from streams.batch import batch_processor, enrich_file

    settings = Settings(redis_url=redis_url, redis_key_prefix=prefix, nlp_processes=processes)
    lanes = max(1, settings.nlp_params.processes)
    lines = [line for line in path.read_bytes().splitlines() if line.strip()]
    warm, timed = path.with_suffix(".warm.jsonl"), path.with_suffix(".timed.jsonl")
    warm.write_bytes(b"\n".join(lines[: 2 * lanes]) + b"\n")
    timed.write_bytes(b"\n".join(lines[2 * lanes :]) + b"\n")
    with batch_processor(settings) as processor, open(os.devnull, "wb") as sink:
        enrich_file(processor, warm, sink, lanes=lanes, batch_messages=settings.max_batch_messages)
        with RssSampler() as rss:
            started = time.perf_counter()
            counts = enrich_file(
                processor, timed, sink, lanes=lanes, batch_messages=settings.max_batch_messages
            )
            seconds = time.perf_counter() - started
    words = sum(len(orjson.loads(line)["body"].split()) for line in lines[2 * lanes :])
    n = sum(counts.values())
    return {
        "mode": "enrich",
        "nlp_processes": lanes,
        "articles": n,
        "words": words,
        "outcomes": dict(counts),
        "seconds": round(seconds, 3),
        "words_per_s": round(words / seconds, 1),
        "articles_per_s": round(n / seconds, 3),
        "peak_rss_mb": _mb(rss.peak_total),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.nlp_pipe")
    parser.add_argument("mode", choices=["pipe", "processor", "enrich"])
    parser.add_argument("--input", required=True, help="JSONL of raw articles")
    parser.add_argument("--model", default=Settings().spacy_model)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--prefix", default="bench-processor")
    parser.add_argument(
        "--processes", type=int, default=None, help="enrich: NLP processes (default: settings)"
    )
    args = parser.parse_args(argv)
    payloads = [line for line in Path(args.input).read_bytes().splitlines() if line.strip()]
    if args.mode == "pipe":
        from services.articles import parse_article

        limits = Settings().input_limits
        # The exact text the enricher sees: the validated, normalised body.
        texts = [parse_article(p, limits).text for p in payloads]
        result = run_pipe(texts, args.model, args.n_process, args.batch_size, args.threads)
    elif args.mode == "processor":
        result = run_processor(payloads, args.batch_size, args.redis_url, args.prefix)
    else:
        processes = args.processes if args.processes is not None else Settings().nlp_params.processes
        result = run_enrich(Path(args.input), processes, args.redis_url, args.prefix)
    sys.stdout.write(orjson.dumps(result).decode() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
