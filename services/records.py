"""Builders of the four output record kinds (the contract downstream teams code against).

Field names and meanings are documented in docs/schemas.md and pinned by the JSON Schemas
in config/schemas/. A breaking change needs a new ``schema`` version, never an edit in place.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from services.articles import Article
from services.dedup import DedupDecision, RevisionCommit
from services.enrichment import ArticleTone, Enrichment, Entity, Event, Quotation, TextSpan

ENRICHED_SCHEMA = "newswire.enriched/1"
DUPLICATE_SCHEMA = "newswire.duplicate/1"
EVENT_SCHEMA = "newswire.event/1"
DLQ_SCHEMA = "newswire.dlq/1"


def rfc3339(epoch_seconds: float) -> str:
    """Millisecond-precision UTC timestamp, e.g. ``2026-11-26T04:28:48.123Z``."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def rfc3339_ms(epoch_ms: int) -> str:
    """Like :func:`rfc3339` from whole milliseconds, exactly (no float rounding)."""
    seconds, millis = divmod(epoch_ms, 1000)
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis:03d}Z"


#: A Kafka header as read: the name is ``bytes`` only when it is not valid UTF-8.
Header = tuple[str | bytes, bytes | None]


def pipeline_info(version: str, model: str | None) -> dict[str, Any]:
    return {"version": version, "model": model}


def enriched_record(
    article: Article,
    decision: DedupDecision,
    enrichment: Enrichment,
    *,
    version: str,
    model: str,
    commit: RevisionCommit | None = None,
    nlp_skipped: str | None = None,
) -> dict[str, Any]:
    """``nlp_skipped``: why no NLP ran on this article (``unsupported_language``), if it did not."""
    record: dict[str, Any] = {"schema": ENRICHED_SCHEMA}
    record.update(article.identity())
    record["dedup"] = decision.to_record()
    record["revision"] = revision_info(article, decision, commit or RevisionCommit())
    record["text"] = article.text
    record["entities"] = [entity_json(e) for e in enrichment.entities]
    record["events"] = [event_json(e) for e in enrichment.events]
    if enrichment.tone is not None:
        record.update(tone_json(enrichment.tone))
        record["quotations"] = [quotation_json(q) for q in enrichment.quotations]
    record["nlp"] = {"status": "skipped" if nlp_skipped else "done", "reason": nlp_skipped}
    record["pipeline"] = pipeline_info(version, model)
    # The claim time, not the wall clock: a replayed article gets a byte-identical record.
    record["processed_at"] = rfc3339(decision.claimed_at)
    return record


def revision_info(article: Article, decision: DedupDecision, commit: RevisionCommit) -> dict[str, Any]:
    """Which revision of the article a record carries and, for a published revision, what
    it replaces for consumers (the event ids it retracts are tombstoned on news.events)."""
    supersedes = None
    if commit.replaces is not None:
        supersedes = {"number": commit.replaces, "content_hash": commit.replaces_content_hash}
    return {
        "number": decision.revision,
        "updated_at": article.updated_at,
        "supersedes": supersedes,
        "retracted_events": list(commit.retracted),
    }


def duplicate_record(article: Article, decision: DedupDecision, *, version: str) -> dict[str, Any]:
    record: dict[str, Any] = {"schema": DUPLICATE_SCHEMA}
    record.update(article.identity())
    record["dedup"] = decision.to_record()
    record["revision"] = {"number": decision.revision, "updated_at": article.updated_at}
    record["pipeline"] = pipeline_info(version, None)
    record["processed_at"] = rfc3339(decision.claimed_at)
    return record


def span_json(span: TextSpan) -> dict[str, Any]:
    return {"text": span.text, "start": span.start, "end": span.end}


