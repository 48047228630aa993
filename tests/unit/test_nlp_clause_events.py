"""Events spread over a clause: gerund subjects, split hyphenated event nouns, crimes named by
a verdict or penalty, and judgements in reported speech (hand-built parses, no model)."""

from __future__ import annotations

import pytest

from config import NLP_DATA_DIR
from services.nlp.resources import NlpResources, load_resources
from tests.unit.test_nlp_events import events


@pytest.fixture(scope="module")
def res() -> NlpResources:
    return load_resources(NLP_DATA_DIR)


FIGHTING_AS_A_VERB = """
Fighting  6  nsubj  VERB  VBG  fight     O
between   0  prep   ADP   IN   between   O
Chad      1  pobj   PROPN NNP  Chad      B-GPE
and       2  cc     CCONJ CC   and       O
Sudan     2  conj   PROPN NNP  Sudan     B-GPE
has       6  aux    AUX   VBZ  have      O
killed    6  ROOT   VERB  VBN  kill      O
dozens    6  dobj   NOUN  NNS  dozen     O
.         6  punct  PUNCT .    .         O
"""


def test_a_gerund_subject_tagged_a_verb_is_the_event_noun_of_both_sides(res: NlpResources) -> None:
    [fight] = events(res, FIGHTING_AS_A_VERB)
    assert (fight["code"], sorted(fight["actors"])) == ("190", ["country:SDN", "country:TCD"])


SIT_IN_OVER_THE_OBJECT = """
Nigerian   1  amod   ADJ   JJ   nigerian   B-NORP
doctors    2  nsubj  NOUN  NNS  doctor     O
held       2  ROOT   VERB  VBD  hold       O
a          8  det    DET   DT   a          O
sit        8  amod   NOUN  NN   sit        O
-          6  punct  PUNCT HYPH -          O
in         4  prt    NOUN  NN   in         O
outside    8  amod   ADJ   JJ   outside    O
parliament 2  dobj   NOUN  NN   parliament O
.          2  punct  PUNCT .    .          O
"""


def test_a_hyphenated_event_noun_spread_over_the_object_phrase_keeps_its_code(res: NlpResources) -> None:
    [sit_in] = events(res, SIT_IN_OVER_THE_OBJECT)
    assert (sit_in["code"], sit_in["actor_countries"]) == ("141", ["NGA"])
    assert sit_in["trigger"]["text"].replace(" ", "") == "heldasit-in"  # not "... parliament"


SENTENCED_FOR = """
Omar      1  compound PROPN NNP Omar         B-PERSON
Hassan    3  nsubjpass PROPN NNP Hassan      I-PERSON
was       3  auxpass  AUX   VBD  be           O
sentenced 3  ROOT     VERB  VBN  sentence     O
to        3  prep     ADP   IN   to           O
death     4  pobj     NOUN  NN   death        O
for       5  prep     ADP   IN   for          O
the       8  det      DET   DT   the          O
kidnapping 6 pobj     NOUN  NN   kidnapping   O
and       8  cc       CCONJ CC   and          O
murder    8  conj     NOUN  NN   murder       O
of        8  prep     ADP   IN   of           O
Ali       13 compound PROPN NNP  Ali          B-PERSON
Karimi    11 pobj     PROPN NNP  Karimi       I-PERSON
.         3  punct    PUNCT .    .            O
"""


def test_the_crimes_a_penalty_is_for_were_committed_by_the_person_sentenced(res: NlpResources) -> None:
    crimes = {
        e["code"]: (e["actors"], e["targets"]) for e in events(res, SENTENCED_FOR) if e["root_code"] == "18"
    }
    assert crimes == {
        "181": (["person:omar-hassan"], ["person:ali-karimi"]),
        "182": (["person:omar-hassan"], ["person:ali-karimi"]),
    }


