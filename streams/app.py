"""The Faust app: topics, the one agent, health and metrics pages. Wiring only.

The agent reads raw bytes (we validate ourselves: a decode error raised inside Faust would
escape the loop), batches them and runs :class:`services.pipeline.ArticleProcessor` in the
worker thread. Outcomes are published as the thread finishes them (duplicates and dead
letters at once, enriched articles per NLP chunk), so publishing overlaps NLP; an input is
acknowledged, in order, only once the broker has acknowledged all of its records. An
infrastructure failure is retried with backoff and nothing unpublished is acknowledged.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
import time
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import faust
import orjson
from faust.types import EventT, StreamT
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from config.settings import Settings
from services.errors import InfrastructureError
from services.nlp.pool import EnricherPool
from services.pipeline import BatchResult, OnReady, OutboundRecord, Outcome, RawMessage
from streams import compat
from streams.metrics import WorkerMetrics
from streams.resources import WorkerResources

log = logging.getLogger("newswire.worker")


@dataclass
class Worker:
    """Everything ``newswire worker`` runs, kept together for tests and the demo."""

    app: faust.App
    settings: Settings
    metrics: WorkerMetrics
    resources: WorkerResources
    topics: dict[str, faust.TopicT]
    #: Held while a batch hands its records to the producer: records then reach each partition
    #: in the order their outcomes became final, so a revision's tombstones never overtake
    #: the event records of the revision before it.
    send_order: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: Batches being processed, published or acknowledged, by their task.
    in_flight: dict[asyncio.Future[None], _BatchPublisher] = field(default_factory=dict)
    #: Messages the agent took from the stream that no batch holds yet.
    waiting: asyncio.Queue[EventT] | None = None


class _WorkerApp(faust.App):  # type: ignore[misc]
    """A faust App that runs ``before_stop`` as it starts to stop, before Faust waits for
    the messages in flight (which, with Redis down, it would do forever)."""

    before_stop: Callable[[], Awaitable[None]] | None = None

    async def on_stop(self) -> None:
        if self.before_stop is not None:
            await self.before_stop()
        await super().on_stop()


def broker_credentials(settings: Settings) -> Any:
    protocol = settings.kafka_security_protocol
    if protocol == "PLAINTEXT":
        return None
    context = None
    if protocol in ("SSL", "SASL_SSL"):
        context = ssl.create_default_context(cafile=settings.kafka_ssl_cafile)
        if settings.kafka_ssl_certfile:
            context.load_cert_chain(settings.kafka_ssl_certfile, settings.kafka_ssl_keyfile)
    if protocol == "SSL":
        return faust.SSLCredentials(context)
    password = settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else None
    return faust.SASLCredentials(
        username=settings.kafka_sasl_username,
        password=password,
        mechanism=settings.kafka_sasl_mechanism,
        ssl_context=context,
    )


def create_worker(settings: Settings, metrics: WorkerMetrics | None = None) -> Worker:
    compat.apply_worker_patches(settings.consumer_fetch_max_wait_ms)
    # Faust creates its app directory inside datadir without parents.
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    metrics = metrics or WorkerMetrics.create()
    resources = WorkerResources(settings, metrics)
    app = _WorkerApp(
        settings.consumer_group,
        broker=settings.broker_url,
        broker_credentials=broker_credentials(settings),
        # Tansu (the embedded broker) has no idempotent producer; at-least-once plus
        # replay-safe dedup claims gives identical re-sends instead of lost articles.
        processing_guarantee="at_least_once",
        broker_session_timeout=settings.broker_session_timeout,
        broker_heartbeat_interval=settings.broker_heartbeat_interval,
        topic_partitions=settings.topic_partitions,
        topic_allow_declare=True,
        key_serializer="raw",
        value_serializer="raw",
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_in_thread=False,
        store="memory://",
        datadir=f"{settings.data_dir}/{{conf.id}}-data",
        autodiscover=False,
        producer_max_request_size=max(settings.max_message_bytes * 2, 1_048_576),
        consumer_max_fetch_size=max(settings.max_message_bytes * 2, 4_194_304),
        stream_buffer_maxsize=max(settings.nlp_batch_size * 4, 64),
        # One batch of NLP can take seconds; that is work, not a stalled stream.
        stream_processing_timeout=300.0,
    )
    names = settings.topics
    topics = {
        kind: app.topic(
            name,
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            partitions=settings.topic_partitions,
        )
        for kind, name in (
            ("raw", names.raw),
            ("enriched", names.enriched),
            ("duplicates", names.duplicates),
            ("events", names.events),
            ("dlq", names.dlq),
        )
    }
    worker = Worker(app=app, settings=settings, metrics=metrics, resources=resources, topics=topics)
    _wire(worker)

    async def before_stop() -> None:
        await _hand_back(worker)

    app.before_stop = before_stop
    return worker


async def _hand_back(worker: Worker) -> None:
    """Shutdown, first step: stop taking batches, give those in flight a share of
    ``shutdown_timeout_seconds`` to finish, and leave the rest unacknowledged, saying so:
    their offsets are not committed, so the next owner of their partitions re-reads them."""
    resources, settings = worker.resources, worker.settings
    resources.begin_stopping()
    budget = 0.4 * settings.shutdown_timeout_seconds
    batches = dict(worker.in_flight)  # a batch leaves in_flight when its task ends
    log.info(
        "stopping: waiting up to %.1fs for %d batches in flight",
        budget,
        len(batches),
        extra={"stage": "shutdown"},
    )
    if batches:
        await asyncio.wait(batches, timeout=budget)
    unacked = sum(len(p.events) - p.acked for p in batches.values())
    unacked += worker.waiting.qsize() if worker.waiting is not None else 0
    for task in list(worker.in_flight):
        task.cancel()
    # Faust would wait for every message it handed out to be acknowledged; those left are
    # deliberately not, and waiting for them is what hung a worker whose Redis was down.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        worker.app.conf.stream_wait_empty = False
    if unacked:
        reason = "redis unavailable" if not resources.redis_ok else "shutdown timeout"
        log.warning(
            "stopping with %d messages unacknowledged (%s); their offsets are not committed and "
            "the next owner of their partitions re-reads them",
            unacked,
            reason,
            extra={"stage": "shutdown"},
        )
    else:
        log.info("stopping: every message taken was processed and acknowledged", extra={"stage": "shutdown"})


def _wire(worker: Worker) -> None:
    app, settings, metrics, resources = worker.app, worker.settings, worker.metrics, worker.resources
    topics = worker.topics

    @app.on_after_configured.connect
    def _configured(*args: Any, **kwargs: Any) -> None:  # pragma: no cover - faust hook
        metrics.ready.set(0)

    @app.service
    class Resources(faust.Service):  # type: ignore[misc]
        """Loads the model and opens Redis before the agent starts consuming."""

        async def on_start(self) -> None:
            for topic in topics.values():
                await topic.maybe_declare()
            await resources.start()

        async def on_stop(self) -> None:
            await resources.stop()

    @app.on_rebalance_complete.connect
    async def _rebalanced(*args: Any, **kwargs: Any) -> None:
        metrics.rebalances.inc()

    @app.agent(topics["raw"], concurrency=1)
    async def process_articles(stream: StreamT[bytes]) -> None:
        await resources.model_loaded.wait()
        noack = stream.noack()
        queue: asyncio.Queue[EventT] = asyncio.Queue(
            maxsize=max(settings.nlp_batch_size * 2, settings.max_batch_messages)
        )
        worker.waiting = queue
        batcher = asyncio.ensure_future(_batch_loop(worker, noack, queue))
        try:
            async for event in noack.events():
                metrics.consumed.inc()
                ts = event.message.timestamp
                if ts:
                    metrics.lag_seconds.set(max(0.0, time.time() - ts))
                # Blocks when the batch loop is busy: back-pressure to the consumer.
                await queue.put(event)
        finally:
            batcher.cancel()

    @app.page("/metrics")
    async def metrics_page(web: Any, request: Any) -> Any:
        _update_lag(worker)
        _update_nlp_processes(worker)
        # aiohttp refuses a charset inside content_type=, so the full header goes in headers.
        return web.bytes(generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @app.page("/healthz")
    async def healthz(web: Any, request: Any) -> Any:
        return web.json({"status": "ok"})

    @app.page("/readyz")
    async def readyz(web: Any, request: Any) -> Any:
        state = resources.readiness()
        return web.json(state, status=200 if state["ready"] else 503)

    @app.timer(interval=5.0)
    async def _probe_redis() -> None:
        # Readiness follows Redis both ways even when no input arrives: an idle worker
        # reports an outage, and recovers by itself after it.
        if resources.model_loaded.is_set():
            await resources.check_redis()


async def _batch_loop(worker: Worker, stream: StreamT[bytes], queue: asyncio.Queue[EventT]) -> None:
    try:
        await _batches(worker, stream, queue)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        await _crash(worker, exc)
    finally:
        for task in list(worker.in_flight):
            task.cancel()


_crashing: set[asyncio.Future[None]] = set()


async def _crash(worker: Worker, exc: BaseException) -> None:
    # A bug here would otherwise stall the partition silently behind a full queue.
    # Crashing hands the unacknowledged batches to the restarted worker instead.
    log.critical("batch processing failed; stopping the worker", exc_info=exc, extra={"stage": "internal"})
    await worker.app.crash(exc)


async def _batches(worker: Worker, stream: StreamT[bytes], queue: asyncio.Queue[EventT]) -> None:
    """Cut the queue into batches and process several at once: while the NLP processes parse
    one batch, the next is decoded, deduplicated and queued for them, so a free NLP process
    always has the oldest waiting article next (one queue for all of them)."""
    lanes = worker.resources.nlp_lanes
    # One batch per NLP lane plus one being prepared keeps every lane busy under a backlog;
    # while all are taken, new messages wait in the queue and then go as one batch.
    parsing = asyncio.Semaphore(lanes + 1)
    # A parsed batch may still wait for the broker or for an earlier batch's acks; it frees
    # its parsing slot at once (holding it would idle a lane behind one slow article), and
    # this bounds how many such batches the worker holds.
    unacked = asyncio.Semaphore(4 * (lanes + 1))
    previous: _BatchPublisher | None = None
    running = worker.in_flight
    while not worker.resources.stopping:
        await unacked.acquire()
        await parsing.acquire()
        batch = await _next_batch(worker.settings, queue)
        if worker.resources.stopping:  # left unacknowledged: the next owner reads it
            return
        publisher = previous = _BatchPublisher(worker, stream, batch, after=previous)
        parsed = _Once(parsing.release)
        task = asyncio.ensure_future(_process_until_done(worker, publisher, parsed))
        running[task] = publisher

        def finished(task: asyncio.Future[None], parsed: _Once = parsed) -> None:
            running.pop(task, None)
            parsed()
            unacked.release()
            error = None if task.cancelled() else task.exception()
            if error is not None and not worker.resources.stopping:
                crash = asyncio.ensure_future(_crash(worker, error))
                _crashing.add(crash)  # the loop holds tasks only weakly
                crash.add_done_callback(_crashing.discard)

        task.add_done_callback(finished)


class _Once:
    """Calls ``action`` on the first call only."""

    def __init__(self, action: Callable[[], object]) -> None:
        self.action: Callable[[], object] | None = action

    def __call__(self) -> None:
        action, self.action = self.action, None
        if action is not None:
            action()


async def _next_batch(settings: Settings, queue: asyncio.Queue[EventT]) -> list[EventT]:
    first = await queue.get()
    batch = [first]
    deadline = time.monotonic() + settings.batch_within_seconds
    while len(batch) < settings.nlp_batch_size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            batch.append(await asyncio.wait_for(queue.get(), remaining))
        except TimeoutError:
            break
    while len(batch) < settings.max_batch_messages and not queue.empty():
        batch.append(queue.get_nowait())
    return batch


class _BatchPublisher:
    """Publishes a batch's outcomes as the processing thread hands them over, and acknowledges
    the batch's inputs in their order, each once the broker has confirmed all of its records.

    In-order acknowledgement matters: Faust commits the first run of consecutive acknowledged
    offsets, and on a partition without a committed offset it does not notice a gap at the
    head, so acknowledging a later message first could commit past an unpublished one. That
    holds across batches too: a batch acknowledges nothing before the batch ``after`` it
    follows has acknowledged everything."""

    def __init__(
        self,
        worker: Worker,
        stream: StreamT[bytes],
        events: Sequence[EventT],
        after: _BatchPublisher | None = None,
    ) -> None:
        self.worker = worker
        self.stream = stream
        self.events = events
        self.after = after
        self.all_acked = asyncio.Event()
        self.loop = asyncio.get_running_loop()
        #: Outcomes handed to the producer (in flight or confirmed), by index into ``events``.
        self.sent: dict[int, Outcome] = {}
        self.confirmed = [False] * len(events)
        self.acked = 0
        self.error: BaseException | None = None
        self._inflight: set[asyncio.Future[None]] = set()
        self._ack_lock = asyncio.Lock()

    def unsent(self) -> list[int]:
        return [i for i in range(len(self.events)) if i not in self.sent]

    def receiver(self, indices: Sequence[int]) -> OnReady:
        """An ``on_ready`` for one processing attempt over ``events[i] for i in indices``;
        it runs in the processing thread and hands over to the event loop."""

        def on_ready(pairs: list[tuple[int, Outcome]]) -> None:
            self.loop.call_soon_threadsafe(self.publish, [(indices[j], o) for j, o in pairs])

        return on_ready

    def publish(self, pairs: Sequence[tuple[int, Outcome]]) -> None:
        fresh = [(i, o) for i, o in pairs if i not in self.sent]
        if not fresh:
            return
        self.sent.update(fresh)
        task = asyncio.ensure_future(self._send(fresh))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    async def _send(self, pairs: Sequence[tuple[int, Outcome]]) -> None:
        limit = self.worker.settings.max_message_bytes
        try:
            futures = []
            async with self.worker.send_order:
                for i, outcome in pairs:
                    headers = _passed_headers(self.events[i])
                    for record in outcome.records:
                        record = _fit_for_broker(record, limit)
                        topic = self.worker.topics[record.topic_kind]
                        # A None value goes out as a Kafka tombstone (the raw codec passes it).
                        futures.append(await topic.send(key=record.key, value=record.value, headers=headers))
            await asyncio.gather(*futures)
        except Exception as exc:  # broker send failures surface as many exception types
            self.error = self.error or exc
            for i, _ in pairs:
                self.sent.pop(i, None)  # to be processed and sent again (identical records)
            return
        for i, _ in pairs:
            self.confirmed[i] = True
        if self.after is not None:
            await self.after.all_acked.wait()
            self.after = None  # the chain behind us is done; let it be collected
        async with self._ack_lock:
            while self.acked < len(self.events) and self.confirmed[self.acked]:
                await self.stream.ack(self.events[self.acked])
                self.acked += 1
            if self.acked == len(self.events):
                self.all_acked.set()

    async def settle(self) -> None:
        """Wait until every send handed over so far is confirmed or has failed."""
        while self._inflight:
            await asyncio.gather(*list(self._inflight))

    def result(self, last: BatchResult) -> BatchResult:
        """The whole batch's outcomes in input order (they may span several attempts)."""
        return BatchResult(
            outcomes=[self.sent[i] for i in range(len(self.events)) if i in self.sent],
            stage_seconds=last.stage_seconds,
            nlp_articles=last.nlp_articles,
        )


