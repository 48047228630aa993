"""One batch of raw messages in, the records to publish out: decode -> dedup -> NLP -> records
(an enriched revision also retracts the events its predecessor had and it lost: tombstones).

Transport-neutral: the Faust agent and ``newswire enrich`` both call
:meth:`ArticleProcessor.process`, which is why they give the same records for the same input.
"""

from __future__ import annotations

import contextlib
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import orjson

from services.articles import Article, InputLimits, decode_payload, readable_id, validate_article
from services.dedup import DedupDecision, Deduplicator, RevisionCommit
from services.enrichment import Enricher, Enrichment
from services.errors import InfrastructureError, InvalidArticle, ProcessingFailed
from services.records import Header, dlq_record, duplicate_record, enriched_record, event_records

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
    headers: tuple[Header, ...] = ()
    #: The record's timestamp in milliseconds since the epoch; None when it has none.
    timestamp_ms: int | None = None
    #: ``(error_type, message)`` when the transport could not read the record as it was sent
    #: (a header name that is not UTF-8, a batch it cannot decompress): dead-lettered as is.
    unreadable: tuple[str, str] | None = None

    @property
    def position(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"


@dataclass(frozen=True, slots=True)
class OutboundRecord:
    topic_kind: TopicKind
    key: bytes
    #: None is a tombstone: the event under ``key`` was retracted by a later revision.
    value: bytes | None


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
    language: str | None = None
    #: Why NLP did not run on an enriched article (``unsupported_language``), else None.
    nlp_skipped: str | None = None
    #: ``type`` of each input warning (bounded: see ``services.articles.WarningType``).
    warnings: list[str] = field(default_factory=list)


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
    """The latest NLP results, bounded by the bytes of the records they made rather than by
    count: under a count bound the worker's memory grew with article length."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size_bytes = 0
        self._entries: OrderedDict[_ReuseKey, tuple[Enrichment, int]] = OrderedDict()

    def get(self, key: _ReuseKey) -> Enrichment | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: _ReuseKey, enrichment: Enrichment, outcome: Outcome) -> None:
        size = sum(len(r.key) + len(r.value or b"") for r in outcome.records)
        if size > self.max_bytes or key in self._entries:
            return
        self._entries[key] = (enrichment, size)
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
        nlp_chunk_size: int,
        clock: Callable[[], float] = time.time,
        reuse_cache_bytes: int = 8 * 2**20,
    ) -> None:
        self.limits = limits
        self.deduplicator = deduplicator
        self.enricher = enricher
        self.version = version
        self.clock = clock
        #: Articles parsed together before their outcomes are handed to ``on_ready``.
        self.nlp_chunk_size = max(1, nlp_chunk_size)
        #: NLP results by reuse key: a replay of a revision's message (a retried batch) gets
        #: the same records without another NLP pass.
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
            fields = None
            try:
                if message.unreadable is not None:
                    with contextlib.suppress(InvalidArticle):  # only for the id it may carry
                        fields = decode_payload(message.value, self.limits)
                    raise InvalidArticle(*message.unreadable, stage="decode")
                fields = decode_payload(message.value, self.limits)
                valid.append((i, validate_article(fields, self.limits)))
            except InvalidArticle as exc:
                outcomes[i] = self._dead_letter(
                    message, exc.error_type, exc.message, exc.stage, article_id=readable_id(fields)
                )
        prepared.stage_seconds["decode"] = time.perf_counter() - started

        started = time.perf_counter()
        decisions = self.deduplicator.decide(
            [(article, messages[i].position) for i, article in valid], self.clock()
        )
        prepared.stage_seconds["dedup"] = time.perf_counter() - started

        # A revision's message may come again (a replay, a retried batch): its claim gives the
        # same decision, so its records are the same bytes. Reuse its NLP result from a small
        # in-process cache instead of spending NLP again, and parse a repeat inside one batch
        # only once. (A known version from another message is a duplicate: no NLP at all; an
        # article in a language without a pipeline is published with no NLP result.)
        to_enrich = prepared.to_enrich
        reused: list[tuple[int, Article, DedupDecision, Enrichment]] = []
        for (i, article), decision in zip(valid, decisions, strict=True):
            if decision.is_duplicate:
                outcomes[i] = self._duplicate(article, decision)
                continue
            if not article.nlp_supported:
                # No pipeline reads this language: published without NLP, never parsed as English.
                reused.append((i, article, decision, _NOT_READ))
                continue
            key = _reuse_key(article, decision)
            cached = self._recent.get(key)
            if cached is not None:
                reused.append((i, article, decision, cached))
            else:
                prepared.pending.append((i, article, decision, key))
                to_enrich.setdefault(key, article)
        for i, outcome in self._publish(reused):
            outcomes[i] = outcome
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
        publishing the chunk's revisions or releasing the claim of one the NLP failed on."""
        fresh = dict(zip(chunk, results, strict=True))
        done: list[int] = []
        parsed: list[tuple[int, Article, DedupDecision, Enrichment]] = []
        for i, article, decision, key in prepared.pending:
            if key not in fresh:
                continue
            done.append(i)
            # A repeat of an article parsed by another batch in flight at the same time:
            # its records must be the very same bytes.
            result = self._recent.get(key) or fresh[key]
            if isinstance(result, ProcessingFailed):
                # Claimed but not published: let a re-send of this version run again.
                self.deduplicator.store.mark_failed(article.article_id, decision.revision or 1)
                prepared.outcomes[i] = self._dead_letter(
                    prepared.messages[i],
                    result.error_type,
                    result.message,
                    result.stage,
                    article_id=article.article_id,
                )
            else:
                parsed.append((i, article, decision, result))
        for (i, outcome), (_, article, decision, enrichment) in zip(
            self._publish(parsed), parsed, strict=True
        ):
            prepared.outcomes[i] = outcome
            if outcome.kind == "enriched":
                self._recent.put(_reuse_key(article, decision), enrichment, outcome)
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

    def _publish(
        self, parsed: Sequence[tuple[int, Article, DedupDecision, Enrichment]]
    ) -> list[tuple[int, Outcome]]:
        """Outcomes of parsed revisions, once the store has published them (in order): the
        article's records, or a near duplicate of itself if a later revision got there first.
        Raises :class:`~services.errors.InfrastructureError` if Redis is unreachable."""
        commits = self.deduplicator.commit(
            [
                (article, decision, [e.id for e in enrichment.events])
                for _, article, decision, enrichment in parsed
            ]
        )
        out = []
        for (i, article, decision, enrichment), commit in zip(parsed, commits, strict=True):
            if commit.superseded:
                superseded = replace(
                    decision,
                    status="near_duplicate",
                    duplicate_of=article.article_id,
                    similarity=commit.similarity,
                    origin="superseded",
                )
                out.append((i, self._duplicate(article, superseded)))
            else:
                out.append((i, self._enriched(article, decision, enrichment, commit)))
        return out

    def _duplicate(self, article: Article, decision: DedupDecision) -> Outcome:
        record = duplicate_record(article, decision, version=self.version)
        return Outcome(
            kind="duplicate",
            records=[_out("duplicates", article.article_id, record)],
            article_id=article.article_id,
            decision=decision,
            published_at=article.published_at,
            language=article.language,
            warnings=[w.type for w in article.warnings],
        )

    def _enriched(
        self, article: Article, decision: DedupDecision, enrichment: Enrichment, commit: RevisionCommit
    ) -> Outcome:
        model = self.enricher.model_name
        skipped = None if article.nlp_supported else "unsupported_language"
        record = enriched_record(
            article,
            decision,
            enrichment,
            version=self.version,
            model=model,
            commit=commit,
            nlp_skipped=skipped,
        )
        records = [_out("enriched", article.article_id, record)]
        for event in event_records(article, decision, enrichment, version=self.version, model=model):
            records.append(_out("events", str(event["id"]), event))
        # Tombstones: a compacted news.events then holds this revision's events only.
        records.extend(
            OutboundRecord("events", event_id.encode("utf-8"), None) for event_id in commit.retracted
        )
        return Outcome(
            kind="enriched",
            records=records,
            article_id=article.article_id,
            decision=decision,
            entity_count=len(enrichment.entities),
            event_root_codes=[e.root_code for e in enrichment.events],
            published_at=article.published_at,
            language=article.language,
            nlp_skipped=skipped,
            warnings=[w.type for w in article.warnings],
        )

    def _dead_letter(
        self,
        message: RawMessage,
        error_type: str,
        text: str,
        stage: str,
        article_id: str | None = None,
    ) -> Outcome:
        # The message's own time: a message dead-lettered again (after a restart, a retried
        # batch) gets the same bytes. Only input without a timestamp (files) gets the clock's.
        failed_at_ms = message.timestamp_ms
        if failed_at_ms is None or failed_at_ms < 0:
            failed_at_ms = round(self.clock() * 1000)
        record = dlq_record(
            error_type=error_type,
            message=text,
            stage=stage,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            payload=message.value,
            key=message.key,
            failed_at_ms=failed_at_ms,
            article_id=article_id,
            headers=message.headers,
            version=self.version,
        )
        # Keyed by what the sender sent when it is readable (the message key, else the
        # payload's id), else by where the message came from.
        key = _readable_key(message.key) or (article_id or message.position).encode("utf-8")
        return Outcome(
            kind="dlq",
            records=[OutboundRecord(topic_kind="dlq", key=key, value=dumps(record))],
            article_id=article_id,
            error_type=error_type,
            error_stage=stage,
        )


def _readable_key(key: bytes | None) -> bytes | None:
    """The message key when it is printable UTF-8 text (of at most 256 characters)."""
    if not key or len(key) > 1024:
        return None
    try:
        text = key.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return key if text.strip() and len(text) <= 256 and text.isprintable() else None


#: What an article in a language without an NLP pipeline gets: no entities, no events.
_NOT_READ = Enrichment(entities=[], events=[])


def _reuse_key(article: Article, decision: DedupDecision) -> _ReuseKey:
    """Everything the NLP result depends on besides the (deterministic) model; the claim time
    tells revisions of one article apart."""
    return (article.article_id, article.content_hash, decision.claimed_at, decision.story_id)


def _out(kind: TopicKind, key: str, record: dict[str, object]) -> OutboundRecord:
    return OutboundRecord(topic_kind=kind, key=key.encode("utf-8"), value=dumps(record))