FOUND_GUILTY_OF = """
A         2  det      DET   DT   a         O
Kenyan    2  amod     ADJ   JJ   kenyan    B-NORP
soldier   5  nsubjpass NOUN NN   soldier   O
was       5  auxpass  AUX   VBD  be        O
yesterday 5  npadvmod NOUN  NN   yesterday B-DATE
found     5  ROOT     VERB  VBN  find      O
guilty    5  oprd     ADJ   JJ   guilty    O
of        6  prep     ADP   IN   of        O
the       9  det      DET   DT   the       O
killing   7  pobj     NOUN  NN   killing   O
of        9  prep     ADP   IN   of        O
a         13 det      DET   DT   a         O
Somali    13 amod     ADJ   JJ   somali    B-NORP
trader    10 pobj     NOUN  NN   trader    O
.         5  punct    PUNCT .    .         O
"""

ARRESTED_FOR = """
A         2  det      DET   DT   a         O
Kenyan    2  amod     ADJ   JJ   kenyan    B-NORP
soldier   4  nsubjpass NOUN NN   soldier   O
was       4  auxpass  AUX   VBD  be        O
arrested  4  ROOT     VERB  VBN  arrest    O
for       4  prep     ADP   IN   for       O
the       7  det      DET   DT   the       O
killing   5  pobj     NOUN  NN   killing   O
of        7  prep     ADP   IN   of        O
a         11 det      DET   DT   a         O
Somali    11 amod     ADJ   JJ   somali    B-NORP
trader    8  pobj     NOUN  NN   trader    O
.         4  punct    PUNCT .    .         O
"""


def test_a_crime_someone_is_found_guilty_of_is_theirs_but_not_one_they_are_arrested_for(
    res: NlpResources,
) -> None:
    [killing] = [e for e in events(res, FOUND_GUILTY_OF) if e["root_code"] == "18"]
    assert (killing["code"], killing["actor_countries"], killing["target_countries"]) == (
        "182",
        ["KEN"],
        ["SOM"],
    )
    # an arrest names what is alleged: no killing
    assert all(e["root_code"] != "18" for e in events(res, ARRESTED_FOR))


NOT_NECESSARY = """
Kenyan    1  amod   ADJ   JJ   kenyan    B-NORP
officials 2  nsubj  NOUN  NNS  official  O
say       2  ROOT   VERB  VBP  say       O
expelling 6  csubj  VERB  VBG  expel     O
the       5  det    DET   DT   the       O
envoy     3  dobj   NOUN  NN   envoy     O
is        2  ccomp  AUX   VBZ  be        O
not       6  neg    PART  RB   not       O
necessary 6  acomp  ADJ   JJ   necessary O
.         2  punct  PUNCT .    .         O
"""

NECESSARY = """
Kenyan    1  amod   ADJ   JJ   kenyan    B-NORP
officials 2  nsubj  NOUN  NNS  official  O
say       2  ROOT   VERB  VBP  say       O
expelling 6  csubj  VERB  VBG  expel     O
the       5  det    DET   DT   the       O
envoy     3  dobj   NOUN  NN   envoy     O
is        2  ccomp  AUX   VBZ  be        O
necessary 6  acomp  ADJ   JJ   necessary O
.         2  punct  PUNCT .    .         O
"""


def test_an_act_said_to_be_unnecessary_is_rejected_but_a_necessary_one_is_not(res: NlpResources) -> None:
    [rejection] = events(res, NOT_NECESSARY)
    assert (rejection["code"], rejection["actor_countries"]) == ("120", ["KEN"])
    assert all(e["root_code"] != "12" for e in events(res, NECESSARY))


TOLD_OF_TORTURE = """
Amnesty   1  compound PROPN NNP Amnesty       B-ORG
International 2 nsubj PROPN NNP International I-ORG
told      2  ROOT     VERB  VBD tell          O
the       4  det      DET   DT  the           O
committee 2  dobj     NOUN  NN  committee     O
of        4  prep     ADP   IN  of            O
torture   5  pobj     NOUN  NN  torture       O
in        6  prep     ADP   IN  in            O
Syrian    9  amod     ADJ   JJ  syrian        B-NORP
prisons   7  pobj     NOUN  NNS prison        O
.         2  punct    PUNCT .   .             O
"""

