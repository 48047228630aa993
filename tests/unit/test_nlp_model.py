"""Smoke test of the real spaCy model through the enricher (accuracy lives in `newswire eval`)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from services.articles import validate_article
from services.enrichment import Enrichment
from tests.support.builders import LIMITS, NLP

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[2]


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


NLP_PROCESS_START = """
import sys
from config.settings import Settings
from services.nlp import pool
pool._load_in_child(Settings().nlp_params)
assert pool._child_ready()
cli = {"typer", "weasel", "rich", "spacy.cli"}
print(" ".join(sorted(m for m in sys.modules if m in cli or m.startswith("spacy.cli."))))
"""


def test_an_nlp_process_loads_the_pipeline_without_spacys_command_line() -> None:
    """typer, rich, weasel and the spaCy commands are ~18 MB an NLP process never uses."""
    done = subprocess.run(
        [sys.executable, "-c", NLP_PROCESS_START], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


SPACY_COMMANDS_AFTERWARDS = """
from services.nlp.spacy_import import import_spacy_without_cli
spacy = import_spacy_without_cli()
import spacy.cli
print(spacy.cli.info.__module__, spacy.info(silent=True)["spacy_version"] == spacy.__version__)
"""


def test_spacys_command_line_still_loads_when_asked_for() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SPACY_COMMANDS_AFTERWARDS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["spacy.cli.info", "True"]
