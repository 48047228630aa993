"""Who acts and who is acted on (services/nlp/events/participants.py) and the triggers that are
no event (gates.py), on hand-built parses."""

from __future__ import annotations

import pytest

from config import NLP_DATA_DIR
from services.nlp.resources import NlpResources, load_resources
from tests.unit.test_nlp_events import events


@pytest.fixture(scope="module")
def res() -> NlpResources:
    return load_resources(NLP_DATA_DIR)


POLICE_IN_A_CITY = """
Police    1  nsubj     NOUN  NNS  police    O
arrested  1  ROOT      VERB  VBD  arrest    O
20        3  nummod    NUM   CD   20        B-CARDINAL
people    1  dobj      NOUN  NNS  people    O
in        1  prep      ADP   IN   in        O
Nairobi   4  pobj      PROPN NNP  Nairobi   B-GPE
on        1  prep      ADP   IN   on        O
Sunday    6  pobj      PROPN NNP  Sunday    B-DATE
.         1  punct     PUNCT .    .         O
"""


def test_unnamed_police_act_for_the_state_of_the_city_even_when_the_country_is_not_named(
    res: NlpResources,
) -> None:
    [arrest] = events(res, POLICE_IN_A_CITY)
    assert (arrest["code"], arrest["actors"], arrest["actor_countries"]) == ("173", ["country:KEN"], ["KEN"])
    assert arrest["targets"] == []


MILITIA = """
Burundian   1  amod      ADJ   JJ   burundian   B-NORP
militiamen  2  nsubj     NOUN  NNS  militiaman  O
attacked    2  ROOT      VERB  VBD  attack      O
a           4  det       DET   DT   a           O
camp        2  dobj      NOUN  NN   camp        O
near        2  prep      ADP   IN   near        O
Bujumbura   5  pobj      PROPN NNP  Bujumbura   B-GPE
.           2  punct     PUNCT .    .           O
"""


def test_a_country_adjective_gives_a_generic_agent_its_country(res: NlpResources) -> None:
    # "Burundian" is in PETRARCH's country adjectives, not in the curated demonyms
    [attack] = events(res, MILITIA)
    assert (attack["root_code"], attack["actor_countries"]) == ("19", ["BDI"])


KURDS = """
Thousands     4  nsubj     NOUN  NNS  thousand      B-CARDINAL
of            0  prep      ADP   IN   of            O
Iraqi         3  amod      ADJ   JJ   iraqi         B-NORP
Yazidis       1  pobj      PROPN NNPS Yazidis         B-NORP
demonstrated  4  ROOT      VERB  VBD  demonstrate   O
in            4  prep      ADP   IN   in            O
Erbil         5  pobj      PROPN NNP  Erbil         B-GPE
.             4  punct     PUNCT .    .             O
"""


def test_a_group_that_names_no_country_takes_the_country_of_its_modifier(res: NlpResources) -> None:
    [rally] = events(res, KURDS)
    assert (rally["root_code"], rally["actor_countries"]) == ("14", ["IRQ"])


NEW_REFERENT = """
Alexander 1  compound  PROPN NNP  Alexander B-PERSON
Downer    2  nsubj     PROPN NNP  Downer    I-PERSON
spoke     2  ROOT      VERB  VBD  speak     O
.         2  punct     PUNCT .    .         O
One       5  nummod    NUM   CD   one       B-CARDINAL
man       7  nsubjpass NOUN  NN   man       O
was       7  auxpass   AUX   VBD  be        O
arrested  7  ROOT      VERB  VBN  arrest    O
in        7  prep      ADP   IN   in        O
Paris     8  pobj      PROPN NNP  Paris     B-GPE
.         7  punct     PUNCT .    .         O
"""


def test_one_man_is_someone_new_not_the_person_named_before(res: NlpResources) -> None:
    [arrest] = events(res, NEW_REFERENT)
    assert arrest["actors"] == ["country:FRA"]
    assert arrest["targets"] == []


SAME_UNNAMED_MAN = """
Maria      1  compound  PROPN NNP  Maria      B-PERSON
Lind       2  nsubj     PROPN NNP  Lind       I-PERSON
spoke      2  ROOT      VERB  VBD  speak      O
.          2  punct     PUNCT .    .          O
Police     5  nsubj     NOUN  NNS  police     O
detained   5  ROOT      VERB  VBD  detain     O
a          7  det       DET   DT   a          O
man        5  dobj      NOUN  NN   man        O
in         7  prep      ADP   IN   in         O
Delhi      8  pobj      PROPN NNP  Delhi      B-GPE
.          5  punct     PUNCT .    .          O
The        12 det       DET   DT   the        O
man        14 nsubjpass NOUN  NN   man        O
was        14 auxpass   AUX   VBD  be         O
arrested   14 ROOT      VERB  VBN  arrest     O
in         14 prep      ADP   IN   in         O
Delhi      15 pobj      PROPN NNP  Delhi      B-GPE
on         14 prep      ADP   IN   on         O
suspicion  17 pobj      NOUN  NN   suspicion  O
of         18 prep      ADP   IN   of         O
ties       19 pobj      NOUN  NNS  tie        O
to         20 prep      ADP   IN   to         O
Abu        23 compound  PROPN NNP  Abu        B-ORG
Sayyaf     21 pobj      PROPN NNP  Sayyaf     I-ORG
.          14 punct     PUNCT .    .          O
"""


def test_the_man_after_a_man_is_him_and_the_ground_of_an_arrest_is_no_target(res: NlpResources) -> None:
    detained, arrested = events(res, SAME_UNNAMED_MAN)
    assert detained["actors"] == arrested["actors"] == ["country:IND"]
    assert detained["targets"] == arrested["targets"] == []


ALLY = """
Pakistani  1  amod      ADJ   JJ   pakistani  B-NORP
troops     2  nsubj     NOUN  NNS  troop      O
attacked   2  ROOT      VERB  VBD  attack     O
the        4  det       DET   DT   the        O
base       2  dobj      NOUN  NN   base       O
alongside  2  prep      ADP   IN   alongside  O
Taliban    7  compound  PROPN NNP  Taliban    B-ORG
forces     5  pobj      NOUN  NNS  force      O
.          2  punct     PUNCT .    .          O
"""


def test_who_fights_alongside_the_actor_is_no_target(res: NlpResources) -> None:
    # Fighting alongside someone with no adversary named is no event at all (the coding
    # tables' allied prepositions); an attack on something else keeps its allies out of its targets.
    attacks = events(res, ALLY)
    assert attacks and all(e["targets"] == [] for e in attacks)


OWNED_GROUP = """
Ms            1  compound  PROPN NNP  Ms            O
Okafor        2  nsubj     PROPN NNP  Okafor        B-PERSON
says          2  ROOT      VERB  VBZ  say           O
the           5  det       DET   DT   the           O
Council       5  compound  PROPN NNP  Council         O
envoys        7  nsubj     NOUN  NNS  envoy         O
should        7  aux       AUX   MD   should        O
maintain      2  ccomp     VERB  VB   maintain      O
pressure      7  dobj      NOUN  NN   pressure      O
on            8  prep      ADP   IN   on            O
Lukashenko    9  pobj      PROPN NNP  Lukashenko        B-PERSON
.             2  punct     PUNCT .    .             O
"""


def test_an_appeal_to_a_group_named_by_its_owner_is_not_aimed_at_someone_else(
    res: NlpResources,
) -> None:
    # the envoys are the Council's, not the people named before; and an appeal whose
    # addressee names no entity takes no target from the rest of the sentence (Lukashenko)
    [appeal] = events(res, OWNED_GROUP)
    assert (appeal["code"], appeal["actors"], appeal["targets"]) == ("020", ["person:okafor"], [])


ACCUSED_OF_FIRING = """
Israel   1  nsubj     PROPN NNP  Israel   B-GPE
accused  1  ROOT      VERB  VBD  accuse   O
Hamas    1  dobj      PROPN NNP  Hamas    B-ORG
of       1  prep      ADP   IN   of       O
firing   3  pcomp     VERB  VBG  fire     O
rockets  4  dobj      NOUN  NNS  rocket   O
at       4  prep      ADP   IN   at       O
Sderot   6  pobj      PROPN NNP  Sderot   O
.        1  punct     PUNCT .    .        O
"""


