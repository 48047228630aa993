"""Event classes of one-sentence wire reports: assassinations, accord on a fact, verbs of
necessity in reported speech, halted mediation (hand-built parses, no model; sentences of our
own)."""

from __future__ import annotations

import pytest

from config import NLP_DATA_DIR
from services.nlp.resources import NlpResources, load_resources
from tests.unit.test_nlp_events import events


@pytest.fixture(scope="module")
def res() -> NlpResources:
    return load_resources(NLP_DATA_DIR)


def codes(res: NlpResources, rows: str) -> dict[str, str]:
    """Trigger text -> code."""
    return {e["trigger"]["text"]: e["code"] for e in events(res, rows)}


KILLED_THE_MAYOR = """
Hamas     1 nsubj  PROPN NNP Hamas   B-ORG
killed    1 ROOT   VERB  VBD kill    O
the       3 det    DET   DT  the     O
mayor     1 dobj   NOUN  NN  mayor   O
of        3 prep   ADP   IN  of      O
Jenin     4 pobj   PROPN NNP Jenin   B-GPE
.         1 punct  PUNCT .   .       O
"""

KILLED_THE_HEAD_OF = """
Hamas     1 nsubj  PROPN NNP Hamas   B-ORG
killed    1 ROOT   VERB  VBD kill    O
the       3 det    DET   DT  the     O
head      1 dobj   NOUN  NN  head    O
of        3 prep   ADP   IN  of      O
a         6 det    DET   DT  a       O
militia   4 pobj   NOUN  NN  militia O
.         1 punct  PUNCT .   .       O
"""

KILLED_A_SOLDIER = """
Hamas     1 nsubj  PROPN NNP Hamas   B-ORG
killed    1 ROOT   VERB  VBD kill    O
a         3 det    DET   DT  a       O
soldier   1 dobj   NOUN  NN  soldier O
.         1 punct  PUNCT .   .       O
"""


def test_killing_an_office_holder_is_an_assassination(res: NlpResources) -> None:
    assert codes(res, KILLED_THE_MAYOR)["killed"] == "186"  # PETRARCH agent GOV
    assert codes(res, KILLED_THE_HEAD_OF)["killed"] == "186"  # a role head with what it leads
    assert codes(res, KILLED_A_SOLDIER)["killed"] == "190"  # a rank: force, no assassination


AGREED_ON_A_FACT = """
Chile     3 nsubj  PROPN NNP Chile    B-GPE
and       0 cc     CCONJ CC  and      O
Peru      0 conj   PROPN NNP Peru     B-GPE
agreed    3 ROOT   VERB  VBD agree    O
that      8 mark   SCONJ IN  that     O
the       7 det    DET   DT  the      O
border    7 compound NOUN NN border   O
dispute   8 nsubj  NOUN  NN  dispute  O
was       3 ccomp  AUX   VBD be       O
serious   8 acomp  ADJ   JJ  serious  O
.         3 punct  PUNCT .   .        O
"""

AGREED_TO_ACT = """
Chile     3 nsubj  PROPN NNP Chile    B-GPE
and       0 cc     CCONJ CC  and      O
Peru      0 conj   PROPN NNP Peru     B-GPE
agreed    3 ROOT   VERB  VBD agree    O
that      7 mark   SCONJ IN  that     O
they      7 nsubj  PRON  PRP they     O
should    7 aux    AUX   MD  should   O
cooperate 3 ccomp  VERB  VB  cooperate O
.         3 punct  PUNCT .   .        O
"""


def test_agreeing_that_something_is_so_is_accord_not_an_intent(res: NlpResources) -> None:
    assert codes(res, AGREED_ON_A_FACT)["agreed"] == "019"
    assert codes(res, AGREED_TO_ACT)["agreed"] == "030"


NEEDS_TO = """
Germany   1 nsubj  PROPN NNP Germany  B-GPE
said      1 ROOT   VERB  VBD say      O
Greece    3 nsubj  PROPN NNP Greece   B-GPE
needs     1 ccomp  VERB  VBZ need     O
to        5 aux    PART  TO  to       O
trim      3 xcomp  VERB  VB  trim     O
spending  5 dobj   NOUN  NN  spending O
.         1 punct  PUNCT .   .        O
"""

