"""The worker's agent in memory: what it publishes, when it acknowledges, how it retries.

The agent iterates a ``noack`` stream, hands events to an internal queue and acks them, in
order, as their records are confirmed; faust's test wrapper drives that design as it is:
``put(..., wait=False)`` feeds the channel (``wait=True`` waits for a yielded value and this
agent yields none), and ``event.message.acked`` says whether the agent acknowledged an input.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from faust.types import EventT

from services.errors import InfrastructureError
from services.pipeline import ArticleProcessor, BatchResult, OnReady, PreparedBatch, RawMessage
from streams.app import Worker
from tests.support.builders import keyword_article as article
from tests.support.builders import make_processor
from tests.support.fakes import GatedEnricher, KeywordEnricher, MemoryStore
from tests.support.memory_app import Broker, running_agent
from tests.support.waiting import async_wait_until

MakeWorker = Callable[[ArticleProcessor], Worker]


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
    await async_wait_until(lambda: all(acked(events)))

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
    await async_wait_until(lambda: len(broker.sent) == 4)  # 2 enriched + 2 events, none acknowledged yet
    await asyncio.sleep(0.2)  # a wrong ack would happen meanwhile
    assert acked(events) == [False, False]
    assert sample(worker, "newswire_articles_processed_total", outcome="enriched") == 0

    broker.acknowledge_all()
    await async_wait_until(lambda: all(acked(events)))
    assert len(broker.sent) == 4  # published once


async def test_a_failed_send_retries_the_whole_batch_before_any_ack(
    worker: Worker, broker: Broker, agent: Any
) -> None:
    broker.fail_next = ConnectionError("broker went away")
    events = await put_all(agent, [article(1)])
    await async_wait_until(lambda: all(acked(events)))
    # First attempt: enriched (failed) + events; the retry sends both again.
    assert broker.kinds() == ["enriched", "events", "enriched", "events"]
    assert broker.sent[0][2] == broker.sent[2][2]  # the retry publishes identical bytes
    assert sample(worker, "newswire_dependency_retries_total", dependency="kafka") == 1


async def test_infrastructure_error_from_the_processor_means_retry_and_no_ack(
    make_worker: MakeWorker, store: MemoryStore
) -> None:
    real = make_processor(store)
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

    worker = make_worker(FlakyProcessor())  # type: ignore[arg-type]
    broker = Broker(worker)
    async with running_agent(worker) as agent:
        events = await put_all(agent, [article(1), b"{bad"])
        await async_wait_until(lambda: len(calls) >= 2)
        assert acked(events) == [False, False]
        assert broker.sent == []  # nothing is published, not even the DLQ record of the bad input
        assert sample(worker, "newswire_redis_up") == 0
        assert sample(worker, "newswire_ready") == 0

        await async_wait_until(lambda: all(acked(events)))
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
    await async_wait_until(
        lambda: sample(worker, "newswire_dependency_retries_total", dependency="redis") >= 5
    )
    assert acked(events) == [False, False]
    assert broker.sent == []


async def test_each_nlp_chunk_is_published_and_acked_while_the_next_is_still_parsed(
    make_worker: MakeWorker, store: MemoryStore
) -> None:
    enricher = GatedEnricher(hold={"a2"})
    worker = make_worker(make_processor(store, enricher, nlp_chunk_size=1))
    broker = Broker(worker)
    async with running_agent(worker) as agent:
        events = await put_all(agent, [article(1), article(2, "Japan met Peru.")])

        await async_wait_until(lambda: acked(events) == [True, False])
        assert [(kind, key) for kind, key, _ in broker.sent] == [("enriched", b"a1"), ("events", b"a1:ev1")]

        enricher.release.set()
        await async_wait_until(lambda: all(acked(events)))
    assert [key for kind, key, _ in broker.sent if kind == "enriched"] == [b"a1", b"a2"]
    assert sample(worker, "newswire_articles_processed_total", outcome="enriched") == 2


async def test_a_later_batch_uses_a_free_nlp_lane_but_is_acked_only_after_the_slow_one(
    make_worker: MakeWorker, store: MemoryStore
) -> None:
    enricher = GatedEnricher(hold={"a1"})
    worker = make_worker(make_processor(store, enricher, nlp_chunk_size=1))
    assert worker.resources.nlp_lanes == 2
    broker = Broker(worker)
    async with running_agent(worker) as agent:
        first = await put_all(agent, [article(1)])
        await async_wait_until(enricher.holding.is_set)
        second = await put_all(agent, [article(2, "Japan met Peru.")])

        # a2 did not queue behind a1: the other lane parsed it and its records went out.
        await async_wait_until(lambda: ("enriched", b"a2") in [(kind, key) for kind, key, _ in broker.sent])
        await asyncio.sleep(0.1)  # a wrong ack of a1 or a2 would happen meanwhile
        assert ("enriched", b"a1") not in [(kind, key) for kind, key, _ in broker.sent]
        assert acked(first + second) == [False, False]

        enricher.release.set()
        await async_wait_until(lambda: all(acked(first + second)))
    assert [key for kind, key, _ in broker.sent if kind == "enriched"] == [b"a2", b"a1"]


async def test_a_dead_letter_goes_out_at_once_but_is_acked_only_after_the_article_before_it(
    make_worker: MakeWorker, store: MemoryStore
) -> None:
    enricher = GatedEnricher(hold={"a1"})
    worker = make_worker(make_processor(store, enricher, nlp_chunk_size=1))
    broker = Broker(worker)
    async with running_agent(worker) as agent:
        events = await put_all(agent, [article(1), b"{bad"])

        await async_wait_until(lambda: broker.kinds() == ["dlq"])
        await asyncio.sleep(0.1)  # a wrong ack of the dead letter would happen meanwhile
        # Acking the later offset first could commit past the unpublished article.
        assert acked(events) == [False, False]

        enricher.release.set()
        await async_wait_until(lambda: all(acked(events)))
    assert broker.kinds() == ["dlq", "enriched", "events"]


async def test_a_failed_send_resends_only_what_the_broker_did_not_confirm(
    make_worker: MakeWorker, store: MemoryStore
) -> None:
    worker = make_worker(make_processor(store, KeywordEnricher(), nlp_chunk_size=1))
    broker = Broker(worker)
    broker.fail_at = (2, ConnectionError("broker went away"))  # a2's enriched record
    async with running_agent(worker) as agent:
        events = await put_all(agent, [article(1), article(2, "Japan met Peru.")])
        await async_wait_until(lambda: all(acked(events)))

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
        await async_wait_until(lambda events=events: all(acked(events)))

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