def test_the_act_an_accusation_claims_is_no_event_of_the_accuser(res: NlpResources) -> None:
    [accusation] = events(res, ACCUSED_OF_FIRING)
    assert (accusation["code"], accusation["actors"], accusation["targets"]) == (
        "112",
        ["country:ISR"],
        ["org:hamas"],
    )


QUESTION = """
Asked     9  advcl     VERB  VBN  ask       O
whether   4  mark      SCONJ IN   whether   O
Iran      4  nsubj     PROPN NNP  Iran      B-GPE
would     4  aux       AUX   MD   would     O
attack    0  ccomp     VERB  VB   attack    O
Israel    4  dobj      PROPN NNP  Israel    B-GPE
,         9  punct     PUNCT ,    ,         O
the       8  det       DET   DT   the       O
minister  9  nsubj     NOUN  NN   minister  O
said      9  ROOT      VERB  VBD  say       O
no        9  intj      INTJ  UH   no        O
.         9  punct     PUNCT .    .         O
"""


def test_a_question_and_what_it_asks_are_no_events(res: NlpResources) -> None:
    assert events(res, QUESTION) == []


ACCUSED_BY = """
Accused    6  advcl     VERB  VBN  accuse     O
by         0  agent     ADP   IN   by         O
Japan      1  pobj      PROPN NNP  Japan      B-GPE
,          6  punct     PUNCT ,    ,          O
China      6  nsubj     PROPN NNP  China      B-GPE
sharply    6  advmod    ADV   RB   sharply    O
condemned  6  ROOT      VERB  VBD  condemn    O
Tokyo      6  dobj      PROPN NNP  Tokyo      B-GPE
.          6  punct     PUNCT .    .          O
"""


def test_a_participle_clause_is_passive_its_actor_the_by_phrase_not_the_main_subject(
    res: NlpResources,
) -> None:
    # "Accused by Japan, China condemned Tokyo": Japan accuses, China is accused
    coded = {e["code"]: e["actors"] for e in events(res, ACCUSED_BY)}
    assert coded == {"112": ["country:JPN"], "111": ["country:CHN"]}


REACTIONS = """
Russia     1  nsubj     PROPN NNP  Russia     B-GPE
struck     1  ROOT      VERB  VBD  strike     O
Odesa      1  dobj      PROPN NNP  Odesa      B-GPE
.          1  punct     PUNCT .    .          O
Hamas      5  nsubj     PROPN NNP  Hamas      B-ORG
fired      5  ROOT      VERB  VBD  fire       O
rockets    5  dobj      NOUN  NNS  rocket     O
at         5  prep      ADP   IN   at         O
Israel     7  pobj      PROPN NNP  Israel     B-GPE
.          5  punct     PUNCT .    .          O
Germany    11 nsubj     PROPN NNP  Germany    B-GPE
condemned  11 ROOT      VERB  VBD  condemn    O
the        13 det       DET   DT   the        O
strikes    11 dobj      NOUN  NNS  strike     O
and        13 cc        CCONJ CC   and        O
the        16 det       DET   DT   the        O
attack     13 conj      NOUN  NN   attack     O
on         16 prep      ADP   IN   on         O
Kharkiv    17 pobj      PROPN NNP  Kharkiv    B-GPE
.          11 punct     PUNCT .    .          O
"""


def test_a_reaction_is_aimed_at_whoever_did_the_act_it_names_not_at_the_victim(res: NlpResources) -> None:
    # the latest earlier act is Hamas's, but "the strikes" names the one Russia "struck";
    # Kharkiv was attacked, it is not condemned
    condemn = next(e for e in events(res, REACTIONS) if e["root_code"] == "11")
    assert condemn["targets"] == ["country:RUS"]


OWNED_ACT = """
Japan      1  nsubj     PROPN NNP  Japan      B-GPE
condemned  1  ROOT      VERB  VBD  condemn    O
North      3  compound  PROPN NNP  North      B-GPE
Korea      6  poss      PROPN NNP  Korea      I-GPE
's         3  case      PART  POS  's         O
missile    6  compound  NOUN  NN   missile    O
launches   1  dobj      NOUN  NNS  launch     O
.          1  punct     PUNCT .    .          O
"""


def test_a_reaction_to_an_act_with_a_named_owner_is_aimed_at_the_owner(res: NlpResources) -> None:
    [condemn] = events(res, OWNED_ACT)
    assert (condemn["actors"], condemn["targets"]) == (["country:JPN"], ["country:PRK"])


AGENT_IN_A_CITY = """
Demonstrators  3  nsubj     NOUN  NNS  demonstrator   O
in             0  prep      ADP   IN   in             O
Basra          1  pobj      PROPN NNP  Basra          B-GPE
blocked        3  ROOT      VERB  VBD  block          O
a              5  det       DET   DT   a              O
bridge         3  dobj      NOUN  NN   bridge           O
.              3  punct     PUNCT .    .              O
Russia    9  poss      PROPN NNP  Russia    B-GPE
's        7  case      PART  POS  's        O
embassy   12 nsubj     NOUN  NN   embassy   O
in        9  prep      ADP   IN   in        O
Berlin    10 pobj      PROPN NNP  Berlin    B-GPE
rejected  12 ROOT      VERB  VBD  reject    O
the       14 det       DET   DT   the       O
report    12 dobj      NOUN  NN   report    O
.         12 punct     PUNCT .    .         O
"""


def test_a_generic_agent_without_an_owner_belongs_to_the_country_where_it_is(res: NlpResources) -> None:
    block, reject = events(res, AGENT_IN_A_CITY)
    assert (block["root_code"], block["actors"], block["actor_countries"]) == ("14", ["country:IRQ"], ["IRQ"])
    assert reject["actor_countries"] == ["RUS"]  # the embassy in Berlin is Russia's


STANCE = """
Vietnam    2  nsubjpass PROPN NNP  Vietnam    B-GPE
is         2  auxpass   AUX   VBZ  be         O
committed  2  ROOT      VERB  VBN  commit     O
to         2  prep      ADP   IN   to         O
opening    3  pcomp     VERB  VBG  open       O
up         4  prt       ADP   RP   up         O
its        7  poss      PRON  PRP$ its        O
economy    4  dobj      NOUN  NN   economy    O
.          2  punct     PUNCT .    .          O
"""


def test_a_stance_in_the_passive_is_its_subjects_own(res: NlpResources) -> None:
    intents = [e for e in events(res, STANCE) if e["root_code"] == "03"]
    assert [e["actors"] for e in intents] == [["country:VNM"]]


OWNED_BY_A_PRONOUN = """
Israel       1  nsubj     PROPN NNP  Israel       B-GPE
said         1  ROOT      VERB  VBD  say          O
its          3  poss      PRON  PRP$ its          O
troops       4  nsubj     NOUN  NNS  troop        O
shot         1  ccomp     VERB  VBD  shoot        O
two          7  nummod    NUM   CD   two          B-CARDINAL
Palestinian  7  amod      ADJ   JJ   palestinian  B-NORP
gunmen       4  dobj      NOUN  NNS  gunman       O
in           4  prep      ADP   IN   in           O
Hebron       8  pobj      PROPN NNP  Hebron       B-GPE
.            1  punct     PUNCT .    .            O
John         12 compound  PROPN NNP  John         B-PERSON
Smith        13 nsubj     PROPN NNP  Smith        I-PERSON
said         13 ROOT      VERB  VBD  say          O
his          15 poss      PRON  PRP$ his          O
predecessor  16 nsubj     NOUN  NN   predecessor  O
resigned     13 ccomp     VERB  VBD  resign       O
.            13 punct     PUNCT .    .            O
"""