HAS_TO = """
Germany   1 nsubj  PROPN NNP Germany  B-GPE
said      1 ROOT   VERB  VBD say      O
Greece    3 nsubj  PROPN NNP Greece   B-GPE
has       1 ccomp  VERB  VBZ have     O
to        5 aux    PART  TO  to       O
trim      3 xcomp  VERB  VB  trim     O
spending  5 dobj   NOUN  NN  spending O
.         1 punct  PUNCT .   .        O
"""

WOULD_NEED_TO = """
Germany   1 nsubj  PROPN NNP Germany  B-GPE
said      1 ROOT   VERB  VBD say      O
Greece    4 nsubj  PROPN NNP Greece   B-GPE
would     4 aux    AUX   MD  would    O
need      1 ccomp  VERB  VB  need     O
to        6 aux    PART  TO  to       O
trim      4 xcomp  VERB  VB  trim     O
spending  6 dobj   NOUN  NN  spending O
.         1 punct  PUNCT .   .        O
"""


def test_a_verb_of_necessity_in_reported_speech_is_an_appeal_or_a_demand(res: NlpResources) -> None:
    [appeal] = events(res, NEEDS_TO)
    assert (appeal["code"], appeal["actors"], appeal["targets"]) == ("020", ["country:DEU"], ["country:GRC"])
    [demand] = events(res, HAS_TO)
    assert (demand["code"], demand["targets"]) == ("100", ["country:GRC"])
    assert not any(e["root_code"] in {"02", "10"} for e in events(res, WOULD_NEED_TO))  # a conjecture


ENDED_MEDIATION = """
Egypt     1 nsubj  PROPN NNP Egypt     B-GPE
ended     1 ROOT   VERB  VBD end       O
its       3 poss   PRON  PRP$ its      O
mediation 1 dobj   NOUN  NN  mediation O
between   3 prep   ADP   IN  between   O
Chad      4 pobj   PROPN NNP Chad      B-GPE
and       5 cc     CCONJ CC  and       O
Sudan     5 conj   PROPN NNP Sudan     B-GPE
.         1 punct  PUNCT .   .         O
"""


def test_ending_a_mediation_halts_it(res: NlpResources) -> None:
    [halt] = events(res, ENDED_MEDIATION)
    assert (halt["code"], halt["actors"]) == ("165", ["country:EGY"])


WILL_IMPOSE_A_CURFEW = """
Kenya     2 nsubj  PROPN NNP Kenya   B-GPE
will      2 aux    AUX   MD  will    O
impose    2 ROOT   VERB  VB  impose  O
a         4 det    DET   DT  a       O
curfew    2 dobj   NOUN  NN  curfew  O
in        2 prep   ADP   IN  in      O
Mombasa   5 pobj   PROPN NNP Mombasa B-GPE
.         2 punct  PUNCT .   .       O
"""

WILL_NOT_IMPOSE_A_CURFEW = """
Kenya     3 nsubj  PROPN NNP Kenya   B-GPE
will      3 aux    AUX   MD  will    O
not       3 neg    PART  RB  not     O
impose    3 ROOT   VERB  VB  impose  O
a         5 det    DET   DT  a       O
curfew    3 dobj   NOUN  NN  curfew  O
.         3 punct  PUNCT .   .       O
"""

WILL_DEPLOY_TROOPS = """
Kenya     2 nsubj  PROPN NNP Kenya   B-GPE
will      2 aux    AUX   MD  will    O
deploy    2 ROOT   VERB  VB  deploy  O
troops    2 dobj   NOUN  NNS troop   O
.         2 punct  PUNCT .   .       O
"""

WOULD_BLOCKADE = """
Kenya     2 nsubj  PROPN NNP Kenya    B-GPE
would     2 aux    AUX   MD  would    O
blockade  2 ROOT   VERB  VB  blockade O
the       4 det    DET   DT  the      O
port      2 dobj   NOUN  NN  port     O
.         2 punct  PUNCT .   .        O
"""


