"""Event coding rules (which code a trigger gets from what surrounds it) on hand-built parses."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from config import NLP_DATA_DIR
from services.nlp.coref import Resolver
from services.nlp.entities import EntityExtractor
from services.nlp.events import EventExtractor
from services.nlp.resources import NlpResources, load_resources
from services.records import event_json
from tests.unit.test_nlp_entities import build_doc

PUBLISHED = date(2026, 3, 2)


@pytest.fixture(scope="module")
def res() -> NlpResources:
    return load_resources(NLP_DATA_DIR)


def events(res: NlpResources, rows: str) -> list[dict[str, Any]]:
    table = EntityExtractor(res).extract(build_doc(rows))
    found = EventExtractor(res).extract(table, Resolver(table, res), article_id="a1", published=PUBLISHED)
    return [event_json(e) for e in found]


THREAT_TO_BAN = """
Turkey    1 nsubj    PROPN NNP Turkey     B-GPE
threatened 1 ROOT    VERB  VBD threaten   O
to        3 aux      PART  TO  to         O
ban       1 xcomp    VERB  VB  ban        O
the       5 det      DET   DT  the        O
party     3 dobj     NOUN  NN  party      O
.         1 punct    PUNCT .   .          O
"""

THREAT_TO_SEVER = """
Chad      1 nsubj    PROPN NNP Chad       B-GPE
threatened 1 ROOT    VERB  VBD threaten   O
to        3 aux      PART  TO  to         O
cut       1 xcomp    VERB  VB  cut        O
diplomatic 5 amod    ADJ   JJ  diplomatic O
ties      3 dobj     NOUN  NNS tie        O
.         1 punct    PUNCT .   .          O
"""


def test_a_threat_to_act_is_a_threat_coded_by_the_act_even_without_a_target(res: NlpResources) -> None:
    [ban] = events(res, THREAT_TO_BAN)
    assert (ban["root_code"], ban["actors"]) == ("13", ["country:TUR"])
    assert ban["code"].startswith("132")  # administrative sanctions, not a pessimistic comment (012)
    [sever] = events(res, THREAT_TO_SEVER)
    assert sever["code"] == "1313"  # threaten to reduce or break relations


CALLED_ON_TO_RESIGN = """
Zambia    1 nsubj    PROPN NNP Zambia     B-GPE
called    1 ROOT     VERB  VBD call       O
on        1 prep     ADP   IN  on         O
Mwale     1 dobj     PROPN NNP Mwale      B-PERSON
to        5 aux      PART  TO  to         O
resign    1 xcomp    VERB  VB  resign     O
.         1 punct    PUNCT .   .          O
"""

def test_what_an_appeal_asks_for_is_not_an_event_of_its_own(res: NlpResources) -> None:
    found = events(res, CALLED_ON_TO_RESIGN)
    assert [e["code"] for e in found] == ["020"]  # no resignation (083) that has not happened
    assert found[0]["targets"] == ["person:mwale"]