TOLD_OF_HIS_FEAR = """
Amnesty   1  compound PROPN NNP Amnesty       B-ORG
International 2 nsubj PROPN NNP International I-ORG
told      2  ROOT     VERB  VBD tell          O
the       4  det      DET   DT  the           O
committee 2  dobj     NOUN  NN  committee     O
of        4  prep     ADP   IN  of            O
its       7  poss     PRON  PRP$ its          O
fear      5  pobj     NOUN  NN  fear          O
.         2  punct    PUNCT .   .             O
"""


def test_a_wrong_someone_is_told_of_is_an_allegation_but_not_a_speakers_own_fear(res: NlpResources) -> None:
    [allegation] = events(res, TOLD_OF_TORTURE)
    assert (allegation["code"], allegation["actors"], allegation["target_countries"]) == (
        "112",
        ["org:amnesty-international"],
        ["SYR"],
    )
    assert events(res, TOLD_OF_HIS_FEAR) == []


RAID_JUDGED = """
Israeli   1  amod   ADJ   JJ   israeli   B-NORP
troops    2  nsubj  NOUN  NNS  troop     O
raided    2  ROOT   VERB  VBD  raid      O
Jenin     2  dobj   PROPN NNP  Jenin     B-GPE
.         2  punct  PUNCT .    .         O
Egypt     6  nsubj  PROPN NNP  Egypt     B-GPE
said      6  ROOT   VERB  VBD  say       O
the       8  det    DET   DT   the       O
raid      9  nsubj  NOUN  NN   raid      O
was       6  ccomp  AUX   VBD  be        O
unjustified 9 acomp ADJ   JJ   unjustified O
.         6  punct  PUNCT .    .         O
"""


def test_a_judgement_of_an_act_told_before_is_aimed_at_whoever_did_it(res: NlpResources) -> None:
    judged = [e for e in events(res, RAID_JUDGED) if e["root_code"] == "11"]
    assert [(e["actor_countries"], e["target_countries"]) for e in judged] == [(["EGY"], ["ISR"])]


ARREST_ORDERED_AGAIN = """
Egypt     1  nsubj  PROPN NNP  Egypt     B-GPE
placed    1  ROOT   VERB  VBD  place     O
Nour      1  dobj   PROPN NNP  Nour      B-PERSON
under     1  prep   ADP   IN   under     O
house     5  compound NOUN NN  house     O
arrest    3  pobj   NOUN  NN   arrest    O
.         1  punct  PUNCT .    .         O
The       9  det    DET   DT   the       O
Egyptian  9  amod   ADJ   JJ   egyptian  B-NORP
cabinet   11 nsubj  NOUN  NN   cabinet   O
had       11 aux    AUX   VBD  have      O
ordered   11 ROOT   VERB  VBN  order     O
the       13 det    DET   DT   the       O
arrest    11 dobj   NOUN  NN   arrest    O
.         11 punct  PUNCT .    .         O
"""


def test_a_definite_act_noun_with_no_phrase_of_its_own_is_the_act_told_before(res: NlpResources) -> None:
    ordered = [e for e in events(res, ARREST_ORDERED_AGAIN) if e["trigger"]["text"].startswith("ordered")]
    assert [(e["root_code"], e["targets"]) for e in ordered] == [("17", ["person:nour"])]


CALLS_TO_RESIGN = """
Calls     5  nsubj  NOUN  NNS  call      O
for       4  mark   SCONJ IN   for       O
Kenyatta  4  nsubj  PROPN NNP  Kenyatta  B-PERSON
to        4  aux    PART  TO   to        O
resign    0  acl    VERB  VB   resign    O
grew      5  ROOT   VERB  VBD  grow      O
.         5  punct  PUNCT .    .         O
"""


def test_what_an_appeal_noun_asks_for_has_not_happened(res: NlpResources) -> None:
    assert [e["code"] for e in events(res, CALLS_TO_RESIGN)] == []