def test_a_restriction_its_actor_says_is_to_come_is_a_threat(res: NlpResources) -> None:
    assert [e["code"] for e in events(res, WOULD_BLOCKADE)] == ["1381"]
    [curfew] = events(res, WILL_IMPOSE_A_CURFEW)
    assert (curfew["code"], curfew["actors"]) == ("1323", ["country:KEN"])
    [negated] = events(res, WILL_NOT_IMPOSE_A_CURFEW)
    assert (negated["code"], negated["negated"]) == ("1723", True)
    [deploy] = events(res, WILL_DEPLOY_TROOPS)
    assert (deploy["root_code"], deploy["modality"]) == ("15", "future")  # posture keeps its code


UNLESS = """
Chad      2 nsubj  PROPN NNP Chad     B-GPE
will      2 aux    AUX   MD  will     O
recall    2 ROOT   VERB  VB  recall   O
its       4 poss   PRON  PRP$ its     O
envoy     2 dobj   NOUN  NN  envoy    O
unless    7 mark   SCONJ IN  unless   O
Sudan     7 nsubj  PROPN NNP Sudan    B-GPE
releases  2 advcl  VERB  VBZ release  O
the       9 det    DET   DT  the      O
prisoners 7 dobj   NOUN  NNS prisoner O
.         2 punct  PUNCT .   .        O
"""


def test_the_condition_of_a_threat_is_no_act_of_the_other_side(res: NlpResources) -> None:
    found = codes(res, UNLESS)
    assert "releases" not in found and "recall" in found


ENGAGED_IN_CLEANSING = """
Chadian   1 amod     ADJ   JJ  chadian   B-NORP
troops    3 nsubjpass NOUN NNS troop     O
are       3 auxpass  AUX   VBP be        O
engaged   3 ROOT     VERB  VBN engage    O
in        3 prep     ADP   IN  in        O
ethnic    6 amod     ADJ   JJ  ethnic    O
cleansing 4 pobj     NOUN  NN  cleansing O
.         3 punct    PUNCT .   .         O
"""

A_GENOCIDE_OF_HISTORY = """
Kagame    1 nsubj    PROPN NNP Kagame    B-PERSON
spoke     1 ROOT     VERB  VBD speak     O
about     1 prep     ADP   IN  about     O
the       5 det      DET   DT  the       O
Rwandan   5 amod     ADJ   JJ  rwandan   B-NORP
genocide  2 pobj     NOUN  NN  genocide  O
.         1 punct    PUNCT .   .         O
"""


def test_the_subject_of_were_engaged_in_does_the_act_and_mass_crimes_are_acts_only_so(
    res: NlpResources,
) -> None:
    [cleansing] = events(res, ENGAGED_IN_CLEANSING)
    assert (cleansing["code"], cleansing["actor_countries"]) == ("203", ["TCD"])
    assert events(res, A_GENOCIDE_OF_HISTORY) == []


CHARGES_THAT = """
Chad      1 nsubj  PROPN NNP Chad     B-GPE
rejected  1 ROOT   VERB  VBD reject   O
charges   1 dobj   NOUN  NNS charge   O
that      5 mark   SCONJ IN  that     O
Sudan     5 nsubj  PROPN NNP Sudan    B-GPE
attacked  2 acl    VERB  VBD attack   O
the       8 det    DET   DT  the      O
border    8 compound NOUN NN border   O
post      5 dobj   NOUN  NN  post     O
.         1 punct  PUNCT .   .        O
"""


def test_what_a_charge_claims_is_no_event(res: NlpResources) -> None:
    assert "attacked" not in codes(res, CHARGES_THAT)


MEETING_TO_DISCUSS = """
Peru      1 nsubj  PROPN NNP Peru     B-GPE
demanded  1 ROOT   VERB  VBD demand   O
a         3 det    DET   DT  a        O
meeting   1 dobj   NOUN  NN  meeting  O
with      3 prep   ADP   IN  with     O
Chile     4 pobj   PROPN NNP Chile    B-GPE
to        7 aux    PART  TO  to       O
discuss   1 advcl  VERB  VB  discuss  O
the       9 det    DET   DT  the      O
dispute   7 dobj   NOUN  NN  dispute  O
.         1 punct  PUNCT .   .        O
"""


