"""The worker's app in memory (faust's testing guide: ``agent.test_context()``): no broker, no
Redis, no model. The broker edge is :class:`Broker`; the processor runs on the in-memory store
and keyword enricher of ``tests.support``, or is replaced by one that fails."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from config.settings import Settings
from streams.app import Worker, create_worker
from tests.support.broker import Broker
from tests.support.builders import make_processor
from tests.support.fakes import MemoryStore

AGENT = "streams.app.process_articles"


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
