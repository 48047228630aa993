"""The Wikinews gold set's converter (tools/gold_wikinews.py) on a tiny document of our own, the
shipped files' self-consistency, and the evaluator skipping articles whose events are not
annotated yet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tools.gold_wikinews import (
    DEV_DOCS,
    GOLD_DIR,
    TEST_DOCS,
    _free_occurrence,
    _word_occurrences,
    convert,
    parse_conllu,
    person_surface,
)

# Invented text (no article's): a title-headed person mention GUM-style ("Harbour chief Jon Vik",
# headed by the common noun, the name as flat words), a possessive country, a demonym GUM does
# not mark, a wikified city, a heading that stays out of the body.
CONLLU = """# newdoc id = GUM_news_demo
# meta::dateCreated = 2020-03-04
# meta::sourceURL = https://example.org/demo
# meta::title = Ferry line opens
# newpar
# newpar_block = head (1 s)
# text = Ferry line opens
1\tFerry\tferry\tNOUN\tNN\t_\t2\tcompound\t_\t_
2\tline\tline\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\topens\topen\tVERB\tVBZ\t_\t0\troot\t_\t_

# newpar
# newpar_block = p (2 s)
# text = Harbour chief Jon Vik praised Norway's ferry.
1\tHarbour\tharbour\tNOUN\tNN\t_\t2\tcompound\t_\tEntity=(1-person-new-nnnnn-cf1-3-coref
2\tchief\tchief\tNOUN\tNN\t_\t5\tnsubj\t_\t_
3\tJon\tJon\tPROPN\tNNP\t_\t2\tflat\t_\t_
4\tVik\tVik\tPROPN\tNNP\t_\t2\tflat\t_\tEntity=1)
5\tpraised\tpraise\tVERB\tVBD\t_\t0\troot\t_\t_
6-7\tNorway's\t_\t_\t_\t_\t_\t_\t_\t_
6\tNorway\tNorway\tPROPN\tNNP\t_\t8\tnmod:poss\t_\tEntity=(2-place-acc:com-sssss-cf2-1-coref-Norway)
7\t's\t's\tPART\tPOS\t_\t6\tcase\t_\t_
8\tferry\tferry\tNOUN\tNN\t_\t5\tobj\t_\tSpaceAfter=No
9\t.\t.\tPUNCT\t.\t_\t5\tpunct\t_\t_

# text = Vik met Norwegian officials in Bergen.
1\tVik\tVik\tPROPN\tNNP\t_\t2\tnsubj\t_\tEntity=(1-person-giv:act-sssss-cf1-1-coref)
2\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_
3\tNorwegian\tNorwegian\tADJ\tJJ\t_\t4\tamod\t_\t_
4\tofficials\tofficial\tNOUN\tNNS\t_\t2\tobj\t_\t_
5\tin\tin\tADP\tIN\t_\t6\tcase\t_\t_
6\tBergen\tBergen\tPROPN\tNNP\t_\t2\tobl\t_\tEntity=(3-place-new-nnnnn-cf3-1-sgl-Bergen)|SpaceAfter=No
7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

