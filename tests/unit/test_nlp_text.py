"""Tone, dates, quotations and the static NLP data (no statistical model)."""

from __future__ import annotations

from datetime import date

import pytest
import spacy

from config import NLP_DATA_DIR
from services.nlp.coref import Resolver
from services.nlp.dates import parse_date_text
from services.nlp.entities import EntityExtractor
from services.nlp.names import alias_key, slugify
from services.nlp.quotes import find_quotations
from services.nlp.resources import NlpResources, load_resources
from services.nlp.tone import article_tone
from tests.unit.test_nlp_entities import build_doc

MONDAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def res() -> NlpResources:
    return load_resources(NLP_DATA_DIR)


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("Sunday", False, date(2026, 3, 1)),
        ("on Tuesday", True, date(2026, 3, 3)),
        ("Tuesday", False, date(2026, 2, 24)),
        ("yesterday", False, date(2026, 3, 1)),
        ("March 5", False, date(2026, 3, 5)),
        ("5 March 2025", False, date(2025, 3, 5)),
        ("last week", False, None),
    ],
)
def test_dates_resolve_against_the_publication_day(text: str, future: bool, expected: date | None) -> None:
    assert parse_date_text(text, MONDAY, future=future) == expected


def test_tone_counts_lexicon_words_and_flips_negated_ones(res: NlpResources) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    happy, _ = article_tone(nlp("The talks were a great success. Leaders praised the deal."), res.valence)
    grim, _ = article_tone(nlp("The attack killed dozens. Survivors fear more violence."), res.valence)
    negated, _ = article_tone(nlp("The talks were not good."), res.valence)
    assert happy.tone > 0 > grim.tone
    assert negated.tone < 0
    assert happy.word_count == 10 and happy.positive + happy.negative == happy.polarity


QUOTE = """
"         4  punct    PUNCT ``  "          O
We        4  nsubj    PRON  PRP we         O
will      4  aux      AUX   MD  will       O
not       4  neg      PART  RB  not        O
back      10 ccomp    VERB  VB  back       O
down      4  prt      ADP   RP  down       O
,         10 punct    PUNCT ,   ,          O
"         10 punct    PUNCT ''  "          O
Minoru    9  compound PROPN NNP Minoru     B-PERSON
Kihara    10 nsubj    PROPN NNP Kihara     I-PERSON
said      10 ROOT     VERB  VBD say        O
.         10 punct    PUNCT .   .          O
"""


def test_quotation_speaker_is_the_subject_of_the_speech_verb(res: NlpResources) -> None:
    doc = build_doc(QUOTE)
    table = EntityExtractor(res).extract(doc)
    [quote] = find_quotations(doc, table, Resolver(table, res), res)
    assert quote.speaker == "person:minoru-kihara"
    assert doc.text[quote.start : quote.end] == quote.text == "We will not back down,"


def test_ids_are_slugs_of_canonical_names() -> None:
    assert slugify("U.S. State Department") == "us-state-department"
    assert slugify("São Paulo") == "sao-paulo"
    assert slugify("OPEC+") == "opec-plus"
    assert alias_key("the United States's") == "united states"


def test_cameo_taxonomy_covers_every_root_with_quad_class_and_goldstein(
    res: NlpResources,
) -> None:
    roots = {f"{n:02d}" for n in range(1, 21)}
    assert roots <= set(res.cameo)
    for code, entry in res.cameo.items():
        expected_quad = 1 if code[:2] <= "04" else 2 if code[:2] <= "08" else 3 if code[:2] <= "13" else 4
        assert entry.quad_class == expected_quad, code
        assert -10.0 <= entry.goldstein <= 10.0
    assert res.cameo["057"].goldstein == 8.0 and res.cameo["190"].goldstein == -10.0


def test_every_trigger_code_exists_in_the_taxonomy(res: NlpResources) -> None:
    codes = {e.code for e in res.verbs.values()}
    codes |= {c for e in res.verbs.values() for c in e.objects.values()}
    codes |= {c for c in res.phrasal.values() if c} | set(res.nouns.values())  # "" = listed as no event
    threat = res.trigger_tables["combined_codes"]["threat"]
    codes |= {threat["generic"], *threat["by_code"].values(), *threat["by_root"].values()}
    codes |= set(res.intent_by_root.values()) | set(res.intent_by_code.values())
    codes |= set(res.light_overrides.values()) | set(res.future_codes.values())
    codes |= set(res.no_target_codes.values()) | {res.joint_code, res.launch_code}
    assert codes <= set(res.cameo)
