"""CLI helpers: tail filters, readable lines, producer input parsing."""

from __future__ import annotations

import argparse
from pathlib import Path

import orjson

from streams.cli import _payloads_from, build_parser, describe, record_matches
from streams.kafka_tools import bootstrap_servers

EVENT = {
    "schema": "newswire.event/1",
    "code": "042",
    "label": "Make a visit",
    "story_id": "s1",
    "trigger": {"text": "visited"},
    "actors": [{"id": "person:lloyd-austin", "name": "Lloyd Austin", "type": "PERSON", "country": "USA"}],
    "targets": [{"id": "country:JPN", "name": "Japan", "type": "GPE", "country": "JPN"}],
}


def filters(**values: str) -> argparse.Namespace:
    base = {"entity": None, "country": None, "code": None, "story": None}
    base.update(values)
    return argparse.Namespace(**base)


def test_tail_filters_match_on_entity_country_code_and_story() -> None:
    assert record_matches(EVENT, filters(entity="person:lloyd-austin"))
    assert record_matches(EVENT, filters(entity="japan", country="jpn", code="04", story="s1"))
    assert not record_matches(EVENT, filters(country="CHN"))
    assert not record_matches(EVENT, filters(code="19"))
    assert not record_matches(EVENT, filters(story="other"))


def test_tail_filters_look_inside_enriched_records() -> None:
    enriched = {
        "schema": "newswire.enriched/1",
        "entities": EVENT["targets"],
        "events": [{"code": "111"}],
        "dedup": {"story_id": "s9"},
    }
    assert record_matches(enriched, filters(country="JPN", code="11", story="s9"))


def test_describe_says_who_did_what_to_whom() -> None:
    assert describe(EVENT) == "[event 042] Lloyd Austin -> Make a visit -> Japan ('visited')"
    dlq = {"schema": "newswire.dlq/1", "error": {"stage": "decode", "type": "invalid_json", "message": "bad"}}
    assert describe(dlq) == "[dlq] decode/invalid_json: bad"


def test_produce_reads_jsonl_keys_and_passes_broken_lines_through(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": "a1", "url": "https://x.example/1", "body": "b"}\n\n{broken\n')
    assert list(_payloads_from(source)) == [
        (b"a1", b'{"id": "a1", "url": "https://x.example/1", "body": "b"}'),
        (None, b"{broken"),
    ]


def test_produce_wraps_a_folder_of_html_files_as_articles(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text("<p>Talks resumed.</p>")
    (tmp_path / "notes.bin").write_bytes(b"\x00")
    [(key, value)] = list(_payloads_from(tmp_path))
    record = orjson.loads(value)
    assert key is None
    assert record["body"] == "<p>Talks resumed.</p>" and record["url"].startswith("https://")


def test_bootstrap_servers_accepts_faust_style_urls() -> None:
    assert bootstrap_servers("kafka://a:9092;b:9093") == ["a:9092", "b:9093"]


def test_every_documented_command_exists() -> None:
    parser = build_parser()
    for command in (
        "worker",
        "demo",
        "enrich",
        "produce",
        "tail",
        "replay",
        "story",
        "settings",
        "topics",
        "eval",
        "eval-dedup",
        "bench",
    ):
        assert parser.parse_args([command, *(["x"] if command in ("enrich", "produce", "story") else [])])
