"""``newswire demo``: the whole pipeline on the embedded stack, end to end, then clean up."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from config.settings import Settings
from streams.devstack import WorkerProcess, embedded_stack, free_port, worker_env
from streams.kafka_tools import OutputReader, create_topics, produce_payloads, wait_for_broker
from streams.readable import describe

# A few inputs every scraper fleet eventually sends; each must land in the DLQ with a reason.
MALFORMED = [
    b"{not json",
    b'{"url": "https://example.org/a", "body": 42}',
    b'{"title": "no url", "body": "Text without a URL."}',
    b'{"url": "https://example.org/empty", "body": "   "}',
    b"\xff\xfe{\x00}\x00",
    b'["a", "list"]',
]


def run_demo(samples: Path, keep_running: bool = False, workers: int = 1) -> int:
    console = Console()
    lines = [line for line in samples.read_bytes().splitlines() if line.strip()]
    payloads = [(None, line) for line in lines] + [(None, bad) for bad in MALFORMED]
    console.print(
        f"[bold]newswire demo[/]: {len(lines)} sample articles + {len(MALFORMED)} malformed messages"
    )
    with embedded_stack() as (broker_url, redis_url, workdir):
        console.print(f"broker [cyan]{broker_url}[/] (Tansu), Redis [cyan]{redis_url}[/], logs in {workdir}")
        settings = Settings(broker_url=broker_url, redis_url=redis_url, redis_key_prefix="demo")
        wait_for_broker(settings)
        create_topics(settings)
        procs = []
        for i in range(workers):
            env = worker_env(broker_url, redis_url, redis_key_prefix="demo", web_port=free_port())
            procs.append(WorkerProcess(env, workdir, name=f"worker-{i + 1}"))
        try:
            with console.status("starting worker(s) and loading the spaCy model..."):
                for proc in procs:
                    proc.start()
            console.print(
                "worker(s) ready; metrics at "
                + ", ".join(f"[cyan]http://127.0.0.1:{p.port}/metrics[/]" for p in procs)
            )
            started = time.perf_counter()
            produce_payloads(settings, settings.topics.raw, payloads)
            outputs = _collect(settings, expected=len(payloads), timeout=180)
            elapsed = time.perf_counter() - started
            handled = _report(console, settings, outputs, len(payloads), elapsed)
            if keep_running:
                console.print("[bold]stack is up[/]; press Ctrl-C to stop and clean up")
                try:
                    while True:
                        time.sleep(1)
                except KeyboardInterrupt:
                    pass
        finally:
            for proc in procs:
                proc.stop()
    # Anything unaccounted for is a failure of the demo, and the exit code says so.
    return 0 if handled == len(payloads) else 1


def _collect(settings: Settings, expected: int, timeout: float) -> dict[str, list[dict[str, object]]]:
    """Read every output topic until each input has its one outcome (or the timeout)."""
    topics = settings.topics
    outcome_topics = {topics.enriched, topics.duplicates, topics.dlq}
    with OutputReader(settings) as reader:
        reader.wait_for_count(expected, outcome_topics, timeout)
        # Events of the last batch may become readable after its outcome records.
        reader.quiet(3.0)
        return {name: reader.records(name) for name in topics.outputs()}


def _report(
    console: Console,
    settings: Settings,
    outputs: dict[str, list[dict[str, object]]],
    inputs: int,
    elapsed: float,
) -> int:
    topics = settings.topics
    table = Table(title="what came out")
    table.add_column("topic")
    table.add_column("records", justify="right")
    table.add_column("example")
    for name in topics.outputs():
        records = outputs.get(name, [])
        table.add_row(name, str(len(records)), _example(_most_telling(records)) if records else "")
    console.print(table)
    handled = sum(len(outputs.get(t, [])) for t in (topics.enriched, topics.duplicates, topics.dlq))
    console.print(
        f"{handled}/{inputs} inputs accounted for in {elapsed:.1f}s "
        f"({handled / max(elapsed, 1e-9):.1f} articles/s, including consumer-group start-up)"
    )
    return handled


def _most_telling(records: list[dict[str, object]]) -> dict[str, object]:
    """The record that shows the most: an event with both sides, the richest article."""

    def weight(record: dict[str, object]) -> int:
        sides = len(record.get("actors") or []) + len(record.get("targets") or [])  # type: ignore[arg-type]
        return 10 * min(sides, 2) + len(record.get("entities") or [])  # type: ignore[arg-type]

    return max(records, key=weight)


def _example(record: dict[str, object]) -> str:
    return describe(record)[:160]
