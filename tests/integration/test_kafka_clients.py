"""Other Kafka clients against the broker the tests (and ``newswire demo``) run: librdkafka,
through confluent-kafka's wheel (librdkafka >= 2.2), produces to and consumes from it, and
``newswire tail`` reads what it produced. (Debian's kcat bundles librdkafka 2.0.2, which fails
the handshake with Tansu: README, "Known limits".)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
from confluent_kafka import Consumer, KafkaError, Producer, libversion

from config.settings import Settings
from streams.kafka_tools import bootstrap_servers, create_topics, wait_for_broker
from streams.waiting import wait_until
from tests.support.commands import run_newswire, settings_env

pytestmark = pytest.mark.integration


@pytest.fixture
def topics_ready(stack_settings: Settings) -> Iterator[Settings]:
    wait_for_broker(stack_settings)
    create_topics(stack_settings)
    yield stack_settings


def produce_with_librdkafka(
    settings: Settings, topic: str, records: list[dict[str, Any]]
) -> list[tuple[int, int]]:
    """Send ``records`` as JSON, keyed by their ``id``, with a header; their (partition, offset)."""
    producer = Producer({"bootstrap.servers": ",".join(bootstrap_servers(settings.broker_url))})
    delivered: list[tuple[int, int]] = []
    errors: list[KafkaError] = []

    def report(error: KafkaError | None, message: object) -> None:
        if error is not None:
            errors.append(error)
        else:
            delivered.append((message.partition(), message.offset()))  # type: ignore[attr-defined]

    for record in records:
        producer.produce(
            topic,
            key=record["id"].encode(),
            value=orjson.dumps(record),
            headers=[("scraper", b"librdkafka")],
            on_delivery=report,
        )
    assert producer.flush(30) == 0 and not errors, errors
    return delivered


def test_librdkafka_produces_to_and_consumes_from_the_test_broker(
    topics_ready: Settings, article_factory: Callable[..., dict[str, Any]]
) -> None:
    settings = topics_ready
    assert tuple(int(p) for p in libversion()[0].split(".")[:2]) >= (2, 2)
    records = [article_factory() for _ in range(3)]
    assert len(produce_with_librdkafka(settings, settings.topics.raw, records)) == 3

    consumer = Consumer(
        {
            "bootstrap.servers": ",".join(bootstrap_servers(settings.broker_url)),
            "group.id": f"{settings.consumer_group}-librdkafka",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([settings.topics.raw])
    received: list[tuple[bytes, dict[str, Any], list[tuple[str, bytes]]]] = []

    def read_one() -> bool:
        message = consumer.poll(0.5)
        if message is not None and message.error() is None:
            received.append((message.key(), orjson.loads(message.value()), message.headers()))
        return len(received) == len(records)

    try:
        assert wait_until(read_one, 60, interval=0), f"read {len(received)} of {len(records)}"
    finally:
        consumer.close()
    assert sorted(r[0] for r in received) == sorted(r["id"].encode() for r in records)
    assert {r[1]["id"] for r in received} == {r["id"] for r in records}
    assert all(r[2] == [("scraper", b"librdkafka")] for r in received)


def test_newswire_tail_reads_what_librdkafka_produced(
    topics_ready: Settings, article_factory: Callable[..., dict[str, Any]]
) -> None:
    settings = topics_ready
    records = [article_factory() for _ in range(2)]
    produce_with_librdkafka(settings, settings.topics.raw, records)
    tail = run_newswire(
        "tail",
        "raw",
        "--from-beginning",
        "--json",
        "--max",
        "2",
        "--idle-timeout",
        "10",
        env=settings_env(settings),
    )
    assert tail.returncode == 0, tail.stderr
    assert sorted(orjson.loads(line)["id"] for line in tail.stdout.splitlines()) == sorted(
        r["id"] for r in records
    )
