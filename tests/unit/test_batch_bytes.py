"""The worker holds a bounded number of bytes of input, not only a bounded number of messages:
a backlog of large messages that are refused in a millisecond each (and whose dead-letter
records carry the payload again) must not fill every batch slot at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest

from config.settings import Settings
from streams import batching
from streams.batching import BatchLoop, ByteBudget, message_bytes


def event(size: int, key: bytes | None = None) -> Any:
    return SimpleNamespace(message=SimpleNamespace(value=b"x" * size, key=key, tp=("raw", 0), timestamp=1.0))


async def test_a_take_that_would_pass_the_limit_waits_for_bytes_given_back() -> None:
    budget = ByteBudget(100)
    await budget.take(60)
    second = asyncio.ensure_future(budget.take(60))
    await asyncio.sleep(0.01)
    assert not second.done()
    budget.give_back(60)
    await asyncio.wait_for(second, 1)
    assert budget.held == 60


async def test_a_message_larger_than_the_budget_is_taken_alone() -> None:
    budget = ByteBudget(100)
    await asyncio.wait_for(budget.take(500), 1)  # nothing held: it goes
    small = asyncio.ensure_future(budget.take(1))
    await asyncio.sleep(0.01)
    assert not small.done()  # nothing joins it
    budget.give_back(500)
    await asyncio.wait_for(small, 1)


def test_a_message_counts_its_key_and_value() -> None:
    assert message_bytes(event(1000, key=b"abc")) == 1003
    assert message_bytes(SimpleNamespace(message=SimpleNamespace(value=None, key=None))) == 0


class FakeStream:
    def __init__(self, events: list[Any]) -> None:
        self.events_left = list(events)
        self.taken = 0

    def noack(self) -> FakeStream:
        return self

    async def events(self) -> AsyncIterator[Any]:
        while self.events_left:
            self.taken += 1
            yield self.events_left.pop(0)
        await asyncio.Event().wait()  # a live stream: nothing more, for now


async def test_the_worker_stops_taking_messages_while_their_bytes_fill_the_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(
        max_held_bytes=3_000, nlp_batch_size=1, max_batch_messages=1, batch_within_seconds=0.001
    )
    resources = SimpleNamespace(
        settings=settings,
        metrics=SimpleNamespace(consumed=SimpleNamespace(inc=lambda: None)),
        model_loaded=asyncio.Event(),
        nlp_lanes=2,
        stopping=False,
    )
    resources.model_loaded.set()
    gate = asyncio.Event()
    finished: list[int] = []

    async def process_until_gate(resources: Any, publisher: Any, parsed: Any) -> None:
        parsed()  # parsing over at once: only the byte budget can hold the loop back
        await gate.wait()
        finished.append(len(publisher.events))

    monkeypatch.setattr(batching, "process_until_done", process_until_gate)
    loop = BatchLoop(app=SimpleNamespace(), topics={}, resources=resources)  # type: ignore[arg-type]
    stream = FakeStream([event(1_000) for _ in range(10)])
    consumer = asyncio.ensure_future(loop.consume(stream))  # type: ignore[arg-type]
    try:
        await asyncio.sleep(0.1)
        # Three 1,000-byte messages fill the budget; the fourth is read and waits for room
        # (without the budget all ten would be held: 12 batch slots and 16 waiting places).
        assert loop.held.held == 3_000
        assert stream.taken == 4
        assert not finished
        gate.set()
        for _ in range(100):
            if sum(finished) == 10:
                break
            await asyncio.sleep(0.01)
        assert sum(finished) == 10
        assert loop.held.held == 0
    finally:
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)