def test_the_purpose_of_a_demanded_meeting_is_part_of_the_demand(res: NlpResources) -> None:
    found = codes(res, MEETING_TO_DISCUSS)
    assert found["demanded"][:2] == "10" and "discuss" not in found


RALLY_TO_PROTEST = """
Thousands 3 nsubj  NOUN  NNS thousand O
of        0 prep   ADP   IN  of       O
Kenyans   1 pobj   PROPN NNPS Kenyans B-NORP
gathered  3 ROOT   VERB  VBD gather   O
for       3 prep   ADP   IN  for      O
a         6 det    DET   DT  a        O
rally     4 pobj   NOUN  NN  rally    O
to        8 aux    PART  TO  to       O
protest   6 relcl  VERB  VB  protest  O
the       10 det   DET   DT  the      O
cuts      8 dobj   NOUN  NNS cut      O
.         3 punct  PUNCT .   .        O
"""


def test_the_purpose_of_an_act_is_done_by_whoever_does_the_act(res: NlpResources) -> None:
    [protest] = events(res, RALLY_TO_PROTEST)
    assert (protest["root_code"], protest["actor_countries"]) == ("14", ["KEN"])


ARRESTED_FOR = """
Kenya     1 nsubj  PROPN NNP Kenya    B-GPE
arrested  1 ROOT   VERB  VBD arrest   O
two       3 nummod NUM   CD  two      O
Ugandans  1 dobj   PROPN NNPS Ugandans B-NORP
for       1 prep   ADP   IN  for      O
attacking 4 pcomp  VERB  VBG attack   O
a         8 det    DET   DT  a        O
police    8 compound NOUN NN police   O
post      5 dobj   NOUN  NN  post     O
.         1 punct  PUNCT .   .        O
"""


def test_what_someone_is_arrested_for_is_claimed_not_told_as_done(res: NlpResources) -> None:
    found = codes(res, ARRESTED_FOR)
    assert found.get("arrested") == "173" and "attacking" not in found


ARRIVED = """
Ghanaian  1 amod   ADJ   JJ  ghanaian B-NORP
{who}     2 nsubj  NOUN  NNS {lemma}  O
arrived   2 ROOT   VERB  VBD arrive   O
in        2 prep   ADP   IN  in       O
Liberia   3 pobj   PROPN NNP Liberia  B-GPE
.         2 punct  PUNCT .   .        O
"""


def test_peacekeepers_that_arrive_are_peacekeeping_provided(res: NlpResources) -> None:
    [force] = events(res, ARRIVED.format(who="peacekeepers", lemma="peacekeeper"))
    assert (force["code"], force["actor_countries"]) == ("074", ["GHA"])
    # diplomats arriving in a place whose host nobody names: no visit
    assert events(res, ARRIVED.format(who="diplomats", lemma="diplomat")) == []


BOWED_TO = """
Chad      1 nsubj  PROPN NNP Chad     B-GPE
bowed     1 ROOT   VERB  VBD bow      O
to        1 prep   ADP   IN  to       O
pressure  2 pobj   NOUN  NN  pressure O
from      3 prep   ADP   IN  from     O
Libya     4 pobj   PROPN NNP Libya    B-GPE
.         1 punct  PUNCT .   .        O
"""


def test_giving_way_to_someone_is_yielding(res: NlpResources) -> None:
    [bowed] = events(res, BOWED_TO)
    assert (bowed["code"], bowed["actors"]) == ("080", ["country:TCD"])


CONCEDED_TO_REPORTERS = """
Chad      1 nsubj  PROPN NNP Chad     B-GPE
conceded  1 ROOT   VERB  VBD concede  O
to        1 prep   ADP   IN  to       O
reporters 2 pobj   NOUN  NNS reporter O
that      7 mark   SCONJ IN  that     O
the       6 det    DET   DT  the      O
plan      7 nsubj  NOUN  NN  plan     O
failed    1 ccomp  VERB  VBD fail     O
.         1 punct  PUNCT .   .        O
"""


def test_whom_a_statement_is_made_to_is_no_phrasal_verb(res: NlpResources) -> None:
    assert all(e["root_code"] != "08" for e in events(res, CONCEDED_TO_REPORTERS))