DID_THE_SAME = """
Nigerian  1  amod   ADJ   JJ   nigerian  B-NORP
nurses    3  nsubj  NOUN  NNS  nurse     O
are       3  aux    AUX   VBP  be        O
marching  3  ROOT   VERB  VBG  march     O
,         3  punct  PUNCT ,    ,         O
and       3  cc     CCONJ CC   and       O
Ghanaian  7  amod   ADJ   JJ   ghanaian  B-NORP
doctors   10 nsubj  NOUN  NNS  doctor    O
will      10 aux    AUX   MD   will      O
soon      10 advmod ADV   RB   soon      O
follow    3  conj   VERB  VB   follow    O
suit      10 dobj   NOUN  NN   suit      O
.         3  punct  PUNCT .    .         O
"""


def test_following_suit_repeats_the_act_told_just_before(res: NlpResources) -> None:
    found = sorted((e["code"], e["actor_countries"]) for e in events(res, DID_THE_SAME))
    assert found == [("141", ["GHA"]), ("141", ["NGA"])]


AFTER_THE_DEMAND = """
Syrian    1  amod   ADJ   JJ   syrian    B-NORP
troops    2  nsubj  NOUN  NNS  troop     O
shelled   2  ROOT   VERB  VBD  shell     O
Beirut    2  dobj   PROPN NNP  Beirut    B-GPE
.         2  punct  PUNCT .    .         O
After     7  mark   SCONJ IN   after     O
Washington 7 nsubj  PROPN NNP  Washington B-GPE
demanded  13 advcl  VERB  VBD  demand    O
action    7  dobj   NOUN  NN   action    O
,         13 punct  PUNCT ,    ,         O
the       12 det    DET   DT   the       O
Lebanese  12 amod   ADJ   JJ   lebanese  B-NORP
army      13 nsubj  NOUN  NN   army      O
closed    13 ROOT   VERB  VBD  close     O
the       15 det    DET   DT   the       O
border    13 dobj   NOUN  NN   border    O
.         13 punct  PUNCT .    .         O
"""


def test_a_demand_told_in_a_clause_of_time_is_aimed_at_whoever_answered_it(res: NlpResources) -> None:
    demands = [e for e in events(res, AFTER_THE_DEMAND) if e["root_code"] == "10"]
    assert [(e["actor_countries"], e["target_countries"]) for e in demands] == [(["USA"], ["LBN"])]


RESIGNED_AFTER_CRITICISM = """
The       3  det    DET   DT   the       O
Kenyan    3  amod   ADJ   JJ   kenyan    B-NORP
finance   3  compound NOUN NN  finance   O
minister  4  nsubj  NOUN  NN   minister  O
resigned  4  ROOT   VERB  VBD  resign    O
following 4  prep   VERB  VBG  follow    O
criticism 5  pobj   NOUN  NN   criticism O
by        6  prep   ADP   IN   by        O
the       9  det    DET   DT   the       O
IMF       7  pobj   PROPN NNP  IMF       B-ORG
.         4  punct  PUNCT .    .         O
"""


def test_criticism_a_clause_follows_is_aimed_at_that_clauses_subject(res: NlpResources) -> None:
    [criticism] = [e for e in events(res, RESIGNED_AFTER_CRITICISM) if e["root_code"] == "11"]
    assert (criticism["actors"], criticism["target_countries"]) == (["org:imf"], ["KEN"])


SAID_RESPONSIBLE = """
Israel    1  nsubj  PROPN NNP  Israel    B-GPE
said      1  ROOT   VERB  VBD  say       O
Hamas     3  nsubj  PROPN NNP  Hamas     B-ORG
was       1  ccomp  AUX   VBD  be        O
responsible 3 acomp ADJ   JJ   responsible O
for       4  prep   ADP   IN   for       O
the       7  det    DET   DT   the       O
bombing   5  pobj   NOUN  NN   bombing   O
.         1  punct  PUNCT .    .         O
"""


