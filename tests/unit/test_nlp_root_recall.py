"""Event classes of CAMEO roots the rules used to miss: abuse, torture and sexual violence (18x),
alerts and readiness to use force (152), failed negotiations (164) (hand-built parses, no model;
sentences of our own)."""

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


SEXUALLY_ABUSED = """
Chilean    1 amod      ADJ   JJ   chilean   B-NORP
guards     3 nsubj     NOUN  NNS  guard     O
sexually   3 advmod    ADV   RB   sexually  O
abused     3 ROOT      VERB  VBD  abuse     O
Peruvian   5 amod      ADJ   JJ   peruvian  B-NORP
prisoners  3 dobj      NOUN  NNS  prisoner  O
.          3 punct     PUNCT .    .         O
"""

ABUSED_DOZENS = """
Chilean    1 amod      ADJ   JJ   chilean   B-NORP
guards     2 nsubj     NOUN  NNS  guard     O
abused     2 ROOT      VERB  VBD  abuse     O
dozens     2 dobj      NOUN  NNS  dozen     B-CARDINAL
of         3 prep      ADP   IN   of        O
Peruvian   6 amod      ADJ   JJ   peruvian  B-NORP
prisoners  4 pobj      NOUN  NNS  prisoner  O
.          2 punct     PUNCT .    .         O
"""

ABUSED_POWER = """
Chilean    1 amod      ADJ   JJ   chilean   B-NORP
officials  2 nsubj     NOUN  NNS  official  O
abused     2 ROOT      VERB  VBD  abuse     O
their      4 poss      PRON  PRP$ their     O
power      2 dobj      NOUN  NN   power     O
.          2 punct     PUNCT .    .         O
"""

RAPED = """
Chilean   1 amod      ADJ   JJ   chilean  B-NORP
police    2 nsubj     NOUN  NNS  police   O
raped     2 ROOT      VERB  VBD  rap      O
a         5 det       DET   DT   a        O
Peruvian  5 amod      ADJ   JJ   peruvian B-NORP
woman     2 dobj      NOUN  NN   woman    O
.         2 punct     PUNCT .    .        O
"""


def test_abuse_of_people_is_unconventional_violence_and_sexual_abuse_its_leaf(res: NlpResources) -> None:
    assert codes(res, SEXUALLY_ABUSED) == {"abused": "1821"}  # the adverb names the leaf
    assert codes(res, ABUSED_DOZENS) == {"abused": "180"}  # PETRARCH's ABUSE; the people counted
    assert codes(res, ABUSED_POWER) == {}  # power is nobody


def test_raped_read_through_the_lemmatizers_slip(res: NlpResources) -> None:
    assert codes(res, RAPED) == {"raped": "1821"}  # lemma "rap", PETRARCH's RAPE
    rapped = RAPED.replace("raped     2 ROOT      VERB  VBD  rap", "rapped    2 ROOT      VERB  VBD  rap")
    assert codes(res, rapped) == {}  # "rapped" is rap's own past


ALERT_STATUS = """
Chile   1 nsubj     PROPN NNP  Chile  B-GPE
raised  1 ROOT      VERB  VBD  raise  O
the     4 det       DET   DT   the    O
alert   4 amod      ADJ   JJ   alert  O
status  1 dobj      NOUN  NN   status O
of      4 prep      ADP   IN   of     O
its     7 poss      PRON  PRP$ its    O
army    5 pobj      NOUN  NN   army   O
.       1 punct     PUNCT .    .      O
"""

READY_TO_USE_FORCE = """
Chile    1 nsubj     PROPN NNP  Chile   B-GPE
is       1 ROOT      AUX   VBZ  be      O
ready    1 acomp     ADJ   JJ   ready   O
to       4 aux       PART  TO   to      O
use      2 xcomp     VERB  VB   use     O
force    4 dobj      NOUN  NN   force   O
against  5 prep      ADP   IN   against O
Peru     6 pobj      PROPN NNP  Peru    B-GPE
.        1 punct     PUNCT .    .       O
"""

VOWED_TO_USE_FORCE = """
Chile    1 nsubj     PROPN NNP  Chile   B-GPE
vowed    1 ROOT      VERB  VBD  vow     O
to       3 aux       PART  TO   to      O
use      1 xcomp     VERB  VB   use     O
force    3 dobj      NOUN  NN   force   O
against  3 prep      ADP   IN   against O
Peru     5 pobj      PROPN NNP  Peru    B-GPE
.        1 punct     PUNCT .    .       O
"""


def test_raised_alert_status_and_readiness_to_use_force_are_military_alerts(res: NlpResources) -> None:
    assert codes(res, ALERT_STATUS) == {"raised the alert status": "152"}
    assert codes(res, READY_TO_USE_FORCE) == {"use": "152"}  # not a threat (137/138)
    assert codes(res, VOWED_TO_USE_FORCE)["use"][:2] == "13"  # a vow to use force stays a threat


