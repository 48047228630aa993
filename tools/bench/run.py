"""``newswire bench``: how close the running service comes to bare spaCy on this machine.

One run, one corpus (:mod:`tools.bench.corpus`: real Lee-corpus news text, seeded), the same
cores: bare ``nlp.pipe`` (n_process 1/2, threads, batch 2-256), the in-process batch processor
(extraction vs spaCy cost), and the service end to end on its own Tansu broker and Redis
(throughput with 1 and 2 NLP processes, article length, duplicate cost, hostile input, latency and
RSS over a soak at half of the measured maximum load). Prints two tables; ``--output`` writes
the whole report as JSON. See docs/performance.md.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from config.settings import Settings
from tools.bench.corpus import WORDS
from tools.bench.measure import machine_info, prioritise
from tools.bench.phases import FULL, PHASES, QUICK, Bench
from tools.bench.report import print_tables, summarise

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def _phases(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str]:
    if not value:
        return list(PHASES)
    phases = [p.strip() for p in value.split(",") if p.strip()]
    unknown = sorted(set(phases) - set(PHASES))
    if unknown:
        raise click.BadParameter(f"unknown phase(s) {', '.join(unknown)}; choose from {', '.join(PHASES)}")
    return phases


def _bench_arguments() -> list[str]:
    """The command line after ``bench`` (``newswire bench ...`` or ``python -m tools bench ...``)."""
    argv = sys.argv[1:]
    return argv[argv.index("bench") + 1 :] if "bench" in argv else argv


@click.command(name="bench")
@click.option("--quick", is_flag=True, help="Smaller corpus and a 45 s soak (~5 min).")
@click.option(
    "--soak-minutes", type=float, default=None, help="Latency/RSS soak length (default 3, quick 0.75)."
)
@click.option(
    "--only",
    "phases",
    callback=_phases,
    metavar="PHASES",
    help=f"Comma-separated subset of: {', '.join(PHASES)}.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Worker nlp_batch_size (default: settings).",
)
@click.option(
    "--within",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Worker batch_within_seconds (default: settings).",
)
@click.option(
    "--layout",
    type=click.Choice(["pool", "workers"]),
    default="pool",
    show_default=True,
    help="pool: one worker with NLP processes (the default deployment); workers: one worker "
    "process per core with spaCy inside each.",
)
@click.option(
    "--nice",
    type=int,
    default=0,
    help="Run the bench, its broker, Redis and workers at this niceness (e.g. -10 on a shared "
    "machine; negative values need root).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the whole report as JSON to this file (the committed runs live in tools/bench/results/).",
)
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=RESULTS_DIR / "bench.json",
    show_default="tools/bench/results/bench.json",
    help="An earlier report whose bare-spaCy runs stand in when --only leaves out 'pipe'.",
)
def bench(
    quick: bool,
    soak_minutes: float | None,
    phases: list[str],
    batch_size: int | None,
    within: float | None,
    layout: str,
    nice: int,
    output: Path | None,
    baseline: Path,
) -> None:
    """How close the running service comes to bare spaCy on this machine: throughput, latency,
    duplicates, hostile input and memory, on an embedded broker and Redis (docs/performance.md)."""
    profile = QUICK if quick else FULL
    if soak_minutes is not None:
        profile = replace(profile, soak_minutes=soak_minutes)
    defaults = Settings()
    batch = batch_size or defaults.nlp_batch_size
    within = within if within is not None else defaults.batch_within_seconds

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    # nlp.pipe runs inherit the bench's niceness; servers and workers get it when they start.
    prioritise(os.getpid(), nice)
    started = time.time()
    machine = machine_info()
    machine["niceness"] = nice
    log(
        f"newswire bench ({profile.name}): {machine['cpu_model']}, {machine['usable_cores']} cores, "
        f"load average {machine['load_average_at_start']}; phases {', '.join(phases)}"
    )
    runner = Bench(
        profile=profile,
        phases=phases,
        batch_size=batch,
        within=within,
        model=defaults.spacy_model,
        log=log,
        layout=layout,
        nice=nice,
    )
    results = runner.run()
    previous: dict[str, Any] | None = json.loads(baseline.read_text()) if "pipe" not in phases else None
    summary = summarise(results, previous)
    machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report = {
        "name": output.stem if output else f"bench-{profile.name}",
        "command": " ".join(["newswire bench", *_bench_arguments()]),
        "profile": profile.__dict__,
        "phases": phases,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "duration_seconds": round(time.time() - started, 1),
        "machine": machine,
        "settings": {
            "spacy_model": defaults.spacy_model,
            "nlp_batch_size": batch,
            "batch_within_seconds": within,
            "layout": layout,
            "near_duplicate_threshold": defaults.near_duplicate_threshold,
            "minhash_permutations": defaults.minhash_permutations,
            "lsh_bands": defaults.lsh_bands,
            "shingle_size": defaults.shingle_size,
            "corpus_seed": runner.builder.seed,
            "words_per_article": WORDS,
        },
        "summary": summary,
        "results": results,
    }
    print_tables(results, summary, sys.stdout)
    print(f"\nbench took {report['duration_seconds'] / 60:.1f} min")
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {output}")
