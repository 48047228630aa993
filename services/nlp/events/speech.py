"""Events carried by reported speech itself: what a speaker says others should or must do
(CAMEO 02 appeal, 10 demand), and how a speaker judges something ("says the action is
unjustified": 11 disapprove; "said the allegations were unfounded": 016 deny; "is excellent":
051 praise). The judgement comes from the VADER valence lexicon, read with its morphology ("un-"
turns "justified" around, "too" makes any quality excessive) and negation."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from services.enrichment import Event
from services.nlp.events.model import Match
from services.nlp.resources import NlpResources

#: Modal auxiliaries of a complement clause and the speech act they make of it.
_APPEAL_MODALS = frozenset({"should", "ought"})
_DEMAND_MODALS = frozenset({"must"})
#: Verbs of necessity that work as modals with their infinitive ("X needs to act" like "X
#: should act", "X has to act" like "X must act"), by lemma.
_APPEAL_SEMI_MODALS = frozenset({"need"})
_DEMAND_SEMI_MODALS = frozenset({"have"})
#: Pronouns and expletives: "it is important", "there is no evidence" judge nothing named.
_EMPTY_SUBJECTS = frozenset({"it", "there", "this", "that", "i", "we", "you", "he", "she", "they", "what"})
#: Subjects that are the speaker: "he said he was confident", "we can be grateful".
_SPEAKER_PRONOUNS = frozenset({"he", "she", "i", "we", "they", "it"})
#: Determiners of a noun that refers back to something already told.
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
#: Valence (VADER's -4..+4 scale) from which a judgement counts.
_MIN_VALENCE = 1.0
#: What someone is told of is a wrong alleged only when strongly negative ("a culture of fear",
#: "abuse", "torture"; not "the crash" at -1.7).
_MIN_WRONG_VALENCE = 2.0
#: Owners that make a told-of state the speaker's or someone's own experience ("told of his fear").
_OWN_DETERMINERS = frozenset({"his", "her", "their", "its", "my", "our", "your"})


class SpeechActs:
    """Appeals, demands and judgements in the complements of reporting verbs."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res
        tables = res.trigger_tables["speech_judgements"]
        self.necessity = frozenset(tables["necessity"])
        self.act_nouns = res.reaction_objects | frozenset(res.nouns)
        self.culpable = frozenset(res.trigger_tables["nominal_events"]["convicted_for"]["adjectives"])
        self.necessity_code: str = tables["necessity_code"]
        self.invitation = frozenset(tables["invitation"])
        self.invitation_code: str = tables["invitation_code"]
        telling = tables["telling_of"]
        self.telling_verbs = frozenset(telling["verbs"])
        self.telling_preps = frozenset(telling["preps"])
        self.telling_code: str = telling["code"]
        self.blame_preps = frozenset(tables["blame_preps"])
        self.evidence_nouns = frozenset(tables["evidence_nouns"])
        self.showing_verbs = frozenset(tables["showing_verbs"])
        self.characterising_verbs = frozenset(tables["characterising_verbs"])

    def find(self, verb: Token) -> list[tuple[Match, set[int]]]:
        """The speech-act events of a reporting verb, each with the tokens whose own triggers it
        replaces (a demanded act is not done)."""
        res = self.res
        if verb.pos_ == "NOUN" and verb.lemma_.lower() in self.evidence_nouns:
            return self._evidence_of_blame(verb)
        if verb.pos_ != "VERB":
            return []
        out: list[tuple[Match, set[int]]] = []
        told = self._told_of(verb)
        if told is not None:
            out.append(told)
        characterised = self._characterised(verb)
        if characterised is not None:
            out.append(characterised)
        if verb.lemma_.lower() not in res.reporting:
            return out
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            for head in [
                clause,
                *(c for c in clause.children if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"}),
            ]:
                found = self._modal(verb, head) or self._mandative(verb, head) or self._judgement(verb, head)
                if found is not None:
                    out.append(found)
        return out

    def _modal(self, verb: Token, clause: Token) -> tuple[Match, set[int]] | None:
        aux = {c.lower_ for c in clause.children if c.dep_ == "aux"}
        semi = _semi_modal(clause) if not aux & self.res.intent_aux else None
        if aux & _APPEAL_MODALS or semi in _APPEAL_SEMI_MODALS:
            code = "020"
        elif aux & _DEMAND_MODALS or semi in _DEMAND_SEMI_MODALS:
            code = "100"
        else:
            return None
        if any(c.dep_ == "neg" for c in clause.children):
            return None  # "should not": a warning against, left to the verb lexicon
        subject = _subject(clause)
        if subject is None or subject.lower_ in _EMPTY_SUBJECTS:
            return None
        own = {t.i for t in clause.subtree if t.dep_ != "conj" or t.i == clause.i}
        return Match(verb, code, None, None, True, target=subject, speech=True), own

    def _mandative(self, verb: Token, clause: Token) -> tuple[Match, set[int]] | None:
        """ "insisted that Chile withdraw its troops", "said the sailors be released": a clause in
        the mandative subjunctive (a bare verb with no modal, or passive "be" + participle) says
        what must be done, a demand (100), its leaf from the demand verb's objects ("withdraw"
        1056, "release" 1053, "pay compensation" 1031), aimed at the clause's active subject."""
        if any(c.dep_ in {"aux", "neg"} for c in clause.children) or clause.pos_ != "VERB":
            return None
        passive = any(c.dep_ == "auxpass" and c.lower_ == "be" for c in clause.children)
        subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if not passive and (
            clause.tag_ != "VB"
            or subject is None
            or not (subject.tag_ in {"NN", "NNP"} or subject.lower_ in {"he", "she", "it"})
        ):
            return None  # a singular subject: "they withdraw" may be indicative, "he withdraw" not
        demand = self.res.verbs["demand"].objects
        code = demand.get(clause.lemma_.lower()) or next(
            (
                demand[o.lemma_.lower()]
                for o in clause.children
                if o.dep_ == "dobj" and o.lemma_.lower() in demand
            ),
            "100",
        )
        own = {t.i for t in clause.subtree if t.dep_ != "conj" or t.i == clause.i}
        target = None if passive or subject is None or subject.lower_ in _EMPTY_SUBJECTS else subject
        return Match(verb, code, None, None, True, target=target, speech=True), own

    def _judgement(self, verb: Token, clause: Token) -> tuple[Match, set[int]] | None:
        if clause.lemma_ != "be":
            return None
        predicate = next((c for c in clause.children if c.dep_ in {"acomp", "attr"}), None)
        subject = _subject(clause)
        if predicate is None and subject is not None:
            return self._placed_behind(verb, clause, subject)
        if predicate is None or subject is None:
            return None
        outlook = self.res.outlook.get(predicate.lower_)
        if (
            outlook is not None
            and subject.lower_ in _SPEAKER_PRONOUNS
            and not any(c.dep_ == "neg" for c in clause.children)
        ):
            # "said he was confident that ...", "we can be grateful": the speaker's own outlook
            return Match(verb, outlook, None, None, True, speech=True), set()
        if subject.lower_ in _EMPTY_SUBJECTS:
            return None
        if (
            predicate.lower_ in self.invitation
            and any(c.dep_ == "xcomp" for c in predicate.children)
            and not any(c.dep_ == "neg" for c in clause.children)
        ):
            # "said the delegates were welcome to visit": the speaker invites them; what they
            # are welcome to do has not happened
            own = {t.i for c in predicate.children if c.dep_ == "xcomp" for t in c.subtree}
            return Match(verb, self.invitation_code, None, None, True, target=subject, speech=True), own
        if any(c.dep_ in {"xcomp", "ccomp"} for c in predicate.children):
            return None  # "Iran was ready to cooperate": an intent, coded on its verb
        if not self._judges_an_actor_or_act(subject) and not (
            subject.dep_ == "csubj" and predicate.lower_ in self.necessity
        ):  # (a clausal subject is an act: "merging the parties is not necessary")
            return None  # "says the weather was good", "the season is long": no political act
        negated = any(c.dep_ == "neg" for c in clause.children)
        if (
            not negated
            and predicate.lower_ in self.culpable
            and any(
                p.dep_ == "prep"
                and p.lower_ in {"for", "of"}
                and any(o.lemma_.lower() in self.act_nouns or self.valence(o) < 0 for o in p.children)
                for p in predicate.children
            )
        ):  # (an act or a wrong: "responsible for the ministry" is no blame)
            # "said Hamas was responsible for the bombing": blame, whatever the word's valence
            return Match(verb, "112", None, None, True, target=subject, speech=True), set()
        if negated and predicate.lower_ in self.necessity:
            # "says merging the two parties is not necessary": the act is turned down
            return Match(verb, self.necessity_code, None, None, True, target=subject, speech=True), set()
        accusation = self.res.reaction_roots.get(subject.lemma_.lower()) == "11"
        if accusation and predicate.lower_ in self.res.falsity_words and not negated:
            return Match(verb, "016", None, None, True, target=subject, speech=True), set()
        value = self.valence(predicate)
        if negated:
            value = -value
        if abs(value) < _MIN_VALENCE:
            return None
        code = ("016" if accusation else "111") if value < 0 else "051"
        return Match(verb, code, None, None, True, target=subject, speech=True), set()

    def _evidence_of_blame(self, noun: Token) -> list[tuple[Match, set[int]]]:
        """ "says it has evidence that Iran was behind the bombing", "presented proof showing
        ...": the holder of evidence of a party's blame accuses that party; the verb that holds
        or shows the evidence is the trigger, so its subject is the accuser."""
        holder = noun.head
        if noun.dep_ not in {"dobj", "nsubjpass"} or holder.pos_ not in {"VERB", "AUX"}:
            return []
        if any(c.dep_ == "neg" for c in holder.children) or any(
            c.dep_ == "det" and c.lower_ == "no" for c in noun.children
        ):
            return []  # "no evidence that ...": no accusation
        clauses = []
        for clause in (c for c in noun.children if c.dep_ in {"acl", "ccomp"} and c.pos_ in {"VERB", "AUX"}):
            if clause.lemma_.lower() in self.showing_verbs:
                clauses += [c for c in clause.children if c.dep_ == "ccomp"]
            else:
                clauses.append(clause)
        for clause in clauses:
            subject = _subject(clause)
            if clause.lemma_ != "be" or subject is None:
                continue
            found = self._placed_behind(holder, clause, subject)
            if found is not None:
                return [(found[0], {holder.i})]  # one accusation with "presented evidence" (112)
        return []

    def _placed_behind(self, verb: Token, clause: Token, subject: Token) -> tuple[Match, set[int]] | None:
        """ "said Hamas was behind the bombing": whoever is put behind an act or a wrong is
        blamed for it, like "responsible for" (not "behind the wall": no act)."""
        if subject.lower_ in _EMPTY_SUBJECTS or any(c.dep_ == "neg" for c in clause.children):
            return None
        if not self._judges_an_actor_or_act(subject):
            return None
        for prep in (c for c in clause.children if c.dep_ == "prep" and c.lower_ in self.blame_preps):
            if any(
                o.dep_ == "pobj" and (o.lemma_.lower() in self.act_nouns or self.valence(o) < 0)
                for o in prep.children
            ):
                return Match(verb, "112", None, None, True, target=subject, speech=True), set()
        return None

    def _characterised(self, verb: Token) -> tuple[Match, set[int]] | None:
        """ "called the decision reckless", "described the deal as a disgrace": a verb of naming
        predicates a quality of its object as a copula does, so it judges that object by the
        quality's valence (an act or a named party, as in reported speech)."""
        if verb.lemma_.lower() not in self.characterising_verbs or any(
            c.dep_ == "neg" for c in verb.children
        ):
            return None
        judged = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
        if judged is None or not self._judges_an_actor_or_act(judged):
            return None
        # the parser hangs "as a disgrace" on the verb or on its object, and may split a name
        # over two "oprd"s ("called Raila Odinga a liar"): the quality is the strongest one
        predicates = [c for c in verb.children if c.dep_ == "oprd"] + [
            o
            for holder in (verb, judged)
            for p in holder.children
            if p.dep_ == "prep" and p.lower_ == "as"
            for o in p.children
            if o.dep_ in {"pobj", "amod", "acomp"}
        ]
        value = max((self.valence(p) for p in predicates), key=abs, default=0.0)
        if abs(value) < _MIN_VALENCE:
            return None
        code = "111" if value < 0 else "051"
        return Match(verb, code, None, None, True, target=judged, speech=True), set()

    def _told_of(self, verb: Token) -> tuple[Match, set[int]] | None:
        """ "told the commission of a culture of fear": a wrong the addressee is told of is an
        allegation (its phrase strongly negative, not the speaker's own experience)."""
        if verb.lemma_.lower() not in self.telling_verbs:
            return None
        holders = [verb, *(c for c in verb.children if c.dep_ in {"dobj", "dative"})]
        told = next(
            (
                c
                for holder in holders
                for p in holder.children
                if p.dep_ == "prep" and p.lower_ in self.telling_preps
                for c in p.children
                if c.dep_ == "pobj" and c.pos_ in {"NOUN", "PROPN"}
            ),
            None,
        )
        if told is None or any(c.dep_ == "poss" and c.lower_ in _OWN_DETERMINERS for c in told.children):
            return None
        inner = (c for p in told.children if p.dep_ == "prep" and p.lower_ == "of" for c in p.children)
        words = [told, *inner]  # "a culture of fear"
        if min(self.valence(w) for w in words) > -_MIN_WRONG_VALENCE:
            return None
        return Match(verb, self.telling_code, None, None, True, target=told, speech=True), set()

    def judged_act(self, match: Match) -> Token | None:
        """The earlier act a judgement is about, named by a definite act noun in the judged
        phrase ("says today's action is unjustified", "says the focus of the investigation is
        too narrow")."""
        if not match.speech or match.target is None or match.code[:2] not in {"01", "05", "11", "12"}:
            return None
        subject = match.target
        inner = (c for p in subject.children if p.dep_ == "prep" and p.lower_ == "of" for c in p.children)
        acts = self.act_nouns
        for noun in (subject, *inner):
            if noun.pos_ == "NOUN" and noun.lemma_.lower() in acts and _definite(noun):
                return noun
        return None

    def act_owners(self, act: Token, actors: Sequence[str], earlier: Sequence[Event]) -> list[str]:
        """Who did the act a definite noun refers back to: the latest earlier act by someone
        else of the kind the noun names (an event or reaction noun's root), else the latest
        earlier act by someone else."""
        lemma = act.lemma_.lower()
        kind = self.res.reaction_roots.get(lemma) or (self.res.nouns.get(lemma) or "")[:2]
        others = [e for e in reversed(earlier) if e.actors and not set(actors) & set(e.actors)]
        same_kind = next((e for e in others if e.root_code == kind), None) if kind else None
        chosen = same_kind or (None if kind else next(iter(others), None))
        return list(chosen.actors) if chosen is not None else []

    def _judges_an_actor_or_act(self, subject: Token) -> bool:
        """Is the judged thing a named party ("Westpac's decision", "Zimbabwe") or an act (an
        event or reaction noun: "the action", "the allegations", "the investigation")?"""
        res = self.res
        for tok in subject.subtree:
            if tok.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
                return True
            lemma = tok.lemma_.lower()
            if tok.pos_ == "NOUN" and (lemma in res.reaction_objects or lemma in res.nouns):
                return True
        return False

    def valence(self, predicate: Token) -> float:
        """The judgement an adjective (or a noun's adjectives: "a thorough one") carries."""
        words = [predicate, *(c for c in predicate.children if c.dep_ == "amod")]
        total = 0.0
        for word in words:
            value = self._word_valence(word.lower_)
            if any(c.lower_ == "too" for c in word.children):
                value = -max(abs(value), _MIN_VALENCE)  # "too narrow": excess is a fault
            total += value
        return total

    def _word_valence(self, word: str) -> float:
        valence = self.res.valence
        if word in valence:
            return valence[word]
        for prefix in ("un", "in", "im", "ir", "il", "dis", "non"):
            # "unjustified": the opposite of "justified"
            if word.startswith(prefix) and word[len(prefix) :] in valence:
                return -valence[word[len(prefix) :]]
        return 0.0


def _semi_modal(clause: Token) -> str | None:
    """The lemma of a verb of necessity that heads a clause with its infinitive ("Japan needs
    to act", "Iraq has to comply"); None for any other clause. (A modal before it makes it a
    conjecture: "would need to" is no appeal.)"""
    if (
        clause.pos_ not in {"VERB", "AUX"}
        or clause.lemma_.lower() not in _APPEAL_SEMI_MODALS | _DEMAND_SEMI_MODALS
    ):
        return None
    if not any(
        c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        for c in clause.children
    ):
        return None
    return clause.lemma_.lower()


def _subject(clause: Token) -> Token | None:
    return next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}), None)


def _definite(noun: Token) -> bool:
    """A noun that refers back ("the investigation", "today's action")."""
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in noun.children)
