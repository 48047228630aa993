"""Builders of the four output record kinds (the contract downstream teams code against).

Field names and meanings are documented in docs/schemas.md and pinned by the JSON Schemas
in config/schemas/. A breaking change needs a new ``schema`` version, never an edit in place.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from services.articles import Article
from services.dedup import DedupDecision
from services.enrichment import ArticleTone, Enrichment, Entity, Event, Quotation, TextSpan

ENRICHED_SCHEMA = "newswire.enriched/1"
DUPLICATE_SCHEMA = "newswire.duplicate/1"
EVENT_SCHEMA = "newswire.event/1"
DLQ_SCHEMA = "newswire.dlq/1"


def rfc3339(epoch_seconds: float) -> str:
    """Millisecond-precision UTC timestamp, e.g. ``2026-11-26T04:28:48.123Z``."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def pipeline_info(version: str, model: str | None) -> dict[str, Any]:
    return {"version": version, "model": model}


def enriched_record(
    article: Article,
    decision: DedupDecision,
    enrichment: Enrichment,
    *,
    version: str,
    model: str,
) -> dict[str, Any]:
    record: dict[str, Any] = {"schema": ENRICHED_SCHEMA}
    record.update(article.identity())
    record["dedup"] = decision.to_record()
    record["text"] = article.text
    record["entities"] = [entity_json(e) for e in enrichment.entities]
    record["events"] = [event_json(e) for e in enrichment.events]
    if enrichment.tone is not None:
        record.update(tone_json(enrichment.tone))
        record["quotations"] = [quotation_json(q) for q in enrichment.quotations]
    record["pipeline"] = pipeline_info(version, model)
    # The claim time, not the wall clock: a replayed article gets a byte-identical record.
    record["processed_at"] = rfc3339(decision.claimed_at)
    return record


def duplicate_record(article: Article, decision: DedupDecision, *, version: str) -> dict[str, Any]:
    record: dict[str, Any] = {"schema": DUPLICATE_SCHEMA}
    record.update(article.identity())
    record["dedup"] = decision.to_record()
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
    failed_at: float,
    article_id: str | None = None,
    version: str,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "schema": DLQ_SCHEMA,
        "error": {"type": error_type, "message": message, "stage": stage},
        "source": {"topic": topic, "partition": partition, "offset": offset},
        "article_id": article_id,
    }
    record.update(_encode_bytes("payload", payload))
    record.update(_encode_bytes("key", key))
    record["pipeline"] = pipeline_info(version, None)
    record["failed_at"] = rfc3339(failed_at)
    return record


def _encode_bytes(field: str, data: bytes | None) -> dict[str, Any]:
    """Text when the bytes are valid UTF-8, else base64 with ``<field>_encoding``."""
    if data is None:
        return {field: None, f"{field}_encoding": "none"}
    try:
        return {field: data.decode("utf-8"), f"{field}_encoding": "utf-8"}
    except UnicodeDecodeError:
        return {field: base64.b64encode(data).decode("ascii"), f"{field}_encoding": "base64"}


def decode_dlq_payload(record: dict[str, Any]) -> bytes | None:
    """The original message bytes back out of a DLQ record (used by ``newswire replay``)."""
    payload = record.get("payload")
    if payload is None:
        return None
    if record.get("payload_encoding") == "base64":
        return base64.b64decode(payload)
    return str(payload).encode("utf-8")
