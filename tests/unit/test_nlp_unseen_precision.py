"""Contexts in which a matched act did not happen or is someone else's, found on the TUNE half
of the judged Reuters sample (tools/bench/results/judged; issue 14): a capacity or likelihood
("allow X to V", "likely to V"), a question ("ascertain whether"), a warning's content, an
expletive "it takes time to V", a possessed weapon noun; and who acts in conjoined clauses and
in meetings of unnamed officials. Sentences invented for these tests, parsed by the project's
spaCy model and written out as tables."""

from __future__ import annotations

from typing import Any

import pytest

from config import NLP_DATA_DIR
from services.nlp.resources import NlpResources, load_resources
from tests.unit.test_nlp_events import events


@pytest.fixture(scope="module")
def res() -> NlpResources:
    return load_resources(NLP_DATA_DIR)


def triggers(found: list[dict[str, Any]]) -> list[str]:
    return [e["trigger"]["text"] for e in found]


ALLOWED_TO_DEPLOY = """
The     2  det       DET   DT   the     O
new     2  amod      ADJ   JJ   new     O
treaty  4  nsubj     NOUN  NN   treaty  O
will    4  aux       AUX   MD   will    O
allow   4  ROOT      VERB  VB   allow   O
Norway  7  nsubj     PROPN NNP  Norway  B-GPE
to      7  aux       PART  TO   to      O
deploy  4  ccomp     VERB  VB   deploy  O
troops  7  dobj      NOUN  NNS  troop   O
along   7  prep      ADP   IN   along   O
the     11 det       DET   DT   the     O
border  9  pobj      NOUN  NN   border  O
.       4  punct     PUNCT .    .       O
"""

LIKELY_TO_SIGN = """
Chile    1  nsubj     PROPN NNP  Chile    B-GPE
is       1  ROOT      AUX   VBZ  be       O
likely   1  acomp     ADJ   JJ   likely   O
to       4  aux       PART  TO   to       O
sign     2  xcomp     VERB  VB   sign     O
the      6  det       DET   DT   the      O
pact     4  dobj      NOUN  NN   pact     O
with     6  prep      ADP   IN   with     O
Bolivia  7  pobj      PROPN NNP  Bolivia  B-GPE
next     10 amod      ADJ   JJ   next     B-DATE
year     4  npadvmod  NOUN  NN   year     I-DATE
.        1  punct     PUNCT .    .        O
"""

ASCERTAIN_WHETHER = """
Inspectors  4  nsubj     NOUN  NNS  inspector   O
from        0  prep      ADP   IN   from        O
Sweden      1  pobj      PROPN NNP  Sweden      B-GPE
will        4  aux       AUX   MD   will        O
ascertain   4  ROOT      VERB  VB   ascertain   O
whether     7  mark      SCONJ IN   whether     O
Iran        7  nsubj     PROPN NNP  Iran        B-GPE
attacked    4  ccomp     VERB  VBD  attack      O
the         9  det       DET   DT   the         O
tanker      7  dobj      NOUN  NN   tanker      O
.           4  punct     PUNCT .    .           O
"""

WARNED_TO_WITHDRAW = """
Poland    1  nsubj     PROPN NNP  Poland    B-GPE
warned    1  ROOT      VERB  VBD  warn      O
Belarus   1  dobj      PROPN NNP  Belarus   B-GPE
to        4  aux       PART  TO   to        O
withdraw  1  xcomp     VERB  VB   withdraw  O
its       6  poss      PRON  PRP$ its       O
soldiers  4  dobj      NOUN  NNS  soldier   O
from      4  prep      ADP   IN   from      O
the       9  det       DET   DT   the       O
frontier  7  pobj      NOUN  NN   frontier  O
.         1  punct     PUNCT .    .         O
"""

WARNED_AGAINST = """
Poland     1  nsubj     PROPN NNP  Poland     B-GPE
warned     1  ROOT      VERB  VBD  warn       O
Belarus    1  dobj      PROPN NNP  Belarus    B-GPE
against    1  prep      ADP   IN   against    O
expelling  3  pcomp     VERB  VBG  expel      O
the        6  det       DET   DT   the        O
diplomats  4  dobj      NOUN  NNS  diplomat   O
.          1  punct     PUNCT .    .          O
"""

