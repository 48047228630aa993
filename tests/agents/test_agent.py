"""The Faust agent in memory (faust's testing guide: ``agent.test_context()``), no broker,
no Redis, no model.

The agent iterates a ``noack`` stream, hands events to an internal queue and acks them, in
order, as their records are confirmed; faust's test wrapper drives that design as it is:
``put(..., wait=False)`` feeds the channel (``wait=True`` waits for a yielded value and this
agent yields none), and ``event.message.acked`` says whether the agent acknowledged an input.
The outbound edges are the topics' ``send`` (the broker) and ``worker.resources.processor``
(Redis + spaCy); each test fakes the broker edge with :class:`Broker` and either runs the real
``ArticleProcessor`` on the in-memory store and keyword enricher of
``tests/unit/test_processor.py``, or replaces the processor by a stub that fails.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import orjson
import pytest
from faust.types import EventT

from config.settings import Settings
from services.articles import Article
from services.enrichment import Enrichment
from services.errors import InfrastructureError, ProcessingFailed
from services.pipeline import BatchResult, OnReady, PreparedBatch, RawMessage
from streams.app import Worker, create_worker
from tests.unit.test_processor import KeywordEnricher, MemoryStore, make_processor

AGENT = "streams.app.process_articles"


class Broker:
    """Stands in for the producer: records each ``topic.send`` and returns its delivery future,
    resolved at once (``auto=True``) or when the test says so."""

    def __init__(self, worker: Worker) -> None:
        self.sent: list[tuple[str, bytes, bytes]] = []
        self.pending: list[asyncio.Future[Any]] = []
        self.auto = True
        self.fail_next: Exception | None = None
        #: Fail the send with this 0-based position among all sends, once.
        self.fail_at: tuple[int, Exception] | None = None
        for kind, topic in worker.topics.items():
            topic.send = self._sender(kind)  # type: ignore[method-assign]

    def _sender(self, kind: str) -> Callable[..., Any]:
        async def send(*, key: bytes, value: bytes, **_: Any) -> asyncio.Future[Any]:
            self.sent.append((kind, key, value))
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            if self.fail_at is not None and self.fail_at[0] == len(self.sent) - 1:
                future.set_exception(self.fail_at[1])
                self.fail_at = None
            elif self.fail_next is not None:
                future.set_exception(self.fail_next)
                self.fail_next = None
            elif self.auto:
                future.set_result(None)
            else:
                self.pending.append(future)
            return future

        return send

    def acknowledge_all(self) -> None:
        for future in self.pending:
            future.set_result(None)
        self.pending.clear()

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.sent]


def article(n: int, body: str = "Japan met Korea in Seoul.") -> bytes:
    return orjson.dumps({"id": f"a{n}", "url": f"https://x.example/{n}", "body": body})


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def worker(store: MemoryStore) -> Worker:
    settings = Settings(
        broker_url="kafka://127.0.0.1:9",
        redis_url="redis://127.0.0.1:9/0",  # never contacted
        nlp_batch_size=8,
        nlp_processes=2,  # two NLP lanes; the tests give the processor an in-process enricher
        batch_within_seconds=0.05,
        retry_initial_seconds=0.01,
        retry_max_seconds=0.02,
    )
    worker = create_worker(settings)
    worker.app.finalize()
    worker.app.conf.store = "memory://"
    worker.app.flow_control.resume()
    worker.resources.processor = make_processor(store)
    # What Resources.on_start does with the real model and Redis.
    worker.resources.model_loaded.set()
    worker.resources.set_redis_state(True)
    return worker


@pytest.fixture
def broker(worker: Worker) -> Broker:
    return Broker(worker)


@pytest.fixture
async def agent(worker: Worker) -> AsyncIterator[Any]:
    async with worker.app.agents[AGENT].test_context() as test_agent:
        yield test_agent


async def put_all(agent: Any, values: Sequence[bytes]) -> list[EventT]:
    return [await agent.put(value, key=None, wait=False) for value in values]


def acked(events: Sequence[EventT]) -> list[bool]:
    return [bool(e.message.acked) for e in events]


def sample(worker: Worker, name: str, **labels: str) -> float:
    value = worker.metrics.registry.get_sample_value(name, labels or None)
    return 0.0 if value is None else value


async def test_a_batch_sends_each_record_to_its_topic_then_acks_every_input(
    worker: Worker, broker: Broker, agent: Any
) -> None:
    events = await put_all(agent, [article(1), b"{bad", article(2), article(3, "Japan met Chile.")])
    await until(lambda: all(acked(events)))

    # Dead letters and duplicates are final before any NLP runs, so they go out first.
    assert broker.kinds() == ["dlq", "duplicates", "enriched", "events", "enriched", "events"]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for kind, key, value in broker.sent:
        record = orjson.loads(value)
        by_kind.setdefault(kind, []).append(record)
        expected_key = record.get("id") if kind == "events" else record.get("article_id")
        if kind != "dlq":
            assert key == expected_key.encode()
    assert [r["schema"] for r in by_kind["enriched"]] == ["newswire.enriched/1"] * 2
    assert by_kind["duplicates"][0]["dedup"]["duplicate_of"] == "a1"
    assert by_kind["dlq"][0]["error"]["type"] == "invalid_json"
    assert by_kind["dlq"][0]["source"]["offset"] == events[1].message.offset
    assert sample(worker, "newswire_articles_processed_total", outcome="enriched") == 2
    assert sample(worker, "newswire_records_published_total", topic="events") == 2


async def test_inputs_are_acked_only_after_the_broker_acknowledged_every_send(
    worker: Worker, broker: Broker, agent: Any
) -> None:
    broker.auto = False
    events = await put_all(agent, [article(1), article(2, "Japan met Peru.")])
    await until(lambda: len(broker.sent) == 4)  # 2 enriched + 2 events, none acknowledged yet
    await asyncio.sleep(0.2)
    assert acked(events) == [False, False]
    assert sample(worker, "newswire_articles_processed_total", outcome="enriched") == 0

    broker.acknowledge_all()
    await until(lambda: all(acked(events)))
    assert len(broker.sent) == 4  # published once


async def test_a_failed_send_retries_the_whole_batch_before_any_ack(
    worker: Worker, broker: Broker, agent: Any
) -> None:
    broker.fail_next = ConnectionError("broker went away")
    events = await put_all(agent, [article(1)])
    await until(lambda: all(acked(events)))
    # First attempt: enriched (failed) + events; the retry sends both again.
    assert broker.kinds() == ["enriched", "events", "enriched", "events"]
    assert broker.sent[0][2] == broker.sent[2][2]  # the retry publishes identical bytes
    assert sample(worker, "newswire_dependency_retries_total", dependency="kafka") == 1


async def test_infrastructure_error_from_the_processor_means_retry_and_no_ack(
    worker: Worker, broker: Broker, agent: Any
) -> None:
    real = worker.resources.processor
    assert real is not None
    outage = {"left": 3}
    calls: list[Sequence[RawMessage]] = []

    class FlakyProcessor:
        """Redis is down for the first three attempts, then the real processor runs."""

        def prepare(self, messages: Sequence[RawMessage], lanes: int = 1) -> PreparedBatch:
            calls.append(messages)
            if outage["left"]:
                outage["left"] -= 1
                raise InfrastructureError("redis", "connection refused")
            return real.prepare(messages, lanes)

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def process_isolated(
            self, messages: Sequence[RawMessage], on_ready: OnReady | None = None
        ) -> BatchResult:
            raise AssertionError("an infrastructure error must not isolate or dead-letter the batch")

    worker.resources.processor = FlakyProcessor()  # type: ignore[assignment]
    events = await put_all(agent, [article(1), b"{bad"])
    await until(lambda: len(calls) >= 2)
    assert acked(events) == [False, False]
    assert broker.sent == []  # nothing is published, not even the DLQ record of the bad input
    assert sample(worker, "newswire_redis_up") == 0
    assert sample(worker, "newswire_ready") == 0

    await until(lambda: all(acked(events)))
    assert len(calls) == 4 and all(c == calls[0] for c in calls)  # the same batch each time
    assert [m.offset for m in calls[0]] == [e.message.offset for e in events]
    assert broker.kinds() == ["dlq", "enriched", "events"]
    assert sample(worker, "newswire_dependency_retries_total", dependency="redis") == 3
    assert sample(worker, "newswire_redis_errors_total") == 3
    assert sample(worker, "newswire_redis_up") == 1
    assert sample(worker, "newswire_ready") == 1


async def test_a_redis_outage_that_does_not_end_never_acks(
    worker: Worker, broker: Broker, agent: Any, store: MemoryStore
) -> None:
    store.down = True  # the real processor, with its store raising InfrastructureError
    events = await put_all(agent, [article(1), article(2, "Japan met Peru.")])
    await until(lambda: sample(worker, "newswire_dependency_retries_total", dependency="redis") >= 5)
    assert acked(events) == [False, False]
    assert broker.sent == []


class GatedEnricher(KeywordEnricher):
    """The keyword enricher, but each article named in ``hold`` waits for ``release``:
    a slow NLP chunk the test can observe from the event loop."""

    def __init__(self, hold: set[str]) -> None:
        self.hold = hold
        self.release = threading.Event()
        self.holding = threading.Event()

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        if any(a.article_id in self.hold for a in articles):
            self.holding.set()
            assert self.release.wait(10), "test never released the enricher"
        return super().enrich(articles)


async def test_each_nlp_chunk_is_published_and_acked_while_the_next_is_still_parsed(
    worker: Worker, broker: Broker, agent: Any, store: MemoryStore
) -> None:
    enricher = GatedEnricher(hold={"a2"})
    worker.resources.processor = make_processor(store, enricher, nlp_chunk_size=1)
    events = await put_all(agent, [article(1), article(2, "Japan met Peru.")])

    await until(lambda: acked(events) == [True, False])
    assert [(kind, key) for kind, key, _ in broker.sent] == [("enriched", b"a1"), ("events", b"a1:ev1")]

    enricher.release.set()
    await until(lambda: all(acked(events)))
    assert [key for kind, key, _ in broker.sent if kind == "enriched"] == [b"a1", b"a2"]
    assert sample(worker, "newswire_articles_processed_total", outcome="enriched") == 2


async def test_a_later_batch_uses_a_free_nlp_lane_but_is_acked_only_after_the_slow_one(
    worker: Worker, broker: Broker, agent: Any, store: MemoryStore
) -> None:
    assert worker.resources.nlp_lanes == 2
    enricher = GatedEnricher(hold={"a1"})
    worker.resources.processor = make_processor(store, enricher, nlp_chunk_size=1)
    first = await put_all(agent, [article(1)])
    await until(enricher.holding.is_set)
    second = await put_all(agent, [article(2, "Japan met Peru.")])

    # a2 did not queue behind a1: the other lane parsed it and its records went out.
    await until(lambda: ("enriched", b"a2") in [(kind, key) for kind, key, _ in broker.sent])
    await asyncio.sleep(0.1)
    assert ("enriched", b"a1") not in [(kind, key) for kind, key, _ in broker.sent]
    assert acked(first + second) == [False, False]

    enricher.release.set()
    await until(lambda: all(acked(first + second)))
    assert [key for kind, key, _ in broker.sent if kind == "enriched"] == [b"a2", b"a1"]


async def test_a_dead_letter_goes_out_at_once_but_is_acked_only_after_the_article_before_it(
    worker: Worker, broker: Broker, agent: Any, store: MemoryStore
) -> None:
    enricher = GatedEnricher(hold={"a1"})
    worker.resources.processor = make_processor(store, enricher, nlp_chunk_size=1)
    events = await put_all(agent, [article(1), b"{bad"])

    await until(lambda: broker.kinds() == ["dlq"])
    await asyncio.sleep(0.1)
    # Acking the later offset first could commit past the unpublished article.
    assert acked(events) == [False, False]

    enricher.release.set()
    await until(lambda: all(acked(events)))
    assert broker.kinds() == ["dlq", "enriched", "events"]


async def test_a_failed_send_resends_only_what_the_broker_did_not_confirm(
    worker: Worker, broker: Broker, agent: Any, store: MemoryStore
) -> None:
    worker.resources.processor = make_processor(store, KeywordEnricher(), nlp_chunk_size=1)
    broker.fail_at = (2, ConnectionError("broker went away"))  # a2's enriched record
    events = await put_all(agent, [article(1), article(2, "Japan met Peru.")])
    await until(lambda: all(acked(events)))

    sends = [(kind, key) for kind, key, _ in broker.sent]
    assert sends.count(("enriched", b"a1")) == 1  # confirmed the first time: not sent again
    assert sends.count(("enriched", b"a2")) == 2
    a2 = [value for kind, key, value in broker.sent if (kind, key) == ("enriched", b"a2")]
    assert a2[0] == a2[1]  # the retry publishes identical bytes
    assert sample(worker, "newswire_dependency_retries_total", dependency="kafka") == 1
    assert sample(worker, "newswire_articles_processed_total", outcome="enriched") == 2


async def test_a_correction_goes_out_with_a_tombstone_and_an_identical_resend_as_a_duplicate(
    worker: Worker, broker: Broker, agent: Any
) -> None:
    for value in (
        article(1),
        article(1, "Japan spoke to Korea in Seoul."),
        article(1, "Japan spoke to Korea in Seoul."),
    ):
        events = await put_all(agent, [value])
        await until(lambda events=events: all(acked(events)))

    assert [(kind, key, value is None) for kind, key, value in broker.sent] == [
        ("enriched", b"a1", False),
        ("events", b"a1:ev1", False),
        ("enriched", b"a1", False),  # revision 2: no meeting any more
        ("events", b"a1:ev1", True),  # its event retracted: a null value is a tombstone
        ("duplicates", b"a1", False),  # the identical re-send
    ]
    revision = orjson.loads(broker.sent[2][2])["revision"]
    assert (revision["number"], revision["retracted_events"]) == (2, ["a1:ev1"])
    assert orjson.loads(broker.sent[4][2])["dedup"]["duplicate_of"] == "a1"
    assert sample(worker, "newswire_records_published_total", topic="events") == 2
    assert sample(worker, "newswire_articles_processed_total", outcome="enriched") == 2