def _raw_message(event: EventT) -> RawMessage:
    m = event.message
    # faust keeps the broker's milliseconds as seconds (a float); round() gets them back exactly.
    timestamp_ms = round(m.timestamp * 1000) if m.timestamp is not None and m.timestamp >= 0 else None
    unreadable = m.checksum if isinstance(m.checksum, compat.Unreadable) else None
    # aiokafka's (name, value) pairs; faust types them as str -> bytes, which they are not
    # always (see compat.Unreadable).
    headers: Any = m.headers or ()
    return RawMessage(
        value=m.value,
        key=m.key,
        topic=m.topic,
        partition=m.partition,
        offset=m.offset,
        headers=tuple(headers),
        timestamp_ms=timestamp_ms,
        unreadable=(unreadable.error_type, unreadable.message) if unreadable else None,
    )


def _passed_headers(event: EventT) -> Any:
    """The input's Kafka headers (trace ids, scraper names) for its output records: derived
    from the input alone, so a re-send carries the same. Names that are not UTF-8 cannot be
    sent (that record is dead-lettered, its headers kept inside the DLQ record)."""
    pairs: Any = event.message.headers or ()
    headers = [(name, value) for name, value in pairs if isinstance(name, str)]
    return headers or None


async def _process_until_done(worker: Worker, publisher: _BatchPublisher, parsed: Callable[[], None]) -> None:
    """Process, publish and acknowledge one batch; ``parsed`` is called once its NLP is over.
    On an infrastructure error, back off and retry what is not yet published until it
    succeeds (or the worker stops, leaving the rest of the batch unacknowledged)."""
    settings, metrics, resources = worker.settings, worker.metrics, worker.resources
    assert resources.processor is not None
    processor = resources.processor
    events = publisher.events
    loop = asyncio.get_running_loop()
    delay = settings.retry_initial_seconds
    while True:
        todo = publisher.unsent()
        messages = [_raw_message(events[i]) for i in todo]
        dependency = "redis"
        attempt_started = time.monotonic()
        try:
            try:
                result = await _run_batch(worker, publisher, todo, messages)
            except InfrastructureError:
                raise
            except Exception:
                log.exception(
                    "batch failed unexpectedly; isolating its messages", extra={"stage": "internal"}
                )
                todo = publisher.unsent()
                messages = [_raw_message(events[i]) for i in todo]
                result = await loop.run_in_executor(
                    resources.executor, processor.process_isolated, messages, publisher.receiver(todo)
                )
            parsed()
            if not resources.redis_ok and _redis_answered(result, attempt_started, resources):
                resources.set_redis_state(True)
            dependency = "kafka"
            publisher.publish(list(zip(todo, result.outcomes, strict=True)))
            started = time.perf_counter()
            await publisher.settle()
            if publisher.error is not None:
                error, publisher.error = publisher.error, None
                raise error
            whole = publisher.result(result)
            metrics.observe_batch(whole, time.perf_counter() - started)
            _log_dead_letters_and_warnings(whole)
            return
        except InfrastructureError as exc:
            # Let what was handed over land first: it is then neither lost nor sent twice.
            await publisher.settle()
            publisher.error = None
            metrics.redis_errors.inc()
            resources.set_redis_state(False, str(exc))
            if resources.stopping:
                return  # unacknowledged: see _hand_back
            _log_retry(exc.dependency, exc, messages, delay)
            metrics.retries.labels(exc.dependency).inc()
        except Exception as exc:
            if dependency != "kafka":
                raise
            if resources.stopping:
                return
            _log_retry("kafka", exc, messages, delay)
            metrics.retries.labels("kafka").inc()
        if await resources.stopping_within(delay):
            return
        delay = min(delay * 2, settings.retry_max_seconds)


