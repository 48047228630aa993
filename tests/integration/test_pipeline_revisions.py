"""A corrected article end to end: a real broker, a real Redis, a real worker, the real model.

An article, then a corrected body under the same id, then an identical re-send: revision 2 is
enriched, the event the correction lost is retracted with a Kafka tombstone, the re-send is a
duplicate, and the topics read as a compacted topic converge to revision 2. A second worker
that replays every message (the first one killed, a new consumer group) publishes the very
same bytes again, except that revision 1 is never published over revision 2.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from config.settings import Settings
from streams.devstack import WorkerProcess
from streams.kafka_tools import bootstrap_servers, create_topics, produce_payloads, wait_for_broker
from tests.faults import Output, OutputReader

pytestmark = [pytest.mark.integration, pytest.mark.model]

CONSUMER_EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "downstream_consumer.py"
ARTICLE_ID = "pw-1001"
BODY = (
    "TOKYO (Newswire) - Japanese Defense Minister Minoru Kihara met U.S. Defense Secretary Lloyd "
    "Austin in Tokyo on Sunday to discuss maritime security in the East China Sea.\n\nAustin said "
    "the United States would deepen cooperation with Japan. The two ministers signed a memorandum "
    "of understanding (MoU) on logistics support. Officials said talks would continue next month."
)
# The correction: there was no signing; China protested. The meeting and the talks are unchanged.
CORRECTED = (
    BODY.replace("The two ministers signed a memorandum of understanding (MoU) on logistics support. ", "")
).replace("talks would continue next month.", "China protested against the meeting on Monday.")


def payload(body: str) -> tuple[bytes, bytes]:
    article = {
        "id": ARTICLE_ID,
        "url": "https://news.example.com/world/2026/03/ministers-meet",
        "title": "Ministers meet in Tokyo on maritime security",
        "body": body,
        "source": "news.example.com",
        "published_at": "2026-03-02T09:15:00Z",
    }
    return ARTICLE_ID.encode(), orjson.dumps(article)


def wait_for(reader: OutputReader, condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reader.poll(1.0)
        if condition():
            reader.poll(2.0)  # anything extra would show up too
            return
    raise AssertionError("expected outputs did not arrive in time")


def on(reader: OutputReader, topic: str) -> list[Output]:
    return [m for m in reader.messages if m.topic == topic]


def compacted(messages: list[Output]) -> dict[bytes | None, bytes | None]:
    """What a compacted topic keeps: the last value per key (a tombstone removes the key)."""
    latest: dict[bytes | None, bytes | None] = {}
    for m in messages:  # one key is always on one partition, in order
        latest[m.key] = m.value
    return {k: v for k, v in latest.items() if v is not None}


def example_consumer_lines(settings: Settings) -> list[str]:
    """What docs/examples/downstream_consumer.py prints for the whole events topic."""
    result = subprocess.run(
        [
            sys.executable,
            str(CONSUMER_EXAMPLE),
            "--bootstrap-server",
            bootstrap_servers(settings.broker_url)[0],
            "--topic",
            settings.topics.events,
            "--from-beginning",
            "--idle-timeout",
            "8",
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )
    return result.stdout.splitlines()


def format_event(record: dict[str, Any]) -> str:
    spec = importlib.util.spec_from_file_location("downstream_consumer", CONSUMER_EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.format_event(record))


def test_a_correction_is_revision_2_with_tombstones_and_a_replay_publishes_the_same_bytes(
    stack_settings: Settings, worker_factory: Callable[..., WorkerProcess], unique_name: str
) -> None:
    settings = stack_settings
    wait_for_broker(settings)
    create_topics(settings)
    topics = settings.topics
    reader = OutputReader(settings)
    first_worker = worker_factory("worker-1")
    try:
        produce_payloads(settings, topics.raw, [payload(BODY)])
        wait_for(reader, lambda: len(on(reader, topics.enriched)) == 1)
        rev1 = orjson.loads(on(reader, topics.enriched)[0].value)
        produce_payloads(settings, topics.raw, [payload(CORRECTED)])
        wait_for(reader, lambda: len(on(reader, topics.enriched)) == 2)
        produce_payloads(settings, topics.raw, [payload(CORRECTED)])  # an identical re-send
        wait_for(reader, lambda: len(on(reader, topics.duplicates)) == 1)
        first_pass = list(reader.messages)

        # Revision 2: what it replaces and retracts.
        enriched = on(reader, topics.enriched)
        rev2 = orjson.loads(enriched[1].value)
        assert [m.key for m in enriched] == [ARTICLE_ID.encode()] * 2
        assert rev1["revision"] == {
            "number": 1,
            "updated_at": None,
            "supersedes": None,
            "retracted_events": [],
        }
        assert rev2["revision"]["number"] == 2
        assert rev2["revision"]["supersedes"] == {"number": 1, "content_hash": rev1["content_hash"]}
        assert rev2["content_hash"] != rev1["content_hash"]
        assert rev2["dedup"]["status"] == "unique" and rev2["dedup"]["story_id"] == ARTICLE_ID
        assert rev2["processed_at"] > rev1["processed_at"]
        ids1 = {e["id"] for e in rev1["events"]}
        ids2 = {e["id"] for e in rev2["events"]}
        assert ids1 & ids2, "events the correction did not touch keep their ids"
        assert ids1 - ids2, "the correction removed an event"
        assert sorted(rev2["revision"]["retracted_events"]) == sorted(ids1 - ids2)

        # The retracted events went out as real Kafka tombstones: a key and a null value.
        events = on(reader, topics.events)
        tombstones = [m for m in events if m.value is None]
        assert sorted(m.key.decode() for m in tombstones) == sorted(ids1 - ids2)
        for m in events:
            if m.value is not None:
                record = orjson.loads(m.value)
                assert m.key.decode() == record["id"]
                assert record["revision"]["number"] == (
                    1 if record["processed_at"] == rev1["processed_at"] else 2
                )

        # The identical re-send: a duplicate of itself, no NLP.
        (dup,) = [orjson.loads(m.value) for m in on(reader, topics.duplicates)]
        assert dup["dedup"] == {
            "status": "exact_duplicate",
            "story_id": ARTICLE_ID,
            "duplicate_of": ARTICLE_ID,
            "similarity": 1.0,
        }
        assert dup["revision"] == {"number": 2, "updated_at": None}

        # Read as compacted topics, the outputs hold revision 2 and its events only.
        assert set(compacted(events)) == {i.encode() for i in ids2}
        assert orjson.loads(compacted(enriched)[ARTICLE_ID.encode()] or b"")["revision"]["number"] == 2

        # The example consumer ends with revision 2's events (which lines it prints on the way
        # depends on how it interleaves the partitions).
        shown: list[str] = []
        for line in example_consumer_lines(settings):
            if line.startswith("RETRACTED  "):
                shown.remove(line.removeprefix("RETRACTED  "))
            else:
                shown.append(line)
        latest_events = [orjson.loads(v) for v in compacted(events).values() if v]
        assert sorted(shown) == sorted(format_event(e) for e in latest_events)
    finally:
        first_worker.kill()

    # A replay of every message, as after a kill -9 before any commit: a new consumer group.
    worker_factory("worker-2", consumer_group=f"{unique_name}-replay")
    try:
        wait_for(reader, lambda: len(on(reader, topics.duplicates)) == 3, timeout=180)
        replayed = reader.messages[len(first_pass) :]
        assert not [m for m in replayed if m.topic == topics.dlq]

        # Revision 2, its events and tombstones, and the re-send's duplicate: the same bytes.
        def first_values(topic: str, key: bytes | None) -> list[Any]:
            return [m.value for m in first_pass if (m.topic, m.key) == (topic, key)]

        superseded = []
        for m in replayed:
            if m.topic == topics.duplicates and m.value and orjson.loads(m.value)["revision"]["number"] == 1:
                superseded.append(orjson.loads(m.value))
                continue
            assert m.value in first_values(m.topic, m.key), (m.topic, m.key)
        assert [m.value for m in replayed if m.topic == topics.enriched] == [enriched[1].value]
        # Revision 1's message once more: never published over revision 2, a near copy of itself.
        (late,) = superseded
        assert (late["dedup"]["status"], late["dedup"]["duplicate_of"]) == ("near_duplicate", ARTICLE_ID)
        assert late["content_hash"] == rev1["content_hash"]

        everything = reader.messages
        assert set(compacted(on(reader, topics.events))) == {i.encode() for i in ids2}
        assert len(everything) > len(first_pass)
        latest = orjson.loads(compacted(on(reader, topics.enriched))[ARTICLE_ID.encode()] or b"")
        assert latest == rev2
    finally:
        reader.close()
