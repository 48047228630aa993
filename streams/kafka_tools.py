"""kafka-python clients for the CLI tools (produce, tail, replay, topic admin) and the one
reader of the output topics that the demo, the benchmark and the tests share.

The worker itself uses Faust/aiokafka; these are small synchronous tools for scrapers,
operators and downstream developers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeAlias

import orjson
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from config.settings import Settings, mask_url
from streams import compat
from streams.waiting import wait_until


def bootstrap_servers(broker_url: str) -> list[str]:
    """``kafka://h1:9092;h2:9092`` (Faust's form) -> ``["h1:9092", "h2:9092"]``. User info in
    the URL is dropped: Kafka credentials are the SASL settings."""
    hosts = broker_url.split("://", 1)[-1].rpartition("@")[2]
    return [h.strip() for h in hosts.replace(",", ";").split(";") if h.strip()]


#: How long a tool's client waits for the broker's first answer before it gives up (kafka-python
#: waits 30 s by default, then raises): long enough for a slow network, short for a person
#: waiting at a prompt.
BOOTSTRAP_TIMEOUT_MS = 10_000


def client_options(settings: Settings) -> dict[str, Any]:
    """The kafka-python options every tool client shares: where the brokers are, how long to
    wait for them, and the security options of :class:`~config.settings.KafkaSecurity`."""
    return {
        "bootstrap_servers": bootstrap_servers(settings.broker_url),
        "bootstrap_timeout_ms": BOOTSTRAP_TIMEOUT_MS,
        **settings.kafka_security.client_options(),
    }


def create_topics(settings: Settings, names: Iterable[str] | None = None) -> list[str]:
    """Create the pipeline's topics if missing, with their configs
    (:meth:`~config.settings.Settings.topic_configs`); returns the names that were created."""
    return ensure_topics(settings, names).created


@dataclass
class TopicReport:
    """What :func:`ensure_topics` found and did."""

    created: list[str] = field(default_factory=list)
    #: Topic -> ``{config: (value on the broker, value newswire sets)}`` for existing topics
    #: whose configs differ (None: the broker does not report that config).
    differing: dict[str, dict[str, tuple[str | None, str]]] = field(default_factory=dict)
    updated: list[str] = field(default_factory=list)


def ensure_topics(
    settings: Settings, names: Iterable[str] | None = None, *, update_configs: bool = False
) -> TopicReport:
    """Create the missing topics with their partitions, replicas and configs; compare the
    configs of the topics that exist with newswire's, and with ``update_configs`` set the ones
    that differ (an incremental change: their other configs stay as they are)."""
    wanted = settings.topic_configs()
    names = list(names) if names is not None else settings.topics.all()
    report = TopicReport()
    admin = KafkaAdminClient(**client_options(settings), request_timeout_ms=15_000)
    try:
        existing = set(admin.list_topics())
        for name in names:
            if name in existing:
                continue
            new = NewTopic(
                name,
                num_partitions=settings.topic_partitions,
                replication_factor=settings.topic_replication_factor,
                topic_configs=wanted.get(name, {}),
            )
            try:
                admin.create_topics([new])
                report.created.append(name)
            except TopicAlreadyExistsError:
                existing.add(name)
            except KafkaError as exc:  # a refusal, not an absent broker: say which
                raise RuntimeError(f"the broker refused to create {name}: {exc}") from None
        present = [name for name in names if name in existing and name in wanted]
        if present:
            resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in present]
            described = admin.describe_configs(resources, config_filter="all")["topic"]
            for name in present:
                held = {key: entry.get("value") for key, entry in described.get(name, {}).items()}
                differ = {
                    key: (held.get(key), value)
                    for key, value in wanted[name].items()
                    if held.get(key) != value
                }
                if differ:
                    report.differing[name] = differ
        if update_configs and report.differing:
            changes = [
                ConfigResource(ConfigResourceType.TOPIC, name, {key: new for key, (_, new) in differ.items()})
                for name, differ in report.differing.items()
            ]
            results = admin.alter_configs(changes, raise_on_unknown=False).get("topic", {})
            for name in report.differing:
                if results.get(name) != "OK":
                    raise RuntimeError(f"the broker refused the configs of {name}: {results.get(name)}")
                report.updated.append(name)
    finally:
        admin.close()
    return report


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
    on_failure: Callable[[int, Exception], None] | None = None,
) -> tuple[int, int]:
    """Send ``(key, value[, headers])`` tuples and wait for every acknowledgement: (sent,
    failed). ``on_failure`` hears of each payload the broker did not acknowledge, by its index."""
    producer = make_producer(settings)
    sent = failed = 0
    futures: list[tuple[int, Any]] = []
    try:
        for index, (key, value, *rest) in enumerate(payloads):
            headers = list(rest[0]) if rest and rest[0] else None
            futures.append((index, producer.send(topic, key=key, value=value, headers=headers)))
            if len(futures) >= 500:
                s, f = _settle(futures, on_failure)
                sent, failed = sent + s, failed + f
                futures.clear()
                if progress:
                    progress(sent + failed)
        s, f = _settle(futures, on_failure)
        sent, failed = sent + s, failed + f
        if progress:
            progress(sent + failed)
    finally:
        producer.flush()
        producer.close()
    return sent, failed


def _settle(
    futures: list[tuple[int, Any]], on_failure: Callable[[int, Exception], None] | None
) -> tuple[int, int]:
    sent = failed = 0
    for index, future in futures:
        try:
            future.get(timeout=30)
            sent += 1
        except Exception as exc:
            failed += 1
            if on_failure is not None:
                on_failure(index, exc)
    return sent, failed


def consume(
    settings: Settings,
    topics: list[str],
    *,
    from_beginning: bool = True,
    idle_timeout: float | None = None,
    group_id: str | None = None,
) -> Iterator[Any]:
    """Yield kafka-python ConsumerRecords; stop after ``idle_timeout`` seconds of silence. A
    header name that is not UTF-8 comes as :class:`~streams.compat.UndecodedName` (bytes)."""
    compat.apply_tool_reader_patch()
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
    errors: list[Exception] = []

    def answers() -> bool:
        try:
            options = {**client_options(settings), "bootstrap_timeout_ms": 3_000}
            admin = KafkaAdminClient(**options, request_timeout_ms=3_000)
            admin.list_topics()
            admin.close()
            return True
        except Exception as exc:
            errors.append(exc)
            return False

    if not wait_until(answers, timeout, interval=0.3):
        raise TimeoutError(
            f"broker {mask_url(settings.broker_url)} not reachable: {errors[-1] if errors else ''}"
        )


@dataclass(frozen=True, slots=True)
class OutputMessage:
    """One record as the reader received it; ``seen_at`` is when it first became readable."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    #: None: a tombstone (an event a later revision retracted, docs/schemas.md).
    value: bytes | None
    #: The broker's timestamp of the record, in milliseconds.
    timestamp: int
    seen_at: float
    #: Kafka headers as ``(name, value)`` pairs.
    headers: tuple[tuple[str, bytes | None], ...] = ()

    def record(self) -> Any:
        """The decoded JSON record; None for a tombstone."""
        return None if self.value is None else orjson.loads(self.value)