"""

TABLE: dict[str, Any] = {
    "countries": {"Norway": "NOR"},
    "demonyms": {"Norwegian": "NOR"},
    "entities": {"demo/Jon Vik": "NOR", "Bergen": {"id": "place:bergen-city", "country": "NOR"}},
}


def _event(actors: list[str], snippet: str) -> dict[str, Any]:
    return {
        "code": "040",
        "root_code": "04",
        "trigger": "met",
        "sentence_contains": snippet,
        "actors": actors,
        "actor_countries": ["NOR"],
        "targets": [],
        "target_countries": [],
        "negated": False,
        "modality": "asserted",
    }


def test_the_body_skips_headings_and_joins_a_paragraphs_sentences_with_a_space() -> None:
    doc = parse_conllu("GUM_news_demo", CONLLU)
    assert doc.body == "Harbour chief Jon Vik praised Norway's ferry. Vik met Norwegian officials in Bergen."
    assert doc.meta["title"] == "Ferry line opens"


def test_entities_come_from_gum_chains_the_table_and_the_demonym_rule(tmp_path: Path) -> None:
    report: list[str] = []
    article = convert("demo", CONLLU, TABLE, tmp_path, report)
    by_id = {e["id"]: e for e in article["entities"]}
    # Title-headed mention -> the flat name words; the bare surname joins the same chain.
    assert by_id["person:jon-vik"]["mentions"] == ["Jon Vik", "Vik"]
    assert by_id["person:jon-vik"]["country"] == "NOR"
    # Possessive 's left out; the demonym GUM does not mark is a mention of the country.
    assert by_id["country:NOR"]["mentions"] == ["Norway", "Norwegian"]
    assert by_id["country:NOR"]["type"] == "GPE"
    # The table's id and country override the defaults.
    assert by_id["place:bergen-city"] == {
        "id": "place:bergen-city",
        "name": "Bergen",
        "type": "GPE",
        "country": "NOR",
        "mentions": ["Bergen"],
    }
    assert article["published_at"] == "2020-03-04T00:00:00Z"
    assert article["url"] == "https://example.org/demo"
    assert report == []


def test_a_document_without_an_events_file_is_marked_not_annotated(tmp_path: Path) -> None:
    article = convert("demo", CONLLU, TABLE, tmp_path, [])
    assert article["events"] == []
    assert article["events_annotated"] is False


def test_merged_events_are_kept_and_unknown_ids_and_snippets_are_reported(tmp_path: Path) -> None:
    events = [
        _event(["person:jon-vik"], "Vik met Norwegian officials"),
        _event(["person:jan-vik", "country:NOR"], "not in the body"),
    ]
    (tmp_path / "demo.json").write_text(json.dumps(events))
    report: list[str] = []
    article = convert("demo", CONLLU, TABLE, tmp_path, report)
    assert article["events_annotated"] is True
    assert article["events"] == events
    assert any("person:jan-vik is no entity" in line for line in report)
    assert any("occurs 0x" in line for line in report)
    assert len(report) == 2


def test_person_mentions_lose_honorifics_and_titles_are_no_names() -> None:
    assert person_surface("Emeritus Professor Ada Lind") == "Ada Lind"
    assert person_surface("Home Secretary") is None
    assert person_surface("Lind") == "Lind"


def _shipped() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD_DIR.glob("wikinews-*.json"))]


def test_the_shipped_set_has_the_24_documents_in_their_splits() -> None:
    articles = _shipped()
    assert {a["id"] for a in articles} == {f"wikinews-{d}" for d in DEV_DOCS + TEST_DOCS}
    for article in articles:
        assert article["split"] == ("test" if article["id"][9:] in TEST_DOCS else "dev")


@pytest.mark.parametrize("article", _shipped(), ids=lambda a: a["id"])
def test_every_shipped_mention_and_event_snippet_occurs_in_the_body(article: dict[str, Any]) -> None:
    body = article["body"]
    every = [m for e in article["entities"] for m in e["mentions"]]
    assert len(every) == len(set(every)), "a surface string belongs to one entity only"
    for entity in article["entities"]:
        assert entity["type"] in {"PERSON", "ORG", "GPE", "LOC"}
        assert entity["id"].split(":")[0] in {"person", "org", "place", "country"}
        for mention in entity["mentions"]:
            assert _word_occurrences(mention, body), (entity["id"], mention)
            assert _free_occurrence(mention, body, every), (entity["id"], mention)
    for event in article["events"]:
        assert body.count(event["sentence_contains"]) == 1, event["sentence_contains"]


def test_document_edits_add_entities_and_drop_a_mention_from_one_entity(tmp_path: Path) -> None:
    table = {
        **TABLE,
        "documents": {
            "demo": {
                "add_entities": [
                    {"id": "org:harbour-board", "name": "Harbour", "type": "ORG", "country": "NOR"}
                ],
                "add_mentions": {"Harbour": "org:harbour-board"},
                "drop_mentions": ["Vik@person:jon-vik"],
            }
        },
    }
    by_id = {e["id"]: e for e in convert("demo", CONLLU, table, tmp_path, [])["entities"]}
    assert by_id["org:harbour-board"]["mentions"] == ["Harbour"]
    assert by_id["person:jon-vik"]["mentions"] == ["Jon Vik"]
