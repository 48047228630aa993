"""Triggers in contexts where nothing happened (services/nlp/events/gates.py), on hand-built
parses; the gates' other cases are tested with the rules they came with (questions, claims,
directives and risks in test_nlp_participants.py; reports, questions and accusations in
test_nlp_coding.py; beliefs and relative clauses in test_nlp_events.py)."""

from __future__ import annotations

import pytest

from config import NLP_DATA_DIR
from services.nlp.resources import NlpResources, load_resources
from tests.unit.test_nlp_events import events


@pytest.fixture(scope="module")
def res() -> NlpResources:
    return load_resources(NLP_DATA_DIR)


ACCUSED_OF_A_MEANS = """
Israel    1 nsubj    PROPN NNP Israel     B-GPE
accused   1 ROOT     VERB  VBD accuse     O
Hamas     1 dobj     PROPN NNP Hamas      B-ORG
of        1 prep     ADP   IN  of         O
violating 3 pcomp    VERB  VBG violate    O
the       6 det      DET   DT  the        O
ceasefire 4 dobj     NOUN  NN  ceasefire  O
by        4 prep     ADP   IN  by         O
attacking 7 pcomp    VERB  VBG attack     O
soldiers  8 dobj     NOUN  NNS soldier    O
.         1 punct    PUNCT .   .          O
"""


def test_the_means_of_a_claimed_act_is_part_of_the_claim(res: NlpResources) -> None:
    assert [e["root_code"] for e in events(res, ACCUSED_OF_A_MEANS)] == ["11"]


FEARS_OF_A_PASSIVE = """
Officials 1 nsubj    NOUN  NNS official   O
raised    1 ROOT     VERB  VBD raise      O
fears     1 dobj     NOUN  NNS fear       O
Syria     5 nsubjpass PROPN NNP Syria     B-GPE
was       5 auxpass  AUX   VBD be         O
attacked  2 relcl    VERB  VBN attack     O
by        5 agent    ADP   IN  by         O
Israel    6 pobj     PROPN NNP Israel     B-GPE
.         1 punct    PUNCT .   .          O
"""

ALLEGATION_REJECTED = """
Israel    1 nsubj    PROPN NNP Israel     B-GPE
repeated  1 ROOT     VERB  VBD repeat     O
an        3 det      DET   DT  an         O
allegation 1 dobj    NOUN  NN  allegation O
Iran      5 nsubj    PROPN NNP Iran       B-GPE
rejected  3 relcl    VERB  VBD reject     O
.         1 punct    PUNCT .   .          O
"""


def test_a_passive_clause_says_what_a_fear_holds_an_active_one_lacking_its_object_is_relative(
    res: NlpResources,
) -> None:
    # the parser labels both relcl; only the active one has the gap the noun fills
    assert not any(e["root_code"] == "19" for e in events(res, FEARS_OF_A_PASSIVE))
    rejections = [e for e in events(res, ALLEGATION_REJECTED) if e["root_code"] == "12"]
    assert [e["actors"] for e in rejections] == [["country:IRN"]]
