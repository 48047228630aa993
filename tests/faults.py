"""Helpers for the fault-injection and hostile-input tests: article streams with a known
duplicate structure, a reader that accounts for every output record, and /metrics scraping."""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from kafka import KafkaConsumer
from prometheus_client.parser import text_string_to_metric_families

from config.settings import Settings
from streams.devstack import WorkerProcess
from streams.kafka_tools import client_options, produce_payloads

_VOCABULARY = [
    "harbour",
    "budget",
    "senate",
    "drought",
    "railway",
    "tariff",
    "vaccine",
    "election",
    "pipeline",
    "refinery",
    "glacier",
    "province",
    "satellite",
    "festival",
    "coalition",
    "embassy",
    "treaty",
    "bridge",
    "wildfire",
    "monsoon",
    "airport",
    "quarry",
    "lawsuit",
    "stadium",
    "merger",
    "reactor",
    "copper",
    "wheat",
    "ferry",
    "subsidy",
    "border",
    "pension",
    "census",
    "clinic",
    "orchard",
    "tunnel",
    "verdict",
    "canal",
    "uranium",
    "council",
    "ballot",
    "cargo",
    "vineyard",
    "curfew",
    "strike",
    "dividend",
    "frigate",
    "ministry",
    "charter",
    "reservoir",
    "audit",
    "corridor",
    "lithium",
    "harvest",
    "parliament",
    "summit",
    "militia",
    "pledge",
    "mining",
    "bauxite",
    "cotton",
    "shipyard",
    "quota",
    "insurer",
    "aquifer",
    "runway",
    "cable",
    "bakery",
    "textile",
    "lagoon",
    "barley",
    "tariffs",
    "patrol",
    "dockers",
    "nurses",
    "teachers",
    "farmers",
    "miners",
    "pilots",
]
_ACTORS = (
    ("France", "Paris"),
    ("Germany", "Berlin"),
    ("Japan", "Tokyo"),
    ("Kenya", "Nairobi"),
    ("Brazil", "Brasilia"),
    ("India", "New Delhi"),
    ("Canada", "Ottawa"),
    ("Egypt", "Cairo"),
)


def short_article(run: str, n: int, rng: random.Random) -> dict[str, Any]:
    """A ~45-word article whose word bigrams overlap no other article's (so it is unique)."""
    (a, city), (b, _) = rng.sample(_ACTORS, 2)
    filler = " ".join(rng.choice(_VOCABULARY) for _ in range(30))
    return {
        "id": f"{run}-{n}",
        "url": f"https://wire.example.com/{run}/{n}",
        "title": f"{a} and {b} hold talks ({n})",
        "body": f"Officials from {a} met counterparts from {b} in {city} on Monday. {filler}. "
        f"Item {run} {n}.",
        "source": "wire.example.com",
        "published_at": "2026-03-02T09:15:00Z",
    }


@dataclass
class Stream:
    """Payloads to produce and what each must become: ``expected[id]`` is ``"unique"``,
    ``"exact_duplicate"`` or ``"dlq"``; ``copy_of[id]`` is the original a copy repeats."""

    payloads: list[tuple[bytes | None, bytes]] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)
    copy_of: dict[str, str] = field(default_factory=dict)


def article_stream(
    run: str, count: int, *, copy_every: int = 10, bad_every: int = 0, seed: int = 1
) -> Stream:
    """``count`` short articles: every ``copy_every``-th re-posts an earlier article's body under
    a new id and URL (an exact duplicate); every ``bad_every``-th is an invalid article (DLQ)
    that still carries an id, so every input can be accounted for by id."""
    rng = random.Random(seed)
    stream = Stream()
    originals: list[dict[str, Any]] = []
    for n in range(count):
        if bad_every and n % bad_every == bad_every - 1:
            article = {"id": f"{run}-{n}", "url": f"javascript:alert({n})", "body": "Bad URL."}
            stream.expected[article["id"]] = "dlq"
        elif copy_every and n % copy_every == copy_every - 1 and originals:
            source = rng.choice(originals)
            article = dict(
                source,
                id=f"{run}-{n}",
                url=f"https://copies.example.net/{run}/{n}",
                source="copies.example.net",
            )
            stream.expected[article["id"]] = "exact_duplicate"
            stream.copy_of[article["id"]] = source["id"]
        else:
            article = short_article(run, n, rng)
            originals.append(article)
            stream.expected[article["id"]] = "unique"
        stream.payloads.append((article["id"].encode(), orjson.dumps(article)))
    return stream


@dataclass(frozen=True)
class Output:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes | None], ...] = ()

    @property
    def record(self) -> dict[str, Any]:
        return orjson.loads(self.value)  # type: ignore[no-any-return]


