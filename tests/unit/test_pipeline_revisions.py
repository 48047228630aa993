"""Revisions through the processor (no servers, no model): a corrected article is enriched as
the next revision, the events it lost are retracted with tombstones, an identical re-send is a
duplicate, replays are byte-identical, and a revision that lost the race is never published."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

import orjson

from services.articles import Article
from services.enrichment import CameoCode, Enrichment, Event, TextSpan
from services.errors import ProcessingFailed
from services.pipeline import ArticleProcessor, Outcome, RawMessage
from tests.support.builders import make_processor
from tests.support.fakes import MemoryStore

VERBS = ("met", "criticized", "signed", "visited")


class SentenceEnricher:
    """One event per sentence naming a verb of ``VERBS``, its id made from the article id and
    the sentence's words (so an unchanged sentence keeps its event id wherever it moves);
    'boom' fails."""

    model_name = "sentence-test"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        out: list[Enrichment | ProcessingFailed] = []
        for article in articles:
            self.seen.append(article.article_id)
            if "boom" in article.text:
                out.append(ProcessingFailed("nlp_error", "model choked", "nlp"))
                continue
            events = []
            for match in re.finditer(r"[^.]+\.", article.text):
                sentence = match.group().strip()
                verb = next((v for v in VERBS if f" {v} " in f" {sentence} "), None)
                if verb is None:
                    continue
                start = article.text.index(verb, match.start())
                digest = hashlib.sha1(f"{article.article_id}|{sentence}".encode()).hexdigest()[:12]
                events.append(
                    Event(
                        id=f"evt-{digest}",
                        cameo=CameoCode("040", "Consult, not specified below", 1, 1.0),
                        trigger=TextSpan(verb, start, start + len(verb)),
                        actors=(),
                        targets=(),
                        actor_countries=(),
                        target_countries=(),
                        sentence_start=match.start(),
                        sentence_end=match.end(),
                    )
                )
            out.append(Enrichment(entities=[], events=events))
        return out


FIRST = "Japan met Korea in Seoul. Ministers signed a fisheries pact. Talks end on Friday."
# The correction: the pact was about shipping, and a visit was added; the meeting is unchanged.
SECOND = "Japan met Korea in Seoul. Ministers signed a shipping pact. The president visited Busan."


def raw(body: str, **fields: Any) -> bytes:
    return orjson.dumps({"id": "pw-1001", "url": "https://wire.example/pw-1001", "body": body, **fields})


def message(value: bytes, offset: int, partition: int = 0) -> RawMessage:
    return RawMessage(value=value, key=b"pw-1001", topic="raw", partition=partition, offset=offset)


def records(outcome: Outcome) -> list[tuple[str, bytes, dict[str, Any] | None]]:
    return [
        (r.topic_kind, r.key, None if r.value is None else orjson.loads(r.value)) for r in outcome.records
    ]


def event_keys(outcome: Outcome) -> list[bytes]:
    return [r.key for r in outcome.records if r.topic_kind == "events" and r.value is not None]


def tombstones(outcome: Outcome) -> list[bytes]:
    return [r.key for r in outcome.records if r.topic_kind == "events" and r.value is None]


def setup() -> tuple[ArticleProcessor, SentenceEnricher, MemoryStore]:
    enricher, store = SentenceEnricher(), MemoryStore()
    return make_processor(store, enricher), enricher, store


def test_a_correction_is_the_next_revision_and_retracts_the_events_it_lost() -> None:
    processor, _, _ = setup()
    (first,) = processor.process([message(raw(FIRST), 0)]).outcomes
    (second,) = processor.process([message(raw(SECOND), 1)]).outcomes

    assert second.kind == "enriched"
    kind, key, record = records(second)[0]
    assert (kind, key) == ("enriched", b"pw-1001")
    assert record is not None
    old = orjson.loads(first.records[0].value or b"")
    assert old["revision"] == {"number": 1, "updated_at": None, "supersedes": None, "retracted_events": []}
    assert record["revision"]["number"] == 2
    assert record["revision"]["supersedes"] == {"number": 1, "content_hash": old["content_hash"]}
    assert record["dedup"]["status"] == "unique" and record["dedup"]["story_id"] == "pw-1001"
    assert record["processed_at"] > old["processed_at"]

    kept = set(event_keys(first)) & set(event_keys(second))
    assert len(kept) == 1  # the meeting: unchanged, same id
    lost = set(event_keys(first)) - kept
    assert tombstones(second) == sorted(lost, key=event_keys(first).index)
    assert record["revision"]["retracted_events"] == [k.decode() for k in tombstones(second)]
    # Records first, then tombstones: every event record of the revision says which it is.
    assert [k for k, _, _ in records(second)] == ["enriched", "events", "events", "events", "events"]
    assert {r["revision"]["number"] for k, _, r in records(second) if k == "events" and r} == {2}


def test_an_identical_resend_after_a_correction_is_a_duplicate_of_the_revision_it_repeats() -> None:
    processor, enricher, _ = setup()
    processor.process([message(raw(FIRST), 0), message(raw(SECOND), 1)])
    again = processor.process([message(raw(SECOND), 2), message(raw(FIRST), 3)]).outcomes
    assert enricher.seen == ["pw-1001", "pw-1001"]  # no NLP for re-sends
    statuses = [
        (r["dedup"]["status"], r["dedup"]["duplicate_of"], r["revision"]["number"])
        for o in again
        for _, _, r in records(o)
        if r
    ]
    assert statuses == [("exact_duplicate", "pw-1001", 2), ("exact_duplicate", "pw-1001", 1)]


def test_replays_of_a_revision_are_byte_identical_with_or_without_the_cache() -> None:
    processor, enricher, store = setup()
    batch = [message(raw(FIRST), 0), message(raw(SECOND), 1), message(raw(SECOND), 2)]
    first = processor.process(batch).outcomes
    replayed = processor.process(batch).outcomes  # the same batch again (a retried batch)
    restarted = make_processor(store, SentenceEnricher()).process(batch).outcomes  # after kill -9
    assert enricher.seen == ["pw-1001", "pw-1001"]
    assert [o.kind for o in first] == ["enriched", "enriched", "duplicate"]
    # Revision 1 was replaced before its replay: it may not be published again.
    for run in (replayed, restarted):
        assert run[1].records == first[1].records and run[2].records == first[2].records
        ((kind, _, record),) = records(run[0])
        assert kind == "duplicates" and record is not None
        assert (record["dedup"]["status"], record["dedup"]["duplicate_of"]) == ("near_duplicate", "pw-1001")
        assert record["revision"]["number"] == 1


def test_a_revision_parsed_after_a_later_one_was_published_is_not_published() -> None:
    processor, _, _ = setup()
    prepared = processor.prepare([message(raw(FIRST), 0), message(raw(SECOND), 0, partition=1)], lanes=2)
    assert len(prepared.chunks) == 2
    late, early = prepared.chunks
    processor.complete(prepared, early, processor.enricher.enrich(prepared.articles(early)))
    processor.complete(prepared, late, processor.enricher.enrich(prepared.articles(late)))
    rev1, rev2 = prepared.result().outcomes
    assert rev2.kind == "enriched" and rev1.kind == "duplicate"
    record = orjson.loads(rev2.records[0].value or b"")
    assert record["revision"]["supersedes"] is None  # consumers never saw revision 1
    assert tombstones(rev2) == []


def test_a_revision_the_nlp_failed_on_runs_again_when_it_is_sent_again() -> None:
    processor, enricher, store = setup()
    processor.process([message(raw(FIRST), 0)])
    (failed,) = processor.process([message(raw(FIRST + " Then boom."), 1)]).outcomes
    assert failed.kind == "dlq" and store.failed == [("pw-1001", 2)]
    (again,) = processor.process([message(raw(FIRST + " Then boom."), 2)]).outcomes
    assert again.kind == "dlq"  # parsed again, not taken for a duplicate of what never went out
    (fixed,) = processor.process([message(raw(FIRST + " Then calm."), 3)]).outcomes
    record = orjson.loads(fixed.records[0].value or b"")
    assert record["revision"]["number"] == 3
    assert record["revision"]["supersedes"]["number"] == 1  # what consumers hold
    assert enricher.seen == ["pw-1001"] * 4


def test_the_senders_updated_at_is_carried_on_the_revision() -> None:
    processor, _, _ = setup()
    (outcome,) = processor.process([message(raw(FIRST, updated_at="2026-03-02T10:15:00+01:00"), 0)]).outcomes
    assert orjson.loads(outcome.records[0].value or b"")["revision"]["updated_at"] == "2026-03-02T09:15:00Z"
    (unreadable,) = processor.process([message(raw(SECOND, updated_at="yesterday"), 1)]).outcomes
    assert unreadable.kind == "enriched"  # an unreadable date never costs the article
    assert orjson.loads(unreadable.records[0].value or b"")["revision"]["updated_at"] is None
