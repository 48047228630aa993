"""The agent's work: raw events into batches, several batches in flight at once, each processed,
published and acknowledged in order; on shutdown, what is unfinished is handed back.

While the NLP processes parse one batch, the next is decoded, deduplicated and queued for
them, so a free NLP process always has the oldest waiting article next (one queue for all of
them, whichever partition an article came from)."""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Callable, Mapping

import faust
from faust.types import EventT, StreamT

from config.settings import Settings
from streams.process_metrics import PartitionClock
from streams.processing import process_until_done
from streams.publisher import BatchPublisher
from streams.resources import WorkerResources

log = logging.getLogger("newswire.worker")


class BatchLoop:
    """Takes the agent's events and keeps them moving through processing and publishing."""

    def __init__(
        self, app: faust.App, topics: Mapping[str, faust.TopicT], resources: WorkerResources
    ) -> None:
        self.app = app
        self.topics = topics
        self.resources = resources
        settings = resources.settings
        #: Messages the agent took from the stream that no batch holds yet. Full, it blocks
        #: the agent: back-pressure to the consumer.
        self.waiting: asyncio.Queue[EventT] = asyncio.Queue(
            maxsize=max(settings.nlp_batch_size * 2, settings.max_batch_messages)
        )
        #: Bytes of the messages taken and not yet finished (waiting or in a batch). The
        #: limits above count messages; a flood of megabyte messages refused in a millisecond
        #: each would otherwise fill every slot, their dead-letter records beside them.
        self.held = ByteBudget(settings.max_held_bytes)
        #: Held while a batch hands its records to the producer: records then reach each
        #: partition in the order their outcomes became final, so a revision's tombstones
        #: never overtake the event records of the revision before it.
        self.send_order = asyncio.Lock()
        #: Batches being processed, published or acknowledged, by their task.
        self.in_flight: dict[asyncio.Future[None], BatchPublisher] = {}
        # The event loop holds tasks only weakly: crash reports are kept here until done.
        self._crashes: set[asyncio.Future[None]] = set()
        #: When the messages taken were written, per partition: the lag in seconds, at scrape.
        self.clock = PartitionClock()

    async def consume(self, stream: StreamT[bytes]) -> None:
        """The agent's body: once the model is loaded, feed every event to the batches."""
        resources, metrics = self.resources, self.resources.metrics
        await resources.model_loaded.wait()
        noack = stream.noack()
        batcher = asyncio.ensure_future(self._run(noack))
        try:
            async for event in noack.events():
                metrics.consumed.inc()
                self.clock.consumed(event.message.tp, event.message.timestamp)
                await self.held.take(message_bytes(event))
                await self.waiting.put(event)
        finally:
            batcher.cancel()

    async def _run(self, stream: StreamT[bytes]) -> None:
        try:
            await self._batches(stream)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            await self._crash(exc)
        finally:
            for task in list(self.in_flight):
                task.cancel()

    async def _batches(self, stream: StreamT[bytes]) -> None:
        resources = self.resources
        lanes = resources.nlp_lanes
        # One batch per NLP lane plus one being prepared keeps every lane busy under a
        # backlog; while all are taken, new messages wait in the queue and then go as one batch.
        parsing = asyncio.Semaphore(lanes + 1)
        # A parsed batch may still wait for the broker or for an earlier batch's acks; it frees
        # its parsing slot at once (holding it would idle a lane behind one slow article), and
        # this bounds how many such batches the worker holds.
        unacked = asyncio.Semaphore(4 * (lanes + 1))
        previous: BatchPublisher | None = None
        while not resources.stopping:
            await unacked.acquire()
            await parsing.acquire()
            batch = await next_batch(resources.settings, self.waiting)
            if resources.stopping:  # left unacknowledged: the next owner reads it
                return
            publisher = previous = BatchPublisher(
                stream,
                batch,
                self.topics,
                send_order=self.send_order,
                max_message_bytes=resources.settings.max_message_bytes,
                after=previous,
            )
            parsed = Once(parsing.release)
            task = asyncio.ensure_future(process_until_done(resources, publisher, parsed))
            self.in_flight[task] = publisher

            held = sum(message_bytes(event) for event in batch)

            def finished(task: asyncio.Future[None], parsed: Once = parsed, held: int = held) -> None:
                self.in_flight.pop(task, None)
                parsed()
                unacked.release()
                self.held.give_back(held)
                error = None if task.cancelled() else task.exception()
                if error is not None and not resources.stopping:
                    crash = asyncio.ensure_future(self._crash(error))
                    self._crashes.add(crash)
                    crash.add_done_callback(self._crashes.discard)

            task.add_done_callback(finished)

    async def _crash(self, exc: BaseException) -> None:
        # A bug here would otherwise stall the partition silently behind a full queue.
        # Crashing hands the unacknowledged batches to the restarted worker instead.
        log.critical(
            "batch processing failed; stopping the worker", exc_info=exc, extra={"stage": "internal"}
        )
        await self.app.crash(exc)

    async def hand_back(self) -> None:
        """Shutdown, first step: stop taking batches, give those in flight a share of
        ``shutdown_timeout_seconds`` to finish, and leave the rest unacknowledged, saying so:
        their offsets are not committed, so the next owner of their partitions re-reads them."""
        resources, settings = self.resources, self.resources.settings
        resources.begin_stopping()
        budget = 0.4 * settings.shutdown_timeout_seconds
        batches = dict(self.in_flight)  # a batch leaves in_flight when its task ends
        log.info(
            "stopping: waiting up to %.1fs for %d batches in flight",
            budget,
            len(batches),
            extra={"stage": "shutdown"},
        )
        if batches:
            await asyncio.wait(batches, timeout=budget)
        unacked = sum(len(p.events) - p.acked for p in batches.values()) + self.waiting.qsize()
        for task in list(self.in_flight):
            task.cancel()
        # Faust would wait for every message it handed out to be acknowledged; those left are
        # deliberately not, and waiting for them is what hung a worker whose Redis was down.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.app.conf.stream_wait_empty = False
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
            log.info(
                "stopping: every message taken was processed and acknowledged", extra={"stage": "shutdown"}
            )


def message_bytes(event: EventT) -> int:
    """What a message's key and value take while the worker holds it."""
    message = event.message
    return len(message.value or b"") + len(message.key or b"")


class ByteBudget:
    """At most ``limit`` bytes held at once, taken by one consumer and given back as batches
    finish. A message larger than the whole budget is still taken once nothing else is held:
    the input limits, not this, decide what is too large."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0
        self._freed = asyncio.Event()

    async def take(self, size: int) -> None:
        while self.held and self.held + size > self.limit:
            self._freed.clear()
            await self._freed.wait()
        self.held += size

    def give_back(self, size: int) -> None:
        self.held -= size
        self._freed.set()


class Once:
    """Calls ``action`` on the first call only."""

    def __init__(self, action: Callable[[], object]) -> None:
        self.action: Callable[[], object] | None = action

    def __call__(self) -> None:
        action, self.action = self.action, None
        if action is not None:
            action()


async def next_batch(settings: Settings, queue: asyncio.Queue[EventT]) -> list[EventT]:
    """The next batch: at least one message, up to ``nlp_batch_size`` within
    ``batch_within_seconds``, then whatever is already waiting, up to ``max_batch_messages``."""
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