def test_an_agent_owned_by_a_pronoun_acts_for_its_owner_a_relative_of_his_does_not(
    res: NlpResources,
) -> None:
    # "its troops" are Israel's (not the state where they shot); "his predecessor" is not Smith
    found = events(res, OWNED_BY_A_PRONOUN)
    shot = next(e for e in found if e["root_code"] == "19")
    assert (shot["actors"], shot["targets"]) == (["country:ISR"], ["country:PSE"])
    assert not any(e["actors"] == ["person:john-smith"] and e["root_code"] == "08" for e in found)


TWO_SUBJECTS = """
The       2  det       DET   DT   the       O
militant  2  amod      ADJ   JJ   militant  O
group     4  nsubj     NOUN  NN   group     O
Hamas     4  nsubj     PROPN NNP  Hamas     B-ORG
fired     4  ROOT      VERB  VBD  fire      O
rockets   4  dobj      NOUN  NNS  rocket    O
at        4  prep      ADP   IN   at        O
Israel    6  pobj      PROPN NNP  Israel    B-GPE
.         4  punct     PUNCT .    .         O
"""


def test_a_descriptor_parsed_as_a_second_subject_leaves_the_named_one_to_act(res: NlpResources) -> None:
    [fired] = events(res, TWO_SUBJECTS)
    assert (fired["root_code"], fired["actors"], fired["targets"]) == ("19", ["org:hamas"], ["country:ISR"])


CONTROL = """
Egypt     1  nsubj     PROPN NNP  Egypt     B-GPE
told      1  ROOT      VERB  VBD  tell      O
Israel    1  dobj      PROPN NNP  Israel    B-GPE
to        4  aux       PART  TO   to        O
withdraw  1  xcomp     VERB  VB   withdraw  O
.         1  punct     PUNCT .    .         O
Turkey    7  nsubj     PROPN NNP  Turkey    B-GPE
forced    7  ROOT      VERB  VBD  force     O
Syria     7  dobj      PROPN NNP  Syria     B-GPE
to        10 aux       PART  TO   to        O
withdraw  7  xcomp     VERB  VB   withdraw  O
from      10 prep      ADP   IN   from      O
Afrin     11 pobj      PROPN NNP  Afrin     B-GPE
.         7  punct     PUNCT .    .         O
"""


def test_the_object_of_force_does_what_follows_and_what_one_is_told_to_do_is_no_event(
    res: NlpResources,
) -> None:
    withdrawals = [e for e in events(res, CONTROL) if e["trigger"]["text"] == "withdraw"]
    assert [e["actors"] for e in withdrawals] == [["country:SYR"]]


def test_a_quotation_reopened_in_its_next_paragraph_ends_where_it_closes() -> None:
    import spacy

    from services.nlp.events.matching import quoted_tokens

    doc = spacy.blank("en")('Smith said: "We waited. "Then we left." Police arrested him.')
    inside = {doc[i].text for i in quoted_tokens(doc)}
    assert {"waited", "Then", "left"} <= inside
    assert not {"Police", "arrested"} & inside


OWN_ACT_NOUN = """
Russia     1  nsubj     PROPN NNP  Russia     B-GPE
welcomed   1  ROOT      VERB  VBD  welcome    O
the        3  det       DET   DT   the        O
deal       1  dobj      NOUN  NN   deal       O
.          1  punct     PUNCT .    .          O
Turkey     6  nsubj     PROPN NNP  Turkey     B-GPE
launched   6  ROOT      VERB  VBD  launch     O
a          8  det       DET   DT   a          O
crackdown  6  dobj      NOUN  NN   crackdown  O
on         8  prep      ADP   IN   on         O
smugglers  9  pobj      NOUN  NNS  smuggler   O
.          6  punct     PUNCT .    .          O
"""


def test_an_act_named_by_its_own_noun_is_no_reaction_to_an_earlier_one(res: NlpResources) -> None:
    crackdown = next(e for e in events(res, OWN_ACT_NOUN) if e["root_code"] == "17")
    assert (crackdown["actors"], crackdown["targets"]) == (["country:TUR"], [])


DEPORTED = """
Two       1  nummod    NUM   CD   two       B-CARDINAL
Britons   3  nsubjpass PROPN NNPS Britons   O
were      3  auxpass   AUX   VBD  be        O
deported  3  ROOT      VERB  VBN  deport    O
from      3  prep      ADP   IN   from      O
Dubai     4  pobj      PROPN NNP  Dubai     B-GPE
on        3  prep      ADP   IN   on        O
Monday    6  pobj      PROPN NNP  Monday    B-DATE
.         3  punct     PUNCT .    .         O
"""


def test_a_demonym_names_its_people_and_the_states_own_city_is_where_not_whom(res: NlpResources) -> None:
    [deported] = events(res, DEPORTED)
    assert (deported["root_code"], deported["actor_countries"]) == ("17", ["ARE"])
    assert deported["targets"] == ["country:GBR"]


ONE_UNNAMED = """
Another     1  det       DET   DT   another     O
Canadian    4  nsubj     PROPN NNP  Canadian    B-NORP
has         4  aux       AUX   VBZ  have        O
been        4  aux       AUX   VBN  be          O
fighting    4  ROOT      VERB  VBG  fight       O
in          4  prep      ADP   IN   in          O
Kunduz      5  pobj      PROPN NNP  Kunduz      B-GPE
.           4  punct     PUNCT .    .           O
"""


def test_one_unnamed_national_is_no_actor_the_state_is_not_him(res: NlpResources) -> None:
    assert events(res, ONE_UNNAMED) == []


POSSIBLE_ATTACK = """
Israel     1  nsubj     PROPN NNP  Israel     B-GPE
warned     1  ROOT      VERB  VBD  warn       O
of         1  prep      ADP   IN   of         O
a          4  det       DET   DT   a          O
danger     2  pobj      NOUN  NN   danger     O
that       8  mark      SCONJ IN   that       O
Iran       8  nsubj     PROPN NNP  Iran       B-GPE
would      8  aux       AUX   MD   would      O
attack     4  acl       VERB  VB   attack     O
Syria      8  dobj      PROPN NNP  Syria      B-GPE
.          1  punct     PUNCT .    .          O
"""


def test_what_a_danger_holds_possible_is_no_event(res: NlpResources) -> None:
    assert not any(e["root_code"] == "19" for e in events(res, POSSIBLE_ATTACK))


LED_FORCES = """
Saudi     2  npadvmod  PROPN NNP  Saudi     B-NORP
-         2  punct     PUNCT HYPH -         O
led       3  amod      VERB  VBN  lead      O
forces    4  nsubj     NOUN  NNS  force     O
struck    4  ROOT      VERB  VBD  strike    O
a         6  det       DET   DT   a         O
port      4  dobj      NOUN  NN   port      O
in        6  prep      ADP   IN   in        O
Yemen     7  pobj      PROPN NNP  Yemen     B-GPE
.         4  punct     PUNCT .    .         O
"""


def test_a_force_led_by_a_country_acts_for_that_country(res: NlpResources) -> None:
    [strike] = events(res, LED_FORCES)
    assert (strike["root_code"], strike["actor_countries"]) == ("19", ["SAU"])


STUDENTS_ACROSS = """
Hundreds      5  nsubj     NOUN  NNS  hundred      B-CARDINAL
of            0  prep      ADP   IN   of           O
students      1  pobj      NOUN  NNS  student      O
across        2  prep      ADP   IN   across       O
Kenya         3  pobj      PROPN NNP  Kenya        B-GPE
demonstrated  5  ROOT      VERB  VBD  demonstrate  O
on            5  prep      ADP   IN   on           O
Monday        6  pobj      PROPN NNP  Monday       B-DATE
.             5  punct     PUNCT .    .            O
"""


def test_a_generic_agent_spread_across_a_country_belongs_to_it(res: NlpResources) -> None:
    [rally] = events(res, STUDENTS_ACROSS)
    assert (rally["root_code"], rally["actor_countries"]) == ("14", ["KEN"])