class OutputReader:
    """Reads topics from their beginning in a background thread and keeps every record, with
    the moment it was read: the demo counts what came out, the benchmark times when each
    article's outcome became readable, the tests account for every input.

    ``fetch_wait_ms`` is how long the broker may hold a fetch that finds nothing: shorter sees
    records sooner and costs more CPU while idle. ``keep_values=False`` keeps everything but the
    record bytes (long benchmark runs)."""

    def __init__(
        self,
        settings: Settings,
        topics: Collection[str] | None = None,
        *,
        fetch_wait_ms: int = 200,
        keep_values: bool = True,
    ) -> None:
        self.topics = list(topics) if topics is not None else settings.topics.outputs()
        self.keep_values = keep_values
        self.messages: list[OutputMessage] = []
        #: The first record read under each key.
        self.first_by_key: dict[bytes | None, OutputMessage] = {}
        self.last_read_at = time.time()
        compat.apply_tool_reader_patch()
        self._consumer = KafkaConsumer(
            *self.topics,
            **client_options(settings),
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            fetch_max_wait_ms=fetch_wait_ms,
            max_partition_fetch_bytes=settings.max_message_bytes * 2,
            fetch_max_bytes=max(settings.max_message_bytes * 4, 52_428_800),
        )
        self._changed = threading.Condition()
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True, name="output-reader")
        self._thread.start()

    def _read(self) -> None:
        while not self._halt.is_set():
            batches = self._consumer.poll(timeout_ms=500)
            now = time.time()
            with self._changed:
                for records in batches.values():
                    for m in records:
                        message = OutputMessage(
                            m.topic,
                            m.partition,
                            m.offset,
                            m.key,
                            m.value,
                            m.timestamp,
                            now,
                            tuple(m.headers or ()),
                        )
                        if not self.keep_values:
                            message = replace(message, value=b"")
                        self.messages.append(message)
                        self.first_by_key.setdefault(m.key, message)
                        self.last_read_at = now
                # Woken after every poll, so waits on time (``quiet``) are re-checked too.
                self._changed.notify_all()

    def wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Block until ``condition`` (checked after every poll) holds; False on a timeout."""
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    def wait_for_count(self, count: int, topics: Collection[str] | None = None, timeout: float = 60) -> bool:
        return self.wait(lambda: self.count(topics) >= count, timeout)

    def wait_for_keys(self, keys: Iterable[bytes | None], timeout: float) -> bool:
        wanted = list(keys)
        return self.wait(lambda: all(k in self.first_by_key for k in wanted), timeout)

    def quiet(self, seconds: float, timeout: float = 60) -> bool:
        """Block until nothing new has been read for ``seconds`` (records still on their way
        to the broker when the awaited ones arrived are then read too)."""
        return self.wait(lambda: time.time() - self.last_read_at >= seconds, timeout)

    def count(self, topics: Collection[str] | None = None) -> int:
        if topics is None:
            return len(self.messages)
        return sum(1 for m in self.messages if m.topic in topics)

    def read(self, topic: str) -> list[OutputMessage]:
        """A copy of what was read from ``topic`` so far, in the order it was read."""
        with self._changed:
            return [m for m in self.messages if m.topic == topic]

    def records(self, topic: str) -> list[Any]:
        """The decoded records read from ``topic`` so far, tombstones left out."""
        return [m.record() for m in self.read(topic) if m.value is not None]

    def close(self) -> None:
        self._halt.set()
        self._thread.join(5)
        self._consumer.close()

    def __enter__(self) -> OutputReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
