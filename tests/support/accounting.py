"""What became of every input, read back from the output topics: each article id in exactly
one outcome topic, re-sends byte-identical, and the dedup decisions a stream's structure implies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from config.settings import Settings
from streams.kafka_tools import OutputMessage, OutputReader
from tests.support.traffic import Stream


@dataclass
class Accounting:
    outcomes: dict[str, set[str]]
    records: dict[str, dict[str, Any]]
    resent: int
    conflicting: list[str]
    #: Re-sent records per output topic.
    resent_by_topic: dict[str, int] = field(default_factory=dict)


class Outputs:
    """The output topics of one deployment, read from the beginning by the shared
    :class:`~streams.kafka_tools.OutputReader`, and the questions the scenarios ask of them."""

    def __init__(self, settings: Settings) -> None:
        self.topics = settings.topics
        #: Outcome topic -> what it says about an input.
        self.kinds = {
            self.topics.enriched: "unique",
            self.topics.duplicates: "duplicate",
            self.topics.dlq: "dlq",
        }
        self.reader = OutputReader(settings)

    @property
    def messages(self) -> list[OutputMessage]:
        return self.reader.messages

    def outcomes(self) -> list[OutputMessage]:
        return [m for m in self.reader.messages if m.topic in self.kinds]

    def outcome_ids(self) -> set[str]:
        return {identity(m) for m in self.outcomes()}

    def wait_for_ids(self, ids: Iterable[str], timeout: float, settle: float = 3.0) -> set[str]:
        """Wait until every id has an outcome, then until nothing new arrived for ``settle``
        seconds (so that extra records would be seen too); returns the ids still missing."""
        wanted = set(ids)
        if self.reader.wait(lambda: wanted <= self.outcome_ids(), timeout):
            self.reader.quiet(settle)
        return wanted - self.outcome_ids()

    def account(self) -> Accounting:
        """What became of each article id, and whether every re-sent record is byte-identical
        to the first record under its key, dead letters included (they carry the message's
        time)."""
        outcomes: dict[str, set[str]] = defaultdict(set)
        records: dict[str, dict[str, Any]] = {}
        by_key: dict[tuple[str, bytes | None], list[bytes | None]] = defaultdict(list)
        for m in list(self.reader.messages):
            by_key[(m.topic, m.key)].append(m.value)
            if m.topic in self.kinds:
                article_id = identity(m)
                outcomes[article_id].add(self.kinds[m.topic])
                records.setdefault(article_id, m.record())
        resent_by_topic: dict[str, int] = defaultdict(int)
        for (topic, _), values in by_key.items():
            resent_by_topic[topic] += len(values) - 1
        conflicting = [f"{t}:{k!r}" for (t, k), values in by_key.items() if len(set(values)) > 1]
        return Accounting(
            outcomes=dict(outcomes),
            records=records,
            resent=sum(resent_by_topic.values()),
            conflicting=conflicting,
            resent_by_topic=dict(resent_by_topic),
        )

    def close(self) -> None:
        self.reader.close()


def identity(m: OutputMessage) -> str:
    """The article id of an outcome record; a DLQ record of an article refused before it had
    an id carries the original payload, whose ``id`` field is used when it has one."""
    record = m.record()
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