def test_someone_said_to_be_responsible_for_an_act_is_blamed_and_did_it(res: NlpResources) -> None:
    found = sorted((e["code"], e["actors"], e["targets"]) for e in events(res, SAID_RESPONSIBLE))
    assert found == [
        ("112", ["country:ISR"], ["org:hamas"]),  # blame, not praise for a "responsible" party
        ("183", ["org:hamas"], []),
    ]


RESPONSIBLE_FOR_MASS_KILLINGS = """
Myanmar   2  poss   PROPN NNP  Myanmar   B-GPE
's        0  case   PART  POS  's        O
army      3  nsubj  NOUN  NN   army      O
is        3  ROOT   AUX   VBZ  be        O
responsible 3 acomp ADJ   JJ   responsible O
for       4  prep   ADP   IN   for       O
mass      7  compound NOUN NN  mass      O
killings  5  pobj   NOUN  NNS  killing   O
.         3  punct  PUNCT .    .         O
"""


def test_a_party_responsible_for_mass_killings_engaged_in_them(res: NlpResources) -> None:
    # CAMEO 202 is named "Engage in mass killings"
    assert [e["code"] for e in events(res, RESPONSIBLE_FOR_MASS_KILLINGS)] == ["202"]


WARNING_FROM = """
The       1  det    DET   DT   the       O
warning   4  nsubj  NOUN  NN   warning   O
from      1  prep   ADP   IN   from      O
Kenya     2  pobj   PROPN NNP  Kenya     B-GPE
came      4  ROOT   VERB  VBD  come      O
late      4  advmod ADV   RB   late      O
.         4  punct  PUNCT .    .         O
"""


def test_a_warning_from_someone_about_nobody_named_is_a_pessimistic_comment(res: NlpResources) -> None:
    [warning] = events(res, WARNING_FROM)
    assert (warning["code"], warning["actor_countries"], warning["targets"]) == ("012", ["KEN"], [])


CALLED_A_LIAR = """
Kenya     1  nsubj  PROPN NNP  Kenya     B-GPE
called    1  ROOT   VERB  VBD  call      O
Uganda    1  dobj   PROPN NNP  Uganda    B-GPE
a         4  det    DET   DT   a         O
liar      1  oprd   NOUN  NN   liar      O
.         1  punct  PUNCT .    .         O
"""


def test_naming_an_object_by_a_negative_quality_criticises_it(res: NlpResources) -> None:
    [called] = events(res, CALLED_A_LIAR)
    assert (called["code"], called["actor_countries"], called["target_countries"]) == (
        "111",
        ["KEN"],
        ["UGA"],
    )


DESCRIBED_AS_RECKLESS = """
Tanzania  1  nsubj  PROPN NNP  Tanzania  B-GPE
described 1  ROOT   VERB  VBD  describe  O
Kenya     4  poss   PROPN NNP  Kenya     B-GPE
's        2  case   PART  POS  's        O
decision  1  dobj   NOUN  NN   decision  O
as        4  prep   ADP   IN   as        O
reckless  5  amod   ADJ   JJ   reckless  O
.         1  punct  PUNCT .    .         O
"""

DESCRIBED_AS_EXCELLENT = """
Tanzania  1  nsubj  PROPN NNP  Tanzania  B-GPE
described 1  ROOT   VERB  VBD  describe  O
Kenya     4  poss   PROPN NNP  Kenya     B-GPE
's        2  case   PART  POS  's        O
decision  1  dobj   NOUN  NN   decision  O
as        1  prep   ADP   IN   as        O
excellent 5  amod   ADJ   JJ   excellent O
.         1  punct  PUNCT .    .         O
"""


@pytest.mark.parametrize(("rows", "code"), [(DESCRIBED_AS_RECKLESS, "111"), (DESCRIBED_AS_EXCELLENT, "051")])
def test_describing_an_act_as_a_quality_judges_it_by_the_quality(
    res: NlpResources, rows: str, code: str
) -> None:
    # the "as" phrase hangs on the object in one parse, on the verb in the other
    [described] = events(res, rows)
    assert (described["code"], described["actor_countries"]) == (code, ["TZA"])


