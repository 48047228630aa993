"""Smoke test of the real spaCy model through the enricher (accuracy lives in `newswire eval`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from services.articles import validate_article
from services.enrichment import Enrichment
from tests.support.builders import LIMITS, NLP

pytestmark = pytest.mark.model


def test_real_model_resolves_the_fixture_article(article_factory: Callable[..., dict[str, Any]]) -> None:
    from services.nlp import load_enricher

    enricher = load_enricher(replace(NLP, batch_size=4))
    [result] = enricher.enrich([validate_article(article_factory(), LIMITS)])
    assert isinstance(result, Enrichment)
    entities = {e.id: e for e in result.entities}
    assert {
        "country:USA",
        "country:JPN",
        "person:lloyd-austin",
        "person:minoru-kihara",
        "place:tokyo",
        "place:east-china-sea",
    } <= set(entities)
    assert not any(e.id.startswith("person:") and "mou" in e.id for e in result.entities)
    assert "Austin" in [m.text for m in entities["person:lloyd-austin"].mentions]
    kihara = entities["person:minoru-kihara"]
    assert (kihara.country, kihara.role) == ("JPN", "Defense Minister")
    assert any(e.code == "040" and "person:minoru-kihara" in e.actors for e in result.events)
    timings = enricher.last_timings
    assert timings["extract_seconds"] < timings["spacy_seconds"]


def test_an_article_parsed_in_pieces_keeps_its_entities_and_offsets(
    article_factory: Callable[..., dict[str, Any]],
) -> None:
    from services.nlp import load_enricher

    fixture = article_factory()["body"]
    long_article = validate_article(article_factory(body="\n\n".join([fixture] * 3)), LIMITS)
    whole = load_enricher(replace(NLP, segment_words=0)).enrich([long_article])[0]
    pieces = load_enricher(replace(NLP, segment_words=60)).enrich([long_article])[0]
    assert isinstance(whole, Enrichment) and isinstance(pieces, Enrichment)
    assert {e.id for e in pieces.entities} == {e.id for e in whole.entities}
    austin = next(e for e in pieces.entities if e.id == "person:lloyd-austin")
    # Mentions in the later pieces point into the article's own text.
    assert max(m.start for m in austin.mentions) > 2 * len(fixture)
    for entity in pieces.entities:
        for mention in entity.mentions:
            assert long_article.text[mention.start : mention.end] == mention.text