DECLARATION_CONDEMNING = """
Germany      1  nsubj  PROPN NNP  Germany      B-GPE
issued       1  ROOT   VERB  VBD  issue        O
a            3  det    DET   DT   a            O
declaration  1  dobj   NOUN  NN   declaration  O
condemning   3  acl    VERB  VBG  condemn      O
Iran         4  dobj   PROPN NNP  Iran         B-GPE
.            1  punct  PUNCT .    .            O
"""


def test_a_participle_on_the_noun_of_an_act_is_done_by_whoever_did_that_act(res: NlpResources) -> None:
    [condemn] = [e for e in events(res, DECLARATION_CONDEMNING) if e["root_code"] == "11"]
    assert (condemn["actor_countries"], condemn["target_countries"]) == (["DEU"], ["IRN"])


CRACKDOWN_ARRESTING = """
Egypt      1  nsubj  PROPN NNP  Egypt      B-GPE
launched   1  ROOT   VERB  VBD  launch     O
a          3  det    DET   DT   a          O
crackdown  1  dobj   NOUN  NN   crackdown  O
on         3  prep   ADP   IN   on         O
militants  4  pobj   NOUN  NNS  militant   O
,          3  punct  PUNCT ,    ,          O
arresting  3  acl    VERB  VBG  arrest     O
40         9  nummod NUM   CD   40         B-CARDINAL
people     7  dobj   NOUN  NNS  people     O
.          1  punct  PUNCT .    .          O
"""


def test_a_participle_restating_the_act_its_noun_names_is_no_second_event(res: NlpResources) -> None:
    found = events(res, CRACKDOWN_ARRESTING)
    assert [e["root_code"] for e in found] == ["17"]
    assert found[0]["actor_countries"] == ["EGY"]


FIGHTING_BETWEEN = """
Fighting  1  nsubj  NOUN  NN   fighting  O
erupted   1  ROOT   VERB  VBD  erupt     O
between   1  prep   ADP   IN   between   O
Ethiopia  2  pobj   PROPN NNP  Ethiopia  B-GPE
and       3  cc     CCONJ CC   and       O
Eritrea   3  conj   PROPN NNP  Eritrea   B-GPE
.         1  punct  PUNCT .    .         O
"""


def test_the_sides_of_fighting_that_broke_out_between_them_both_act(res: NlpResources) -> None:
    [fight] = events(res, FIGHTING_BETWEEN)
    assert (fight["root_code"], sorted(fight["actor_countries"])) == ("19", ["ERI", "ETH"])


UNDER_ARREST = """
Egypt   1  nsubj     PROPN NNP  Egypt   B-GPE
placed  1  ROOT      VERB  VBD  place   O
Nour    1  dobj      PROPN NNP  Nour    B-PERSON
under   1  prep      ADP   IN   under   O
house   5  compound  NOUN  NN   house   O
arrest  3  pobj      NOUN  NN   arrest  O
.       1  punct     PUNCT .    .       O
"""


def test_a_light_verb_whose_act_is_the_state_it_puts_its_object_under(res: NlpResources) -> None:
    [arrest] = events(res, UNDER_ARREST)
    assert (arrest["root_code"], arrest["actor_countries"], arrest["targets"]) == (
        "17",
        ["EGY"],
        ["person:nour"],
    )


PUT_UNDER_ARREST = """
Iran      1  nsubj     PROPN NNP  Iran      B-GPE
put       1  ROOT      VERB  VBD  put       O
Karroubi  1  dobj      PROPN NNP  Karroubi  B-PERSON
under     1  prep      ADP   IN   under     O
house     5  compound  NOUN  NN   house     O
arrest    3  pobj      NOUN  NN   arrest    O
.         1  punct     PUNCT .    .         O
"""


def test_put_is_a_light_verb_like_place(res: NlpResources) -> None:
    [arrest] = events(res, PUT_UNDER_ARREST)
    assert (arrest["root_code"], arrest["actor_countries"]) == ("17", ["IRN"])


GUESSED_NATIONALITY_VISIT = """
Smith    2  nsubj   PROPN NNP  Smith    B-PERSON
will     2  aux     AUX   MD   will     O
visit    2  ROOT    VERB  VB   visit    O
Jakarta  2  dobj    PROPN NNP  Jakarta  B-GPE
.        2  punct   PUNCT .    .        O
"""


def test_a_guessed_nationality_does_not_make_the_visited_city_the_actors_own(res: NlpResources) -> None:
    # Smith's country is only the story's (Jakarta's): the city stays the target
    [visit] = events(res, GUESSED_NATIONALITY_VISIT)
    assert (visit["root_code"], visit["actors"], visit["targets"]) == (
        "04",
        ["person:smith"],
        ["place:jakarta"],
    )


FORMER_STATE = """
Soviet      1  amod    ADJ   JJ   soviet      B-NORP
troops      2  nsubj   NOUN  NNS  troop       O
attacked    2  ROOT    VERB  VBD  attack      O
Yugoslavia  2  dobj    PROPN NNP  Yugoslavia  B-GPE
.           2  punct   PUNCT .    .           O
"""


def test_states_that_no_longer_exist_act_by_their_iso_3166_3_codes(res: NlpResources) -> None:
    [attack] = events(res, FORMER_STATE)
    assert (attack["actor_countries"], attack["targets"]) == (["SUN"], ["country:YUG"])


CROWD_IN_A_CITY = """
Thousands  4  nsubj   NOUN  NNS  thousand  B-CARDINAL
of         0  prep    ADP   IN   of        O
angry      3  amod    ADJ   JJ   angry     O
people     1  pobj    NOUN  NNS  people    O
blocked    4  ROOT    VERB  VBD  block     O
roads      4  dobj    NOUN  NNS  road      O
in         4  prep    ADP   IN   in        O
Nairobi    6  pobj    PROPN NNP  Nairobi   B-GPE
.          4  punct   PUNCT .    .         O
"""

CROWD_NOWHERE = """
Thousands  4  nsubj   NOUN  NNS  thousand  B-CARDINAL
of         0  prep    ADP   IN   of        O
angry      3  amod    ADJ   JJ   angry     O
people     1  pobj    NOUN  NNS  people    O
blocked    4  ROOT    VERB  VBD  block     O
roads      4  dobj    NOUN  NNS  road      O
.          4  punct   PUNCT .    .         O
"""


def test_a_crowd_counted_by_a_number_acts_for_the_country_of_the_place_it_is_in(res: NlpResources) -> None:
    [blockade] = events(res, CROWD_IN_A_CITY)
    assert (blockade["root_code"], blockade["actors"]) == ("14", ["country:KEN"])
    assert events(res, CROWD_NOWHERE) == []  # no place: nobody identifiable acts


OPPOSITION_GROUPS = """
Opposition  1  compound  NOUN  NN   opposition  O
groups      4  nsubj     NOUN  NNS  group       O
in          1  prep      ADP   IN   in          O
Kenya       2  pobj      PROPN NNP  Kenya       B-GPE
accused     4  ROOT      VERB  VBD  accuse      O
Ruto        4  dobj      PROPN NNP  Ruto        B-PERSON
.           4  punct     PUNCT .    .           O
"""


def test_opposition_groups_in_a_country_are_that_countrys_opposition(res: NlpResources) -> None:
    [accusation] = events(res, OPPOSITION_GROUPS)
    assert (accusation["root_code"], accusation["actors"]) == ("11", ["country:KEN"])


GLOSSED_GROUP = """
The        7  det       DET   DT   the        O
Hezbollah  7  compound  PROPN NNP  Hezbollah  O
(          3  punct     PUNCT -LRB- (         O
Army       1  appos     PROPN NNP  Army       B-ORG
of         3  prep      ADP   IN   of         I-ORG
Allah      4  pobj      PROPN NNP  Allah      I-ORG
)          3  punct     PUNCT -RRB- )         O
movement   8  nsubj     NOUN  NN   movement   O
attacked   8  ROOT      VERB  VBD  attack     O
Israel     8  dobj      PROPN NNP  Israel     B-GPE
.          8  punct     PUNCT .    .          O
"""