DESCRIBED_THE_WEATHER = """
Tanzania  1  nsubj  PROPN NNP  Tanzania  B-GPE
described 1  ROOT   VERB  VBD  describe  O
the       3  det    DET   DT   the       O
weather   1  dobj   NOUN  NN   weather   O
as        1  prep   ADP   IN   as        O
awful     4  amod   ADJ   JJ   awful     O
.         1  punct  PUNCT .    .         O
"""


def test_describing_something_that_is_no_act_nor_party_judges_nobody(res: NlpResources) -> None:
    assert events(res, DESCRIBED_THE_WEATHER) == []


RECOMMENDED_A_REVIEW = """
Uganda      1  nsubj  PROPN NNP  Uganda     B-GPE
recommended 1  ROOT   VERB  VBD  recommend  O
a           3  det    DET   DT   a          O
review      1  dobj   NOUN  NN   review     O
.           1  punct  PUNCT .    .          O
"""


def test_a_recommendation_is_an_appeal(res: NlpResources) -> None:
    # PETRARCH2 puts "recommend" in the SUGGEST block, whose bare verb is 020
    [recommended] = events(res, RECOMMENDED_A_REVIEW)
    assert (recommended["code"], recommended["actor_countries"]) == ("020", ["UGA"])


REQUESTS_OF_A_COUNTRY = """
Kenya     2  poss   PROPN NNP  Kenya     B-GPE
's        0  case   PART  POS  's        O
requests  6  nsubjpass NOUN NNS request  O
to        2  prep   ADP   IN   to        O
Uganda    3  pobj   PROPN NNP  Uganda    B-GPE
were      6  auxpass AUX  VBD  be        O
ignored   6  ROOT   VERB  VBN  ignore    O
.         6  punct  PUNCT .    .         O
"""


def test_a_request_with_its_own_actor_is_an_appeal(res: NlpResources) -> None:
    # CAMEO 020 is named "Make an appeal or request"
    [request] = events(res, REQUESTS_OF_A_COUNTRY)
    assert (request["code"], request["actor_countries"], request["target_countries"]) == (
        "020",
        ["KEN"],
        ["UGA"],
    )


REQUESTS_CAME_FROM = """
Requests  2  nsubj  NOUN  NNS  request   O
have      2  aux    AUX   VBP  have      O
come      2  ROOT   VERB  VBN  come      O
from      2  prep   ADP   IN   from      O
Uganda    3  pobj   PROPN NNP  Uganda    B-GPE
.         2  punct  PUNCT .    .         O
"""

REQUESTS_RESULT_FROM = """
Requests  1  nsubj  NOUN  NNS  request   O
result    1  ROOT   VERB  VBP  result    O
from      1  prep   ADP   IN   from      O
Uganda    5  poss   PROPN NNP  Uganda    B-GPE
's        3  case   PART  POS  's        O
ruling    2  pobj   NOUN  NN   ruling    O
.         1  punct  PUNCT .    .         O
"""


def test_a_speech_noun_coming_from_someone_is_theirs(res: NlpResources) -> None:
    [request] = events(res, REQUESTS_CAME_FROM)
    assert (request["code"], request["actor_countries"]) == ("020", ["UGA"])
    # a cause is no source
    assert [e["code"] for e in events(res, REQUESTS_RESULT_FROM) if e["code"] == "020"] == []


NARRATED_IN_QUOTED_WORDS = """
Kenya       1  nsubj     PROPN NNP  Kenya      B-GPE
said        1  ROOT      VERB  VBD  say        O
the         4  det       DET   DT   the        B-ORG
World       4  compound  PROPN NNP  World      I-ORG
Bank        6  nsubj     PROPN NNP  Bank       I-ORG
"           6  punct     PUNCT ``   "          O
recommended 1  ccomp     VERB  VBD  recommend  O
a           8  det       DET   DT   a          O
review      6  dobj      NOUN  NN   review     O
"           6  punct     PUNCT ''   "          O
.           1  punct     PUNCT .    .          O
"""

