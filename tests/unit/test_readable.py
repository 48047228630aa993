"""Output records as people read them: one line per record, and tail's filters."""

from __future__ import annotations

from streams.readable import RecordFilter, describe

EVENT = {
    "schema": "newswire.event/1",
    "code": "042",
    "label": "Make a visit",
    "story_id": "s1",
    "trigger": {"text": "visited"},
    "actors": [{"id": "person:lloyd-austin", "name": "Lloyd Austin", "type": "PERSON", "country": "USA"}],
    "targets": [{"id": "country:JPN", "name": "Japan", "type": "GPE", "country": "JPN"}],
}


def test_tail_filters_match_on_entity_country_code_and_story() -> None:
    assert RecordFilter(entity="person:lloyd-austin").matches(EVENT)
    assert RecordFilter(entity="japan", country="jpn", code="04", story="s1").matches(EVENT)
    assert not RecordFilter(country="CHN").matches(EVENT)
    assert not RecordFilter(code="19").matches(EVENT)
    assert not RecordFilter(story="other").matches(EVENT)
    assert RecordFilter().matches(EVENT)


def test_tail_filters_look_inside_enriched_records() -> None:
    enriched = {
        "schema": "newswire.enriched/1",
        "entities": EVENT["targets"],
        "events": [{"code": "111"}],
        "dedup": {"story_id": "s9"},
    }
    assert RecordFilter(country="JPN", code="11", story="s9").matches(enriched)


def test_describe_says_who_did_what_to_whom() -> None:
    assert describe(EVENT) == "[event 042] Lloyd Austin -> Make a visit -> Japan ('visited')"
    dlq = {"schema": "newswire.dlq/1", "error": {"stage": "decode", "type": "invalid_json", "message": "bad"}}
    assert describe(dlq) == "[dlq] decode/invalid_json: bad"
    assert describe({"schema": "tombstone", "key": "a1:ev1"}).startswith("[tombstone] event a1:ev1")