def test_a_name_glossed_in_brackets_before_a_group_noun_is_the_organisation(res: NlpResources) -> None:
    # the gloss is no entity; PETRARCH's group entry gives the name's country
    [attack] = events(res, GLOSSED_GROUP)
    assert (attack["actors"], attack["actor_countries"], attack["targets"]) == (
        ["org:hezbollah"],
        ["LBN"],
        ["country:ISR"],
    )


PARTICIPLE_ON_A_NOUN = """
Iraq           1  nsubj     PROPN NNP  Iraq           B-GPE
expelled       1  ROOT      VERB  VBD  expel          O
UN             3  compound  PROPN NNP  UN             B-ORG
inspectors     1  dobj      NOUN  NNS  inspector      O
investigating  3  acl       VERB  VBG  investigate    O
the            6  det       DET   DT   the            O
sites          4  dobj      NOUN  NNS  site           O
.              1  punct     PUNCT .    .              O
"""


def test_an_active_participle_on_a_noun_is_done_by_what_the_noun_names(res: NlpResources) -> None:
    found = {e["root_code"]: e["actors"] for e in events(res, PARTICIPLE_ON_A_NOUN)}
    assert found.get("09") == ["org:un"]


THEY_AN_UNNAMED_GROUP = """
Hundreds      3  nsubj   NOUN  NNS  hundred       B-CARDINAL
of            0  prep    ADP   IN   of            O
demonstrators 1  pobj    NOUN  NNS  demonstrator  O
gathered      3  ROOT    VERB  VBD  gather        O
in            3  prep    ADP   IN   in            O
Nairobi       4  pobj    PROPN NNP  Nairobi       B-GPE
.             3  punct   PUNCT .    .             O
They          8  nsubj   PRON  PRP  they          O
criticised    8  ROOT    VERB  VBD  criticise     O
Ruto          8  dobj    PROPN NNP  Ruto          B-PERSON
.             8  punct   PUNCT .    .             O
"""


def test_they_after_an_unnamed_group_is_that_group_not_the_place_it_was_in(res: NlpResources) -> None:
    [criticism] = events(res, THEY_AN_UNNAMED_GROUP)
    assert (criticism["root_code"], criticism["actors"]) == ("11", ["country:KEN"])


def test_west_germany_is_germany_as_petrarch_codes_it(res: NlpResources) -> None:
    assert (res.country_of_text("West Germany"), res.country_of_text("West German")) == ("DEU", "DEU")


DETAINEE_FREED_BY_ANOTHER_STATE = """
The        1  det        DET   DT   the        O
release   16  nsubj      NOUN  NN   release    O
of         1  prep       ADP   IN   of         O
Omar       4  compound   PROPN NNP  Omar       B-PERSON
Haddad     2  pobj       PROPN NNP  Haddad     I-PERSON
,          4  punct      PUNCT ,    ,          O
a          8  det        DET   DT   a          O
Sudanese   8  amod       ADJ   JJ   sudanese   B-NORP
activist   4  appos      NOUN  NN   activist   O
who       12  nsubjpass  PRON  WP   who        O
had       12  aux        AUX   VBD  have       O
been      12  auxpass    AUX   VBN  be         O
detained   8  relcl      VERB  VBN  detain     O
for       12  prep       ADP   IN   for        O
years     13  pobj       NOUN  NNS  year       B-DATE
,          1  punct      PUNCT ,    ,          O
came      16  ROOT       VERB  VBD  come       O
as        19  mark       SCONJ IN   as         O
Egypt     19  nsubj      PROPN NNP  Egypt      B-GPE
said      16  advcl      VERB  VBD  say        O
it        22  nsubj      PRON  PRP  it         O
would     22  aux        AUX   MD   would      O
free      19  ccomp      VERB  VB   free       O
Sudanese  24  amod       ADJ   JJ   sudanese   B-NORP
prisoners 22  dobj       NOUN  NNS  prisoner   O
.         16  punct      PUNCT .    .          O
"""


def test_an_agentless_detention_is_done_by_the_state_the_sentence_shows_releasing_people(
    res: NlpResources,
) -> None:
    # Sudan is the most mentioned country (the detainee's own): Egypt frees, so Egypt held him;
    # the relative pronoun is the detainee the appositive describes
    detention = next(e for e in events(res, DETAINEE_FREED_BY_ANOTHER_STATE) if e["root_code"] == "17")
    assert (detention["actors"], detention["targets"]) == (["country:EGY"], ["person:omar-haddad"])


CHARGED_IN_A_STORY_OF_CITIES = """
Odinga     1  nsubj      PROPN NNP  Odinga     B-PERSON
flew       1  ROOT       VERB  VBD  fly        O
to         1  prep       ADP   IN   to         O
Mombasa    2  pobj       PROPN NNP  Mombasa    B-GPE
.          1  punct      PUNCT .    .          O
He         7  nsubjpass  PRON  PRP  he         O
was        7  auxpass    AUX   VBD  be         O
charged    7  ROOT       VERB  VBN  charge     O
.          7  punct      PUNCT .    .          O
"""


def test_an_agentless_charge_in_a_story_naming_no_country_is_by_the_state_of_its_places(
    res: NlpResources,
) -> None:
    # local news never names its own country: Mombasa's state charges
    [charge] = [e for e in events(res, CHARGED_IN_A_STORY_OF_CITIES) if e["root_code"] == "17"]
    assert (charge["actor_countries"], charge["targets"]) == (["KEN"], ["person:odinga"])


LIST_PARSED_AS_APPOSITIVE = """
Kenya      6  nsubj     PROPN NNP  Kenya      B-GPE
,          0  punct     PUNCT ,    ,          O
Uganda     0  appos     PROPN NNP  Uganda     B-GPE
,          2  punct     PUNCT ,    ,          O
and        2  cc        CCONJ CC   and        O
Tanzania   2  conj      PROPN NNP  Tanzania   B-GPE
met        6  ROOT      VERB  VBD  meet       O
on         6  prep      ADP   IN   on         O
Monday     7  pobj      PROPN NNP  Monday     B-DATE
.          6  punct     PUNCT .    .          O
"""


def test_a_name_whose_appositive_has_a_conjunct_heads_a_list(res: NlpResources) -> None:
    [meeting] = events(res, LIST_PARSED_AS_APPOSITIVE)
    members = ["country:KEN", "country:UGA", "country:TZA"]
    assert (meeting["actors"], meeting["targets"]) == (members, members)


CONDEMNED_AS_JUDGED_CLAIMS = """
Spain         1  nsubj   PROPN NNP  Spain         B-GPE
condemned     1  ROOT    VERB  VBD  condemn       O
as            1  prep    ADP   IN   as            O
unacceptable  4  amod    ADJ   JJ   unacceptable  O
allegations   2  pobj    NOUN  NNS  allegation    O
by            4  prep    ADP   IN   by            O
Morocco       5  pobj    PROPN NNP  Morocco       B-GPE
that          9  mark    SCONJ IN   that          O
Madrid        9  nsubj   PROPN NNP  Madrid        B-GPE
had           1  ccomp   VERB  VBD  have          O
armed        11  amod    ADJ   JJ   armed         O
rebels        9  dobj    NOUN  NNS  rebel         O
.             1  punct   PUNCT .    .             O
"""


def test_a_condemnation_targets_the_owner_of_the_act_its_as_phrase_names(res: NlpResources) -> None:
    # "condemned as unacceptable allegations by X": the object parsed as an "as" phrase
    condemnation = next(e for e in events(res, CONDEMNED_AS_JUDGED_CLAIMS) if e["root_code"] == "11")
    assert (condemnation["actors"], condemnation["targets"]) == (["country:ESP"], ["country:MAR"])


THANKS_FOR_ANOTHERS_HELP = """
The        1  det     DET   DT   the        O
ministry   2  nsubj   NOUN  NN   ministry   O
expressed  2  ROOT    VERB  VBD  express    O
gratitude  2  dobj    NOUN  NN   gratitude  O
for        3  prep    ADP   IN   for        O
Japan      7  poss    PROPN NNP  Japan      B-GPE
's         5  case    PART  POS  's         O
help       4  pobj    NOUN  NN   help       O
.          2  punct   PUNCT .    .          O
"""


