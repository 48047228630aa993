"""What ``NEWSWIRE_NLP_RELEASE_HEAP`` does to one NLP process: started as the pool starts it,
then fed the bench's articles one chunk at a time (700, 200, 3,000, then 700 words again, as
``newswire bench`` orders its phases), with and without the heap released after each chunk.
Prints the process's resident memory at start, its highest after a chunk, at the end, its
peak (VmHWM), and its CPU for the chunks; each way in a fresh process::

    python -m tools.bench.nlp_release_heap     # ~2 min
"""

from __future__ import annotations

import multiprocessing
import time
from typing import Any

import orjson

from tools.bench.nlp_memory import memory_mb

#: (articles, words) in the order the quick memory bench sends them.
PLAN = ((40, 700), (40, 200), (12, 3000), (40, 700))


def _run(release: bool, out: Any) -> None:
    from dataclasses import replace

    from config.settings import Settings
    from services.articles import parse_article
    from services.nlp import pool
    from tools.bench.corpus import CorpusBuilder

    settings = Settings()
    pool._load_in_child(replace(settings.nlp_params, release_heap=release))
    builder = CorpusBuilder()
    payloads = [orjson.dumps(a) for n, words in PLAN for a in builder.articles(n, words, f"heap{words}")]
    start, _ = memory_mb()
    highest = start
    cpu = time.process_time()
    for payload in payloads:
        pool._enrich_in_child([parse_article(payload, settings.input_limits)])
        highest = max(highest, memory_mb()[0])
    cpu = time.process_time() - cpu
    end, peak = memory_mb()
    out.put(
        {"start": start, "highest": highest, "end": end, "peak": peak, "cpu": cpu, "chunks": len(payloads)}
    )


def _fresh(release: bool) -> dict[str, float]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    process = context.Process(target=_run, args=(release, out))
    process.start()
    result: dict[str, float] = out.get()
    process.join()
    return result


def main() -> None:
    print("one NLP process, batch 1 (MB; highest = resident after a chunk)")
    print(f"  {'heap after each chunk':<24} {'start':>7} {'highest':>8} {'end':>7} {'peak':>7} {'CPU s':>7}")
    for release, label in ((False, "left to glibc"), (True, "released (malloc_trim)")):
        r = _fresh(release)
        print(
            f"  {label:<24} {r['start']:>7.1f} {r['highest']:>8.1f} {r['end']:>7.1f} {r['peak']:>7.1f}"
            f" {r['cpu']:>7.1f}"
        )


if __name__ == "__main__":
    main()
