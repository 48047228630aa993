"""Hostile input through a real worker: each named case of the issue becomes a valid output or
a DLQ record with a precise reason, the worker never crashes or stalls, its memory stays
bounded, and good articles keep flowing alongside the garbage."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from config.settings import Settings
from streams.devstack import WorkerProcess
from streams.kafka_tools import bootstrap_servers, create_topics, produce_payloads, wait_for_broker
from tests.support.accounting import Outputs
from tests.support.record_batches import Record, build_batch, produce_batch
from tests.support.traffic import article_stream, short_article
from tests.support.waiting import wait_until
from tests.support.workers import processed
from tools.bench.hostile import SECRET_SCRIPT, named_cases

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.model]


def _case_of(record: dict[str, Any]) -> str | None:
    """Outputs carry the case name as their article id, or the original message key (DLQ)."""
    if record.get("article_id"):
        return str(record["article_id"]).removeprefix("case:")
    key = record.get("key")
    return key.removeprefix("case:") if isinstance(key, str) else None


@pytest.fixture
def hostile_settings(stack_settings: Settings) -> Settings:
    # The producer and the test's reader need room for the 20 MB message; the worker keeps
    # its own default limit (4 MiB), which is what must refuse it.
    return stack_settings.model_copy(update={"max_message_bytes": 16 * 1024 * 1024})


def test_named_hostile_inputs_each_get_a_precise_outcome(
    hostile_settings: Settings, worker_factory: Callable[..., WorkerProcess]
) -> None:
    settings = hostile_settings
    wait_for_broker(settings)
    create_topics(settings)
    outputs = Outputs(settings)
    worker = worker_factory("worker")
    cases = named_cases()
    cases["twenty-mb-body"] = (
        orjson.dumps({"id": "20mb", "url": "https://e.com/big", "body": "word " * 4_000_000}),
        "message_too_large",
    )
    # Mark valid cases with the case name as id, every message with it as key.
    payloads = []
    for name, (payload, _) in cases.items():
        if payload.startswith(b'{"id":'):
            try:
                fields = orjson.loads(payload)
                fields["id"] = f"case:{name}"
                payload = orjson.dumps(fields)
            except orjson.JSONDecodeError:
                pass
        payloads.append((f"case:{name}".encode(), payload))
    _, failed = produce_payloads(settings, settings.topics.raw, payloads)
    assert failed == 0, "the broker must accept every case (the 20 MB one included)"

    def outcomes_by_case() -> dict[str, list[dict[str, Any]]]:
        seen: dict[str, list[dict[str, Any]]] = {}
        for m in outputs.outcomes():
            case = _case_of(m.record())
            if case:
                seen.setdefault(case, []).append(m.record())
        return seen

    if outputs.reader.wait(lambda: set(outcomes_by_case()) >= set(cases), 90):
        outputs.reader.quiet(2.0)
    seen = outcomes_by_case()
    assert set(seen) == set(cases), f"no outcome for {sorted(set(cases) - set(seen))}"
    report = {}
    for name, (_, want) in cases.items():
        records = seen[name]
        assert len(records) == 1, (name, records)
        record = records[0]
        got = "enriched" if record["schema"] == "newswire.enriched/1" else record.get("error", {}).get("type")
        report[name] = got if got != "enriched" else "enriched"
        assert got == want, (name, got, record.get("error"))
        if got == "enriched":
            assert SECRET_SCRIPT not in record["text"] and "<script" not in record["text"].lower()
            assert "\x00" not in record["text"] and "\x1b" not in record["text"]
            assert "hunter2" not in orjson.dumps(record).decode(), "credentials leaked into the output"
        else:
            assert record["error"]["message"], name
    assert "UTF-16" in seen["utf16-bom"][0]["error"]["message"]
    assert "limit" in seen["twenty-mb-body"][0]["error"]["message"]
    assert worker.running and worker.http_status("/readyz") == 200
    rss = worker.metrics().get("process_resident_memory_bytes", 0.0)
    print("\n" + "\n".join(f"  {k:28s} -> {v}" for k, v in report.items()))
    print(f"  worker RSS after the named cases: {rss / 2**20:.0f} MiB")
    assert rss < 1.5 * 2**30
    outputs.close()


def _timed(
    worker: WorkerProcess,
    settings: Settings,
    payloads: list[tuple[bytes | None, bytes]],
    timeout: float = 120,
) -> float:
    """Seconds from the first send until the worker finished every payload."""
    before = processed(worker)
    started = time.monotonic()
    produce_payloads(settings, settings.topics.raw, payloads)
    assert wait_until(lambda: processed(worker) >= before + len(payloads), timeout, interval=0.1), (
        f"worker stalled: {processed(worker) - before:.0f} of {len(payloads)} done"
    )
    return time.monotonic() - started


def test_floods_and_good_throughput_alongside_hostile_traffic(
    hostile_settings: Settings, worker_factory: Callable[..., WorkerProcess], unique_name: str
) -> None:
    settings = hostile_settings
    wait_for_broker(settings)
    create_topics(settings)
    worker = worker_factory("worker")
    rng = random.Random(5)
    rss: list[float] = [worker.metrics()["process_resident_memory_bytes"]]

    # Good articles alone, then the same number of new good articles interleaved with as many
    # hostile messages (the named cases, cycled; each good one is unique).
    good_alone = article_stream(unique_name + "g1", 400, copy_every=0).payloads
    alone = _timed(worker, settings, good_alone)
    # Without the HTML entity bomb: it is a valid article whose NLP alone takes ~2 s, so
    # re-sending it under one id measures NLP cost, not hostile input (with it: ~-80%).
    hostile = [p for name, (p, _) in named_cases().items() if name != "html-scripts-entity-bomb"]
    good_mixed = article_stream(unique_name + "g2", 400, copy_every=0, seed=3).payloads
    mixed_payloads: list[tuple[bytes | None, bytes]] = []
    for i, good in enumerate(good_mixed):
        mixed_payloads += [good, (None, hostile[i % len(hostile)])]
    mixed = _timed(worker, settings, mixed_payloads)
    rss.append(worker.metrics()["process_resident_memory_bytes"])
    rate_alone, rate_mixed = 400 / alone, 400 / mixed
    print(
        f"\ngood articles alone: {rate_alone:.0f}/s; alongside as many hostile messages: "
        f"{rate_mixed:.0f}/s good ({100 * (1 - rate_mixed / rate_alone):+.0f}% degradation)"
    )

    # One article re-posted under 3,000 ids: one enriched, the rest exact duplicates, no NLP.
    original = short_article(unique_name + "r", 0, rng)
    repeats = [
        (
            None,
            orjson.dumps(
                dict(
                    original,
                    id=f"{unique_name}-rep-{i}",
                    url=f"https://mirror{i}.example.net/story",
                )
            ),
        )
        for i in range(3_000)
    ]
    nlp_before = worker.metrics().get('newswire_stage_duration_seconds_count{stage="nlp"}', 0.0)
    repeated = _timed(worker, settings, repeats)
    after = worker.metrics()
    nlp_runs = after.get('newswire_stage_duration_seconds_count{stage="nlp"}', 0.0) - nlp_before
    print(f"one article x3000: {3000 / repeated:.0f}/s; NLP batches run for it: {nlp_runs:.0f}")
    assert nlp_runs <= 1

    # Many tiny articles.
    tiny = [
        (
            None,
            orjson.dumps(
                {
                    "id": f"{unique_name}-tiny-{i}",
                    "url": f"https://t.example.com/{i}",
                    "body": f"Talks resumed {i}.",
                }
            ),
        )
        for i in range(2_000)
    ]
    tiny_seconds = _timed(worker, settings, tiny)
    rss.append(worker.metrics()["process_resident_memory_bytes"])
    print(
        f"2000 tiny articles: {2000 / tiny_seconds:.0f}/s; RSS MiB over the run: "
        f"{[round(r / 2**20) for r in rss]}"
    )

    outputs = Outputs(settings)
    wanted = {f"{unique_name}-rep-{i}" for i in range(3_000)}
    assert not outputs.wait_for_ids(wanted, timeout=60, settle=1.0)
    acc = outputs.account()
    statuses = [acc.records[i]["dedup"]["status"] for i in wanted]
    assert statuses.count("unique") == 1 and statuses.count("exact_duplicate") == 2_999
    assert all(len(acc.outcomes[i]) == 1 for i in wanted)
    outputs.close()

    assert worker.running and worker.http_status("/readyz") == 200
    assert max(rss) - rss[0] < 512 * 2**20, "memory grew by more than 512 MiB"
    # Hostile messages are refused at decode, before any NLP, so they cannot starve good
    # articles. A liveness bound, not the throughput target: beside 45-word articles the cost
    # of a hostile message is its bytes (read, refused, copied into its DLQ record), so the
    # ratio sits near 0.5 on a quiet machine and moves with load; the 20% target is measured
    # on news-length articles by `newswire bench --only hostile`.
    assert rate_mixed >= 0.25 * rate_alone


def test_record_with_a_header_name_that_is_not_utf8_is_dead_lettered_and_the_partition_moves_on(
    stack_settings: Settings, worker_factory: Callable[..., WorkerProcess], unique_name: str
) -> None:
    """The poison pill of issue 17: one record whose Kafka header *name* is not UTF-8 crashed
    the worker's fetcher, and every restart died on it. Sent through the real broker as a
    hand-built record batch (Kafka clients refuse to write such a header)."""
    settings = stack_settings
    wait_for_broker(settings)
    create_topics(settings)
    outputs = Outputs(settings)
    worker = worker_factory("worker")
    raw = settings.topics.raw
    servers = bootstrap_servers(settings.broker_url)
    poison = short_article(unique_name, 1, random.Random(1))
    after = short_article(unique_name, 2, random.Random(2))
    sent_at_ms = 1_767_225_600_123  # 2026-01-01T00:00:00.123Z: the DLQ record's failed_at
    poison_headers = [(b"trace-id", b"t-1"), (b"\xff\xfe", b"x"), (b"empty", None)]
    batch = build_batch(
        [Record(orjson.dumps(poison), b"poison-key", poison_headers)], timestamp_ms=sent_at_ms
    )
    produce_batch(servers, raw, 0, batch)
    # A good article right behind it on the same partition, with a header to pass through.
    produce_batch(servers, raw, 0, build_batch([Record(orjson.dumps(after), None, [(b"trace-id", b"t-2")])]))

    missing = outputs.wait_for_ids([poison["id"], after["id"]], timeout=60)
    assert not missing, f"no outcome for {missing}; worker log: {worker.log_path}"
    dead = [m for m in outputs.outcomes() if m.topic == settings.topics.dlq]
    assert len(dead) == 1
    record = dead[0].record()
    assert record["error"]["type"] == "invalid_header" and record["error"]["stage"] == "decode"
    assert "ff fe" in record["error"]["message"]
    assert dead[0].key == b"poison-key"  # keyed by what the sender sent
    assert record["article_id"] == poison["id"]  # the payload's readable id
    assert (record["payload"], record["payload_encoding"]) == (orjson.dumps(poison).decode(), "utf-8")
    assert (record["key"], record["key_encoding"]) == ("poison-key", "utf-8")
    assert record["headers"] == [
        {"name": "trace-id", "name_encoding": "utf-8", "value": "t-1", "value_encoding": "utf-8"},
        {"name": "//4=", "name_encoding": "base64", "value": "x", "value_encoding": "utf-8"},
        {"name": "empty", "name_encoding": "utf-8", "value": None, "value_encoding": "none"},
    ]
    assert record["failed_at"] == "2026-01-01T00:00:00.123Z"  # the message's time, not the clock's
    # Readable headers travel on as Kafka headers; the undecodable name cannot be sent.
    assert dead[0].headers == (("trace-id", b"t-1"), ("empty", None))
    enriched = [m for m in outputs.outcomes() if m.topic == settings.topics.enriched]
    assert [m.record()["article_id"] for m in enriched] == [after["id"]]
    assert enriched[0].headers == (("trace-id", b"t-2"),)
    assert worker.running and worker.http_status("/readyz") == 200
    outputs.close()