def test_a_guessed_actor_named_only_as_the_owner_of_what_it_acts_on_is_no_actor(res: NlpResources) -> None:
    # "the ministry" would be the only country named, Japan, whose help it is thankful for
    assert events(res, THANKS_FOR_ANOTHERS_HELP) == []


FORCES_AND_THEIR_CITIZENS = """
Government  1  compound  NOUN  NN   government  O
forces      2  nsubj     NOUN  NNS  force       O
clashed     2  ROOT      VERB  VBD  clash       O
with        2  prep      ADP   IN   with        O
Kenyan      5  amod      ADJ   JJ   kenyan      B-NORP
protesters  3  pobj      NOUN  NNS  protester   O
.           2  punct     PUNCT .    .           O
"""


def test_an_unnamed_state_agent_can_fight_its_own_citizens(res: NlpResources) -> None:
    # the state is implied by the protesters' nationality, and they are its target
    [clash] = events(res, FORCES_AND_THEIR_CITIZENS)
    assert (clash["actors"], clash["targets"]) == (["country:KEN"], ["country:KEN"])


KILLED_IN_A_STRIKE_BY = """
Ten         1  nummod     NUM   CD   ten         B-CARDINAL
people      3  nsubjpass  NOUN  NNS  people      O
were        3  auxpass    AUX   VBD  be          O
killed      3  ROOT       VERB  VBN  kill        O
in          3  prep       ADP   IN   in          O
an          7  det        DET   DT   an          O
air         7  compound   NOUN  NN   air         O
strike      4  pobj       NOUN  NN   strike      O
by          7  prep       ADP   IN   by          O
government 10  compound   NOUN  NN   government  O
forces      8  pobj       NOUN  NNS  force       O
in          7  prep       ADP   IN   in          O
Taez       11  pobj       PROPN NNP  Taez        B-GPE
.           3  punct      PUNCT .    .           O
"""


def test_a_passive_killing_in_an_act_by_someone_is_done_by_them(res: NlpResources) -> None:
    [killing] = events(res, KILLED_IN_A_STRIKE_BY)
    assert (killing["root_code"], killing["actors"]) == ("19", ["country:YEM"])


FORCES_OF_NO_STATE_NAMED = """
Ten         1  nummod     NUM   CD   ten         B-CARDINAL
people      3  nsubjpass  NOUN  NNS  people      O
were        3  auxpass    AUX   VBD  be          O
killed     17  ccomp      VERB  VBN  kill        O
in          3  prep       ADP   IN   in          O
an          7  det        DET   DT   an          O
air         7  compound   NOUN  NN   air         O
strike      4  pobj       NOUN  NN   strike      O
by          7  prep       ADP   IN   by          O
government 10  compound   NOUN  NN   government  O
forces      8  pobj       NOUN  NNS  force       O
,          17  punct      PUNCT ,    ,           O
a          16  det        DET   DT   a           O
UK         15  npadvmod   PROPN NNP  UK          B-GPE
-          15  punct      PUNCT HYPH -           O
based      16  amod       VERB  VBN  base        O
group      17  nsubj      NOUN  NN   group       O
said       17  ROOT       VERB  VBD  say         O
.          17  punct      PUNCT .    .           O
"""


def test_where_a_source_is_based_is_not_the_state_of_unnamed_forces(res: NlpResources) -> None:
    assert [e for e in events(res, FORCES_OF_NO_STATE_NAMED) if e["root_code"] == "19"] == []


REBELS_AND_THE_PLACE_THEY_STRIKE = """
Rebels    1  nsubj  NOUN  NNS  rebel     O
shelled   1  ROOT   VERB  VBD  shell     O
a         3  det    DET   DT   a         O
district  1  dobj   NOUN  NN   district  O
of        3  prep   ADP   IN   of        O
Chad      7  poss   PROPN NNP  Chad      B-GPE
's        5  case   PART  POS  's        O
capital   4  pobj   NOUN  NN   capital   O
.         1  punct  PUNCT .    .         O
"""


def test_unnamed_rebels_are_of_the_country_their_own_act_names(res: NlpResources) -> None:
    [shelling] = events(res, REBELS_AND_THE_PLACE_THEY_STRIKE)
    assert (shelling["root_code"], shelling["actors"]) == ("19", ["country:TCD"])


A_COUNTRYS_GOVERNMENT_AMID_ANOTHER = """
The         2  det    DET   DT   the         O
Canadian    2  amod   ADJ   JJ   canadian    B-NORP
government  3  nsubj  NOUN  NN   government  O
announced   3  ROOT   VERB  VBD  announce    O
sanctions   3  dobj   NOUN  NNS  sanction    O
against     4  prep   ADP   IN   against     O
Russia      8  poss   PROPN NNP  Russia      B-GPE
's          6  case   PART  POS  's          O
banks       5  pobj   NOUN  NNS  bank        O
and         8  cc     CCONJ CC   and         O
Russian    11  amod   ADJ   JJ   russian     B-NORP
officials   8  conj   NOUN  NNS  official    O
.           3  punct  PUNCT .    .           O
"""


def test_a_government_with_a_country_adjective_is_that_countrys_not_the_most_named(
    res: NlpResources,
) -> None:
    [sanctions] = events(res, A_COUNTRYS_GOVERNMENT_AMID_ANOTHER)
    assert (sanctions["actors"], sanctions["targets"]) == (["country:CAN"], ["country:RUS"])


REBELS_STRUCK_AS_THEM = """
Rebels   1  nsubj  NOUN  NNS  rebel    O
shelled  1  ROOT   VERB  VBD  shell    O
a        3  det    DET   DT   a        O
town     1  dobj   NOUN  NN   town     O
in       3  prep   ADP   IN   in       O
Somalia  4  pobj   PROPN NNP  Somalia  B-GPE
.        1  punct  PUNCT .    .        O
It       8  nsubj  PRON  PRP  it       O
struck   8  ROOT   VERB  VBD  strike   O
them     8  dobj   PRON  PRP  they     O
.        8  punct  PUNCT .    .        O
"""

REBELS_STRUCK_BY_NAME = """
Rebels   1  nsubj  NOUN  NNS  rebel    O
shelled  1  ROOT   VERB  VBD  shell    O
a        3  det    DET   DT   a        O
town     1  dobj   NOUN  NN   town     O
in       3  prep   ADP   IN   in       O
Somalia  4  pobj   PROPN NNP  Somalia  B-GPE
.        1  punct  PUNCT .    .        O
It       8  nsubj  PRON  PRP  it       O
struck   8  ROOT   VERB  VBD  strike   O
Somali  10  amod   ADJ   JJ   somali   B-NORP
rebels   8  dobj   NOUN  NNS  rebel    O
.        8  punct  PUNCT .    .        O
"""


def test_a_target_that_stands_for_implied_rebels_does_not_flag_the_actor(res: NlpResources) -> None:
    # "them" are the rebels of the country their shelling names: that is how the target was
    # found, not the actor ("It", Somalia, named). Somalia is no implied state fighting its own
    # citizens and strikes nobody else named, as when the rebels are named "Somali rebels".
    # (The flags were state kept on Participants, which resolving the target overwrote.)
    def struck(rows: str) -> list[tuple[list[str], list[str]]]:
        return [(e["actors"], e["targets"]) for e in events(res, rows) if e["trigger"]["text"] == "struck"]

    assert struck(REBELS_STRUCK_AS_THEM) == [(["country:SOM"], [])]
    assert struck(REBELS_STRUCK_BY_NAME) == [(["country:SOM"], [])]


THEY_AFTER_A_COUNTRY_IN_A_MODIFIER = """
The       1  det    DET   DT   the       O
report    2  nsubj  NOUN  NN   report    O
describes 2  ROOT   VERB  VBZ  describe  O
the       5  det    DET   DT   the       O
Kenyan    5  amod   ADJ   JJ   kenyan    B-NORP
economy   2  dobj   NOUN  NN   economy   O
.         2  punct  PUNCT .    .         O
They      8  nsubj  PRON  PRP  they      O
demand    8  ROOT   VERB  VBP  demand    O
reforms   8  dobj   NOUN  NNS  reform    O
.         8  punct  PUNCT .    .         O
"""

