"""One batch of raw messages in, the records to publish out: decode -> dedup -> NLP -> records.

Transport-neutral: the Faust agent and ``newswire enrich`` both call
:meth:`ArticleProcessor.process`, which is why they give the same records for the same input.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import orjson

from services.articles import Article, InputLimits, parse_article
from services.dedup import DedupDecision, Deduplicator
from services.enrichment import Enricher, Enrichment
from services.errors import InfrastructureError, InvalidArticle, ProcessingFailed
from services.records import dlq_record, duplicate_record, enriched_record, event_records

TopicKind = Literal["enriched", "duplicates", "events", "dlq"]
OutcomeKind = Literal["enriched", "duplicate", "dlq"]


@dataclass(frozen=True, slots=True)
class RawMessage:
    """A message as it came off the input, with where it came from."""

    value: bytes | None
    key: bytes | None
    topic: str
    partition: int
    offset: int

    @property
    def position(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"


@dataclass(frozen=True, slots=True)
class OutboundRecord:
    topic_kind: TopicKind
    key: bytes
    value: bytes


@dataclass(slots=True)
class Outcome:
    """What became of one input message."""

    kind: OutcomeKind
    records: list[OutboundRecord]
    article_id: str | None = None
    decision: DedupDecision | None = None
    error_type: str | None = None
    error_stage: str | None = None
    entity_count: int = 0
    event_root_codes: list[str] = field(default_factory=list)
    published_at: str | None = None


@dataclass(slots=True)
class BatchResult:
    #: One outcome per input message, in input order.
    outcomes: list[Outcome]
    #: Seconds spent per stage over the whole batch: decode, dedup, nlp.
    stage_seconds: dict[str, float]
    nlp_articles: int = 0


#: Called from the processing thread with ``(message index, outcome)`` pairs as soon as they
#: are final, so that the caller can publish them while the rest of the batch is still in NLP.
OnReady = Callable[[list[tuple[int, "Outcome"]]], None]


def dumps(record: dict[str, object]) -> bytes:
    return orjson.dumps(record)


_ReuseKey = tuple[str, str, float, str]


class _ReuseCache:
    """The latest enriched outcomes, bounded by the bytes of their records rather than by
    count: under a count bound the worker's memory grew with article length."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size_bytes = 0
        self._entries: OrderedDict[_ReuseKey, tuple[Outcome, int]] = OrderedDict()

    def get(self, key: _ReuseKey) -> Outcome | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: _ReuseKey, outcome: Outcome) -> None:
        size = sum(len(r.key) + len(r.value) for r in outcome.records)
        if size > self.max_bytes or key in self._entries:
            return
        self._entries[key] = (outcome, size)
        self.size_bytes += size
        while self.size_bytes > self.max_bytes:
            _, (_, evicted) = self._entries.popitem(last=False)
            self.size_bytes -= evicted


@dataclass(slots=True)
class PreparedBatch:
    """A batch after decode and dedup (:meth:`ArticleProcessor.prepare`): the outcomes known
    so far, and the articles still to enrich, in chunks of reuse keys."""

    messages: Sequence[RawMessage]
    outcomes: list[Outcome | None]
    pending: list[tuple[int, Article, DedupDecision, _ReuseKey]] = field(default_factory=list)
    to_enrich: dict[_ReuseKey, Article] = field(default_factory=dict)
    chunks: list[list[_ReuseKey]] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=lambda: {"decode": 0.0, "dedup": 0.0, "nlp": 0.0})

    def articles(self, chunk: Sequence[_ReuseKey]) -> list[Article]:
        return [self.to_enrich[key] for key in chunk]

    def final_indices(self) -> list[int]:
        return [i for i, outcome in enumerate(self.outcomes) if outcome is not None]

    def pairs(self, indices: Sequence[int]) -> list[tuple[int, Outcome]]:
        return [(i, outcome) for i in indices if (outcome := self.outcomes[i]) is not None]

    def result(self) -> BatchResult:
        missing = [i for i, outcome in enumerate(self.outcomes) if outcome is None]
        if missing:  # a bug: callers pair outcomes with messages by position
            raise RuntimeError(f"no outcome for messages at {missing}")
        return BatchResult(
            outcomes=[o for o in self.outcomes if o is not None],
            stage_seconds=self.stage_seconds,
            nlp_articles=len(self.to_enrich),
        )


