"""The worker's topology: the Faust app, its five topics, the one agent, the web pages and the
Redis probe. What each piece does lives in a module of its own:

    news.articles.raw -> agent -> streams/batching.py    (batches, several in flight)
                                  streams/processing.py  (decode, dedup, NLP; retries)
                                  streams/publisher.py   (records out, inputs acked in order)
                               -> enriched, duplicates, events, dlq

streams/resources.py holds what the worker keeps for its lifetime (the processor, its threads,
readiness), streams/faust_config.py how Faust is configured, streams/compat.py the patches
to faust and aiokafka, streams/process_metrics.py the metrics read at scrape time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faust
from faust.types import StreamT
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from config.settings import Settings
from streams import compat
from streams.batching import BatchLoop
from streams.faust_config import WorkerApp, app_options
from streams.metrics import WorkerMetrics
from streams.process_metrics import update_lag, update_nlp_processes
from streams.resources import WorkerResources

#: Redis is probed this often (seconds) even when no input arrives, so that readiness follows
#: an outage both ways on an idle worker too.
REDIS_PROBE_SECONDS = 5.0


@dataclass
class Worker:
    """Everything ``newswire worker`` runs, kept together for tests and the demo."""

    app: faust.App
    settings: Settings
    metrics: WorkerMetrics
    resources: WorkerResources
    topics: dict[str, faust.TopicT]
    batches: BatchLoop


def create_worker(
    settings: Settings, *, metrics: WorkerMetrics | None = None, resources: WorkerResources | None = None
) -> Worker:
    """The worker's app with its topics, agent, pages and timer; ``metrics`` and
    ``resources`` are built from ``settings`` unless given."""
    compat.apply_worker_patches(settings.consumer_fetch_max_wait_ms)
    # Faust creates its app directory inside datadir without parents.
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    metrics = metrics or WorkerMetrics.create()
    resources = resources or WorkerResources(settings, metrics)
    app = WorkerApp(settings.consumer_group, **app_options(settings))
    configs = settings.topic_configs()
    topics = {
        kind: app.topic(
            name,
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            partitions=settings.topic_partitions,
            # Used only if the worker creates the topic: the configs `newswire topics` sets.
            config=configs[name],
        )
        for kind, name in settings.topics.by_kind().items()
    }
    batches = BatchLoop(app, topics, resources)
    app.before_stop = batches.hand_back
    app.service(ResourcesService(resources, topics.values()))

    @app.on_after_configured.connect
    def _configured(*args: Any, **kwargs: Any) -> None:  # pragma: no cover - faust hook
        metrics.ready.set(0)

    @app.on_rebalance_complete.connect
    async def _rebalanced(*args: Any, **kwargs: Any) -> None:
        metrics.rebalances.inc()
        raw = settings.topics.raw
        resources.assigned(sum(1 for tp in app.consumer.assignment() if tp.topic == raw))

    @app.agent(topics["raw"], concurrency=1)
    async def process_articles(stream: StreamT[bytes]) -> None:
        await batches.consume(stream)

    @app.page("/metrics")
    async def metrics_page(web: Any, request: Any) -> Any:
        update_lag(metrics, app.consumer, batches.clock)
        update_nlp_processes(metrics, resources.processor.enricher if resources.processor else None)
        # aiohttp refuses a charset inside content_type=, so the full header goes in headers.
        return web.bytes(generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @app.page("/healthz")
    async def healthz(web: Any, request: Any) -> Any:
        return web.json({"status": "ok"})

    @app.page("/readyz")
    async def readyz(web: Any, request: Any) -> Any:
        state = resources.readiness()
        return web.json(state, status=200 if state["ready"] else 503)

    @app.timer(interval=REDIS_PROBE_SECONDS)
    async def probe_redis() -> None:
        if resources.model_loaded.is_set():
            await resources.check_redis()

    return Worker(app, settings, metrics, resources, topics, batches)


class ResourcesService(faust.Service):  # type: ignore[misc]
    """Declares the topics, loads the model and opens Redis before the agent consumes; closes
    them when the worker stops."""

    def __init__(self, resources: WorkerResources, topics: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.resources = resources
        self.topics = list(topics)

    async def on_start(self) -> None:
        for topic in self.topics:
            await topic.maybe_declare()
        await self.resources.start()

    async def on_stop(self) -> None:
        await self.resources.stop()