TALKS_COLLAPSED = """
Talks      5 nsubj     NOUN  NNS  talk      O
between    0 prep      ADP   IN   between   O
Chile      1 pobj      PROPN NNP  Chile     B-GPE
and        2 cc        CCONJ CC   and       O
Peru       2 conj      PROPN NNP  Peru      B-GPE
collapsed  5 ROOT      VERB  VBD  collapse  O
.          5 punct     PUNCT .    .         O
"""

FAILED_TO_AGREE = """
Chile      3 nsubj     PROPN NNP  Chile     B-GPE
and        0 cc        CCONJ CC   and       O
Peru       0 conj      PROPN NNP  Peru      B-GPE
failed     3 ROOT      VERB  VBD  fail      O
to         5 aux       PART  TO   to        O
reach      3 xcomp     VERB  VB   reach     O
an         7 det       DET   DT   an        O
agreement  5 dobj      NOUN  NN   agreement O
.          3 punct     PUNCT .    .         O
"""


def test_failed_negotiations_are_halted_negotiations(res: NlpResources) -> None:
    [event] = events(res, TALKS_COLLAPSED)
    assert event["code"] == "164" and event["actor_countries"] == ["CHL", "PER"]
    [event] = events(res, FAILED_TO_AGREE)
    assert (event["code"], event["negated"]) == ("164", False)  # one event, no negated 057


HELD_AS_SHIELDS = """
Bolivian   1 amod      ADJ   JJ   bolivian  B-NORP
rebels     3 nsubj     NOUN  NNS  rebel     O
were       3 aux       AUX   VBD  be        O
holding    3 ROOT      VERB  VBG  hold      O
Peruvian   5 amod      ADJ   JJ   peruvian  B-NORP
civilians  3 dobj      NOUN  NNS  civilian  O
as         3 prep      ADP   IN   as        O
human      8 compound  NOUN  NN   human     O
shields    6 pobj      NOUN  NNS  shield    O
.          3 punct     PUNCT .    .         O
"""


def test_people_held_as_human_shields_are_used_as_shields(res: NlpResources) -> None:
    [event] = events(res, HELD_AS_SHIELDS)
    assert event["code"] == "184"  # not the detention (173) "holding civilians" alone is
    assert (event["actor_countries"], event["target_countries"]) == (["BOL"], ["PER"])


MILITARY_BUILDUP = """
Peru      3 poss      PROPN NNP  Peru     B-GPE
's        0 case      PART  POS  's       O
military  3 amod      ADJ   JJ   military O
buildup   4 nsubj     NOUN  NN   buildup  O
alarmed   4 ROOT      VERB  VBD  alarm    O
Bolivia   4 dobj      PROPN NNP  Bolivia  B-GPE
.         4 punct     PUNCT .    .        O
"""

ORDERED_MOBILIZATION = """
Peru          1 nsubj     PROPN NNP  Peru         B-GPE
ordered       1 ROOT      VERB  VBD  order        O
a             3 det       DET   DT   a            O
mobilization  1 dobj      NOUN  NN   mobilization O
of            3 prep      ADP   IN   of           O
its           6 poss      PRON  PRP$ its          O
reserves      4 pobj      NOUN  NNS  reserve      O
.             1 punct     PUNCT .    .            O
"""


def test_mobilization_and_buildup_are_armed_forces_increased(res: NlpResources) -> None:
    assert codes(res, MILITARY_BUILDUP) == {"buildup": "154"}  # a nominal event, Peru's
    assert codes(res, ORDERED_MOBILIZATION) == {"ordered a mobilization": "154"}


PRESSED_FOR_RELEASE = """
Chile    1 nsubj     PROPN NNP  Chile   B-GPE
pressed  1 ROOT      VERB  VBD  press   O
Peru     1 dobj      PROPN NNP  Peru    B-GPE
for      1 prep      ADP   IN   for     O
the      5 det       DET   DT   the     O
release  3 pobj      NOUN  NN   release O
of       5 prep      ADP   IN   of      O
the      8 det       DET   DT   the     O
sailors  6 pobj      NOUN  NNS  sailor  O
.        1 punct     PUNCT .    .       O
"""

PUSHED_FOR_PERU_TO = """
Chile     1 nsubj     PROPN NNP  Chile    B-GPE
pushed    1 ROOT      VERB  VBD  push     O
for       5 mark      SCONJ IN   for      O
Peru      5 nsubj     PROPN NNP  Peru     B-GPE
to        5 aux       PART  TO   to       O
withdraw  1 advcl     VERB  VB   withdraw O
its       7 poss      PRON  PRP$ its      O
troops    5 dobj      NOUN  NNS  troop    O
.         1 punct     PUNCT .    .        O
"""