class ArticleProcessor:
    """The whole per-batch business logic of a worker, free of any transport."""

    def __init__(
        self,
        *,
        limits: InputLimits,
        deduplicator: Deduplicator,
        enricher: Enricher,
        version: str,
        clock: Callable[[], float] = time.time,
        reuse_cache_bytes: int = 8 * 2**20,
        nlp_chunk_size: int = 2,
    ) -> None:
        self.limits = limits
        self.deduplicator = deduplicator
        self.enricher = enricher
        self.version = version
        self.clock = clock
        #: Articles parsed together before their outcomes are handed to ``on_ready``.
        self.nlp_chunk_size = max(1, nlp_chunk_size)
        #: Enriched outcomes by reuse key: a re-send under the same id and claim (a retried
        #: batch, a producer retry) gets the same records without another NLP pass.
        self._recent = _ReuseCache(reuse_cache_bytes)

    def process(self, messages: Sequence[RawMessage], on_ready: OnReady | None = None) -> BatchResult:
        """Raises :class:`~services.errors.InfrastructureError` when Redis is unreachable;
        the caller must then retry the messages whose outcomes it has not published.

        Dead letters and duplicates are final right after the dedup stage, enriched articles
        after their NLP chunk of ``nlp_chunk_size``: each group goes to ``on_ready`` at once, so
        an article waits for its own chunk rather than for the whole batch."""

        def ready(indices: Sequence[int]) -> None:
            if on_ready is not None and indices:
                on_ready(prepared.pairs(indices))

        prepared = self.prepare(messages)
        ready(prepared.final_indices())
        started = time.perf_counter()
        for chunk in prepared.chunks:
            ready(self.complete(prepared, chunk, self.enricher.enrich(prepared.articles(chunk))))
        prepared.stage_seconds["nlp"] = time.perf_counter() - started
        return prepared.result()

    def prepare(self, messages: Sequence[RawMessage], lanes: int = 1) -> PreparedBatch:
        """Decode and dedup: the outcomes final without NLP, and the NLP work left, in chunks.

        The worker runs the chunks (``enricher.enrich``) wherever it likes, concurrently with
        other batches, and hands each result to :meth:`complete`. With ``lanes`` parallel NLP
        processes a small batch is split so that each gets a share (two articles, two lanes:
        two chunks of one) rather than one lane parsing all while another idles; chunks never
        exceed ``nlp_chunk_size``. Raises :class:`~services.errors.InfrastructureError` when
        Redis is unreachable."""
        prepared = PreparedBatch(messages=messages, outcomes=[None] * len(messages))
        outcomes = prepared.outcomes
        started = time.perf_counter()
        valid: list[tuple[int, Article]] = []
        for i, message in enumerate(messages):
            try:
                valid.append((i, parse_article(message.value, self.limits)))
            except InvalidArticle as exc:
                outcomes[i] = self._dead_letter(message, exc.error_type, exc.message, exc.stage)
        prepared.stage_seconds["decode"] = time.perf_counter() - started

        started = time.perf_counter()
        decisions = self.deduplicator.decide(
            [(article, messages[i].position) for i, article in valid], self.clock()
        )
        prepared.stage_seconds["dedup"] = time.perf_counter() - started

        # The same article may come again under its id (a scraper re-send, a replay): its
        # claim gives the same decision, so its records are the same bytes. Reuse them from
        # a small in-process cache instead of spending NLP again, and parse a repeat inside
        # one batch only once.
        to_enrich = prepared.to_enrich
        for (i, article), decision in zip(valid, decisions, strict=True):
            if decision.is_duplicate:
                record = duplicate_record(article, decision, version=self.version)
                outcomes[i] = Outcome(
                    kind="duplicate",
                    records=[_out("duplicates", article.article_id, record)],
                    article_id=article.article_id,
                    decision=decision,
                    published_at=article.published_at,
                )
                continue
            key = _reuse_key(article, decision)
            cached = self._recent.get(key)
            if cached is not None:
                outcomes[i] = cached
            else:
                prepared.pending.append((i, article, decision, key))
                to_enrich.setdefault(key, article)
        keys = list(to_enrich)
        size = max(1, min(self.nlp_chunk_size, -(-len(keys) // max(1, lanes))))
        prepared.chunks = [keys[start : start + size] for start in range(0, len(keys), size)]
        return prepared

    def complete(
        self,
        prepared: PreparedBatch,
        chunk: Sequence[_ReuseKey],
        results: Sequence[Enrichment | ProcessingFailed],
    ) -> list[int]:
        """Turn one chunk's NLP results into outcomes; returns the message indices now final.
        Raises :class:`~services.errors.InfrastructureError` if Redis is unreachable while
        releasing the claim of an article the NLP failed on."""
        fresh = dict(zip(chunk, results, strict=True))
        built: dict[_ReuseKey, Outcome] = {}
        done: list[int] = []
        for i, article, decision, key in prepared.pending:
            if key not in fresh:
                continue
            done.append(i)
            # A repeat of an article enriched earlier in this chunk, or by another batch in
            # flight at the same time: its records must be the very same bytes.
            cached = built.get(key) or self._recent.get(key)
            if cached is not None:
                prepared.outcomes[i] = cached
                continue
            result = fresh[key]
            if isinstance(result, ProcessingFailed):
                # Claimed but not published: let a re-send of this article run again.
                self.deduplicator.store.mark_failed(article.article_id)
                prepared.outcomes[i] = self._dead_letter(
                    prepared.messages[i],
                    result.error_type,
                    result.message,
                    result.stage,
                    article_id=article.article_id,
                )
            else:
                enriched = built[key] = self._enriched(article, decision, result)
                prepared.outcomes[i] = enriched
                self._recent.put(key, enriched)
        return done

    def process_isolated(
        self, messages: Sequence[RawMessage], on_ready: OnReady | None = None
    ) -> BatchResult:
        """Like :meth:`process`, one message at a time; a message that still raises an
        unexpected error is dead-lettered as ``internal_error`` instead of stalling its
        partition. Used when a whole batch failed for a reason that is not infrastructure."""
        outcomes: list[Outcome] = []
        stage_seconds = {"decode": 0.0, "dedup": 0.0, "nlp": 0.0}
        nlp_articles = 0
        for i, message in enumerate(messages):
            try:
                single = self.process([message])
            except InfrastructureError:
                raise
            except Exception as exc:
                single = BatchResult(
                    outcomes=[
                        self._dead_letter(
                            message, "internal_error", f"{type(exc).__name__}: {exc}", "internal"
                        )
                    ],
                    stage_seconds={},
                )
            outcomes.extend(single.outcomes)
            if on_ready is not None:
                on_ready([(i, outcome) for outcome in single.outcomes])
            nlp_articles += single.nlp_articles
            for stage, seconds in single.stage_seconds.items():
                stage_seconds[stage] += seconds
        return BatchResult(outcomes=outcomes, stage_seconds=stage_seconds, nlp_articles=nlp_articles)

    def _enriched(self, article: Article, decision: DedupDecision, enrichment: Enrichment) -> Outcome:
        model = self.enricher.model_name
        record = enriched_record(article, decision, enrichment, version=self.version, model=model)
        records = [_out("enriched", article.article_id, record)]
        for event in event_records(article, decision, enrichment, version=self.version, model=model):
            records.append(_out("events", str(event["id"]), event))
        return Outcome(
            kind="enriched",
            records=records,
            article_id=article.article_id,
            decision=decision,
            entity_count=len(enrichment.entities),
            event_root_codes=[e.root_code for e in enrichment.events],
            published_at=article.published_at,
        )

    def _dead_letter(
        self,
        message: RawMessage,
        error_type: str,
        text: str,
        stage: str,
        article_id: str | None = None,
    ) -> Outcome:
        record = dlq_record(
            error_type=error_type,
            message=text,
            stage=stage,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            payload=message.value,
            key=message.key,
            failed_at=self.clock(),
            article_id=article_id,
            version=self.version,
        )
        # Keyed by the article when we know it, else by where the message came from.
        key = article_id or message.position
        return Outcome(
            kind="dlq",
            records=[_out("dlq", key, record)],
            article_id=article_id,
            error_type=error_type,
            error_stage=stage,
        )


def _reuse_key(article: Article, decision: DedupDecision) -> _ReuseKey:
    """Everything an enriched record depends on besides the (deterministic) model."""
    return (article.article_id, article.content_hash, decision.claimed_at, decision.story_id)


def _out(kind: TopicKind, key: str, record: dict[str, object]) -> OutboundRecord:
    return OutboundRecord(topic_kind=kind, key=key.encode("utf-8"), value=dumps(record))
