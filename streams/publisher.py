"""Publishing a batch: its outcomes go to the broker as the processing thread hands them over,
and its inputs are acknowledged in order, each once the broker has confirmed all its records."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import faust
import orjson
from faust.types import EventT, StreamT

from services.pipeline import BatchResult, OnReady, OutboundRecord, Outcome


class BatchPublisher:
    """Publishes a batch's outcomes as the processing thread hands them over, and acknowledges
    the batch's inputs in their order, each once the broker has confirmed all of its records.

    In-order acknowledgement matters: Faust commits the first run of consecutive acknowledged
    offsets, and on a partition without a committed offset it does not notice a gap at the
    head, so acknowledging a later message first could commit past an unpublished one. That
    holds across batches too: a batch acknowledges nothing before the batch ``after`` it
    follows has acknowledged everything."""

    def __init__(
        self,
        stream: StreamT[bytes],
        events: Sequence[EventT],
        topics: Mapping[str, faust.TopicT],
        *,
        send_order: asyncio.Lock,
        max_message_bytes: int,
        after: BatchPublisher | None = None,
    ) -> None:
        self.stream = stream
        self.topics = topics
        #: Shared by every batch: see :class:`~streams.batching.BatchLoop`.
        self.send_order = send_order
        self.max_message_bytes = max_message_bytes
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
        try:
            futures = []
            async with self.send_order:
                for i, outcome in pairs:
                    headers = passed_headers(self.events[i])
                    for record in outcome.records:
                        record = fit_for_broker(record, self.max_message_bytes)
                        topic = self.topics[record.topic_kind]
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


def passed_headers(event: EventT) -> Any:
    """The input's Kafka headers (trace ids, scraper names) for its output records: derived
    from the input alone, so a re-send carries the same. Names that are not UTF-8 cannot be
    sent (that record is dead-lettered, its headers kept inside the DLQ record)."""
    pairs: Any = event.message.headers or ()
    headers = [(name, value) for name, value in pairs if isinstance(name, str)]
    return headers or None


def fit_for_broker(record: OutboundRecord, limit: int) -> OutboundRecord:
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
