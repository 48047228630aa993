"""Event coding rules on hand-built parses (no statistical model)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from config import NLP_DATA_DIR
from services.nlp.coref import Resolver
from services.nlp.entities import EntityExtractor
from services.nlp.events import EventExtractor, event_id
from services.nlp.resources import NlpResources, load_resources
from services.records import event_json
from tests.unit.test_nlp_entities import build_doc

PUBLISHED = date(2026, 3, 2)  # a Monday


@pytest.fixture(scope="module")
def res() -> NlpResources:
    return load_resources(NLP_DATA_DIR)


def events(res: NlpResources, rows: str) -> list[dict[str, Any]]:
    table = EntityExtractor(res).extract(build_doc(rows))
    found = EventExtractor(res).extract(table, Resolver(table, res), article_id="a1", published=PUBLISHED)
    return [event_json(e) for e in found]


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
    assert (event["code"], event["root_code"], event["label"]) == ("112", "11", "Accuse, not specified below")
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
    assert meet["code"] == "040"  # a meeting is mutual: both sides are actors and targets
    assert meet["actors"] == meet["targets"] == ["person:hegseth", "person:kihara", "person:teodoro"]
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
    assert (comment["code"], comment["negated"], comment["actors"]) == ("010", True, ["country:CHN"])
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
    assert (strike["code"], strike["actors"], strike["targets"]) == ("190", ["country:ISR"], ["country:LBN"])
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


NOMINAL_BETWEEN = """
Joint     2 amod     ADJ   JJ  joint      O
naval     2 amod     ADJ   JJ  naval      O
exercises 7 nsubj    NOUN  NNS exercise   O
between   2 prep     ADP   IN  between    O
Indonesia 3 pobj     PROPN NNP Indonesia  B-GPE
and       4 cc       CCONJ CC  and        O
Australia 4 conj     PROPN NNP Australia  B-GPE
began     7 ROOT     VERB  VBD begin      O
.         7 punct    PUNCT .   .          O
"""


def test_event_noun_with_between_is_a_mutual_event_of_both_parties(res: NlpResources) -> None:
    [event] = events(res, NOMINAL_BETWEEN)
    assert event["code"] == "062"  # joint exercises: military cooperation
    assert event["actors"] == ["country:IDN", "country:AUS"]
    assert event["targets"] == event["actors"]
    assert event["trigger"]["text"] == "exercises"


DOCUMENT_BETWEEN = """
The       1 det      DET   DT  the        O
treaty    4 nsubj    NOUN  NN  treaty     O
between   1 prep     ADP   IN  between    O
India     2 pobj     PROPN NNP India      B-GPE
expired   4 ROOT     VERB  VBD expire     O
.         4 punct    PUNCT .   .          O
"""


def test_a_document_between_parties_is_not_an_event(res: NlpResources) -> None:
    assert events(res, DOCUMENT_BETWEEN) == []


PARTICIPLE_AGENT = """
They      1 nsubj    PRON  PRP they       O
praised   1 ROOT     VERB  VBD praise     O
the       3 det      DET   DT  the        O
agreement 1 dobj     NOUN  NN  agreement  O
signed    3 acl      VERB  VBN sign       O
by        4 agent    ADP   IN  by         O
Marles    5 pobj     PROPN NNP Marles     B-PERSON
and       6 cc       CCONJ CC  and        O
Sjafrie   6 conj     PROPN NNP Sjafrie    B-PERSON
.         1 punct    PUNCT .   .          O
"""


def test_participle_with_by_agent_names_the_signers(res: NlpResources) -> None:
    signed = [e for e in events(res, PARTICIPLE_AGENT) if e["code"] == "057"]
    assert [e["actors"] for e in signed] == [["person:marles", "person:sjafrie"]]
    assert signed[0]["targets"] == signed[0]["actors"]


POLICE_NAMED_LATER = """
Police    1 nsubj    NOUN  NNS police     O
fired     1 ROOT     VERB  VBD fire       O
tear      3 compound NOUN  NN  tear       O
gas       1 dobj     NOUN  NN  gas        O
.         1 punct    PUNCT .   .          O
The       8 det      DET   DT  the        O
Uganda    8 compound PROPN NNP Uganda     B-ORG
Police    8 compound PROPN NNP Police     I-ORG
Force     9 nsubj    PROPN NNP Force      I-ORG
said      9 ROOT     VERB  VBD say        O
so        9 advmod   ADV   RB  so         O
.         9 punct    PUNCT .   .          O
"""


def test_bare_police_is_the_police_force_named_later(res: NlpResources) -> None:
    [event] = events(res, POLICE_NAMED_LATER)
    assert event["code"] == "175"
    assert event["actors"] == ["org:uganda-police-force"]


REACTION_BY_KIND = """
Washington 1 nsubj   PROPN NNP Washington B-GPE
accused   1 ROOT     VERB  VBD accuse     O
Hanoi     1 dobj     PROPN NNP Hanoi      B-GPE
.         1 punct    PUNCT .   .          O
Hanoi     5 nsubj    PROPN NNP Hanoi      B-GPE
praised   5 ROOT     VERB  VBD praise     O
Beijing   5 dobj     PROPN NNP Beijing    B-GPE
.         5 punct    PUNCT .   .          O
Beijing   9 nsubj    PROPN NNP Beijing    B-GPE
rejected  9 ROOT     VERB  VBD reject     O
the       11 det     DET   DT  the        O
accusation 9 dobj    NOUN  NN  accusation O
.         9 punct    PUNCT .   .          O
"""


def test_rejecting_the_accusation_targets_the_accuser_not_the_latest_actor(
    res: NlpResources,
) -> None:
    reject = [e for e in events(res, REACTION_BY_KIND) if e["root_code"] == "12"]
    assert [e["targets"] for e in reject] == [["country:USA"]]


SEEK_TALKS = """
Vietnam   2 nsubj    PROPN NNP Vietnam    B-GPE
would     2 aux      AUX   MD  would      O
seek      2 ROOT     VERB  VB  seek       O
consultations 2 dobj NOUN  NNS consultation O
with      3 prep     ADP   IN  with       O
Japan     4 pobj     PROPN NNP Japan      B-GPE
.         2 punct    PUNCT .   .          O
"""


def test_seeking_consultations_is_an_intent_to_meet(res: NlpResources) -> None:
    [event] = events(res, SEEK_TALKS)
    assert event["code"] == "036"
    assert event["targets"] == ["country:JPN"]


MEETING_IS_MUTUAL = """
Teferra   1 nsubj    PROPN NNP Teferra    B-PERSON
met       1 ROOT     VERB  VBD meet       O
Mbadi     1 dobj     PROPN NNP Mbadi      B-PERSON
.         1 punct    PUNCT .   .          O
"""


def test_meeting_with_an_object_lists_both_sides_as_actors_and_targets(
    res: NlpResources,
) -> None:
    [event] = events(res, MEETING_IS_MUTUAL)
    assert event["actors"] == ["person:teferra", "person:mbadi"]
    assert event["targets"] == event["actors"]


APPOSITIVE_ACTOR = """
Its       1 poss     PRON  PRP$ its       O
spokesman 6 nsubj    NOUN  NN  spokesman  O
,         1 punct    PUNCT ,   ,          O
Lin       4 compound PROPN NNP Lin        B-PERSON
Jian      1 appos    PROPN NNP Jian       I-PERSON
,         1 punct    PUNCT ,   ,          O
accused   6 ROOT     VERB  VBD accuse     O
Canberra  6 dobj     PROPN NNP Canberra   B-GPE
.         6 punct    PUNCT .   .          O
"""


def test_named_appositive_of_a_title_subject_is_the_actor(res: NlpResources) -> None:
    [event] = events(res, APPOSITIVE_ACTOR)
    assert event["actors"] == ["person:lin-jian"]
    assert event["targets"] == ["country:AUS"]


RELATIVE_REACTION = """
Armenia   1 nsubj    PROPN NNP Armenia    B-GPE
accused   1 ROOT     VERB  VBD accuse     O
Azerbaijan 1 dobj    PROPN NNP Azerbaijan B-GPE
,         1 punct    PUNCT ,   ,          O
a         5 det      DET   DT  a          O
charge    1 npadvmod NOUN  NN  charge     O
Baku      7 nsubj    PROPN NNP Baku       B-GPE
denied    5 relcl    VERB  VBD deny       O
.         1 punct    PUNCT .   .          O
"""


def test_relative_clause_reacts_to_the_noun_it_modifies(res: NlpResources) -> None:
    denial = [e for e in events(res, RELATIVE_REACTION) if e["code"] == "016"]
    assert [(e["actors"], e["targets"]) for e in denial] == [(["country:AZE"], ["country:ARM"])]


# --- reported speech, discards --------------------------------------------------------------

SHOULD = """
Downer    1 nsubj    PROPN NNP Downer     B-PERSON
says      1 ROOT     VERB  VBZ say        O
Zimbabwe  4 nsubj    PROPN NNP Zimbabwe   B-GPE
should    4 aux      AUX   MD  should     O
hold      1 ccomp    VERB  VB  hold       O
elections 4 dobj     NOUN  NNS election   O
.         1 punct    PUNCT .   .          O
"""


def test_what_a_speaker_says_others_should_do_is_an_appeal_to_them(res: NlpResources) -> None:
    [event] = events(res, SHOULD)
    assert (event["code"], event["actors"], event["targets"]) == ("020", ["person:downer"], ["country:ZWE"])


UNJUSTIFIED = """
Sutton    1 nsubj    PROPN NNP Sutton     B-PERSON
says      1 ROOT     VERB  VBZ say        O
Westpac   4 poss     PROPN NNP Westpac    B-ORG
's        2 case     PART  POS 's         O
decision  5 nsubj    NOUN  NN  decision   O
is        1 ccomp    AUX   VBZ be         O
unjustified 5 acomp  ADJ   JJ  unjustified O
.         1 punct    PUNCT .   .          O
"""


def test_a_negative_judgement_in_reported_speech_is_criticism(res: NlpResources) -> None:
    # "unjustified" is not in VADER; "justified" is, and "un-" turns it around.
    [event] = events(res, UNJUSTIFIED)
    assert (event["code"], event["actors"], event["targets"]) == ("111", ["person:sutton"], ["org:westpac"])


UNFOUNDED = """
Ferreira  1 nsubj    PROPN NNP Ferreira   B-PERSON
said      1 ROOT     VERB  VBD say        O
the       3 det      DET   DT  the        O
allegations 4 nsubj  NOUN  NNS allegation O
were      1 ccomp    AUX   VBD be         O
unfounded 4 acomp    ADJ   JJ  unfounded  O
.         1 punct    PUNCT .   .          O
"""


def test_saying_an_allegation_is_false_denies_it(res: NlpResources) -> None:
    [event] = events(res, UNFOUNDED)
    assert (event["code"], event["actors"]) == ("016", ["person:ferreira"])


SPORT = """
Hewitt    1 nsubj    PROPN NNP Hewitt     B-PERSON
beat      1 ROOT     VERB  VBD beat       O
Switzerland 1 dobj   PROPN NNP Switzerland B-GPE
at        1 prep     ADP   IN  at         O
the       6 det      DET   DT  the        O
Hopman    6 compound PROPN NNP Hopman     B-EVENT
Cup       3 pobj     PROPN NNP Cup        I-EVENT
.         1 punct    PUNCT .   .          O
Hewitt    9 nsubj    PROPN NNP Hewitt     B-PERSON
attacked  9 ROOT     VERB  VBD attack     O
Switzerland 9 dobj   PROPN NNP Switzerland B-GPE
.         9 punct    PUNCT .   .          O
"""


def test_a_sport_sentence_is_not_coded_nor_are_its_players_later(res: NlpResources) -> None:
    # "Hopman Cup" is on PETRARCH's discard list; Hewitt, a player there, stays silenced.
    assert events(res, SPORT) == []


SPORT_CONTINUED = """
Hewitt    1 nsubj    PROPN NNP Hewitt     B-PERSON
beat      1 ROOT     VERB  VBD beat       O
Switzerland 1 dobj   PROPN NNP Switzerland B-GPE
at        1 prep     ADP   IN  at         O
the       6 det      DET   DT  the        O
Hopman    6 compound PROPN NNP Hopman     B-EVENT
Cup       3 pobj     PROPN NNP Cup        I-EVENT
.         1 punct    PUNCT .   .          O
Coach     9 compound PROPN NNP Coach      O
Jones     10 nsubj   PROPN NNP Jones      B-PERSON
defended  10 ROOT    VERB  VBD defend     O
him       10 dobj    PRON  PRP he         O
.         10 punct   PUNCT .   .          O
Jones     14 nsubj   PROPN NNP Jones      B-PERSON
criticised 14 ROOT   VERB  VBD criticise  O
Germany   14 dobj    PROPN NNP Germany    B-GPE
.         14 punct   PUNCT .   .          O
Paris     18 nsubj   PROPN NNP Paris      B-GPE
criticised 18 ROOT   VERB  VBD criticise  O
Berlin    18 dobj    PROPN NNP Berlin     B-GPE
.         18 punct   PUNCT .   .          O
"""


def test_a_sentence_about_a_player_of_discarded_copy_continues_it(res: NlpResources) -> None:
    # Only the first sentence names the sport; the coach speaks of the player, so he belongs
    # to the sports item too. A sentence naming neither ends the item and is coded.
    found = events(res, SPORT_CONTINUED)
    assert [(e["root_code"], e["actors"]) for e in found] == [("11", ["country:FRA"])]


WOULD_NOT = """
France    3 nsubj    PROPN NNP France     B-GPE
would     3 aux      AUX   MD  would      O
not       3 neg      PART  RB  not        O
sign      3 ROOT     VERB  VB  sign       O
the       5 det      DET   DT  the        O
deal      3 dobj     NOUN  NN  deal       O
.         3 punct    PUNCT .   .          O
"""


def test_would_not_sign_is_a_rejection_not_a_negated_signing(res: NlpResources) -> None:
    [event] = events(res, WOULD_NOT)
    assert (event["root_code"], event["negated"], event["actors"]) == ("12", False, ["country:FRA"])


REFUSED_TO_MEET = """
Iran      1 nsubj    PROPN NNP Iran       B-GPE
refused   1 ROOT     VERB  VBD refuse     O
to        3 aux      PART  TO  to         O
meet      1 xcomp    VERB  VB  meet       O
Israel    3 dobj     PROPN NNP Israel     B-GPE
.         1 punct    PUNCT .   .          O
"""


def test_refused_to_meet_is_one_refusal_of_a_meeting(res: NlpResources) -> None:
    [event] = events(res, REFUSED_TO_MEET)
    assert (event["code"], event["negated"], event["actors"]) == ("125", False, ["country:IRN"])


NOMINAL = """
A         3 det      DET   DT  a          O
United    2 compound PROPN NNP United     B-GPE
States    3 compound PROPN NNP States     I-GPE
invasion  4 nsubj    NOUN  NN  invasion   O
restored  4 ROOT     VERB  VBD restore    O
order     4 dobj     NOUN  NN  order      O
in        4 prep     ADP   IN  in         O
Haiti     6 pobj     PROPN NNP Haiti      B-GPE
.         4 punct    PUNCT .   .          O
"""


def test_an_event_noun_with_a_named_actor_is_an_event(res: NlpResources) -> None:
    [event] = events(res, NOMINAL)
    assert (event["root_code"], event["actors"], event["trigger"]["text"]) == (
        "19",
        ["country:USA"],
        "invasion",
    )


STRIKING = """
Workers   3 nsubj    NOUN  NNS worker     O
at        0 prep     ADP   IN  at         O
Westpac   1 pobj     PROPN NNP Westpac    B-ORG
struck    3 ROOT     VERB  VBD strike     O
.         3 punct    PUNCT .   .          O
"""


def test_workers_who_strike_without_an_object_conduct_a_strike(res: NlpResources) -> None:
    [event] = events(res, STRIKING)
    assert (event["code"], event["actors"]) == ("143", ["org:westpac"])


CONVINCED = """
Officers  1 nsubj    NOUN  NNS officer    O
feared    1 ROOT     VERB  VBD fear       O
Russia    4 nsubj    PROPN NNP Russia     B-GPE
would     4 aux      AUX   MD  would      O
attack    1 ccomp    VERB  VB  attack     O
Ukraine   4 dobj     PROPN NNP Ukraine    B-GPE
.         1 punct    PUNCT .   .          O
"""


def test_an_event_someone_fears_is_not_coded(res: NlpResources) -> None:
    assert events(res, CONVINCED) == []


KILLED_PASSIVE = """
Argentina 2 poss     PROPN NNP Argentina  B-GPE
's        0 case     PART  POS 's         O
Government 3 nsubj   PROPN NNP Government O
crumbled  3 ROOT     VERB  VBD crumble    O
after     8 mark     ADP   IN  after      O
20        6 nummod   NUM   CD  20         O
people    8 nsubjpass NOUN NNS person     O
were      8 auxpass  AUX   VBD be         O
killed    3 advcl    VERB  VBN kill       O
.         3 punct    PUNCT .   .          O
"""


def test_a_passive_without_its_agent_does_not_borrow_the_main_clauses_subject(res: NlpResources) -> None:
    assert events(res, KILLED_PASSIVE) == []


CONFIDENT = """
Ozal      1 nsubj    PROPN NNP Ozal       B-PERSON
said      1 ROOT     VERB  VBD say        O
he        3 nsubj    PRON  PRP he         O
was       1 ccomp    AUX   VBD be         O
confident 3 acomp    ADJ   JJ  confident  O
.         1 punct    PUNCT .   .          O
"""


def test_a_speakers_own_confidence_is_an_optimistic_comment(res: NlpResources) -> None:
    [event] = events(res, CONFIDENT)
    assert (event["code"], event["actors"]) == ("013", ["person:ozal"])


OBJECT_PRONOUN = """
Smith     1 nsubj    PROPN NNP Smith      B-PERSON
resigned  1 ROOT     VERB  VBD resign     O
.         1 punct    PUNCT .   .          O
Jones     4 nsubj    PROPN NNP Jones      B-PERSON
thanked   4 ROOT     VERB  VBD thank      O
him       4 dobj     PRON  PRP he         O
.         4 punct    PUNCT .   .          O
"""


def test_an_object_pronoun_is_not_the_subject_of_its_own_verb(res: NlpResources) -> None:
    table = EntityExtractor(res).extract(build_doc(OBJECT_PRONOUN))
    resolver = Resolver(table, res)
    him = table.doc[5]
    assert [table.entities[e].name for e in resolver.resolve(him)] == ["Smith"]


OPPOSITION_REJECTS_CALL = """
Odinga    1 nsubj    PROPN NNP Odinga     B-PERSON
called    1 ROOT     VERB  VBD call       O
for       1 prep     ADP   IN  for        O
talks     2 pobj     NOUN  NNS talk       O
in        1 prep     ADP   IN  in         O
Kenya     4 pobj     PROPN NNP Kenya      B-GPE
.         1 punct    PUNCT .   .          O
The       9 det      DET   DT  the        O
opposition 9 compound NOUN NN  opposition O
parties   10 nsubj   NOUN  NNS party      O
rejected  10 ROOT    VERB  VBD reject     O
the       12 det     DET   DT  the        O
call      10 dobj    NOUN  NN  call       O
.         10 punct   PUNCT .   .          O
"""


def test_an_unnamed_opposition_is_the_countrys_and_rejecting_a_call_targets_the_caller(
    res: NlpResources,
) -> None:
    # The opposition is domestic by definition (PETRARCH's OPP agents), like the police; a
    # call rejected is the appeal made before by someone else.
    rejection = next(e for e in events(res, OPPOSITION_REJECTS_CALL) if e["root_code"] == "12")
    assert (rejection["actors"], rejection["targets"]) == (["country:KEN"], ["person:odinga"])


NAMED_STORM = """
Cyclone   1 compound PROPN NNP Cyclone    B-ORG
Amara     2 nsubj    PROPN NNP Amara      I-ORG
killed    2 ROOT     VERB  VBD kill       O
dozens    2 dobj     NOUN  NNS dozen      O
in        2 prep     ADP   IN  in         O
Fiji      4 pobj     PROPN NNP Fiji       B-GPE
.         2 punct    PUNCT .   .          O
"""


def test_a_named_storm_is_no_actor_whatever_the_tagger_took_it_for(res: NlpResources) -> None:
    assert events(res, NAMED_STORM) == []


UNNAMED_APPOSITIVE = """
The       1 det      DET   DT  the        O
gunmen    9 nsubj    NOUN  NNS gunman     O
,         1 punct    PUNCT ,   ,          O
members   1 appos    NOUN  NNS member     O
of        3 prep     ADP   IN  of         O
a         7 det      DET   DT  a          O
Kenyan    7 amod     ADJ   JJ  kenyan     B-NORP
militia   4 pobj     NOUN  NN  militia    O
,         1 punct    PUNCT ,   ,          O
attacked  9 ROOT     VERB  VBD attack     O
Uganda    9 dobj     PROPN NNP Uganda     B-GPE
.         9 punct    PUNCT .   .          O
"""


def test_an_unnamed_subject_is_who_its_appositive_says(res: NlpResources) -> None:
    [attack] = events(res, UNNAMED_APPOSITIVE)
    assert (attack["root_code"], attack["actors"]) == ("19", ["country:KEN"])


STATE_GOVERNMENT = """
Storms    1 nsubj    NOUN  NNS storm      O
hit       1 ROOT     VERB  VBD hit        O
Brisbane  1 dobj     PROPN NNP Brisbane   B-GPE
.         1 punct    PUNCT .   .          O
The       5 det      DET   DT  the        O
Government 6 nsubj   PROPN NNP Government O
warned    6 ROOT     VERB  VBD warn       O
residents 6 dobj     NOUN  NNS resident   O
.         6 punct    PUNCT .   .          O
"""


def test_a_capitalised_the_government_is_the_state_of_the_places_named(res: NlpResources) -> None:
    # no country is named, only a city: the government is that city's country's
    table = EntityExtractor(res).extract(build_doc(STATE_GOVERNMENT))
    assert Resolver(table, res).resolve(table.doc[5]) == ["country:AUS"]


DENIED_VISAS = """
The       2 det       DET   DT  the        O
Kenyan    2 amod      ADJ   JJ  kenyan     B-NORP
choir     4 nsubjpass NOUN  NN  choir      O
was       4 auxpass   AUX   VBD be         O
denied    4 ROOT      VERB  VBN deny       O
visas     4 dobj      NOUN  NNS visa       O
to        7 aux       PART  TO  to         O
visit     4 advcl     VERB  VB  visit      O
Canada    7 dobj      PROPN NNP Canada     B-GPE
.         4 punct     PUNCT .   .          O
"""


def test_agentless_denial_of_a_visa_is_a_refusal_by_the_state_it_was_for(res: NlpResources) -> None:
    [event] = events(res, DENIED_VISAS)
    assert event["code"] == "120"
    assert event["actors"] == ["country:CAN"] and event["targets"] == ["country:KEN"]


WELCOME_TO_VISIT = """
Chile     1 nsubj     PROPN NNP Chile      B-GPE
said      1 ROOT      VERB  VBD say        O
Peruvian  3 amod      ADJ   JJ  peruvian   B-NORP
students  4 nsubj     NOUN  NNS student    O
were      1 ccomp     AUX   VBD be         O
welcome   4 acomp     ADJ   JJ  welcome    O
to        7 aux       PART  TO  to         O
visit     5 xcomp     VERB  VB  visit      O
.         1 punct     PUNCT .   .          O
"""


def test_saying_a_party_is_welcome_to_act_invites_it(res: NlpResources) -> None:
    [event] = events(res, WELCOME_TO_VISIT)
    assert event["code"] == "028"
    assert event["actors"] == ["country:CHL"] and event["targets"] == ["country:PER"]


INVITED_TO_VISIT_BY = """
The         2  det       DET   DT   the        O
Finnish     2  amod      ADJ   JJ   finnish    B-NORP
delegation  4  nsubjpass NOUN  NN   delegation O
was         4  auxpass   AUX   VBD  be         O
invited     4  ROOT      VERB  VBN  invite     O
to          6  aux       PART  TO   to         O
visit       4  xcomp     VERB  VB   visit      O
Ottawa      6  dobj      PROPN NNP  Ottawa     B-GPE
by          6  prep      ADP   IN   by         O
the         12 det       DET   DT   the        O
Canadian    12 amod      ADJ   JJ   canadian   B-NORP
foreign     12 amod      ADJ   JJ   foreign    O
minister    8  pobj      NOUN  NN   minister   O
.           4  punct     PUNCT .    .          O
"""


def test_a_passive_invitation_is_extended_by_its_by_phrase_and_the_visit_has_not_happened(
    res: NlpResources,
) -> None:
    # the parser hangs the inviter's "by" phrase on the infinitive; the party invited is
    # named by its owner ("the Finnish delegation")
    [event] = events(res, INVITED_TO_VISIT_BY)
    assert event["code"] == "028"
    assert event["actors"] == ["country:CAN"] and event["targets"] == ["country:FIN"]


INVITED_TO_SUMMIT = """
Peru       2 nsubjpass PROPN NNP  Peru      B-GPE
was        2 auxpass   AUX   VBD  be        O
invited    2 ROOT      VERB  VBN  invite    O
to         2 prep      ADP   IN   to        O
the        6 det       DET   DT   the       O
Brazilian  6 amod      ADJ   JJ   brazilian B-NORP
president  8 poss      NOUN  NN   president O
's         6 case      PART  POS  's        O
summit     3 pobj      NOUN  NN   summit    O
.          2 punct     PUNCT .    .         O
"""


INVITED_TO_ITS_SUMMIT = """
Chile    1 nsubj     PROPN NNP  Chile   B-GPE
said     1 ROOT      VERB  VBD  say     O
Bolivia  4 nsubjpass PROPN NNP  Bolivia B-GPE
was      4 auxpass   AUX   VBD  be      O
invited  1 ccomp     VERB  VBN  invite  O
to       4 prep      ADP   IN   to      O
its      7 poss      PRON  PRP$ its     O
summit   5 pobj      NOUN  NN   summit  O
.        1 punct     PUNCT .    .       O
"""


def test_an_agentless_invitation_is_extended_by_whoever_holds_the_event(res: NlpResources) -> None:
    [event] = events(res, INVITED_TO_SUMMIT)
    assert event["code"] == "028"
    assert event["actors"] == ["country:BRA"] and event["targets"] == ["country:PER"]
    # nobody invites itself: "its" read as Bolivia leaves the host unknown, and no event
    assert events(res, INVITED_TO_ITS_SUMMIT) == []


WOULD_ASSIST = """
Norway      1 nsubj     PROPN NNP  Norway     B-GPE
said        1 ROOT      VERB  VBD  say        O
it          4 nsubj     PRON  PRP  it         O
would       4 aux       AUX   MD   would      O
{verb}      1 ccomp     VERB  VB   {verb}     O
Sudan       4 dobj      PROPN NNP  Sudan      B-GPE
with        4 prep      ADP   IN   with       O
food        8 compound  NOUN  NN   food       O
deliveries  6 pobj      NOUN  NNS  delivery   O
.           1 punct     PUNCT .    .          O
"""

HELPED = """
Japan    1 nsubj     PROPN NNP  Japan   B-GPE
helped   1 ROOT      VERB  VBD  help    O
Sri      3 compound  PROPN NNP  Sri     B-GPE
Lanka    4 nsubj     PROPN NNP  Lanka   I-GPE
rebuild  1 ccomp     VERB  VB   rebuild O
its      6 poss      PRON  PRP$ its     O
ports    4 dobj      NOUN  NNS  port    O
.        1 punct     PUNCT .    .       O
"""


def test_a_promise_of_help_is_an_intent_to_cooperate_help_given_is_no_event(res: NlpResources) -> None:
    # PETRARCH2 codes "assist" 060 (its intent 030) and "help" 070 (its intent 033)
    [event] = events(res, WOULD_ASSIST.format(verb="assist"))
    assert (event["code"], event["modality"]) == ("030", "future")
    assert event["actors"] == ["country:NOR"] and event["targets"] == ["country:SDN"]
    assert [e["code"] for e in events(res, WOULD_ASSIST.format(verb="help"))] == ["033"]
    assert events(res, HELPED) == []


DENIED_ENTRY = """
The      2 det       DET   DT   the     O
Kenyan   2 amod      ADJ   JJ   kenyan  B-NORP
runner   4 nsubjpass NOUN  NN   runner  O
was      4 auxpass   AUX   VBD  be      O
{verb}   4 ROOT      VERB  VBN  {lemma} O
entry    4 dobj      NOUN  NN   entry   O
into     5 prep      ADP   IN   into    O
Britain  6 pobj      PROPN NNP  Britain B-GPE
.        4 punct     PUNCT .    .       O
"""


def test_an_agentless_denial_of_entry_is_coded_as_petrarch_codes_it_by_the_state_entered(
    res: NlpResources,
) -> None:
    [denied] = events(res, DENIED_ENTRY.format(verb="denied", lemma="deny"))
    assert denied["code"] == "160"  # PETRARCH2: DENY * ENTRY
    assert denied["actors"] == ["country:GBR"] and denied["targets"] == ["country:KEN"]
    [refused] = events(res, DENIED_ENTRY.format(verb="refused", lemma="refuse"))
    assert refused["code"] == "144"  # PETRARCH2: REFUSE * ENTRY


PROMISED_HER_HELP = """
Anna   1 compound  PROPN NNP  Anna  B-PERSON
Kovac  2 nsubj     PROPN NNP  Kovac I-PERSON
told   2 ROOT      VERB  VBD  tell  O
Maria  4 compound  PROPN NNP  Maria B-PERSON
Lind   2 dobj      PROPN NNP  Lind  I-PERSON
she    7 nsubj     PRON  PRP  she   O
would  7 aux       AUX   MD   would O
help   2 ccomp     VERB  VB   help  O
her    7 dobj      PRON  PRP  she   O
.      2 punct     PUNCT .    .     O
"""


def test_an_object_pronoun_is_not_whom_its_clauses_subject_pronoun_is(res: NlpResources) -> None:
    # "she" is the speaker; "her" is somebody else (the speaker would be "herself")
    [event] = events(res, PROMISED_HER_HELP)
    assert event["actors"] == ["person:anna-kovac"] and event["targets"] == ["person:maria-lind"]


PLACE_THEN_THEY = """
Manitoba  2 nsubjpass PROPN NNP Manitoba   B-GPE
was       2 auxpass  AUX   VBD be         O
spared    2 ROOT     VERB  VBN spare      O
.         2 punct    PUNCT .   .          O
They      5 nsubj    PRON  PRP they       O
called    5 ROOT     VERB  VBD call       O
for       5 prep     ADP   IN  for        O
rain      6 pobj     NOUN  NN  rain       O
.         5 punct    PUNCT .   .          O
"""


def test_a_plural_pronoun_never_refers_to_a_town_or_a_state(res: NlpResources) -> None:
    table = EntityExtractor(res).extract(build_doc(PLACE_THEN_THEY))
    assert "place:manitoba" in table.entities
    assert Resolver(table, res).resolve(table.doc[4]) == []
