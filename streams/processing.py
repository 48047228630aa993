"""Processing one batch until it is done: decode and dedup in the batch thread, each NLP chunk
on a free NLP lane, every outcome to the publisher as soon as it is final; an infrastructure
failure is retried with backoff, and nothing unpublished is acknowledged."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from faust.types import EventT

from services.errors import InfrastructureError
from services.pipeline import BatchResult, RawMessage
from streams import compat
from streams.publisher import BatchPublisher
from streams.resources import WorkerResources

log = logging.getLogger("newswire.worker")


def raw_message(event: EventT) -> RawMessage:
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


async def process_until_done(
    resources: WorkerResources, publisher: BatchPublisher, parsed: Callable[[], None]
) -> None:
    """Process, publish and acknowledge one batch; ``parsed`` is called once its NLP is over.
    On an infrastructure error, back off and retry what is not yet published until it
    succeeds (or the worker stops, leaving the rest of the batch unacknowledged)."""
    settings, metrics = resources.settings, resources.metrics
    assert resources.processor is not None
    processor = resources.processor
    events = publisher.events
    loop = asyncio.get_running_loop()
    delay = settings.retry_initial_seconds
    while True:
        todo = publisher.unsent()
        messages = [raw_message(events[i]) for i in todo]
        dependency = "redis"
        attempt_started = time.monotonic()
        try:
            try:
                result = await _run_batch(resources, publisher, todo, messages)
            except InfrastructureError:
                raise
            except Exception:
                log.exception(
                    "batch failed unexpectedly; isolating its messages", extra={"stage": "internal"}
                )
                todo = publisher.unsent()
                messages = [raw_message(events[i]) for i in todo]
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
                return  # unacknowledged: see BatchLoop.hand_back
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
    resources: WorkerResources, publisher: BatchPublisher, todo: Sequence[int], messages: Sequence[RawMessage]
) -> BatchResult:
    """Decode and dedup in the batch thread, then each NLP chunk on a free NLP lane; every
    outcome goes to the publisher as soon as it is final."""
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
