"""The ``newswire`` command line: the worker, the embedded demo, and tools for scrapers,
downstream teams and operators."""

from __future__ import annotations

import argparse
import ctypes
import json
import logging
import logging.config
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from config import DATA_DIR
from config.settings import load_settings

SAMPLES = DATA_DIR / "samples" / "articles.jsonl"
#: `newswire eval`'s gold sets, headline first (run from a checkout: they live under tests/).
GOLD_SETS = (Path("tests/data/gold-real"), Path("tests/data/gold"))
GOLD_SET_NAMES = {"gold-real": "real news", "gold": "synthetic"}


# --------------------------------------------------------------------------- worker
#: glibc's mallopt parameter id for the mmap threshold (malloc.h).
_M_MMAP_THRESHOLD = -3


def _return_large_buffers_to_the_os(threshold: int = 256 * 1024) -> None:
    """Serve allocations of ``threshold`` bytes or more with their own mappings, which go back
    to the OS the moment they are freed. glibc raises its threshold each time such a block is
    freed, after which megabyte payloads, their dead-letter records and the Kafka fetch buffers
    land in the heap, and the heap does not shrink: a flood of 1 MB messages left the worker
    that much bigger for good. Setting the threshold fixes it. Not glibc: nothing to do."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, threshold)
    except (OSError, AttributeError):
        pass


def cmd_worker(args: argparse.Namespace) -> int:
    import faust

    from streams.app import create_worker
    from streams.broker_check import BrokerUnreachable, wait_for_kafka
    from streams.logs import logging_config

    overrides: dict[str, Any] = {}
    if args.web_port is not None:
        overrides["web_port"] = args.web_port
    settings = load_settings(**overrides)
    config = logging_config(settings.log_level, settings.log_format, secrets=settings.secret_values())
    logging.config.dictConfig(config)
    _return_large_buffers_to_the_os()
    log = logging.getLogger("newswire.worker")
    log.info("starting worker", extra={"stage": "startup", "settings": settings.masked()})
    try:
        wait_for_kafka(settings)
    except BrokerUnreachable as exc:
        from services.redact import redact_text

        log.critical("%s", exc, extra={"stage": "startup"})
        print(f"newswire worker: {redact_text(str(exc), settings.secret_values())}", file=sys.stderr)
        return 1
    worker = create_worker(settings)
    faust_worker = faust.Worker(
        worker.app,
        loglevel=settings.log_level,
        logging_config=config,
        redirect_stdouts=False,
        quiet=True,
    )
    faust_worker.execute_from_commandline()
    return 0


# --------------------------------------------------------------------------- enrich
def _jsonl_payloads(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield number, line


def cmd_enrich(args: argparse.Namespace) -> int:
    from services.pipeline import RawMessage
    from streams.resources import build_processor, redis_client

    settings = load_settings(**({"redis_key_prefix": args.redis_prefix} if args.redis_prefix else {}))
    client = redis_client(settings)
    # Batches here run one after another, so NLP processes would only add start-up time.
    processor = build_processor(settings, client, nlp_processes=0)
    source = Path(args.input)
    # Closed in the finally below (stdout is not ours to close).
    out = sys.stdout.buffer if args.output in (None, "-") else Path(args.output).open("wb")  # noqa: SIM115
    counts: dict[str, int] = {}
    started = time.perf_counter()
    try:
        batch: list[RawMessage] = []

        def flush() -> None:
            for outcome in processor.process(batch).outcomes:
                counts[outcome.kind] = counts.get(outcome.kind, 0) + 1
                out.write(outcome.records[0].value + b"\n")
            batch.clear()

        for number, payload in _jsonl_payloads(source):
            batch.append(RawMessage(payload, None, f"file:{source.name}", 0, number))
            if len(batch) >= settings.nlp_batch_size:
                flush()
        if batch:
            flush()
    finally:
        if out is not sys.stdout.buffer:
            out.close()
        client.close()
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    print(
        f"enriched {counts.get('enriched', 0)}, duplicates {counts.get('duplicate', 0)}, "
        f"dead-lettered {counts.get('dlq', 0)} of {total} in {elapsed:.1f}s",
        file=sys.stderr,
    )
    return 0


# --------------------------------------------------------------------------- produce / tail
def _payloads_from(path: Path) -> Iterator[tuple[bytes | None, bytes]]:
    """JSONL lines as they are, or a folder of .html/.txt files wrapped as articles."""
    if path.is_dir():
        for file in sorted(path.iterdir()):
            if file.suffix.lower() not in (".html", ".htm", ".txt"):
                continue
            body = file.read_text("utf-8", errors="replace")
            # Validation accepts only http(s) URLs; local files get a stand-in under .invalid.
            record = {
                "url": f"https://local.newswire.invalid/{file.name}",
                "title": file.stem,
                "body": body,
                "source": "local-files",
            }
            yield None, orjson.dumps(record)
        return
    for _, line in _jsonl_payloads(path):
        key = None
        try:
            parsed = orjson.loads(line)
            if isinstance(parsed, dict) and isinstance(parsed.get("id"), str):
                key = parsed["id"].encode("utf-8")
        except orjson.JSONDecodeError:
            pass  # sent as is: the worker dead-letters it with the reason
        yield key, line


def cmd_produce(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from streams.kafka_tools import produce_payloads

    settings = load_settings()
    topic = args.topic or settings.topics.raw
    path = Path(args.path)
    payloads = list(_payloads_from(path))
    started = time.perf_counter()
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task(f"producing to {topic}", total=len(payloads))
        sent, failed = produce_payloads(
            settings, topic, payloads, progress=lambda done: progress.update(task, completed=done)
        )
    elapsed = time.perf_counter() - started
    print(
        f"sent {sent} of {len(payloads)} to {topic} ({failed} failed) in {elapsed:.1f}s "
        f"({sent / max(elapsed, 1e-9):.0f} msg/s)"
    )
    return 0 if failed == 0 else 1


def record_matches(record: dict[str, Any], args: argparse.Namespace) -> bool:
    """The ``tail`` filters: entity id or name, country, CAMEO code prefix, story id."""
    entities = record.get("entities") or [*record.get("actors", []), *record.get("targets", [])]
    if args.entity:
        wanted = args.entity.lower()
        if not any(wanted in (e.get("id", "").lower(), e.get("name", "").lower()) for e in entities):
            return False
    if args.country:
        wanted = args.country.upper()
        countries = {e.get("country") for e in entities}
        countries |= set(record.get("actor_countries", [])) | set(record.get("target_countries", []))
        if wanted not in countries:
            return False
    if args.code:
        codes = [record.get("code", "")] + [e.get("code", "") for e in record.get("events", [])]
        if not any(str(c).startswith(args.code) for c in codes if c):
            return False
    if args.story:
        story = record.get("story_id") or (record.get("dedup") or {}).get("story_id")
        if story != args.story:
            return False
    return True


def describe(record: dict[str, Any]) -> str:
    """One readable line per record, whatever its kind."""
    kind = str(record.get("schema", "?")).split("/")[0].removeprefix("newswire.")
    if kind == "enriched":
        names = ", ".join(e["name"] for e in record.get("entities", [])[:5])
        number = (record.get("revision") or {}).get("number") or 1
        return (
            f"[enriched{f' rev {number}' if number > 1 else ''}] {record.get('title', '')[:70]!r} "
            f"({record.get('source')}) entities: {names}; events: {len(record.get('events', []))}"
        )
    if kind == "tombstone":
        return f"[tombstone] event {record.get('key')} retracted by a later revision"
    if kind == "duplicate":
        d = record.get("dedup", {})
        return (
            f"[duplicate] {record.get('title', '')[:60]!r} {d.get('status')} of "
            f"{d.get('duplicate_of')} (similarity {d.get('similarity')}, story {d.get('story_id')})"
        )
    if kind == "event":
        actors = ", ".join(a.get("name", "?") for a in record.get("actors", [])) or "?"
        targets = ", ".join(t.get("name", "?") for t in record.get("targets", [])) or "-"
        return (
            f"[event {record.get('code')}] {actors} -> {record.get('label')} -> {targets} "
            f"({record.get('trigger', {}).get('text')!r})"
        )
    if kind == "dlq":
        e = record.get("error", {})
        return f"[dlq] {e.get('stage')}/{e.get('type')}: {e.get('message')}"
    return json.dumps(record)[:200]


def cmd_tail(args: argparse.Namespace) -> int:
    from streams.kafka_tools import consume

    settings = load_settings()
    aliases = {
        "raw": settings.topics.raw,
        "enriched": settings.topics.enriched,
        "duplicates": settings.topics.duplicates,
        "events": settings.topics.events,
        "dlq": settings.topics.dlq,
    }
    topics = [aliases.get(t, t) for t in args.topics] or settings.topics.outputs()
    shown = 0
    for message in consume(
        settings, topics, from_beginning=args.from_beginning, idle_timeout=args.idle_timeout
    ):
        if message.value is None:  # a retracted event (see docs/schemas.md, "Revisions")
            record = {"schema": "tombstone", "key": (message.key or b"").decode("utf-8", "replace")}
        else:
            try:
                record = orjson.loads(message.value)
            except orjson.JSONDecodeError:
                record = {"schema": "raw", "payload": message.value[:200].decode("utf-8", "replace")}
        if not isinstance(record, dict) or not record_matches(record, args):
            continue
        if args.json:
            print(orjson.dumps(record).decode("utf-8"), flush=True)
        else:
            print(f"{message.topic}[{message.partition}]@{message.offset} {describe(record)}", flush=True)
        shown += 1
        if args.max and shown >= args.max:
            break
    return 0


# --------------------------------------------------------------------------- replay / story / settings
def cmd_replay(args: argparse.Namespace) -> int:
    from services.records import decode_dlq_headers, decode_dlq_key, decode_dlq_payload
    from streams.kafka_tools import Payload, consume, produce_payloads

    settings = load_settings()
    source_topic = settings.topics.dlq if args.source == "dlq" else settings.topics.raw
    since = _parse_time(args.since) if args.since else None
    until = _parse_time(args.until) if args.until else None
    payloads: list[Payload] = []
    dropped_headers = 0
    for message in consume(settings, [source_topic], idle_timeout=args.idle_timeout):
        ts = message.timestamp / 1000 if message.timestamp else None
        if ts is not None and ((since and ts < since) or (until and ts > until)):
            continue
        if args.source == "dlq":
            record = orjson.loads(message.value)
            if args.error_type and record.get("error", {}).get("type") != args.error_type:
                continue
            payload = decode_dlq_payload(record)
            if payload is None:
                continue
            # The message as it was sent: its own key and headers, not the DLQ record's key.
            headers, dropped = decode_dlq_headers(record)
            dropped_headers += dropped
            payloads.append((decode_dlq_key(record), payload, headers))
        else:
            payloads.append((message.key, message.value, list(message.headers or ())))
    if dropped_headers:
        print(
            f"left out {dropped_headers} headers whose names are not UTF-8 (Kafka clients cannot send "
            "them; the message would be dead-lettered for them again)",
            file=sys.stderr,
        )
    if args.dry_run:
        print(f"would replay {len(payloads)} messages from {source_topic} to {settings.topics.raw}")
        return 0
    sent, failed = produce_payloads(settings, settings.topics.raw, payloads)
    print(
        f"replayed {sent} messages from {source_topic} to {settings.topics.raw} ({failed} failed); "
        "they go through validation and dedup like any other article"
    )
    return 0 if failed == 0 else 1


def _parse_time(value: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def cmd_story(args: argparse.Namespace) -> int:
    from streams.resources import build_deduplicator, redis_client

    settings = load_settings()
    story = build_deduplicator(redis_client(settings), settings).store.story(args.story_id)
    if story is None:
        print(f"no story {args.story_id!r} (unknown, or expired after the TTL window)", file=sys.stderr)
        return 1
    print(json.dumps(story, indent=2))
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    print(json.dumps(load_settings().masked(), indent=2, default=str))
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    from streams.kafka_tools import create_topics

    created = create_topics(load_settings())
    print("created: " + (", ".join(created) if created else "nothing (all exist)"))
    return 0


# --------------------------------------------------------------------------- evaluation
def cmd_eval(args: argparse.Namespace) -> int:
    from config import NLP_DATA_DIR
    from services.evaluation.nlp_eval import format_nlp_report, run_nlp_eval
    from services.nlp import load_enricher

    settings = load_settings()
    enricher = load_enricher(
        settings.spacy_model,
        NLP_DATA_DIR,
        batch_size=settings.nlp_batch_size,
        segment_words=settings.nlp_segment_words,
    )
    gold = args.gold or [str(path) for path in GOLD_SETS]
    sets = [(GOLD_SET_NAMES.get(Path(g).name, Path(g).name), Path(g)) for g in gold]
    report = run_nlp_eval(sets, enricher)
    print(format_nlp_report(report))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


def cmd_eval_dedup(args: argparse.Namespace) -> int:
    from services.evaluation.dedup_eval import format_dedup_report, run_dedup_eval
    from streams.resources import redis_client

    settings = load_settings()
    client = redis_client(settings)
    report = run_dedup_eval(client, settings)
    print(format_dedup_report(report))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


# --------------------------------------------------------------------------- demo
def cmd_demo(args: argparse.Namespace) -> int:
    from streams.demo import run_demo

    return run_demo(samples=Path(args.samples), keep_running=args.keep_running, workers=args.workers)


def cmd_bench(args: argparse.Namespace) -> int:
    from streams.bench import main as bench_main

    return bench_main(args.rest)


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newswire",
        description="Real-time news intelligence: dedup, canonical entities and CAMEO events over Kafka.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("worker", help="run a Faust stream worker")
    p.add_argument("--web-port", type=int, help="metrics/health port (default NEWSWIRE_WEB_PORT or 6066)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("demo", help="embedded broker + Redis + worker, feeds sample articles")
    p.add_argument("--samples", default=str(SAMPLES), help="JSONL file of raw articles")
    p.add_argument("--workers", type=int, default=1, help="worker processes to run")
    p.add_argument("--keep-running", action="store_true", help="leave the stack up until Ctrl-C")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("enrich", help="batch mode: JSONL in, one output record per line out")
    p.add_argument("input")
    p.add_argument("-o", "--output", help="output JSONL (default stdout)")
    p.add_argument("--redis-prefix", help="Redis key prefix (default NEWSWIRE_REDIS_KEY_PREFIX)")
    p.set_defaults(func=cmd_enrich)

    p = sub.add_parser("produce", help="send a JSONL file or a folder of .html/.txt files")
    p.add_argument("path")
    p.add_argument("--topic", help="default: the raw input topic")
    p.set_defaults(func=cmd_produce)

    p = sub.add_parser("tail", help="follow output topics and pretty-print records")
    p.add_argument("topics", nargs="*", help="raw|enriched|duplicates|events|dlq or topic names")
    p.add_argument("--entity", help="entity id or name")
    p.add_argument("--country", help="ISO 3166 alpha-3 code")
    p.add_argument("--code", help="CAMEO code prefix, e.g. 04 or 042")
    p.add_argument("--story", help="story id")
    p.add_argument("--json", action="store_true", help="print records as JSON lines")
    p.add_argument("--from-beginning", action="store_true")
    p.add_argument("--max", type=int, default=0, help="stop after N records")
    p.add_argument("--idle-timeout", type=float, default=None, help="stop after N idle seconds")
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser("replay", help="re-feed the DLQ (or a time range of the raw topic)")
    p.add_argument("--source", choices=["dlq", "raw"], default="dlq")
    p.add_argument("--since", help="RFC 3339 start (message timestamp)")
    p.add_argument("--until", help="RFC 3339 end")
    p.add_argument("--error-type", help="only DLQ records with this error type")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--idle-timeout", type=float, default=5.0)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("story", help="story cluster statistics from Redis")
    p.add_argument("story_id")
    p.set_defaults(func=cmd_story)

    p = sub.add_parser("settings", help="print the effective settings, secrets masked")
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser("topics", help="create the pipeline's topics")
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser("eval", help="entity and event accuracy on the gold sets (real news first)")
    p.add_argument(
        "--gold",
        action="append",
        help="a gold folder (repeatable; default: tests/data/gold-real, then tests/data/gold)",
    )
    p.add_argument("--json", default="bench/results/eval.json")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("eval-dedup", help="dedup precision/recall on the syndication set")
    p.add_argument("--json", default="bench/results/eval_dedup.json")
    p.set_defaults(func=cmd_eval_dedup)

    p = sub.add_parser("bench", help="run the performance benchmark (see docs/performance.md)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:
        # argparse.REMAINDER does not pass options (``--quick``) through; bench parses its own.
        return cmd_bench(argparse.Namespace(rest=argv[1:]))
    args = build_parser().parse_args(argv)
    if args.command != "worker":
        logging.basicConfig(level=os.environ.get("NEWSWIRE_LOG_LEVEL", "WARNING"))
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