PUSHED_THE_CART = """
Chile   1 nsubj     PROPN NNP  Chile  B-GPE
pushed  1 ROOT      VERB  VBD  push   O
the     3 det       DET   DT   the    O
cart    1 dobj      NOUN  NN   cart   O
.       1 punct     PUNCT .    .      O
"""

APPEALED_FOR_PERU_TO = """
Chile     1 nsubj     PROPN NNP  Chile    B-GPE
appealed  1 ROOT      VERB  VBD  appeal   O
for       5 mark      SCONJ IN   for      O
Peru      5 nsubj     PROPN NNP  Peru     B-GPE
to        5 aux       PART  TO   to       O
lift      1 advcl     VERB  VB   lift     O
the       7 det       DET   DT   the      O
blockade  5 dobj      NOUN  NN   blockade O
.         1 punct     PUNCT .    .        O
"""


def test_pressing_for_something_is_a_demand_of_it(res: NlpResources) -> None:
    [event] = events(res, PRESSED_FOR_RELEASE)
    assert (event["code"], event["target_countries"]) == ("1053", ["PER"])
    [event] = events(res, PUSHED_FOR_PERU_TO)  # the withdrawal is only asked for
    assert (event["code"], event["actor_countries"], event["target_countries"]) == ("1056", ["CHL"], ["PER"])
    assert codes(res, PUSHED_THE_CART) == {}


def test_what_a_for_to_clause_asks_for_is_no_event(res: NlpResources) -> None:
    assert codes(res, APPEALED_FOR_PERU_TO) == {"appealed": "020"}  # no 085 lifting by Peru


WARNED_IF_NOT = """
Chile     1 nsubj     PROPN NNP  Chile    B-GPE
warned    1 ROOT      VERB  VBD  warn     O
that      5 mark      SCONJ IN   that     O
it        5 nsubj     PRON  PRP  it       O
would     5 aux       AUX   MD   would    O
attack    1 ccomp     VERB  VB   attack   O
Peru      5 dobj      PROPN NNP  Peru     B-GPE
if       12 mark      SCONJ IN   if       O
the       9 det       DET   DT   the      O
troops   12 nsubj     NOUN  NNS  troop    O
did      12 aux       AUX   VBD  do       O
not      12 neg       PART  RB   not      O
withdraw  5 advcl     VERB  VB   withdraw O
.         1 punct     PUNCT .    .        O
"""


def test_a_warnings_threat_clause_is_one_threat_and_its_if_not_condition_no_act(res: NlpResources) -> None:
    [event] = events(res, WARNED_IF_NOT)  # no 190 attack, no 0874 withdrawal
    assert (event["trigger"]["text"], event["code"]) == ("warned", "138")
    assert (event["actor_countries"], event["target_countries"]) == (["CHL"], ["PER"])


INSISTED_PERU_WITHDRAW = """
Chile     1 nsubj     PROPN NNP  Chile    B-GPE
insisted  1 ROOT      VERB  VBD  insist   O
that      4 mark      SCONJ IN   that     O
Peru      4 nsubj     PROPN NNP  Peru     B-GPE
withdraw  1 ccomp     VERB  VB   withdraw O
its       6 poss      PRON  PRP$ its      O
troops    4 dobj      NOUN  NNS  troop    O
.         1 punct     PUNCT .    .        O
"""

INSISTED_BE_RELEASED = """
Chile     1 nsubj     PROPN NNP  Chile    B-GPE
insisted  1 ROOT      VERB  VBD  insist   O
that      6 mark      SCONJ IN   that     O
the       4 det       DET   DT   the      O
sailors   6 nsubjpass NOUN  NNS  sailor   O
be        6 auxpass   AUX   VB   be       O
released  1 ccomp     VERB  VBN  release  O
.         1 punct     PUNCT .    .        O
"""

SAID_SHIPS_PATROL = """
Chile   1 nsubj     PROPN NNP  Chile  B-GPE
said    1 ROOT      VERB  VBD  say    O
its     3 poss      PRON  PRP$ its    O
ships   4 nsubj     NOUN  NNS  ship   O
patrol  1 ccomp     VERB  VB   patrol O
the     6 det       DET   DT   the    O
coast   4 dobj      NOUN  NN   coast  O
.       1 punct     PUNCT .    .      O
"""


def test_a_mandative_subjunctive_is_a_demand_not_the_act(res: NlpResources) -> None:
    [event] = events(res, INSISTED_PERU_WITHDRAW)  # no 087 withdrawal by Peru
    assert (event["trigger"]["text"], event["code"], event["target_countries"]) == (
        "insisted",
        "1056",
        ["PER"],
    )
    assert codes(res, INSISTED_BE_RELEASED) == {"insisted": "1053"}
    # a plural subject's bare verb may be indicative: a patrol told, no demand
    assert "said" not in codes(res, SAID_SHIPS_PATROL)


