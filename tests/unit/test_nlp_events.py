"""Event coding rules on hand-built parses (no statistical model)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.nlp.coref import Resolver
from services.nlp.entities import EntityExtractor
from services.nlp.events import EventExtractor, event_id
from services.nlp.resources import NlpResources, load_resources
from tests.unit.test_nlp_entities import build_doc

PUBLISHED = date(2026, 3, 2)  # a Monday


@pytest.fixture(scope="module")
def res() -> NlpResources:
    return load_resources()


def events(res: NlpResources, rows: str) -> list[dict[str, Any]]:
    table = EntityExtractor(res).extract(build_doc(rows))
    return EventExtractor(res).extract(
        table, Resolver(table, res), article_id="a1", published=PUBLISHED
    )


ACCUSE = """
China     1 nsubj    PROPN NNP China      B-GPE
accused   1 ROOT     VERB  VBD accuse     O
Washington 1 dobj    PROPN NNP Washington B-GPE
of        1 prep     ADP   IN  of         O
meddling  3 pcomp    VERB  VBG meddle     O
on        1 prep     ADP   IN  on         O
Sunday    5 pobj     PROPN NNP Sunday     B-DATE
.         1 punct    PUNCT .   .          O
"""


def test_subject_and_object_become_actor_and_target_with_cameo_values(res: NlpResources) -> None:
    [event] = events(res, ACCUSE)
    assert (event["code"], event["root_code"], event["label"]) == ("112", "11", "Accuse")
    assert (event["quad_class"], event["goldstein"]) == (3, -2.0)
    assert event["actors"] == ["country:CHN"] and event["targets"] == ["country:USA"]
    assert event["actor_countries"] == ["CHN"] and event["target_countries"] == ["USA"]
    assert event["trigger"] == {"text": "accused", "start": 6, "end": 13}
    assert event["sentence"] == {"start": 0, "end": 47}
    assert event["date"] == "2026-03-01"  # the Sunday before publication
    assert (event["negated"], event["modality"]) == (False, "asserted")
    assert event["id"] == event_id("a1", 6, "112")


PASSIVE = """
The       1 det      DET   DT  the        O
MoU       3 nsubjpass PROPN NNP MoU       O
was       3 auxpass  AUX   VBD be         O
signed    3 ROOT     VERB  VBN sign       O
by        3 agent    ADP   IN  by         O
Kihara    4 pobj     PROPN NNP Kihara     B-PERSON
and       5 cc       CCONJ CC  and        O
Teodoro   5 conj     PROPN NNP Teodoro    B-PERSON
.         3 punct    PUNCT .   .          O
"""


def test_passive_agent_is_the_actor_and_cosigners_target_each_other(res: NlpResources) -> None:
    [event] = events(res, PASSIVE)
    assert event["code"] == "057"
    assert event["actors"] == ["person:kihara", "person:teodoro"]
    assert event["targets"] == event["actors"]


PRONOUNS = """
Hegseth   1 nsubj    PROPN NNP Hegseth    B-PERSON
met       1 ROOT     VERB  VBD meet       O
Kihara    1 dobj     PROPN NNP Kihara     B-PERSON
and       2 cc       CCONJ CC  and        O
Teodoro   2 conj     PROPN NNP Teodoro    B-PERSON
.         1 punct    PUNCT .   .          O
He        7 nsubj    PRON  PRP he         O
praised   7 ROOT     VERB  VBD praise     O
Japan     7 dobj     PROPN NNP Japan      B-GPE
.         7 punct    PUNCT .   .          O
The       12 det     DET   DT  the        O
three     12 nummod  NUM   CD  three      O
ministers 13 nsubj   NOUN  NNS minister   O
condemned 13 ROOT    VERB  VBD condemn    O
China     13 dobj    PROPN NNP China      B-GPE
.         13 punct   PUNCT .   .          O
"""


def test_pronoun_and_the_three_ministers_resolve_to_people(res: NlpResources) -> None:
    meet, praise, condemn = events(res, PRONOUNS)
    assert meet["code"] == "040" and meet["targets"] == ["person:kihara", "person:teodoro"]
    assert praise["code"] == "051" and praise["actors"] == ["person:hegseth"]
    assert condemn["code"] == "111"
    assert condemn["actors"] == ["person:hegseth", "person:kihara", "person:teodoro"]
    assert condemn["targets"] == ["country:CHN"]


NEGATED_AND_FUTURE = """
Beijing   3 nsubj    PROPN NNP Beijing    B-GPE
did       3 aux      AUX   VBD do         O
not       3 neg      PART  RB  not        O
comment   3 ROOT     VERB  VB  comment    O
.         3 punct    PUNCT .   .          O
Hegseth   7 nsubj    PROPN NNP Hegseth    B-PERSON
will      7 aux      AUX   MD  will       O
visit     7 ROOT     VERB  VB  visit      O
the       9 det      DET   DT  the        O
Philippines 7 dobj   PROPN NNP Philippines B-GPE
on        7 prep     ADP   IN  on         O
Tuesday   10 pobj    PROPN NNP Tuesday    B-DATE
.         7 punct    PUNCT .   .          O
"""


def test_negation_future_modality_and_forward_date(res: NlpResources) -> None:
    comment, visit = events(res, NEGATED_AND_FUTURE)
    assert (comment["code"], comment["negated"], comment["actors"]) == ("010", True,
                                                                       ["country:CHN"])
    assert (visit["code"], visit["modality"]) == ("042", "future")
    assert visit["targets"] == ["country:PHL"]
    assert visit["date"] == "2026-03-03"  # the coming Tuesday


INTENT = """
Iran      1 nsubj    PROPN NNP Iran       B-GPE
agreed    1 ROOT     VERB  VBD agree      O
to        3 aux      PART  TO  to         O
meet      1 xcomp    VERB  VB  meet       O
the       5 det      DET   DT  the        O
inspectors 3 dobj    NOUN  NNS inspector  O
.         1 punct    PUNCT .   .          O
"""


def test_agreeing_to_meet_is_one_intent_to_meet_event(res: NlpResources) -> None:
    [event] = events(res, INTENT)
    assert (event["code"], event["actors"]) == ("036", ["country:IRN"])


LIGHT_VERB_AND_REPORTED = """
Officials 1 nsubj    NOUN  NNS official   O
said      1 ROOT     VERB  VBD say        O
Japan     3 nsubj    PROPN NNP Japan      B-GPE
held      1 ccomp    VERB  VBD hold       O
talks     3 dobj     NOUN  NNS talk       O
with      4 prep     ADP   IN  with       O
Australia 5 pobj     PROPN NNP Australia  B-GPE
.         1 punct    PUNCT .   .          O
"""


def test_light_verb_takes_the_code_of_its_event_noun_and_speech_makes_it_reported(
    res: NlpResources,
) -> None:
    [event] = events(res, LIGHT_VERB_AND_REPORTED)
    assert (event["code"], event["modality"]) == ("046", "reported")
    assert event["trigger"]["text"] == "held talks"
    assert (event["actors"], event["targets"]) == (["country:JPN"], ["country:AUS"])


NON_EVENTS = """
The       1 det      DET   DT  the        O
reforms   2 nsubj    NOUN  NNS reform     O
helped    2 ROOT     VERB  VBD help       O
Kenya     4 nsubj    PROPN NNP Kenya      B-GPE
meet      2 ccomp    VERB  VB  meet       O
targets   4 dobj     NOUN  NNS target     O
.         2 punct    PUNCT .   .          O
"""


def test_blocked_objects_and_plain_speech_are_not_events(res: NlpResources) -> None:
    assert events(res, NON_EVENTS) == []


REACTION = """
Israel    1 nsubj    PROPN NNP Israel     B-GPE
struck    1 ROOT     VERB  VBD strike     O
Lebanon   1 dobj     PROPN NNP Lebanon    B-GPE
.         1 punct    PUNCT .   .          O
Hezbollah 5 nsubj    PROPN NNP Hezbollah  B-ORG
condemned 5 ROOT     VERB  VBD condemn    O
the       7 det      DET   DT  the        O
strikes   5 dobj     NOUN  NNS strike     O
.         5 punct    PUNCT .   .          O
"""


def test_condemning_an_earlier_act_targets_whoever_did_it(res: NlpResources) -> None:
    strike, condemn = events(res, REACTION)
    assert (strike["code"], strike["actors"], strike["targets"]) == (
        "190", ["country:ISR"], ["country:LBN"])
    assert condemn["code"] == "111" and condemn["actors"] == ["org:hezbollah"]
    assert condemn["targets"] == ["country:ISR"]
    assert condemn["actor_countries"] == ["LBN"]


PASSIVE_ARREST = """
Kenya     1 nsubj    PROPN NNP Kenya      B-GPE
braced    1 ROOT     VERB  VBD brace      O
.         1 punct    PUNCT .   .          O
Protesters 6 nsubjpass NOUN NNS protester O
were      6 auxpass  AUX   VBD be         O
quickly   6 advmod   ADV   RB  quickly    O
arrested  6 ROOT     VERB  VBN arrest     O
in        6 prep     ADP   IN  in         O
Nairobi   7 pobj     PROPN NNP Nairobi    B-GPE
.         6 punct    PUNCT .   .          O
"""


def test_passive_arrest_without_agent_is_by_the_state_where_it_happened(
    res: NlpResources,
) -> None:
    [arrest] = events(res, PASSIVE_ARREST)
    assert arrest["code"] == "173"
    assert arrest["actors"] == ["country:KEN"]
    assert arrest["location"] == "place:nairobi"


SPEAKERS = """
Brazil    3 nsubj    PROPN NNP Brazil     B-GPE
and       0 cc       CCONJ CC  and        O
Colombia  0 conj     PROPN NNP Colombia   B-GPE
said      3 ROOT     VERB  VBD say        O
they      5 nsubj    PRON  PRP they       O
condemned 3 ccomp    VERB  VBD condemn    O
Venezuela 5 dobj     PROPN NNP Venezuela  B-GPE
.         3 punct    PUNCT .   .          O
"""


def test_they_in_reported_speech_are_the_speakers(res: NlpResources) -> None:
    [event] = events(res, SPEAKERS)
    assert event["code"] == "111" and event["modality"] == "reported"
    assert event["actors"] == ["country:BRA", "country:COL"]
    assert event["targets"] == ["country:VEN"]