class OutputReader:
    """Reads every output topic from the beginning and keeps everything it saw."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.topics = settings.topics
        self.messages: list[Output] = []
        self._consumer = KafkaConsumer(
            *self.topics.outputs(),
            **client_options(settings),
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            max_partition_fetch_bytes=64 * 1024 * 1024,
            fetch_max_bytes=128 * 1024 * 1024,
        )

    def poll(self, seconds: float = 1.0) -> int:
        got = 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            batches = self._consumer.poll(timeout_ms=200)
            for records in batches.values():
                for m in records:
                    headers = tuple(m.headers or ())
                    self.messages.append(Output(m.topic, m.partition, m.offset, m.key, m.value, headers))
                    got += 1
        return got

    def outcomes(self) -> list[Output]:
        wanted = {self.topics.enriched, self.topics.duplicates, self.topics.dlq}
        return [m for m in self.messages if m.topic in wanted]

    def outcome_ids(self) -> set[str]:
        return {_identity(m) for m in self.outcomes()}

    def wait_for_ids(self, ids: Iterable[str], timeout: float, settle: float = 3.0) -> set[str]:
        """Poll until every id has an outcome (then a little longer, so that extra records
        would be seen too); returns the ids still missing."""
        wanted = set(ids)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.poll(1.0)
            if wanted <= self.outcome_ids():
                self.poll(settle)
                break
        return wanted - self.outcome_ids()

    def close(self) -> None:
        self._consumer.close()


def _identity(m: Output) -> str:
    """The article id of an outcome record; a DLQ record of an article refused before it had
    an id carries the original payload, whose ``id`` field is used when it has one."""
    record = m.record
    if record.get("article_id"):
        return str(record["article_id"])
    payload = record.get("payload")
    if record.get("payload_encoding") == "utf-8" and isinstance(payload, str):
        try:
            fields = orjson.loads(payload)
        except orjson.JSONDecodeError:
            fields = None
        if isinstance(fields, dict) and isinstance(fields.get("id"), str):
            return fields["id"]
    return f"payload:{payload}"


@dataclass
class Accounting:
    outcomes: dict[str, set[str]]
    records: dict[str, dict[str, Any]]
    resent: int
    conflicting: list[str]
    #: Re-sent records per output topic.
    resent_by_topic: dict[str, int] = field(default_factory=dict)


def account(reader: OutputReader) -> Accounting:
    """What became of each article id, and whether every re-sent record is byte-identical to
    the first record under its key, dead letters included (they carry the message's time)."""
    topics = reader.topics
    kinds = {topics.enriched: "unique", topics.duplicates: "duplicate", topics.dlq: "dlq"}
    outcomes: dict[str, set[str]] = defaultdict(set)
    records: dict[str, dict[str, Any]] = {}
    by_key: dict[tuple[str, bytes | None], list[bytes]] = defaultdict(list)
    for m in reader.messages:
        by_key[(m.topic, m.key)].append(m.value)
        if m.topic in kinds:
            identity = _identity(m)
            outcomes[identity].add(kinds[m.topic])
            records.setdefault(identity, m.record)
    resent = sum(len(v) - 1 for v in by_key.values())
    resent_by_topic: dict[str, int] = defaultdict(int)
    for (topic, _), values in by_key.items():
        resent_by_topic[topic] += len(values) - 1
    conflicting = [f"{t}:{k!r}" for (t, k), values in by_key.items() if len(set(values)) > 1]
    return Accounting(
        outcomes=dict(outcomes),
        records=records,
        resent=resent,
        conflicting=conflicting,
        resent_by_topic=dict(resent_by_topic),
    )


def check_stream_accounted(stream: Stream, acc: Accounting) -> None:
    """Every article in exactly one outcome topic, identical re-sends only, and the dedup
    decisions the stream's structure implies: of an original and its copies exactly one is
    enriched (whichever was processed first: they may sit on different partitions) and the
    others are exact duplicates of it."""
    missing = [i for i in stream.expected if i not in acc.outcomes]
    assert not missing, f"{len(missing)} articles have no outcome, e.g. {missing[:5]}"
    several = {i: o for i, o in acc.outcomes.items() if len(o) > 1}
    assert not several, f"articles with more than one outcome: {list(several.items())[:5]}"
    assert not acc.conflicting, f"re-sent records that differ: {acc.conflicting[:5]}"
    groups: dict[str, list[str]] = defaultdict(list)
    for article_id, want in stream.expected.items():
        record = acc.records[article_id]
        if want == "dlq":
            assert record["schema"] == "newswire.dlq/1", article_id
        else:
            groups[stream.copy_of.get(article_id, article_id)].append(article_id)
    for members in groups.values():
        statuses = {m: acc.records[m]["dedup"]["status"] for m in members}
        firsts = [m for m, status in statuses.items() if status == "unique"]
        assert len(firsts) == 1, f"copies of one story need exactly one unique: {statuses}"
        for m in members:
            if m != firsts[0]:
                assert statuses[m] == "exact_duplicate", (m, statuses)
                assert acc.records[m]["dedup"]["duplicate_of"] == firsts[0], m


# --------------------------------------------------------------------------- worker helpers
def metrics(worker: WorkerProcess) -> dict[str, float]:
    """``name{label="v",...}`` -> value from the worker's /metrics (empty if unreachable)."""
    status, body = worker.http_get("/metrics")
    if status != 200:
        return {}
    out: dict[str, float] = {}
    for family in text_string_to_metric_families(body.decode("utf-8")):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            out[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return out


def processed(worker: WorkerProcess) -> float:
    """Raw messages this worker process finished (any outcome)."""
    return sum(v for k, v in metrics(worker).items() if k.startswith("newswire_articles_processed_total"))


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


class BackgroundProducer(threading.Thread):
    """Produces payloads in chunks at a steady rate, so a fault lands in the middle of a stream;
    failed sends are retried until they succeed (the broker may be down for a while)."""

    def __init__(
        self,
        settings: Settings,
        payloads: list[tuple[bytes | None, bytes]],
        per_second: float,
        chunk: int = 20,
    ) -> None:
        super().__init__(daemon=True)
        self.settings = settings
        self.payloads = payloads
        self.interval = chunk / per_second
        self.chunk = chunk
        self.sent = 0
        self.errors: list[str] = []

    def run(self) -> None:
        topic = self.settings.topics.raw
        for start in range(0, len(self.payloads), self.chunk):
            part = self.payloads[start : start + self.chunk]
            started = time.monotonic()
            sent, failed = produce_payloads(self.settings, topic, part)
            if failed:
                self.errors.append(f"{failed} of chunk at {start} failed")
            self.sent += sent
            time.sleep(max(0.0, self.interval - (time.monotonic() - started)))