REMAINED_ON_ALERT = """
Chilean   1 amod      ADJ   JJ   chilean  B-NORP
troops    2 nsubj     NOUN  NNS  troop    O
remained  2 ROOT      VERB  VBD  remain   O
on        2 prep      ADP   IN   on       O
high      5 amod      ADJ   JJ   high     O
alert     3 pobj      NOUN  NN   alert    O
.         2 punct     PUNCT .    .        O
"""

POLICE_ON_ALERT = """
Chilean  1 amod      ADJ   JJ   chilean B-NORP
police   2 nsubj     NOUN  NNS  police  O
were     2 ROOT      AUX   VBD  be      O
on       2 prep      ADP   IN   on      O
alert    3 pobj      ADJ   JJ   alert   O
.        2 punct     PUNCT .    .       O
"""

ISSUED_AN_ALERT = """
Chile   1 nsubj     PROPN NNP  Chile  B-GPE
issued  1 ROOT      VERB  VBD  issue  O
an      3 det       DET   DT   an     O
alert   1 dobj      NOUN  NN   alert  O
about   3 prep      ADP   IN   about  O
the     6 det       DET   DT   the    O
storm   4 pobj      NOUN  NN   storm  O
.       1 punct     PUNCT .    .      O
"""


def test_being_on_alert_is_an_alert_of_the_military_or_the_police(res: NlpResources) -> None:
    assert codes(res, REMAINED_ON_ALERT) == {"remained on high alert": "152"}
    assert codes(res, POLICE_ON_ALERT) == {"were on alert": "151"}  # PETRARCH's POLICE ON ALERT
    assert codes(res, ISSUED_AN_ALERT) == {}  # a warning of weather is no posture


TRIED_TO_ASSASSINATE = """
Chilean      1 amod      ADJ   JJ   chilean     B-NORP
gunmen       2 nsubj     NOUN  NNS  gunman      O
tried        2 ROOT      VERB  VBD  try         O
to           4 aux       PART  TO   to          O
assassinate  2 xcomp     VERB  VB   assassinate O
the          7 det       DET   DT   the         O
Peruvian     7 amod      ADJ   JJ   peruvian    B-NORP
minister     4 dobj      NOUN  NN   minister    O
.            2 punct     PUNCT .    .           O
"""


def test_an_attempt_to_assassinate_is_an_attempted_assassination(res: NlpResources) -> None:
    assert codes(res, TRIED_TO_ASSASSINATE) == {"assassinate": "185"}


RETURNED_PRISONERS = """
Chile      1 nsubj     PROPN NNP  Chile     B-GPE
returned   1 ROOT      VERB  VBD  return    O
30         4 nummod    NUM   CD   30        B-CARDINAL
Peruvian   4 amod      ADJ   JJ   peruvian  B-NORP
prisoners  1 dobj      NOUN  NNS  prisoner  O
.          1 punct     PUNCT .    .         O
"""

ALLOWED_INSPECTORS = """
Chile       1 nsubj     PROPN NNP  Chile      B-GPE
allowed     1 ROOT      VERB  VBD  allow      O
Peruvian    3 amod      ADJ   JJ   peruvian   B-NORP
inspectors  1 dobj      NOUN  NNS  inspector  O
into        1 prep      ADP   IN   into       O
the         6 det       DET   DT   the        O
plant       4 pobj      NOUN  NN   plant      O
.           1 punct     PUNCT .    .          O
"""

CALLED_FOR_CEASEFIRE_BETWEEN = """
Chile      1 nsubj     PROPN NNP  Chile     B-GPE
called     1 ROOT      VERB  VBD  call      O
for        1 prep      ADP   IN   for       O
a          4 det       DET   DT   a         O
ceasefire  2 pobj      NOUN  NN   ceasefire O
between    4 prep      ADP   IN   between   O
Peru       5 pobj      PROPN NNP  Peru      B-GPE
and        6 cc        CCONJ CC   and       O
Bolivia    6 conj      PROPN NNP  Bolivia   B-GPE
.          1 punct     PUNCT .    .         O
"""


def test_returning_people_and_admitting_inspectors_are_yielding(res: NlpResources) -> None:
    assert codes(res, RETURNED_PRISONERS) == {"returned": "0841"}  # CAMEO 0841, PETRARCH RETURN
    assert codes(res, ALLOWED_INSPECTORS) == {"allowed": "0862"}  # CAMEO 0862 "receive inspectors"


def test_a_ceasefire_called_for_between_two_sides_is_no_ceasefire(res: NlpResources) -> None:
    assert codes(res, CALLED_FOR_CEASEFIRE_BETWEEN) == {"called": "020"}  # no 0871 by Peru and Bolivia