def _redis_answered(result: BatchResult, attempt_started: float, resources: WorkerResources) -> bool:
    """Whether this attempt shows Redis is back: it deduplicated an article (every outcome but
    a dead letter went through Redis), and started after Redis was seen down. A batch claimed
    before the outage and finishing its NLP during it, or one of dead letters only, does not."""
    down_since = resources.redis_down_since
    started_after = down_since is None or attempt_started >= down_since
    return started_after and any(outcome.kind != "dlq" for outcome in result.outcomes)


async def _run_batch(
    worker: Worker, publisher: _BatchPublisher, todo: Sequence[int], messages: Sequence[RawMessage]
) -> BatchResult:
    """Decode and dedup in the batch thread, then each NLP chunk on a free NLP lane; every
    outcome goes to the publisher as soon as it is final."""
    resources = worker.resources
    assert resources.processor is not None
    processor = resources.processor
    loop = asyncio.get_running_loop()
    prepared = await loop.run_in_executor(
        resources.executor, processor.prepare, messages, resources.nlp_lanes
    )

    def hand_over(indices: Sequence[int]) -> None:
        publisher.publish([(todo[i], outcome) for i, outcome in prepared.pairs(indices)])

    hand_over(prepared.final_indices())

    def enrich_timed(articles: Sequence[Any]) -> tuple[list[Any], float]:
        # Timed in the NLP lane, so the stage metric is parse time, not the wait for a lane.
        started = time.perf_counter()
        return processor.enricher.enrich(articles), time.perf_counter() - started

    async def run_chunk(chunk: Sequence[Any]) -> None:
        results, seconds = await loop.run_in_executor(
            resources.nlp_executor, enrich_timed, prepared.articles(chunk)
        )
        prepared.stage_seconds["nlp"] += seconds
        # complete() touches the processor's reuse cache (and Redis on a failure): batch thread.
        hand_over(
            await loop.run_in_executor(resources.executor, processor.complete, prepared, chunk, results)
        )

    # Wait for every chunk even if one fails, so nothing of this attempt still runs when
    # the caller retries what is unpublished.
    outcomes = await asyncio.gather(*(run_chunk(c) for c in prepared.chunks), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return prepared.result()


def _fit_for_broker(record: OutboundRecord, limit: int) -> OutboundRecord:
    """A DLQ record of an oversized message keeps only the start of the original payload.

    With the whole payload the record is larger than the producer accepts, the send fails on
    every retry and the partition stalls for good. The full message stays in the raw topic at
    the position the record names. The cut is deterministic, so a re-send is identical.
    """
    if record.topic_kind != "dlq" or record.value is None or len(record.value) <= limit:
        return record
    data = orjson.loads(record.value)
    # A character escapes to at most 6 bytes in JSON (\u0000): keep well under the limit.
    keep = (limit // 8) // 4 * 4  # a multiple of 4 keeps a base64 prefix decodable
    if isinstance(data.get("payload"), str) and len(data["payload"]) > keep:
        data["payload"] = data["payload"][:keep]
        source = data.get("source", {})
        data["error"]["message"] += (
            f" (payload cut to its first {keep} characters; the whole message is at "
            f"{source.get('topic')}[{source.get('partition')}]@{source.get('offset')})"
        )
    return OutboundRecord(topic_kind=record.topic_kind, key=record.key, value=orjson.dumps(data))


def _log_retry(dependency: str, exc: BaseException, messages: Sequence[RawMessage], delay: float) -> None:
    first = messages[0]
    log.warning(
        "%s unavailable, retrying batch of %d in %.1fs: %s",
        dependency,
        len(messages),
        delay,
        exc,
        extra={"stage": "retry", "topic": first.topic, "partition": first.partition, "offset": first.offset},
    )


def _log_dead_letters_and_warnings(result: BatchResult) -> None:
    for outcome in result.outcomes:
        for warning in outcome.warnings:
            log.info(
                "input warning: %s", warning, extra={"stage": "validate", "article_id": outcome.article_id}
            )
        if outcome.kind != "dlq":
            continue
        record = outcome.records[0]
        log.info(
            "dead-lettered: %s",
            outcome.error_type,
            extra={
                "stage": outcome.error_stage,
                "article_id": outcome.article_id,
                "dlq_key": record.key.decode("utf-8", "replace"),
            },
        )


def _update_nlp_processes(worker: Worker) -> None:
    """Count and memory of the NLP processes, which the process collector does not see
    (restarts are counted as they happen: ``on_restart`` in ``build_processor``)."""
    enricher = worker.resources.processor.enricher if worker.resources.processor else None
    pids: list[int] = enricher.pids() if isinstance(enricher, EnricherPool) else []
    metrics = worker.metrics
    metrics.nlp_processes.set(len(pids))
    metrics.nlp_memory.set(sum(_resident_bytes(pid) for pid in pids))


def _resident_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):  # exited meanwhile, or not Linux
        return 0


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _update_lag(worker: Worker) -> None:
    """Lag from the consumer's high-water marks (real Kafka; Tansu reports them wrong)."""
    try:
        consumer = worker.app.consumer
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            position = consumer._committed_offset.get(tp) if hasattr(consumer, "_committed_offset") else None
            if highwater is not None and position is not None:
                worker.metrics.lag_messages.labels(tp.topic, str(tp.partition)).set(
                    max(0, highwater - position)
                )
    except Exception:  # lag is best effort; never break the scrape
        return
