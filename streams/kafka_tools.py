"""kafka-python clients for the CLI tools (produce, tail, replay, topic admin).

The worker itself uses Faust/aiokafka; these are small synchronous tools for scrapers,
operators and downstream developers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeAlias

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from config.settings import Settings, mask_url


def bootstrap_servers(broker_url: str) -> list[str]:
    """``kafka://h1:9092;h2:9092`` (Faust's form) -> ``["h1:9092", "h2:9092"]``. User info in
    the URL is dropped: Kafka credentials are the SASL settings."""
    hosts = broker_url.split("://", 1)[-1].rpartition("@")[2]
    return [h.strip() for h in hosts.replace(",", ";").split(";") if h.strip()]


def client_options(settings: Settings) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers(settings.broker_url),
        "security_protocol": settings.kafka_security_protocol,
    }
    if settings.kafka_security_protocol.startswith("SASL"):
        options["sasl_mechanism"] = settings.kafka_sasl_mechanism
        options["sasl_plain_username"] = settings.kafka_sasl_username
        if settings.kafka_sasl_password:
            options["sasl_plain_password"] = settings.kafka_sasl_password.get_secret_value()
    if settings.kafka_security_protocol.endswith("SSL"):
        options["ssl_cafile"] = settings.kafka_ssl_cafile
        options["ssl_certfile"] = settings.kafka_ssl_certfile
        options["ssl_keyfile"] = settings.kafka_ssl_keyfile
    return options


def create_topics(settings: Settings, names: Iterable[str] | None = None) -> list[str]:
    """Create the pipeline's topics if missing; returns the names that were created."""
    admin = KafkaAdminClient(**client_options(settings), request_timeout_ms=15_000)
    created = []
    try:
        existing = set(admin.list_topics())
        for name in names or settings.topics.all():
            if name in existing:
                continue
            try:
                admin.create_topics(
                    [NewTopic(name, num_partitions=settings.topic_partitions, replication_factor=1)]
                )
                created.append(name)
            except TopicAlreadyExistsError:
                pass
    finally:
        admin.close()
    return created


def make_producer(settings: Settings, **overrides: Any) -> KafkaProducer:
    options = {
        **client_options(settings),
        "acks": "all",
        "linger_ms": 5,
        "max_request_size": settings.max_message_bytes * 2,
        "retries": 5,
    }
    options.update(overrides)
    return KafkaProducer(**options)


#: ``(key, value)``, or ``(key, value, headers)`` with Kafka headers as ``(name, value)`` pairs.
Payload: TypeAlias = (
    tuple[bytes | None, bytes] | tuple[bytes | None, bytes, Sequence[tuple[str, bytes | None]]]
)


def produce_payloads(
    settings: Settings,
    topic: str,
    payloads: Iterable[Payload],
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Send ``(key, value[, headers])`` tuples and wait for every acknowledgement: (sent, failed)."""
    producer = make_producer(settings)
    sent = failed = 0
    futures = []
    try:
        for key, value, *rest in payloads:
            headers = list(rest[0]) if rest and rest[0] else None
            futures.append(producer.send(topic, key=key, value=value, headers=headers))
            if len(futures) >= 500:
                s, f = _settle(futures)
                sent, failed = sent + s, failed + f
                futures.clear()
                if progress:
                    progress(sent + failed)
        s, f = _settle(futures)
        sent, failed = sent + s, failed + f
        if progress:
            progress(sent + failed)
    finally:
        producer.flush()
        producer.close()
    return sent, failed


def _settle(futures: list[Any]) -> tuple[int, int]:
    sent = failed = 0
    for future in futures:
        try:
            future.get(timeout=30)
            sent += 1
        except Exception:
            failed += 1
    return sent, failed


def consume(
    settings: Settings,
    topics: list[str],
    *,
    from_beginning: bool = True,
    idle_timeout: float | None = None,
    group_id: str | None = None,
) -> Iterator[Any]:
    """Yield kafka-python ConsumerRecords; stop after ``idle_timeout`` seconds of silence."""
    consumer = KafkaConsumer(
        *topics,
        **client_options(settings),
        group_id=group_id,
        auto_offset_reset="earliest" if from_beginning else "latest",
        enable_auto_commit=group_id is not None,
        consumer_timeout_ms=int(idle_timeout * 1000) if idle_timeout else float("inf"),
        max_partition_fetch_bytes=settings.max_message_bytes * 2,
        fetch_max_bytes=max(settings.max_message_bytes * 4, 52_428_800),
    )
    try:
        yield from consumer
    finally:
        consumer.close()


def wait_for_broker(settings: Settings, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            admin = KafkaAdminClient(**client_options(settings), request_timeout_ms=3_000)
            admin.list_topics()
            admin.close()
            return
        except Exception as exc:
            last = exc
            time.sleep(0.3)
    raise TimeoutError(f"broker {mask_url(settings.broker_url)} not reachable: {last}")
