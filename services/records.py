"""Builders of the four output record kinds (the contract downstream teams code against).

Field names and meanings are documented in docs/schemas.md and pinned by the JSON Schemas
in config/schemas/. A breaking change needs a new ``schema`` version, never an edit in place.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from services.articles import Article
from services.dedup import DedupDecision, RevisionCommit
from services.enrichment import Enrichment

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
    commit: RevisionCommit | None = None,
    nlp_skipped: str | None = None,
) -> dict[str, Any]:
    """``nlp_skipped``: why no NLP ran on this article (``unsupported_language``), if it did not."""
    record: dict[str, Any] = {"schema": ENRICHED_SCHEMA}
    record.update(article.identity())
    record["dedup"] = decision.to_record()
    record["revision"] = revision_info(article, decision, commit or RevisionCommit())
    record["text"] = article.text
    record["entities"] = enrichment.entities
    record["events"] = enrichment.events
    for name, value in enrichment.extras.items():
        record.setdefault(name, value)
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


_ENTITY_SUMMARY_FIELDS = ("id", "name", "type", "country", "role")


def event_records(
    article: Article, decision: DedupDecision, enrichment: Enrichment, *, version: str, model: str
) -> list[dict[str, Any]]:
    """One self-contained record per event, actors and targets expanded for consumers
    who never read the article."""
    by_id = {entity["id"]: entity for entity in enrichment.entities}

    def expand(entity_id: str) -> dict[str, Any]:
        entity = by_id.get(entity_id, {"id": entity_id, "name": entity_id, "type": "UNKNOWN"})
        return {k: entity[k] for k in _ENTITY_SUMMARY_FIELDS if k in entity}

    out = []
    for event in enrichment.events:
        record: dict[str, Any] = {"schema": EVENT_SCHEMA}
        record.update(event)
        record["actors"] = [expand(e) for e in event.get("actors", [])]
        record["targets"] = [expand(e) for e in event.get("targets", [])]
        if isinstance(event.get("location"), str):
            record["location"] = expand(event["location"])
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