THEY_AFTER_A_COUNTRY_AS_SUBJECT = """
Kenyan    1  amod   ADJ   JJ   kenyan    B-NORP
officials 2  nsubj  NOUN  NNS  official  O
describe  2  ROOT   VERB  VBP  describe  O
the       4  det    DET   DT   the       O
economy   2  dobj   NOUN  NN   economy   O
.         2  punct  PUNCT .    .         O
They      7  nsubj  PRON  PRP  they      O
demand    7  ROOT   VERB  VBP  demand    O
reforms   7  dobj   NOUN  NNS  reform    O
.         7  punct  PUNCT .    .         O
"""


def test_they_does_not_continue_a_country_named_only_in_a_modifier(res: NlpResources) -> None:
    # the authors of the report demand, whom nobody names: no actor, no event
    assert events(res, THEY_AFTER_A_COUNTRY_IN_A_MODIFIER) == []
    [demand] = events(res, THEY_AFTER_A_COUNTRY_AS_SUBJECT)
    assert (demand["root_code"], demand["actors"]) == ("10", ["country:KEN"])


CHADIAN_REBELS_ATTACKED_BY_CHAD = """
Chadian   1  amod       ADJ   JJ   chadian   B-NORP
rebels    2  nsubj      NOUN  NNS  rebel     O
seized    2  ROOT       VERB  VBD  seize     O
a         5  det        DET   DT   a         O
border    5  compound   NOUN  NN   border    O
post      2  dobj       NOUN  NN   post      O
.         2  punct      PUNCT .    .         O
They      9  nsubjpass  PRON  PRP  they      O
were      9  auxpass    AUX   VBD  be        O
attacked  9  ROOT       VERB  VBN  attack    O
by        9  agent      ADP   IN   by        O
Chad     10  pobj       PROPN NNP  Chad      B-GPE
.         9  punct      PUNCT .    .         O
"""

CHADIAN_REBELS_ATTACKED_BY_CHADS_ARMY = """
Chadian   1  amod       ADJ   JJ   chadian   B-NORP
rebels    2  nsubj      NOUN  NNS  rebel     O
seized    2  ROOT       VERB  VBD  seize     O
a         5  det        DET   DT   a         O
border    5  compound   NOUN  NN   border    O
post      2  dobj       NOUN  NN   post      O
.         2  punct      PUNCT .    .         O
They      9  nsubjpass  PRON  PRP  they      O
were      9  auxpass    AUX   VBD  be        O
attacked  9  ROOT       VERB  VBN  attack    O
by        9  agent      ADP   IN   by        O
Chad     13  poss       PROPN NNP  Chad      B-GPE
's       11  case       PART  POS  's        O
army     10  pobj       NOUN  NN   army      O
.         9  punct      PUNCT .    .         O
"""

THANKS_FOR_HELP_BY_ANOTHER = """
The        1  det     DET   DT   the        O
ministry   2  nsubj   NOUN  NN   ministry   O
expressed  2  ROOT    VERB  VBD  express    O
gratitude  2  dobj    NOUN  NN   gratitude  O
for        3  prep    ADP   IN   for        O
the        6  det     DET   DT   the        O
help       4  pobj    NOUN  NN   help       O
by         6  prep    ADP   IN   by         O
Japan      7  pobj    PROPN NNP  Japan      B-GPE
.          2  punct   PUNCT .    .          O
"""


def test_the_agent_of_a_passive_acts_it_owns_nothing_the_act_is_aimed_at(res: NlpResources) -> None:
    # "They" are the Chadian rebels, so Chad is among the targets, named in the sentence only
    # after the trigger and below it; but as the passive's agent (or its owner's) Chad is who
    # attacks, not the owner of what is attacked, and stays the actor (its own rebels are no
    # target of another country).
    for rows in (CHADIAN_REBELS_ATTACKED_BY_CHAD, CHADIAN_REBELS_ATTACKED_BY_CHADS_ARMY):
        attacks = [e for e in events(res, rows) if e["trigger"]["text"] == "attacked"]
        assert [(e["root_code"], e["actors"]) for e in attacks] == [("19", ["country:TCD"])]
    # (a "by" phrase of what the act is aimed at still names its owner)
    assert events(res, THANKS_FOR_HELP_BY_ANOTHER) == []


CHADIAN_REBELS_AND_AN_ATTACK_BY_CHAD = """
Chadian   1  amod       ADJ   JJ   chadian   B-NORP
rebels    2  nsubj      NOUN  NNS  rebel     O
seized    2  ROOT       VERB  VBD  seize     O
a         5  det        DET   DT   a         O
border    5  compound   NOUN  NN   border    O
post      2  dobj       NOUN  NN   post      O
.         2  punct      PUNCT .    .         O
The       8  det        DET   DT   the       O
attack   13  nsubj      NOUN  NN   attack    O
on        8  prep       ADP   IN   on        O
them      9  pobj       PRON  PRP  they      O
by        8  prep       ADP   IN   by        O
Chad     11  pobj       PROPN NNP  Chad      B-GPE
came     13  ROOT       VERB  VBD  come      O
at       13  prep       ADP   IN   at        O
dawn     14  pobj       NOUN  NN   dawn      O
.        13  punct      PUNCT .    .         O
"""

CHADIAN_REBELS_KILLED_IN_A_STRIKE_BY_CHAD = """
Chadian   1  amod       ADJ   JJ   chadian   B-NORP
rebels    2  nsubj      NOUN  NNS  rebel     O
seized    2  ROOT       VERB  VBD  seize     O
a         5  det        DET   DT   a         O
border    5  compound   NOUN  NN   border    O
post      2  dobj       NOUN  NN   post      O
.         2  punct      PUNCT .    .         O
They      9  nsubjpass  PRON  PRP  they      O
were      9  auxpass    AUX   VBD  be        O
killed    9  ROOT       VERB  VBN  kill      O
in        9  prep       ADP   IN   in        O
an       13  det        DET   DT   an        O
air      13  compound   NOUN  NN   air       O
strike   10  pobj       NOUN  NN   strike    O
by       13  prep       ADP   IN   by        O
Chad     14  pobj       PROPN NNP  Chad      B-GPE
.         9  punct      PUNCT .    .         O
"""


def test_who_a_nominal_act_or_the_act_a_passive_happened_in_is_by_acts_and_owns_nothing(
    res: NlpResources,
) -> None:
    # the same for the "by" phrase of an event noun: its own ("the attack on them by Chad"),
    # or the one a passive happened in ("they were killed in an air strike by Chad")
    attack = [
        e for e in events(res, CHADIAN_REBELS_AND_AN_ATTACK_BY_CHAD) if e["trigger"]["text"] == "attack"
    ]
    assert [(e["root_code"], e["actors"]) for e in attack] == [("19", ["country:TCD"])]
    killed = [
        e for e in events(res, CHADIAN_REBELS_KILLED_IN_A_STRIKE_BY_CHAD) if e["trigger"]["text"] == "killed"
    ]
    assert [(e["root_code"], e["actors"]) for e in killed] == [("19", ["country:TCD"])]


CRITICISED_BY_AS_PREP = """
Peru       2 nsubjpass PROPN NNP Peru       B-GPE
was        2 auxpass   AUX   VBD be         O
criticised 2 ROOT      VERB  VBN criticise  O
by         2 prep      ADP   IN  by         O
{agent}    3 pobj      PROPN NNP {agent}    {ent}
.          2 punct     PUNCT .   .          O
"""


def test_a_by_phrase_the_parser_left_a_plain_preposition_names_a_passives_doer(res: NlpResources) -> None:
    [event] = events(res, CRITICISED_BY_AS_PREP.format(agent="Chile", ent="B-GPE"))
    assert event["root_code"] == "11"
    assert event["actors"] == ["country:CHL"] and event["targets"] == ["country:PER"]
    # "by Friday" says when: nobody named acts
    assert events(res, CRITICISED_BY_AS_PREP.format(agent="Friday", ent="B-DATE")) == []