def entity_json(entity: Entity) -> dict[str, Any]:
    """An entity as it appears in ``entities[]`` of an enriched record."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "mentions": [span_json(m) for m in entity.mentions],
        "count": entity.count,
        "salience": entity.salience,
        "country": entity.country,
        "role": entity.role,
        "lat": entity.lat,
        "lon": entity.lon,
        "tone": entity.tone,
    }


def event_json(event: Event) -> dict[str, Any]:
    """An event as it appears in ``events[]`` of an enriched record (entity ids, not objects)."""
    return {
        "id": event.id,
        "code": event.code,
        "root_code": event.root_code,
        "label": event.cameo.label,
        "quad_class": event.cameo.quad_class,
        "goldstein": event.cameo.goldstein,
        "trigger": span_json(event.trigger),
        "actors": list(event.actors),
        "targets": list(event.targets),
        "actor_countries": list(event.actor_countries),
        "target_countries": list(event.target_countries),
        "sentence": {"start": event.sentence_start, "end": event.sentence_end},
        "negated": event.negated,
        "modality": event.modality,
        "date": event.date,
        "location": event.location,
        "confidence": event.confidence,
        "basis": event.basis,
    }


def tone_json(tone: ArticleTone) -> dict[str, Any]:
    return {
        "tone": tone.tone,
        "tone_detail": {
            "positive": tone.positive,
            "negative": tone.negative,
            "polarity": tone.polarity,
            "word_count": tone.word_count,
        },
    }


def quotation_json(quotation: Quotation) -> dict[str, Any]:
    return {
        "text": quotation.text,
        "start": quotation.start,
        "end": quotation.end,
        "speaker": quotation.speaker,
    }


def _entity_summary(entity: Entity | None, entity_id: str) -> dict[str, Any]:
    if entity is None:
        return {"id": entity_id, "name": entity_id, "type": "UNKNOWN"}
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "country": entity.country,
        "role": entity.role,
    }


def event_records(
    article: Article, decision: DedupDecision, enrichment: Enrichment, *, version: str, model: str
) -> list[dict[str, Any]]:
    """One self-contained record per event, actors and targets expanded for consumers
    who never read the article."""
    by_id = {entity.id: entity for entity in enrichment.entities}

    def expand(entity_id: str) -> dict[str, Any]:
        return _entity_summary(by_id.get(entity_id), entity_id)

    out = []
    for event in enrichment.events:
        record: dict[str, Any] = {"schema": EVENT_SCHEMA}
        record.update(event_json(event))
        record["actors"] = [expand(e) for e in event.actors]
        record["targets"] = [expand(e) for e in event.targets]
        if event.location is not None:
            record["location"] = expand(event.location)
        record["article_id"] = article.article_id
        record["revision"] = {"number": decision.revision}
        record["story_id"] = decision.story_id
        record["published_at"] = article.published_at
        record["source"] = article.source
        record["url"] = article.url
        record["title"] = article.title
        record["pipeline"] = pipeline_info(version, model)
        record["processed_at"] = rfc3339(decision.claimed_at)
        out.append(record)
    return out


def dlq_record(
    *,
    error_type: str,
    message: str,
    stage: str,
    topic: str,
    partition: int,
    offset: int,
    payload: bytes | None,
    key: bytes | None,
    failed_at_ms: int,
    article_id: str | None = None,
    headers: Sequence[Header] = (),
    version: str,
) -> dict[str, Any]:
    """``failed_at_ms`` is the input message's timestamp, not the wall clock: a message
    dead-lettered again after a restart gets a byte-identical record."""
    record: dict[str, Any] = {
        "schema": DLQ_SCHEMA,
        "error": {"type": error_type, "message": message, "stage": stage},
        "source": {"topic": topic, "partition": partition, "offset": offset},
        "article_id": article_id,
    }
    record.update(_encode_bytes("payload", payload))
    record.update(_encode_bytes("key", key))
    record["headers"] = [_encode_header(name, value) for name, value in headers]
    record["pipeline"] = pipeline_info(version, None)
    record["failed_at"] = rfc3339_ms(failed_at_ms)
    return record


def _encode_header(name: str | bytes, value: bytes | None) -> dict[str, Any]:
    raw_name = name if isinstance(name, bytes) else name.encode("utf-8")
    return {**_encode_bytes("name", raw_name), **_encode_bytes("value", value)}


def _encode_bytes(field: str, data: bytes | None) -> dict[str, Any]:
    """Text when the bytes are valid UTF-8, else base64 with ``<field>_encoding``."""
    if data is None:
        return {field: None, f"{field}_encoding": "none"}
    try:
        return {field: data.decode("utf-8"), f"{field}_encoding": "utf-8"}
    except UnicodeDecodeError:
        return {field: base64.b64encode(data).decode("ascii"), f"{field}_encoding": "base64"}


def _decode_bytes(record: dict[str, Any], field: str) -> bytes | None:
    data = record.get(field)
    if data is None:
        return None
    if record.get(f"{field}_encoding") == "base64":
        return base64.b64decode(data)
    return str(data).encode("utf-8")


def decode_dlq_payload(record: dict[str, Any]) -> bytes | None:
    """The original message bytes back out of a DLQ record (used by ``newswire replay``)."""
    return _decode_bytes(record, "payload")


def decode_dlq_key(record: dict[str, Any]) -> bytes | None:
    """The original message key back out of a DLQ record."""
    return _decode_bytes(record, "key")


def decode_dlq_headers(record: dict[str, Any]) -> tuple[list[tuple[str, bytes | None]], int]:
    """The original Kafka headers of a DLQ record, and how many were left out because their
    names are not UTF-8 (Kafka clients cannot send those, and the message would be
    dead-lettered again for them). Records written before headers were kept have none."""
    headers: list[tuple[str, bytes | None]] = []
    dropped = 0
    for header in record.get("headers") or []:
        name = _decode_bytes(header, "name") or b""
        try:
            headers.append((name.decode("utf-8"), _decode_bytes(header, "value")))
        except UnicodeDecodeError:
            dropped += 1
    return headers, dropped