RECEIVED_AND_THANKED = """
The       1  det       DET   DT   the       O
envoy     3  nsubjpass NOUN  NN   envoy     O
was       3  auxpass   AUX   VBD  be        O
received  3  ROOT      VERB  VBN  receive   O
by        3  agent     ADP   IN   by        O
the       6  det       DET   DT   the       B-PERSON
King      4  pobj      PROPN NNP  King      I-PERSON
of        6  prep      ADP   IN   of        I-PERSON
Jordan    7  pobj      PROPN NNP  Jordan    I-PERSON
and       3  cc        CCONJ CC   and       O
thanked   3  conj      VERB  VBD  thank     O
Norway    10 dobj      PROPN NNP  Norway    B-GPE
for       10 prep      ADP   IN   for       O
its       14 poss      PRON  PRP$ its       O
aid       12 pobj      NOUN  NN   aid       O
.         3  punct     PUNCT .    .         O
"""

EXPELLED_AND_CONDEMNED = """
Ghana      1  nsubj     PROPN NNP  Ghana      B-GPE
expelled   1  ROOT      VERB  VBD  expel      O
the        3  det       DET   DT   the        O
envoy      1  dobj      NOUN  NN   envoy      O
and        1  cc        CCONJ CC   and        O
was        6  auxpass   AUX   VBD  be         O
condemned  1  conj      VERB  VBN  condemn    O
for        6  prep      ADP   IN   for        O
it         7  pobj      PRON  PRP  it         O
.          1  punct     PUNCT .    .          O
"""

OFFICIALS_MET = """
Trade      1  compound  NOUN  NN   trade      O
officials  5  nsubj     NOUN  NNS  official   O
from       1  prep      ADP   IN   from       O
several    4  amod      ADJ   JJ   several    O
countries  2  pobj      NOUN  NNS  country    O
met        5  ROOT      VERB  VBD  meet       O
in         5  prep      ADP   IN   in         O
Geneva     6  pobj      PROPN NNP  Geneva     B-GPE
on         5  prep      ADP   IN   on         O
Monday     8  pobj      PROPN NNP  Monday     B-DATE
.          5  punct     PUNCT .    .          O
"""

TAKE_YEARS_TO_SIGN = """
Mexico  1  nsubj     PROPN NNP  Mexico  B-GPE
said    1  ROOT      VERB  VBD  say     O
it      4  nsubj     PRON  PRP  it      O
would   4  aux       AUX   MD   would   O
take    1  ccomp     VERB  VB   take    O
years   4  dobj      NOUN  NNS  year    B-DATE
to      7  aux       PART  TO   to      O
sign    4  xcomp     VERB  VB   sign    O
the     9  det       DET   DT   the     O
pact    7  dobj      NOUN  NN   pact    O
with    9  prep      ADP   IN   with    O
Cuba    10 pobj      PROPN NNP  Cuba    B-GPE
.       1  punct     PUNCT .    .       O
"""

POSSESSED_MISSILES = """
Syria     2  poss      PROPN NNP  Syria     B-GPE
's        0  case      PART  POS  's        O
missiles  4  nsubjpass NOUN  NNS  missile   O
were      4  auxpass   AUX   VBD  be        O
aimed     4  ROOT      VERB  VBN  aim       O
at        4  prep      ADP   IN   at        O
Turkey    5  pobj      PROPN NNP  Turkey    B-GPE
.         4  punct     PUNCT .    .         O
"""


def test_what_a_treaty_allows_is_no_event(res: NlpResources) -> None:
    assert "deploy" not in triggers(events(res, ALLOWED_TO_DEPLOY))


def test_what_a_state_is_likely_to_do_is_no_event(res: NlpResources) -> None:
    assert "sign" not in triggers(events(res, LIKELY_TO_SIGN))


def test_what_inspectors_will_ascertain_is_a_question(res: NlpResources) -> None:
    assert "attacked" not in triggers(events(res, ASCERTAIN_WHETHER))


def test_what_a_state_is_warned_to_do_is_no_event(res: NlpResources) -> None:
    assert "withdraw" not in triggers(events(res, WARNED_TO_WITHDRAW))


def test_what_a_state_is_warned_against_is_no_event_but_the_warning_is(res: NlpResources) -> None:
    found = events(res, WARNED_AGAINST)
    assert "expelling" not in triggers(found)
    assert [(e["trigger"]["text"], e["actors"]) for e in found] == [("warned", ["country:POL"])]


def test_an_active_conjunct_of_a_passive_shares_its_subject_not_its_agent(res: NlpResources) -> None:
    found = events(res, RECEIVED_AND_THANKED)
    assert [e["actors"] for e in found if e["trigger"]["text"] == "thanked"] in ([], [["envoy"]])


