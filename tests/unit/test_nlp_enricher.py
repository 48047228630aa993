"""SpacyEnricher's contract: one result per article, failures isolated, timings kept."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from config import NLP_DATA_DIR
from services.articles import Article, validate_article
from services.enrichment import Enrichment
from services.errors import ProcessingFailed
from services.nlp import SpacyEnricher
from services.nlp.resources import NlpResources, load_resources
from tests.support.builders import LIMITS, NLP


@Language.component("newswire_test_explode_on_boom")
def _explode_on_boom(doc: Doc) -> Doc:
    if "BOOM" in doc.text:
        raise RuntimeError("component exploded")
    return doc


@pytest.fixture(scope="module")
def res() -> NlpResources:
    return load_resources(NLP_DATA_DIR)


def article(body: str, n: int) -> Article:
    return validate_article(
        {
            "url": f"https://news.example.com/{n}",
            "title": "Talks",
            "body": body,
            "published_at": "2026-03-02T09:15:00Z",
        },
        LIMITS,
    )


def test_one_failing_article_never_fails_the_batch(res: NlpResources) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("newswire_test_explode_on_boom")
    enricher = SpacyEnricher(nlp, "blank-test", res, batch_size=2, segment_words=NLP.segment_words)
    batch = [
        article("Leaders met in Tokyo.", 1),
        article("BOOM goes the text.", 2),
        article("Talks ended well.", 3),
    ]

    results = enricher.enrich(batch)

    assert [type(r) for r in results] == [Enrichment, ProcessingFailed, Enrichment]
    failed = results[1]
    assert isinstance(failed, ProcessingFailed)
    assert (failed.error_type, failed.stage) == ("nlp_error", "nlp")
    assert "component exploded" in failed.message
    assert set(enricher.last_timings) == {"spacy_seconds", "extract_seconds"}
    assert enricher.model_name == "blank-test"


def test_enrichment_carries_tone_and_quotations(res: NlpResources) -> None:
    enricher = SpacyEnricher(
        spacy.blank("en"), "blank-test", res, batch_size=NLP.batch_size, segment_words=NLP.segment_words
    )
    [result] = enricher.enrich([article('She said: "This is a wonderful and peaceful day."', 1)])
    assert isinstance(result, Enrichment)
    assert result.tone is not None and result.tone.tone > 0
    assert result.tone.polarity == result.tone.positive + result.tone.negative
    assert result.quotations[0].text == "This is a wonderful and peaceful day."
