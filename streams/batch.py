"""``newswire enrich``: a JSONL file through the worker's own processor and NLP pool, without
Kafka; one output record per input line, in input order.

As in the worker, batches overlap: while the NLP processes parse one batch's articles, the next
batch is decoded and deduplicated, so every NLP process always has an article waiting."""

from __future__ import annotations

import contextlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from config.settings import Settings
from services.enrichment import Enrichment
from services.errors import ProcessingFailed
from services.pipeline import ArticleProcessor, PreparedBatch, RawMessage
from streams.domain import build_enricher, build_processor, redis_client

#: A batch after decode and dedup, and its NLP chunks: (chunk, its parse in flight).
_InFlight = tuple[PreparedBatch, list[tuple[Any, Future[list[Enrichment | ProcessingFailed]]]]]


def jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """``(line number, line)`` for every non-blank line of a JSONL file, as bytes."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield number, line


@contextlib.contextmanager
def batch_processor(settings: Settings) -> Iterator[ArticleProcessor]:
    """The worker's processor for a batch run: the configured Redis and NLP processes
    (``nlp_processes``), closed afterwards."""
    client = redis_client(settings)
    enricher = build_enricher(settings.nlp_params)
    try:
        yield build_processor(settings, client, enricher)
    finally:
        close = getattr(enricher, "close", None)
        if close is not None:
            close()
        client.close()


def enrich_file(
    processor: ArticleProcessor,
    source: Path,
    out: BinaryIO,
    *,
    lanes: int,
    batch_messages: int,
    progress: Callable[[int], None] | None = None,
) -> Counter[str]:
    """Write one output record per line of ``source`` to ``out`` (enriched, duplicate or
    dead letter, in input order); returns the count of each outcome. ``lanes`` NLP chunks run
    at once (one per NLP process); ``progress`` gets the bytes of input read so far."""
    counts: Counter[str] = Counter()
    done = 0

    def messages() -> Iterator[RawMessage]:
        nonlocal done
        for number, line in jsonl_lines(source):
            done += len(line) + 1
            yield RawMessage(line, None, f"file:{source.name}", 0, number)

    def write(prepared: PreparedBatch) -> None:
        for outcome in prepared.result().outcomes:
            counts[outcome.kind] += 1
            out.write((outcome.records[0].value or b"") + b"\n")
        if progress is not None:
            progress(done)

    run_batches(processor, messages(), lanes=lanes, batch_messages=batch_messages, finished=write)
    return counts


def run_batches(
    processor: ArticleProcessor,
    messages: Iterable[RawMessage],
    *,
    lanes: int,
    batch_messages: int,
    finished: Callable[[PreparedBatch], None],
) -> None:
    """Process ``messages`` in batches of ``batch_messages``, up to ``lanes`` NLP chunks at
    once and ``lanes`` batches prepared ahead; ``finished`` gets each batch, in order, once
    all of its outcomes are final. Raises :class:`~services.errors.InfrastructureError` if
    Redis is unreachable."""
    pending: deque[_InFlight] = deque()
    with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="newswire-nlp") as nlp:
        iterator = iter(messages)
        while batch := list(islice(iterator, batch_messages)):
            prepared = processor.prepare(batch, lanes)
            chunks = [
                (chunk, nlp.submit(processor.enricher.enrich, prepared.articles(chunk)))
                for chunk in prepared.chunks
            ]
            pending.append((prepared, chunks))
            while len(pending) > lanes:
                finished(_complete(processor, *pending.popleft()))
        while pending:
            finished(_complete(processor, *pending.popleft()))


def _complete(processor: ArticleProcessor, prepared: PreparedBatch, chunks: Any) -> PreparedBatch:
    for chunk, parsed in chunks:
        processor.complete(prepared, chunk, parsed.result())
    return prepared