QUOTED_WITH_ITS_SUBJECT = """
Kenya       1  nsubj     PROPN NNP  Kenya      B-GPE
said        1  ROOT      VERB  VBD  say        O
"           6  punct     PUNCT ``   "          O
the         5  det       DET   DT   the        B-ORG
World       5  compound  PROPN NNP  World      I-ORG
Bank        6  nsubj     PROPN NNP  Bank       I-ORG
recommended 1  ccomp     VERB  VBD  recommend  O
a           8  det       DET   DT   a          O
review      6  dobj      NOUN  NN   review     O
"           6  punct     PUNCT ''   "          O
.           1  punct     PUNCT .    .          O
"""


def test_a_partial_quotation_whose_subject_the_narrator_names_is_coded(res: NlpResources) -> None:
    [recommended] = events(res, NARRATED_IN_QUOTED_WORDS)
    assert (recommended["code"], recommended["actors"]) == ("020", ["org:world-bank"])
    # a whole quoted clause stays the speaker's own words
    assert events(res, QUOTED_WITH_ITS_SUBJECT) == []


ISSUED_A_CALL_FOR_CALM = """
Kenya     1  nsubj  PROPN NNP  Kenya     B-GPE
issued    1  ROOT   VERB  VBD  issue     O
a         3  det    DET   DT   a         O
call      1  dobj   NOUN  NN   call      O
for       3  prep   ADP   IN   for       O
calm      4  pobj   NOUN  NN   calm      O
.         1  punct  PUNCT .    .         O
"""

MADE_A_CALL_ON_TUESDAY = """
Kenya     1  nsubj  PROPN NNP  Kenya     B-GPE
made      1  ROOT   VERB  VBD  make      O
a         3  det    DET   DT   a         O
call      1  dobj   NOUN  NN   call      O
on        3  prep   ADP   IN   on        O
Tuesday   4  pobj   PROPN NNP  Tuesday   B-DATE
.         1  punct  PUNCT .    .         O
"""

CALLS_FOR_REFORM = """
Kenya     2  poss   PROPN NNP  Kenya     B-GPE
's        0  case   PART  POS  's        O
calls     6  nsubjpass NOUN NNS call     O
for       2  prep   ADP   IN   for       O
reform    3  pobj   NOUN  NN   reform    O
were      6  auxpass AUX  VBD  be        O
ignored   6  ROOT   VERB  VBN  ignore    O
.         6  punct  PUNCT .    .         O
"""


def test_a_call_for_something_is_an_appeal_not_a_telephone_call(res: NlpResources) -> None:
    # the noun of the phrasal verb "call for" (an appeal, 02)
    assert [e["root_code"] for e in events(res, ISSUED_A_CALL_FOR_CALM)] == ["02"]
    assert [e["code"] for e in events(res, MADE_A_CALL_ON_TUESDAY)] == ["041"]
    [calls] = events(res, CALLS_FOR_REFORM)
    assert (calls["code"], calls["actor_countries"]) == ("020", ["KEN"])


HIS_CALLS_IGNORED = """
Odinga    1  nsubj  PROPN NNP  Odinga    B-PERSON
spoke     1  ROOT   VERB  VBD  speak     O
.         1  punct  PUNCT .    .         O
Uganda    4  nsubj  PROPN NNP  Uganda    B-GPE
ignored   4  ROOT   VERB  VBD  ignore    O
his       6  poss   PRON  PRP$ his       O
calls     4  dobj   NOUN  NNS  call      O
for       6  prep   ADP   IN   for       O
reform    7  pobj   NOUN  NN   reform    O
.         4  punct  PUNCT .    .         O
"""


def test_a_speech_noun_owned_by_a_singular_pronoun_is_the_referents_act(res: NlpResources) -> None:
    [calls] = events(res, HIS_CALLS_IGNORED)
    assert (calls["code"], calls["actors"]) == ("020", ["person:odinga"])