SHELLING_BY_TROOPS = """
Three      1  nummod    NUM   CD   three     B-CARDINAL
villagers  3  nsubjpass NOUN  NNS  villager  O
were       3  auxpass   AUX   VBD  be        O
killed     15 ccomp     VERB  VBN  kill      O
in         3  prep      ADP   IN   in        O
shelling   4  pcomp     VERB  VBG  shell     O
by         5  prep      ADP   IN   by        O
Ethiopian  8  amod      ADJ   JJ   ethiopian B-NORP
troops     6  pobj      NOUN  NNS  troop     O
near       5  prep      ADP   IN   near      O
the        11 det       DET   DT   the       O
border     9  pobj      NOUN  NN   border    O
,          15 punct     PUNCT ,    ,         O
Kenyan     14 amod      PROPN NNP  Kenyan    B-NORP
officials  15 nsubj     NOUN  NNS  official  O
said       15 ROOT      VERB  VBD  say       O
.          15 punct     PUNCT .    .         O
"""


def test_a_gerund_used_as_a_noun_is_done_by_its_by_phrase_not_the_reporter(res: NlpResources) -> None:
    [event] = events(res, SHELLING_BY_TROOPS)
    assert event["root_code"] == "19"
    assert event["actors"] == ["country:ETH"]


SHELLED_SAID_OFFICIALS = """
Ethiopian  1  amod      ADJ   JJ   ethiopian B-NORP
troops     2  nsubj     NOUN  NNS  troop     O
shelled    10 ccomp     VERB  VBD  shell     O
villages   2  dobj      NOUN  NNS  village   O
near       2  prep      ADP   IN   near      O
the        6  det       DET   DT   the       O
border     4  pobj      NOUN  NN   border    O
,          10 punct     PUNCT ,    ,         O
Kenyan     9  amod      PROPN NNP  Kenyan    B-NORP
officials  10 nsubj     NOUN  NNS  official  O
said       10 ROOT      VERB  VBD  say       O
.          10 punct     PUNCT .    .         O
"""


def test_the_speaker_of_a_report_is_no_fallback_target_of_the_reported_act(res: NlpResources) -> None:
    [event] = events(res, SHELLED_SAID_OFFICIALS)
    assert event["actors"] == ["country:ETH"]
    assert event["targets"] == []  # not Kenya, whose officials tell of it


CHARITIES_INCLUDING = """
Several    1 amod      ADJ   JJ   several   O
charities  8 nsubj     NOUN  NNS  charity   O
,          1 punct     PUNCT ,    ,         O
including  1 prep      VERB  VBG  include   O
Oxfam      3 pobj      PROPN NNP  Oxfam     B-ORG
and        4 cc        CCONJ CC   and       O
CARE       4 conj      PROPN NNP  CARE      B-ORG
,          1 punct     PUNCT ,    ,         O
condemned  8 ROOT      VERB  VBD  condemn   O
Sudan      8 dobj      PROPN NNP  Sudan     B-GPE
.          8 punct     PUNCT .    .         O
"""


def test_an_unnamed_group_acts_as_the_members_its_including_phrase_names(res: NlpResources) -> None:
    [event] = events(res, CHARITIES_INCLUDING)
    assert event["root_code"] == "11"
    assert event["actors"] == ["org:oxfam", "org:care"] and event["targets"] == ["country:SDN"]


PRODUCERS_SUCH_AS = """
Producers  4 nsubj     NOUN  NNS  producer  O
such       2 amod      ADJ   JJ   such      O
as         0 prep      ADP   IN   as        O
Brazil     2 pobj      PROPN NNP  Brazil    B-GPE
condemned  4 ROOT      VERB  VBD  condemn   O
the        6 det       DET   DT   the       O
tariffs    4 dobj      NOUN  NNS  tariff    O
.          4 punct     PUNCT .    .         O
"""


def test_an_unnamed_group_acts_as_the_members_its_such_as_phrase_names(res: NlpResources) -> None:
    [event] = events(res, PRODUCERS_SUCH_AS)
    assert event["actors"] == ["country:BRA"]


FIRM_IN_ONE_STATE = """
The       1  det    DET   DT   the       O
company   2  nsubj  NOUN  NN   company   O
rejected  2  ROOT   VERB  VBD  reject    O
the       4  det    DET   DT   the       O
offer     2  dobj   NOUN  NN   offer     O
in        2  prep   ADP   IN   in        O
Winnipeg  5  pobj   PROPN NNP  Winnipeg  B-GPE
.         2  punct  PUNCT .    .         O
"""

FIRM_IN_TWO_STATES = """
The       1  det    DET   DT   the       O
company   2  nsubj  NOUN  NN   company   O
rejected  2  ROOT   VERB  VBD  reject    O
the       4  det    DET   DT   the       O
offer     2  dobj   NOUN  NN   offer     O
in        2  prep   ADP   IN   in        O
Winnipeg  5  pobj   PROPN NNP  Winnipeg  B-GPE
and       6  cc     CCONJ CC   and       O
Lyon      6  conj   PROPN NNP  Lyon      B-GPE
.         2  punct  PUNCT .    .         O
"""


def test_the_company_of_a_story_set_in_one_state_is_that_states(res: NlpResources) -> None:
    [rejection] = events(res, FIRM_IN_ONE_STATE)
    assert (rejection["root_code"], rejection["actor_countries"]) == ("12", ["CAN"])
    # a story of two states says nothing of whose the firm is
    assert events(res, FIRM_IN_TWO_STATES) == []


FOREIGN_FIRM_IN_THE_STORY = """
Toyota    1   nsubj  PROPN NNP  Toyota    B-ORG
opened    1   ROOT   VERB  VBD  open      O
a         3   det    DET   DT   a         O
plant     1   dobj   NOUN  NN   plant     O
in        1   prep   ADP   IN   in        O
Winnipeg  4   pobj   PROPN NNP  Winnipeg  B-GPE
.         1   punct  PUNCT .    .         O
The       8   det    DET   DT   the       O
company   9   nsubj  NOUN  NN   company   O
rejected  9   ROOT   VERB  VBD  reject    O
the       11  det    DET   DT   the       O
offer     9   dobj   NOUN  NN   offer     O
.         9   punct  PUNCT .    .         O
"""


def test_a_firm_of_another_state_named_in_the_story_leaves_the_company_unowned(res: NlpResources) -> None:
    assert [e for e in events(res, FOREIGN_FIRM_IN_THE_STORY) if e["root_code"] == "12"] == []


ARREST_IN_A_STORY_OF_ITS_TOWNS = """
France     1   nsubj      PROPN NNP  France     B-GPE
urged      1   ROOT       VERB  VBD  urge       O
Uganda     1   dobj       PROPN NNP  Uganda     B-GPE
to         4   aux        PART  TO   to         O
free       1   xcomp      VERB  VB   free       O
activists  4   dobj       NOUN  NNS  activist   O
in         4   prep       ADP   IN   in         O
Kampala    6   pobj       PROPN NNP  Kampala    B-GPE
and        7   cc         CCONJ CC   and        O
Gulu       7   conj       PROPN NNP  Gulu       B-GPE
.          1   punct      PUNCT .    .          O
France     12  nsubj      PROPN NNP  France     B-GPE
said       12  ROOT       VERB  VBD  say        O
twelve     14  nummod     NUM   CD   twelve     B-CARDINAL
activists  16  nsubjpass  NOUN  NNS  activist   O
were       16  auxpass    AUX   VBD  be         O
arrested   12  ccomp      VERB  VBN  arrest     O
.          12  punct      PUNCT .    .          O
"""


def test_an_arrest_nobody_claims_is_the_state_of_the_storys_towns_not_its_most_named_foreign_country(
    res: NlpResources,
) -> None:
    [arrest] = [e for e in events(res, ARREST_IN_A_STORY_OF_ITS_TOWNS) if e["root_code"] == "17"]
    assert arrest["actor_countries"] == ["UGA"]