def test_a_passive_conjunct_is_done_to_the_first_conjuncts_subject(res: NlpResources) -> None:
    found = events(res, EXPELLED_AND_CONDEMNED)
    assert "condemned" not in triggers(found)
    assert triggers(found) == ["expelled"]


def test_unnamed_officials_meeting_in_a_city_do_not_make_its_country_an_actor(res: NlpResources) -> None:
    assert events(res, OFFICIALS_MET) == []


def test_what_it_would_take_years_to_do_is_no_event(res: NlpResources) -> None:
    assert "sign" not in triggers(events(res, TAKE_YEARS_TO_SIGN))


def test_a_possessed_weapon_noun_is_an_arsenal_not_an_attack(res: NlpResources) -> None:
    assert events(res, POSSESSED_MISSILES) == []


COMPANY_AGREED_TO_BUY = """
Acme      1  compound  PROPN NNP  Acme      B-ORG
Corp      2  nsubj     PROPN NNP  Corp      I-ORG
agreed    2  ROOT      VERB  VBD  agree     O
to        4  aux       PART  TO   to        O
buy       2  xcomp     VERB  VB   buy       O
the       7  det       DET   DT   the       O
Canadian  7  amod      ADJ   JJ   canadian  B-NORP
unit      4  dobj      NOUN  NN   unit      O
of        7  prep      ADP   IN   of        O
Beta      10 compound  PROPN NNP  Beta      B-ORG
Inc.      8  pobj      PROPN NNP  Inc.      I-ORG
"""

COMPANY_CONSIDERING_SALE = """
Acme         1  compound  PROPN NNP  Acme         B-ORG
Corp         2  nsubj     PROPN NNP  Corp         I-ORG
said         2  ROOT      VERB  VBD  say          O
it           5  nsubj     PRON  PRP  it           O
is           5  aux       AUX   VBZ  be           O
considering  2  ccomp     VERB  VBG  consider     O
the          7  det       DET   DT   the          O
sale         5  dobj      NOUN  NN   sale         O
of           7  prep      ADP   IN   of           O
its          11 poss      PRON  PRP$ its          O
hotel        11 compound  NOUN  NN   hotel        O
unit         8  pobj      NOUN  NN   unit         O
.            2  punct     PUNCT .    .            O
"""

LETTER_OF_INTENT_TO_ACQUIRE = """
Acme     1  compound  PROPN NNP  Acme     B-ORG
Corp     2  nsubj     PROPN NNP  Corp     I-ORG
said     2  ROOT      VERB  VBD  say      O
it       4  nsubj     PRON  PRP  it       O
signed   2  ccomp     VERB  VBD  sign     O
a        6  det       DET   DT   a        O
letter   4  dobj      NOUN  NN   letter   O
of       6  prep      ADP   IN   of       O
intent   7  pobj      NOUN  NN   intent   O
to       10 aux       PART  TO   to       O
acquire  8  acl       VERB  VB   acquire  O
Beta     12 compound  PROPN NNP  Beta     B-ORG
Inc      10 dobj      PROPN NNP  Inc      I-ORG
for      10 prep      ADP   IN   for      O
20       16 nummod    NUM   CD   20       B-CARDINAL
mln      16 amod      ADJ   JJ   mln      O
dlrs     13 pobj      NOUN  NN   dlrs     O
.        2  punct     PUNCT .    .        O
"""

STATE_AGREED_TO_BUY = """
Russia        1  nsubj     PROPN NNP  Russia        B-GPE
agreed        1  ROOT      VERB  VBD  agree         O
to            3  aux       PART  TO   to            O
buy           1  xcomp     VERB  VB   buy           O
gas           3  dobj      NOUN  NN   gas           O
from          3  prep      ADP   IN   from          O
Turkmenistan  5  pobj      PROPN NNP  Turkmenistan  B-GPE
.             1  punct     PUNCT .    .             O
"""


def test_a_company_agreeing_to_buy_a_unit_is_commerce_not_an_event(res: NlpResources) -> None:
    assert events(res, COMPANY_AGREED_TO_BUY) == []


def test_a_company_considering_a_sale_is_commerce_not_an_event(res: NlpResources) -> None:
    assert events(res, COMPANY_CONSIDERING_SALE) == []


def test_a_letter_of_intent_to_acquire_a_company_is_commerce_not_an_event(res: NlpResources) -> None:
    assert events(res, LETTER_OF_INTENT_TO_ACQUIRE) == []


def test_a_states_purchase_stays_an_event(res: NlpResources) -> None:
    assert [e["actors"] for e in events(res, STATE_AGREED_TO_BUY)] == [["country:RUS"]]
