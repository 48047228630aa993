"""The worker's app in memory: no broker, no Redis, no model. The broker edge is
:class:`~tests.support.memory_app.Broker`; the processor is the real one on the in-memory store
and keyword enricher of ``tests.support``, or one a test builds (``make_worker``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from config.settings import Settings
from services.pipeline import ArticleProcessor
from streams.app import Worker, create_worker
from streams.metrics import WorkerMetrics
from streams.resources import WorkerResources
from tests.support.builders import make_processor
from tests.support.fakes import MemoryStore
from tests.support.memory_app import Broker, running_agent


@pytest.fixture
def make_worker() -> Callable[[ArticleProcessor], Worker]:
    """A worker whose resources hold ``processor`` (given, not built from the settings), ready
    as after a start with a loaded model and Redis up."""

    def make(processor: ArticleProcessor) -> Worker:
        settings = Settings(
            broker_url="kafka://127.0.0.1:9",
            redis_url="redis://127.0.0.1:9/0",  # never contacted
            nlp_batch_size=8,
            nlp_processes=2,  # two NLP lanes; the processors here enrich in this process
            batch_within_seconds=0.05,
            retry_initial_seconds=0.01,
            retry_max_seconds=0.02,
        )
        metrics = WorkerMetrics.create()
        resources = WorkerResources(settings, metrics, processor=processor)
        worker = create_worker(settings, metrics=metrics, resources=resources)
        worker.app.finalize()
        worker.app.conf.store = "memory://"
        worker.app.flow_control.resume()
        # What the start of the resources does with the real model and Redis.
        resources.model_loaded.set()
        resources.set_redis_state(True)
        return worker

    return make


@pytest.fixture
def worker(make_worker: Callable[[ArticleProcessor], Worker], store: MemoryStore) -> Worker:
    return make_worker(make_processor(store))


@pytest.fixture
def broker(worker: Worker) -> Broker:
    return Broker(worker)


@pytest.fixture
async def agent(worker: Worker) -> AsyncIterator[Any]:
    async with running_agent(worker) as test_agent:
        yield test_agent
