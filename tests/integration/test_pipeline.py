"""The pipeline end to end: a real broker, a real Redis, a real worker process, the real model."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest

from config import SCHEMA_DIR
from config.settings import Settings
from streams.cli import SAMPLES
from streams.kafka_tools import OutputReader, create_topics, produce_payloads, wait_for_broker
from tests.support.builders import MALFORMED, encode
from tests.support.commands import run_newswire

pytestmark = [pytest.mark.integration, pytest.mark.model]

SCHEMAS = {
    "newswire.enriched/1": "enriched.v1.schema.json",
    "newswire.duplicate/1": "duplicate.v1.schema.json",
    "newswire.event/1": "event.v1.schema.json",
    "newswire.dlq/1": "dlq.v1.schema.json",
}


def validate(record: dict[str, Any]) -> None:
    schema = json.loads((SCHEMA_DIR / SCHEMAS[record["schema"]]).read_text())
    jsonschema.validate(record, schema)


def read_outputs(settings: Settings, expected_outcomes: int, timeout: float = 120) -> dict[str, list[Any]]:
    """Read every output topic until ``expected_outcomes`` enriched+duplicate+dlq records
    arrived, then until nothing new came for 3 s, so that anything extra would be seen too."""
    topics = settings.topics
    with OutputReader(settings) as reader:
        reader.wait_for_count(expected_outcomes, [topics.enriched, topics.duplicates, topics.dlq], timeout)
        reader.quiet(3.0)
        return {topic: reader.read(topic) for topic in topics.outputs()}


def test_worker_routes_every_input_to_exactly_one_outcome_topic(
    stack_settings: Settings, worker_factory: Any, article_factory: Any
) -> None:
    settings = stack_settings
    wait_for_broker(settings)
    create_topics(settings)
    worker = worker_factory(max_body_chars=100_000)

    original = article_factory()
    exact_copy = dict(original, id=original["id"] + "-repost", url="https://other.example.net/copy")
    syndicated = dict(
        original,
        id=original["id"] + "-wire",
        url="https://wire.example.org/story",
        title="Japan, US sign logistics pact",
        # Wrapped in HTML with a footer, one word changed: normalisation alone does not equate them.
        body="<p>"
        + original["body"].replace("\n\n", "</p><p>").replace("next month", "in April")
        + "</p><p>Copyright 2026 Wire Ltd.</p>",
    )
    samples = [line for line in SAMPLES.read_bytes().splitlines() if line.strip()]
    # Kafka orders messages only within a partition: one key puts the three related articles on
    # one partition, so the original is claimed first and the copies are judged against it.
    story_key = original["id"].encode()
    related = [(story_key, encode(a)) for a in (original, exact_copy, syndicated)]
    others = samples + list(MALFORMED.values())
    payloads = [p for _, p in related] + others
    produce_payloads(settings, settings.topics.raw, related + [(None, p) for p in others])

    found = read_outputs(settings, expected_outcomes=len(payloads))
    topics = settings.topics
    records = {t: [orjson.loads(m.value) for m in found[t]] for t in topics.outputs()}
    for kind_records in records.values():
        for record in kind_records:
            validate(record)

    # Every input is accounted for exactly once across enriched / duplicates / dlq.
    outcome_count = sum(len(records[t]) for t in (topics.enriched, topics.duplicates, topics.dlq))
    assert outcome_count == len(payloads)

    dlq_types = Counter(r["error"]["type"] for r in records[topics.dlq])
    assert dlq_types == Counter(MALFORMED.keys())
    dlq_by_type = {r["error"]["type"]: r for r in records[topics.dlq]}
    assert dlq_by_type["invalid_utf8"]["payload_encoding"] == "base64"
    assert dlq_by_type["invalid_json"]["payload"] == MALFORMED["invalid_json"].decode()
    assert all(r["source"]["topic"] == topics.raw for r in records[topics.dlq])

    duplicates = {r["article_id"]: r for r in records[topics.duplicates]}
    assert duplicates[exact_copy["id"]]["dedup"]["status"] == "exact_duplicate"
    assert duplicates[syndicated["id"]]["dedup"]["status"] == "near_duplicate"
    assert duplicates[syndicated["id"]]["dedup"]["duplicate_of"] == original["id"]
    assert "entities" not in duplicates[syndicated["id"]]  # no NLP spent on duplicates

    enriched = {r["article_id"]: r for r in records[topics.enriched]}
    first = enriched[original["id"]]
    assert first["dedup"]["status"] == "unique"
    assert first["dedup"]["story_id"] == duplicates[syndicated["id"]]["dedup"]["story_id"]
    names = {e["name"] for e in first["entities"]}
    assert any("Austin" in n for n in names)
    for entity in first["entities"]:
        for mention in entity["mentions"]:
            assert first["text"][mention["start"] : mention["end"]] == mention["text"]

    # Each event on news.events belongs to an enriched article and repeats its event.
    events_by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in records[topics.events]:
        events_by_article[event["article_id"]].append(event)
    for article_id, events in events_by_article.items():
        assert {e["id"] for e in events} == {e["id"] for e in enriched[article_id]["events"]}
    assert sum(len(r["events"]) for r in enriched.values()) == len(records[topics.events])
    assert len(records[topics.events]) > 0

    # Keys: article id for articles, event id for events.
    for message in found[topics.enriched]:
        assert message.key.decode() == orjson.loads(message.value)["article_id"]
    for message in found[topics.events]:
        assert message.key.decode() == orjson.loads(message.value)["id"]

    status, body = worker.http_get("/metrics")
    assert status == 200
    text = body.decode()
    assert f'newswire_articles_processed_total{{outcome="dlq"}} {float(len(MALFORMED))}' in text
    assert "newswire_stage_duration_seconds_bucket" in text
    assert worker.http_status("/healthz") == 200
    assert worker.http_status("/readyz") == 200


def test_enrich_cli_gives_the_records_the_worker_publishes(
    stack_settings: Settings, worker_factory: Any, tmp_path: Path
) -> None:
    # One partition: the worker then sees the lines in file order, as `enrich` does, so
    # "which copy came first" is decided the same way.
    settings = stack_settings.model_copy(update={"topic_partitions": 1})
    wait_for_broker(settings)
    create_topics(settings)
    lines = [line for line in SAMPLES.read_bytes().splitlines() if line.strip()][:8]
    lines.append(b"{broken")
    input_file = tmp_path / "in.jsonl"
    input_file.write_bytes(b"\n".join(lines) + b"\n")

    worker_factory(topic_partitions=1)
    produce_payloads(settings, settings.topics.raw, [(None, line) for line in lines])
    found = read_outputs(settings, expected_outcomes=len(lines))
    topics = settings.topics
    from_worker = {
        _identity(orjson.loads(m.value)): orjson.loads(m.value)
        for t in (topics.enriched, topics.duplicates, topics.dlq)
        for m in found[t]
    }

    out_file = tmp_path / "out.jsonl"
    own_keys = {
        "NEWSWIRE_REDIS_URL": settings.redis_url.get_secret_value(),
        "NEWSWIRE_REDIS_KEY_PREFIX": settings.redis_key_prefix + "-batch",
    }
    enriched = run_newswire("enrich", str(input_file), "-o", str(out_file), env=own_keys, timeout=300)
    assert enriched.returncode == 0, enriched.stderr[-3000:]
    from_cli = [orjson.loads(line) for line in out_file.read_bytes().splitlines()]
    assert len(from_cli) == len(lines)  # one output line per input line
    assert {_identity(r) for r in from_cli} == set(from_worker)
    for record in from_cli:
        assert _comparable(record) == _comparable(from_worker[_identity(record)])


def _identity(record: dict[str, Any]) -> tuple[str, str]:
    return record["schema"], record.get("article_id") or record.get("payload", "")


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    """Drop what legitimately differs between a run on Kafka and a run on a file."""
    out = {k: v for k, v in record.items() if k not in ("processed_at", "failed_at", "source")}
    if record["schema"] != "newswire.dlq/1":
        out["source"] = record["source"]
    return out
