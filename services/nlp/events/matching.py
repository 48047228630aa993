"""Trigger matching: which words are events and their first CAMEO code (verbs by lemma and
object, phrasal verbs, light verbs with an event noun, nominal events, intent heads)."""

from __future__ import annotations

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from services.nlp.events.attributes import Attributes
from services.nlp.events.coding import ThreatCodes
from services.nlp.events.model import Match
from services.nlp.events.participants import counted_group
from services.nlp.events.patterns import VerbContext, VerbPatterns, lemma_matcher
from services.nlp.events.speech import SpeechActs
from services.nlp.resources import NlpResources
from services.nlp.tokens import spacy_doc

#: PETRARCH patterns code verbs the curated lexicon lacks only when at least this specific
#: (an object with a modifier, a preposition with its object: "declared a state of emergency",
#: "ordered the arrest of"): bare verbs and one-word objects are too loose for news (dev and
#: the CAMEO codebook examples; docs/enrichment.md).
MIN_PATTERN_SPECIFICITY = 2

#: Force roots: the place attacked stands for the target; after a threat head, 138.
FORCE_ROOTS = frozenset({"15", "17", "18", "19", "20"})
#: Violence (assault, fight, mass violence): the weapon or kind of attack names the leaf.
VIOLENCE_ROOTS = frozenset({"18", "19", "20"})
#: Verbs of coming, whose "from" phrase is a source ("requests came from X"; not "results from").
COMING_VERBS = frozenset({"come", "arrive", "emanate"})
#: Prepositions of the means of an act ("killed in an air strike", "with a car bomb").
MEANS_PREPS = frozenset({"in", "with"})


class TriggerMatcher:
    """Finds and first-codes the triggers of one article."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res
        self.attributes = Attributes(res)
        self.patterns = VerbPatterns(res.petrarch, MIN_PATTERN_SPECIFICITY)
        # the act a head names ("threatened to ban") is coded by any pattern or default: the
        # head already makes it an event, the act only picks the leaf
        self.act_patterns = VerbPatterns(res.petrarch, 0)
        self.threats = ThreatCodes.from_tables(res.trigger_tables)
        self.tables = res.trigger_tables
        self.lemma_repairs: dict[str, str] = {
            k: v for k, v in res.trigger_tables["lemma_repairs"].items() if not k.startswith("_")
        }
        self.speech = SpeechActs(res)
        self._matchers: dict[int, PhraseMatcher] = {}

    def agent_code(self, tok: Token) -> str | None:
        agents = self.res.petrarch.agents
        return (
            self.res.extra_agents.get(tok.lower_) or agents.get(tok.lower_) or agents.get(tok.lemma_.lower())
        )

    def compile(self, vocab: Vocab) -> PhraseMatcher:
        """The lemma matcher of this vocabulary: verbs (curated, light, phrasal heads and
        PETRARCH's), event nouns and reporting verbs; compiled once per vocabulary."""
        matcher = self._matchers.get(id(vocab))
        if matcher is None:
            res = self.res
            verbs = {*res.verbs, *res.light_verbs, *(p.split()[0] for p in res.phrasal), *res.petrarch.verbs}
            verbs |= {p.split()[0] for p in res.prepositional_light}
            verbs |= {p.split()[0] for p in self.tables["cessation"]["verbs"]}
            verbs |= {wrong for wrong, right in self.lemma_repairs.items() if right in verbs}
            judgements = self.tables["speech_judgements"]
            speech = {*res.reporting, *judgements["evidence_nouns"], *judgements["characterising_verbs"]}
            matcher = lemma_matcher(vocab, {"VERB": verbs, "NOUN": res.nouns, "SPEECH": speech})
            self._matchers[id(vocab)] = matcher
        return matcher

    def find(self, doc: Doc) -> dict[int, Match]:
        """Every trigger of the article by token index: verbs outside quotations, nominal
        events with a "between" phrase, intent heads folded into the verb they govern."""
        quoted = quoted_tokens(doc)
        real = spacy_doc(doc)
        strings = real.vocab.strings
        hits: dict[str, list[int]] = {"VERB": [], "NOUN": [], "SPEECH": []}
        for match_id, start, _end in self.compile(real.vocab)(real):
            if start not in quoted or _partial_quote(doc[start], quoted):
                hits[strings[match_id]].append(start)
        matches: dict[int, Match] = {}
        for i in sorted(set(hits["VERB"])):
            tok = doc[i]
            if tok.pos_ not in {"VERB", "AUX"}:
                continue
            if _gerund_subject(tok):
                # "Fighting between A and B killed 40": the parser's verb is the event noun
                nominal = self._match_nominal(tok)
                if nominal is not None:
                    matches[i] = nominal
                continue
            ctx = self.patterns.context(tok) if tok.lemma_.lower() in self.res.petrarch.verbs else None
            match = self._match(tok, ctx)
            if match is not None:
                matches[i] = match
        for match in matches.values():
            means = self._means(match)
            if means is not None:
                match.code, match.specific = means, True
            elif self._assassination(match):
                match.code, match.specific = self.tables["assassination"]["code"], True
            manner = self._manner(match)
            if manner is not None:
                match.code, match.specific = manner, True
        # "Talks between Kenya and the IMF resumed", "a phone call between A and B"
        used_nouns = {m.noun.i for m in matches.values() if m.noun is not None}
        for i in sorted(set(hits["NOUN"])):
            tok = doc[i]
            if i in used_nouns or i in matches:
                continue
            head_match = matches.get(tok.head.i) if tok.head.i != i else None
            if head_match is not None and not (tok.dep_ == "conj" and head_match.agent is not None):
                continue  # "urged dialogue between ...": the content of another event
            asker = matches.get(tok.head.head.i) if tok.dep_ == "pobj" else None
            if asker is not None and asker.code[:2] in {"02", "10"} and asker.trigger.i == tok.head.head.i:
                continue  # "called for a ceasefire between A and B": what is asked for
            nominal = self._match_nominal(tok)
            if nominal is not None and nominal.trigger.i not in matches:
                matches[i] = nominal
        # "says the watchdog should act" (appeal), "says the action is unjustified" (disapprove)
        for i in sorted(set(hits["SPEECH"])):
            tok = doc[i]
            for match, replaced in self.speech.find(tok):
                for j in replaced:
                    matches.pop(j, None)
                key = match.target.head.i if match.target is not None else i
                matches.setdefault(key, match)
        # "agreed to meet", "ready to cooperate", "vowed to strike": one intent event
        heads = self.res.intent_code_heads | self.res.threat_heads
        for match in list(matches.values()):
            head = match.trigger.head
            head_lemma = _verb_of_participle(head, heads)
            if not _infinitive_of(match.trigger) or head_lemma not in heads:
                continue
            match.code = self.intent_code(match.code, head_lemma)
            match.specific = True
            matches.pop(head.i, None)
        # "tried to assassinate the governor": an attempted act CAMEO codes as such (185)
        attempted = self.tables["attempted_acts"]
        for match in matches.values():
            head = match.trigger.head
            if _infinitive_of(match.trigger) and head.lemma_.lower() in attempted["heads"]:
                match.code = attempted["codes"].get(match.code, match.code)
        # "expressed willingness to negotiate": an intent noun's infinitive is the intent
        intent_nouns = self.tables["intent_codes"]["nouns"]
        for match in list(matches.values()):
            trig, noun = match.trigger, match.trigger.head
            expressed = matches.get(noun.head.i)
            if (
                trig.dep_ == "acl"
                and _infinitive_of_noun(trig)
                and noun.lemma_.lower() in intent_nouns
                and expressed is not None
                and expressed.code[:2] in {"01", "03"}
            ):
                # one event on the verb that expresses it, whose subject has the intent
                expressed.code = self.intent_code(match.code, noun.lemma_.lower())
                expressed.specific = True
                del matches[trig.i]
        # "threatened to ban voting": an act no trigger names still picks the head's leaf
        for match in matches.values():
            lemma = _verb_of_participle(match.trigger, heads)
            act = _act_verb(match.trigger)
            if lemma not in heads or act is None or act.i in matches:
                continue
            code = self.act_code(act)
            if code is not None:
                match.code = self.intent_code(code, lemma)
                match.specific = True
            elif lemma in self.threats.only_heads:
                match.specific = True  # a threat to act is a threat, target or none
        self._refusals(matches)
        self._conditional_threats(matches)
        self._announced(matches)
        self._threat_clauses(matches)
        self._repeats(doc, matches)
        # "fired tear gas to disperse the protesters": the purpose restates the act; "attacked
        # the city with drones, killing five": so does a participle of the same kind of act
        for i in [
            i
            for i, m in matches.items()
            if m.trigger.dep_ == "advcl"
            and (restated := matches.get(m.trigger.head.i)) is not None
            and (
                (_infinitive_of(m.trigger) and restated.code == m.code)
                or (m.trigger.tag_ == "VBG" and restated.code[:2] == m.code[:2])
            )
        ]:
            del matches[i]
        # "launched a crackdown, arresting 70 members": a participle on the noun of an act of
        # the same kind restates that act
        by_noun = {m.noun.i: m for m in matches.values() if m.noun is not None}
        for i in [
            i
            for i, m in matches.items()
            if m.trigger.dep_ == "acl"
            and m.trigger.tag_ == "VBG"
            and (restated := by_noun.get(m.trigger.head.i)) is not None
            and restated is not m
            and restated.code[:2] == m.code[:2]
        ]:
            del matches[i]
        # "urged the authorities to respect the right": the content of an appeal is no event
        asking = {
            m.noun.i for m in matches.values() if m.noun is not None and m.code[:2] in {"02", "10", "13"}
        }
        for i in [
            i
            for i, m in matches.items()
            if _requested(matches, m.trigger)
            or (m.trigger.dep_ == "acl" and m.trigger.head.i in asking)
            or _purpose_of_request(matches, m.trigger, self.res.nouns)
            or self._asked_by_noun(m.trigger)
        ]:
            del matches[i]  # ... and of an ultimatum ("gave Peru an ultimatum to close the camps")
        # "will withdraw its troops unless the rebels disarm": the condition is what the
        # speaker demands of the other side, not an act of theirs
        conditional = self.tables["conditional_threats"]
        marks, negated_marks = conditional["marks"], conditional["negated_marks"]
        for i in [i for i, m in matches.items() if _condition(m.trigger, marks, negated_marks)]:
            del matches[i]
        # "it should not be dismissed": an obligation (appeals are coded on the speech verb);
        # beliefs, questions, claims and the like are the gates' (gates.py)
        for i in [i for i, m in matches.items() if self._deontic(m)]:
            del matches[i]
        return matches

    def _repeats(self, doc: Doc, matches: dict[int, Match]) -> None:
        """ "workers at ANZ will follow suit", "did the same": the act told just before, again,
        by the idiom's subject."""
        pairs = self.tables["repeat_idioms"]["pairs"]
        for tok in doc:
            if tok.pos_ != "VERB" or tok.i in matches:
                continue
            lemma = tok.lemma_.lower()
            if not any(
                f"{lemma} {c.lemma_.lower()}" in pairs for c in tok.children if c.dep_ in {"dobj", "advmod"}
            ):
                continue
            before = max((i for i in matches if i < tok.i), default=None)
            if before is not None and _sentence_breaks(doc, before, tok.i) <= 1:
                matches[tok.i] = Match(tok, matches[before].code, None, None, True)

    def _asked_by_noun(self, verb: Token) -> bool:
        """ "continuing calls for Dr X to resign", "demands that he quit": the act an appeal or
        demand noun asks for, even when nobody named makes it, has not happened."""
        noun = verb.head
        return (
            verb.dep_ in {"acl", "advcl", "ccomp", "relcl"}
            and noun.i != verb.i
            and noun.pos_ == "NOUN"
            and self.res.reaction_roots.get(noun.lemma_.lower()) in {"02", "10"}
            and any(
                (c.dep_ == "aux" and c.lower_ == "to") or (c.dep_ == "mark" and c.lower_ in {"for", "that"})
                for c in verb.children
            )
        )

    def _refusals(self, matches: dict[int, Match]) -> None:
        """A refusal is one event (GUIDE.md, "Negation and refusals"): "refused to meet" and
        "declined to comment" fold into the head (125, 011); "would not support" (a negated
        future cooperative act) is a rejection (120), not a negated act; "failed to reach an
        agreement" is a halt of negotiations (164, ``failed_negotiations``)."""
        res = self.res
        failed = self.tables["failed_negotiations"]
        for match in list(matches.values()):
            trig = match.trigger
            head = trig.head
            if (
                trig.dep_ == "xcomp"
                and head.lemma_.lower() in failed["heads"]
                and match.code[:2] in failed["roots"]
            ):
                match.code = failed["code"]
                match.refusal = True  # one event, not a negated agreement
                match.specific = True
                matches.pop(head.i, None)
            elif trig.dep_ == "xcomp" and head.lemma_.lower() in res.refusal_heads:
                match.code = res.refusal_by_root.get(match.code[:2], "120")
                match.refusal = True
                match.specific = True
                matches.pop(head.i, None)
            elif (
                match.code[:2] in res.would_not_roots
                and any(c.dep_ == "neg" for c in trig.children)
                and any(c.dep_ == "aux" and c.lower_ in {"would", "will", "wo"} for c in trig.children)
            ):
                match.code = res.refusal_by_root.get(match.code[:2], "120")
                match.refusal = True
                match.specific = True

    def _conditional_threats(self, matches: dict[int, Match]) -> None:
        """ "will withdraw its troops unless the rebels agree": a future act held over someone
        is a threat, coded by the act (PETRARCH's combined threat codes)."""
        conditional = self.tables["conditional_threats"]
        marks, negated_marks = conditional["marks"], conditional["negated_marks"]
        for match in matches.values():
            trig = match.trigger
            if (
                match.code[:2] in {"12", "13"}
                or match.refusal
                or any(c.dep_ == "neg" for c in trig.children)
                or not any(c.dep_ == "aux" and c.lower_ in self.res.intent_aux for c in trig.children)
            ):
                continue
            if any(_conditional_clause(c, marks, negated_marks) for c in trig.children):
                match.code = self.threats.code(match.code) or self.threats.generic
                match.specific = True

    def _announced(self, matches: dict[int, Match]) -> None:
        """ "will expel the envoys", "would extend the curfew": a restriction or a coercive act
        (``announced_threats`` roots) that its own actor says is to come is a threat, coded by
        the act (PETRARCH's combined threat codes: 1323, 136). Not a passive ("would be
        indicted": nobody announces his own act), a negated act or a refusal; force and posture
        keep their code ("would deploy troops" is the deployment, future)."""
        table = self.tables["announced_threats"]
        for match in matches.values():
            trig = match.trigger
            if (
                match.refusal
                or match.speech
                or not (match.code[:2] in table["roots"] or match.code in table["codes"])
            ):
                continue
            if any(c.dep_ in {"neg", "auxpass"} for c in trig.children):
                continue
            if any(c.dep_ == "aux" and c.lower_ in table["aux"] for c in trig.children):
                match.code = self.threats.code(match.code) or self.threats.generic
                match.specific = True

    def _threat_clauses(self, matches: dict[int, Match]) -> None:
        """ "warned that it would attack X": a threat head's that-clause naming a future act of
        force or coercion is one threat, on the head, coded by the act (``threat_clauses``);
        aimed at the head's object, else the act's."""
        aux = self.tables["threat_clauses"]["aux"]
        conditional = self.tables["conditional_threats"]
        marks, negated_marks = conditional["marks"], conditional["negated_marks"]
        for i, match in list(matches.items()):
            trig, head = match.trigger, match.trigger.head
            threat = matches.get(head.i)
            lemma = head.lemma_.lower()
            if (
                trig.dep_ != "ccomp"
                or threat is None
                or threat is match
                or lemma not in self.res.threat_heads
                or match.refusal
                or any(c.dep_ in {"neg", "auxpass"} for c in trig.children)
                or not (
                    match.code[:2] == "13"  # already a threat ("could push for X if they do not")
                    or any(c.dep_ == "aux" and c.lower_ in aux for c in trig.children)
                )
            ):
                continue
            code = match.code if match.code[:2] == "13" else self.intent_code(match.code, lemma)
            if code[:2] != "13":
                continue
            threat.code, threat.specific = code, True
            if threat.target is None and not any(c.dep_ in {"dobj", "dative"} for c in head.children):
                # the act's object, else whoever the condition asks to act ("... if Iran does not")
                threat.target = next((c for c in trig.children if c.dep_ == "dobj"), None) or next(
                    (
                        subject
                        for c in trig.children
                        if _conditional_clause(c, marks, negated_marks)
                        for subject in c.children
                        if subject.dep_ == "nsubj"
                    ),
                    None,
                )
            del matches[i]

    def _deontic(self, match: Match) -> bool:
        if match.target is not None:
            return False  # the appeal itself
        return any(c.dep_ == "aux" and c.lower_ in self.res.deontic_aux for c in match.trigger.children)

    def act_code(self, verb: Token) -> str | None:
        """The code of an act a head names: the trigger lexicon, else PETRARCH's most specific
        pattern of the verb, else its default."""
        lemma = verb.lemma_.lower()
        ctx = self.patterns.context(verb) if lemma in self.res.petrarch.verbs else None
        match = self._match(verb, ctx)
        if match is not None:
            return match.code
        if ctx is None:
            return None
        pattern = self.act_patterns.best(verb, ctx)
        if pattern is not None and pattern.code:
            return pattern.code
        return next((e.code for e in self.act_patterns.entries(verb, ctx) if e.code), None)

    def lemma(self, tok: Token) -> str:
        lemma = tok.lemma_.lower()
        repaired = self.lemma_repairs.get(lemma)
        if repaired is None or tok.lower_.startswith(lemma + lemma[-1:]):
            return lemma  # "rapped" is "rap"'s own form, "raped" the lemmatizer's slip
        return repaired

    def noun_code(self, noun: Token, *, as_object: bool = False) -> str | None:
        """The code of an event noun, its modifier or "of" phrase first ("hunger strike" 142,
        "martial law" 1724, "state of emergency" 1724). ``as_object``: a light verb's object,
        where nouns that are events only with their own actor do not count ("raised the
        killing")."""
        nouns = self.res.nouns
        lemma = noun.lemma_.lower()
        containers = self.tables["container_nouns"]["nouns"]
        for child in noun.children:
            if child.dep_ in {"compound", "amod"}:
                code = nouns.get(f"{child.lemma_.lower()} {lemma}") or nouns.get(f"{child.lower_} {lemma}")
                if code is None and lemma in containers and child.dep_ == "compound":
                    code = nouns.get(child.lemma_.lower())  # "a mediation mission", "mediation efforts"
                if code is None and child.dep_ == "compound":
                    code = _kind_of_violence(nouns.get(lemma), nouns.get(child.lemma_.lower()))
            elif child.dep_ == "prep":  # "state of emergency", "a ban on travel"
                code = next(
                    (
                        nouns[key]
                        for c in child.children
                        if c.dep_ == "pobj" and (key := f"{lemma} {child.lower_} {c.lemma_.lower()}") in nouns
                    ),
                    None,
                )
                if code is None and lemma in nouns:
                    code = self._phrasal_noun_code(noun, child)
            else:
                continue
            if code is not None:
                return code
        if as_object and lemma in self.res.nominal_only_nouns:
            return None
        return nouns.get(lemma)

    def _phrasal_noun_code(self, noun: Token, prep: Token) -> str | None:
        """ "a call for calm": the noun of a phrasal verb with its preposition is that verb's
        act ("call for" an appeal, not a telephone call; "a call on Tuesday" is one)."""
        if _when(prep):
            return None
        return self.res.phrasal.get(f"{noun.lemma_.lower()} {prep.lower_}") or None

    def _light_code(self, verb: str, obj: Token, *, executes: bool = False) -> str | None:
        """A light verb's code from its object: the pair's own code ("lodged a protest" 140,
        "issued a statement" 010), the verb's object table ("declared a curfew"), the event
        noun, else the noun of its "of" phrase ("a barrage of rockets"). ``executes``: a verb
        of carrying out, whose object is the act whatever it is ("carried out a massacre")."""
        res = self.res
        lemma = obj.lemma_.lower()
        code = res.light_overrides.get(f"{verb} {lemma}")
        if code is not None:
            return code
        entry = res.verbs.get(verb)
        if entry is not None and lemma in entry.objects:
            return entry.objects[lemma]
        code = self.noun_code(obj, as_object=not executes)
        if code is not None:
            return code
        inner = next(
            (
                c
                for p in obj.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for c in p.children
                if c.dep_ == "pobj"
            ),
            None,
        )
        return self.noun_code(inner) if inner is not None else None

    def _allied(self, verb: Token, lemma: str) -> bool:
        """ "fought alongside Taliban forces", "fighting for the Taliban": on someone's side."""
        allied = self.tables["allied_preps"]
        if lemma not in allied["verbs"] or any(c.dep_ == "dobj" for c in verb.children):
            return False
        for prep in (c for c in verb.children if c.dep_ == "prep"):
            if prep.lower_ in allied["preps"]:
                return True
            if prep.lower_ == "for" and any(
                c.dep_ == "pobj"
                and (
                    c.ent_type_ in allied["for_entities"]
                    or any(
                        m.ent_type_ in allied["for_entities"]
                        for m in c.children
                        if m.dep_ in {"compound", "amod"}
                    )
                )
                for c in prep.children
            ):
                return True
        return False

    def _stative_belief(self, verb: Token, lemma: str) -> bool:
        """ "officers were convinced (that) ...": a passive cognition verb without its agent is
        a state of mind, not someone persuading."""
        return (
            lemma in self.res.cognition_heads
            and any(c.dep_ == "auxpass" for c in verb.children)
            and not any(c.dep_ == "agent" for c in verb.children)
        )

    def intent_code(self, code: str, head: str) -> str:
        res = self.res
        ready = self.tables["readiness_for_force"]
        if head in ready["heads"] and (code in ready["codes"] or code[:2] in ready["roots"]):
            return str(ready["code"])  # "is ready to use force": a military alert (152)
        if head in res.threat_heads:
            threat = self.threats.code(code)
            if threat is not None:
                return threat
            if head in self.threats.only_heads:
                return self.threats.generic
        if code in res.intent_keep:
            return code
        intent = res.intent_by_code.get(code) or res.intent_by_root.get(code[:2], code)
        if intent[:2] == "13":
            # an intent to act against someone is a threat: its leaf ("agreed to impose
            # sanctions" 1312)
            return self.threats.code(code) or intent
        return intent

    def _match(self, tok: Token, ctx: VerbContext | None) -> Match | None:
        res = self.res
        lemma = self.lemma(tok)
        if self._allied(tok, lemma) or self._stative_belief(tok, lemma):
            return None
        wanted = self._desired_of_another(tok, lemma)
        if wanted is not None:
            return wanted
        pressed = self._pressed(tok, lemma)
        if pressed is not None:
            return pressed
        role = self._role_as(tok)
        if role is not None:
            return Match(tok, role, None, None, True)  # "held the villagers as human shields"
        # Phrasal verbs: "call on", "crack down", "turn down"; "called for X to do Y"
        light_phrasal = False
        for child in tok.children:
            particle = child if child.dep_ in {"prt", "prep"} else _clause_mark(child)
            if particle is None or (
                child.dep_ == "prep"
                and any(c.dep_ == "pobj" for c in child.children)
                and any(c.dep_ == "dobj" for c in tok.children)
            ):
                # "fired tear gas at protesters": the object decides, not "fire at"; a
                # preposition without its object is a particle ("called on X to resign")
                continue
            if child.dep_ == "prep" and any(c.dep_ == "ccomp" for c in tok.children):
                continue  # "conceded to reporters that ...": whom a statement is made to
            phrasal = f"{lemma} {particle.lower_}"
            code = res.phrasal.get(phrasal)
            if code == "":
                return None  # listed as no event: "the shuttle blasted off"
            if code and phrasal in res.light_phrasal:
                light_phrasal = True  # "carried out the bombings": the noun decides
            elif code:
                prep = child if child.dep_ == "prep" else None
                return Match(tok, code, None, prep, True)
        objects = self._objects(tok)
        eased = self._eased(tok, lemma)
        if eased is not None:
            return eased
        if lemma in res.light_verbs or light_phrasal:
            for obj in objects:
                if obj.dep_ not in {"dobj", "nsubjpass"} or obj.head.i != tok.i:
                    # "held talks", "an inquiry was opened"; not the object of a clause it
                    # reports ("said she will extend the curfew": extend's)
                    continue
                code = self._light_code(lemma, obj, executes=light_phrasal)
                if not code and (split := self._hyphenated_noun(obj)) is not None:
                    code, first = split
                    obj = obj.doc[first.i + 2]  # the event noun ends where its spelling does
                if code == "010" and any(c.dep_ == "det" and c.lower_ == "no" for c in obj.children):
                    code = "011"  # "made no comment": declined to comment
                if code:
                    if code == "150" and any(c.lower_ in res.joint_modifiers for c in obj.children):
                        code = res.joint_code
                    if lemma in res.intent_heads:  # "seek consultations": an intent (036)
                        code = self.intent_code(code, lemma)
                    return Match(tok, code, obj, None, True)
            misread = self._compound_read_as_clause(tok)
            if misread is not None:
                return misread
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "under"):
                # "placed him under house arrest": the state its object is put in is the act
                for state in (c for c in prep.children if c.dep_ == "pobj"):
                    code = self.noun_code(state, as_object=True)
                    if code:
                        return Match(tok, code, state, None, True)
        act = self._prepositional_act(tok, lemma)
        if act is not None:
            return act
        if light_phrasal:
            particle_word = next(
                p.lower_
                for c in tok.children
                if (p := c if c.dep_ in {"prt", "prep"} else _clause_mark(c))
                and f"{lemma} {p.lower_}" in res.light_phrasal
            )
            return Match(tok, res.phrasal[f"{lemma} {particle_word}"], None, None, True)
        entry = res.verbs.get(lemma)
        if entry is None:
            pattern = self.patterns.best(tok, ctx) if ctx is not None else None
            if pattern is None or pattern.specificity < MIN_PATTERN_SPECIFICITY or not pattern.code:
                return None
            return Match(tok, pattern.code, None, None, True, from_pattern=True)
        if entry.intent_only:
            return self._intended(tok, entry.code, ctx)
        peacekeepers = self._peacekeepers_arrive(tok, lemma)
        if peacekeepers is not None:
            # (a force deployed is an event where it goes, whether or not a host is named)
            return Match(tok, peacekeepers, None, None, True)
        if entry.negated_only and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children):
            return None  # "it is not to say that ...": nobody is silent
        if entry.negated_only and not self.attributes.negated(tok):
            code = next(
                (entry.objects[o.lemma_.lower()] for o in objects if o.lemma_.lower() in entry.objects), None
            )
            if code is not None:
                return Match(tok, code, None, None, True)  # "will respond to the allegations" 010
            if entry.future_code and any(
                c.dep_ == "aux" and c.lower_ in self.res.intent_aux for c in tok.children
            ):  # "would respond" is a threat; "work with Tokyo to respond" is not
                return Match(tok, entry.future_code, None, None, True)
            return None
        if entry.blocked_objects and any(o.lemma_.lower() in entry.blocked_objects for o in objects):
            return None
        for obj in objects:
            code = next(  # "offered military support" (0332) before "support" (032)
                (
                    entry.objects[key]
                    for m in obj.children
                    if m.dep_ in {"compound", "amod"}
                    and (key := f"{m.lemma_.lower()} {obj.lemma_.lower()}") in entry.objects
                ),
                None,
            ) or entry.objects.get(obj.lemma_.lower())
            if not code and obj.ent_type_ == "MONEY" and obj.dep_ in {"dobj", "nsubjpass"}:
                code = entry.objects.get("@MONEY")  # "provide $750 million in budget support"
            if code:
                return Match(tok, code, None, None, True, requires_target=entry.requires_target)
        for prep in (c for c in tok.children if c.dep_ == "prep"):
            # "went to Indonesia": a destination the entity tagger knows as a place
            code = next(
                (
                    entry.objects[key]
                    for c in prep.children
                    if c.dep_ == "pobj" and (key := f"{prep.lower_} @{c.ent_type_}") in entry.objects
                ),
                None,
            )
            if code:
                return Match(tok, code, None, prep, True, requires_target=entry.requires_target)
        direct = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
        if entry.subject_agents and not direct:
            subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            agent = self.agent_code(subject) if subject is not None else None
            if agent is None and subject is not None:
                # "Hundreds of troops withdrew": a quantity's "of" phrase names who acted
                agent = next(
                    (
                        code
                        for p in subject.children
                        if p.dep_ == "prep" and p.lower_ == "of"
                        for o in p.children
                        if o.dep_ == "pobj" and (code := self.agent_code(o)) is not None
                    ),
                    None,
                )
            if agent is not None and agent[:3] in entry.subject_agents:
                return Match(tok, entry.subject_agents[agent[:3]], None, None, True)  # "workers struck"
        if "@PERSON" in entry.objects and any(
            o.ent_type_ == "PERSON" or (o.pos_ == "NOUN" and self.agent_code(o) is not None) for o in direct
        ):
            # "Hicks is being held"; a role PETRARCH lists as an agent names a person too
            # ("released the mayor of X", "freed the governor")
            return Match(tok, entry.objects["@PERSON"], None, None, True)
        if "@ACTOR" in entry.objects and any(self._actor_object(counted_group(o)) for o in direct):
            # "hosted the Kenyan president", "hosted Indonesia", "hosted them": a guest, where
            # "hosting the files" hosts a thing; "abused dozens of detainees": the people counted
            return Match(tok, entry.objects["@ACTOR"], None, None, True)
        if "@CLAUSE" in entry.objects and any(c.dep_ == "ccomp" for c in tok.children):
            return Match(tok, entry.objects["@CLAUSE"], None, None, True)  # "charged that ..."
        if "@STATEMENT" in entry.objects and any(self._statement(c) for c in tok.children):
            # "agreed that the situation was grave": accord on a fact, no intent to act
            return Match(tok, entry.objects["@STATEMENT"], None, None, True)
        if direct and entry.only_listed_objects:
            return None  # "quit smoking", "received five months in jail"
        if direct and "*" in entry.objects:
            return Match(tok, entry.objects["*"], None, None, True)  # "struck the town" vs "staff struck"
        beyond = self._pattern_beyond_default(tok, ctx)
        if beyond == "":
            return None  # "killed in a training accident": PETRARCH's use that is no event
        if beyond is not None:
            return Match(
                tok, beyond, None, None, True, requires_target=entry.requires_target, from_pattern=True
            )
        if entry.requires_object:
            return None
        return Match(tok, entry.code, None, None, False, requires_target=entry.requires_target)

    def _intended(self, verb: Token, code: str, ctx: VerbContext | None) -> Match | None:
        """A verb coded only as an intention (``intent_only``: "help", "assist"): the act an
        intent head names ("offered to help", folded into the head's intent), or with a
        promissory modal the intent to do it ("would assist them": 03 of its PETRARCH2 code,
        a pattern's first). Otherwise no event ("helped make it better", "could help")."""
        pattern = self.patterns.best(verb, ctx) if ctx is not None else None
        if pattern is not None and pattern.code:
            code = pattern.code
        heads = self.res.intent_code_heads | self.res.threat_heads
        if _infinitive_of(verb) and _verb_of_participle(verb.head, heads) in heads:
            return Match(verb, code, None, None, True)
        if any(c.dep_ == "aux" and c.lower_ in self.res.promissory_aux for c in verb.children):
            return Match(verb, self.intent_code(code, verb.lemma_.lower()), None, None, True)
        return None

    def _compound_read_as_clause(self, verb: Token) -> Match | None:
        """ "announced asset freezes against X": a compound event noun whose plural the tagger
        reads as a present-tense verb, its first noun as the verb's subject ("asset" nsubj of
        "freezes", a clause of "announced"). Only a bare noun right before a verb that has no
        complementiser, whose two lemmas are a listed compound."""
        for clause in (c for c in verb.children if c.dep_ == "ccomp" and c.tag_ == "VBZ"):
            if any(c.dep_ in {"mark", "aux", "neg", "dobj"} for c in clause.children):
                continue
            first = next((c for c in clause.children if c.dep_ == "nsubj" and c.i == clause.i - 1), None)
            if first is None or first.pos_ != "NOUN" or any(c.dep_ == "det" for c in first.children):
                continue
            code = self.res.nouns.get(f"{first.lemma_.lower()} {clause.lemma_.lower()}")
            if code:
                return Match(verb, code, clause, None, True)
        return None

    def _desired_of_another(self, verb: Token, lemma: str) -> Match | None:
        """ "Israel wants Germany to pay": what one party wants another to do is an appeal to
        that party (the act itself has not happened)."""
        table = self.tables["desire_appeals"]
        if lemma not in table["heads"]:
            return None
        for clause in (c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}):
            if not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
                continue
            subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return Match(verb, table["code"], None, None, True, target=subject)
        return None

    def _eased(self, verb: Token, lemma: str) -> Match | None:
        """ "called off the strike" (082), "halted its offensive" (087): stopping an act of
        dissent, force or restriction is yielding, coded by the act stopped."""
        table = self.tables["cessation"]
        forms = {lemma, *(f"{lemma} {c.lower_}" for c in verb.children if c.dep_ == "prt")}
        if not forms & set(table["verbs"]):
            return None
        for obj in (c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}):
            ended = self.noun_code(obj)
            if ended is None:
                continue
            code = table["by_code"].get(ended) or table["by_root"].get(ended[:2])
            if code is not None:
                return Match(verb, code, obj, None, True)
        return None

    def _means(self, match: Match) -> str | None:
        """ "injured three guards in a bomb attack" (183), "killed in an air strike" (195): the
        attack an act of violence was done in or with names its kind."""
        if match.noun is not None or match.code[:2] not in VIOLENCE_ROOTS:
            return None
        for prep in (c for c in match.trigger.children if c.dep_ == "prep" and c.lower_ in MEANS_PREPS):
            for noun in (c for c in prep.children if c.dep_ == "pobj"):
                code = _kind_of_violence(match.code, self.noun_code(noun))
                if code is not None:
                    return code
        return None

    def _pressed(self, verb: Token, lemma: str) -> Match | None:
        """ "pressed Chile for the release of X" (1053), "pressed Chile to withdraw", "pushed for
        Chile to withdraw" (1056): pressing for something is a demand of it
        (``pressing_demands``), coded by the demand verb's objects."""
        table = self.tables["pressing_demands"]
        if lemma not in table["verbs"]:
            return None
        objects = self.res.verbs[table["like"]].objects
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "for":
                for noun in (c for c in child.children if c.dep_ == "pobj"):
                    return Match(verb, objects.get(noun.lemma_.lower(), "100"), None, None, True)
            to = any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
            if not to or child.pos_ not in {"VERB", "AUX"}:
                continue
            code = objects.get(child.lemma_.lower(), "100")
            if child.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in verb.children):
                return Match(verb, code, None, None, True)  # "pressed Chile to withdraw"
            subject = next((c for c in child.children if c.dep_ == "nsubj"), None)
            if _clause_mark(child) is not None and subject is not None:
                return Match(verb, code, None, None, True, target=subject)  # "pushed for Chile to"
        return None

    def _role_as(self, verb: Token) -> str | None:
        """The act an "as" phrase makes of the verb's object ("held them as human shields": 184,
        ``role_as``), whatever the verb."""
        codes = self.tables["role_as"]["codes"]
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
            for noun in (c for c in prep.children if c.dep_ == "pobj"):
                code = self.noun_code(noun)
                if code in codes:
                    return code
        return None

    def _manner(self, match: Match) -> str | None:
        """ "sexually abused", "sexually assaulted" (1821): an adverb of manner that names the
        kind of assault (``manner_codes``) on a verb of violence."""
        table = self.tables["manner_codes"]
        if match.noun is not None or match.code[:2] not in table["roots"]:
            return None
        return next(
            (
                table["adverbs"][c.lower_]
                for c in match.trigger.children
                if c.dep_ == "advmod" and c.lower_ in table["adverbs"]
            ),
            None,
        )

    def _peacekeepers_arrive(self, verb: Token, lemma: str) -> str | None:
        """ "UN peacekeepers arrived in X", "the first peacekeeping troops have arrived": a
        peacekeeping force (PETRARCH's &PKO synset, head or modifier of the subject) that comes
        to a place is peacekeeping provided (``peacekeeping_arrivals``), not a visit."""
        table = self.tables["peacekeeping_arrivals"]
        if lemma not in table["verbs"]:
            return None
        words = self.res.petrarch.words_of(table["synset"])
        for subject in (c for c in verb.children if c.dep_ == "nsubj"):
            # "the first deployment of peacekeeping troops": the troops of a quantity or a unit
            heads = [
                subject,
                *(
                    o
                    for p in subject.children
                    if p.dep_ == "prep" and p.lower_ == "of"
                    for o in p.children
                    if o.dep_ == "pobj"
                ),
            ]
            for head in heads:
                for tok in (head, *(c for c in head.children if c.dep_ in {"compound", "amod"})):
                    if tok.lower_ in words or tok.lemma_.lower() in words:
                        return str(table["code"])
        return None

    def _statement(self, clause: Token) -> bool:
        """A complement clause that states a fact: a copula or "there is", with no modal or
        future auxiliary ("that the situation was grave"; not "that they should cooperate")."""
        return (
            clause.dep_ == "ccomp"
            and clause.lemma_.lower() == "be"
            and not any(c.dep_ == "aux" and c.lower_ in self.res.intent_aux for c in clause.children)
            and not any(c.dep_ in {"xcomp", "ccomp"} for c in clause.children)
        )

    def _assassination(self, match: Match) -> bool:
        """ "gunmen killed the provincial governor", "the head of the party was murdered": a
        killing (PETRARCH's KILL block) of an office holder (``triggers.json`` ``assassination``)."""
        table = self.tables["assassination"]
        trig = match.trigger
        if match.code != "190" or match.noun is not None:
            return False
        if not any(e.block == table["block"] for e in self.res.petrarch.verbs.get(trig.lemma_.lower(), ())):
            return False
        for victim in (c for c in trig.children if c.dep_ in {"dobj", "nsubjpass"}):
            for tok in (victim, *(c for c in victim.children if c.dep_ == "compound")):
                code = self.agent_code(tok)
                if code is not None and code.lstrip("~")[:3] in table["agent_codes"]:
                    return True  # "the governor", "Minister X"
            if victim.lemma_.lower() in self.res.role_heads and any(
                c.dep_ == "prep" and c.lower_ == "of" for c in victim.children
            ):
                return True  # "the head of the army", "the deputy chief of the militia"
        return False

    def _prepositional_act(self, verb: Token, lemma: str) -> Match | None:
        """ "engaged in ethnic cleansing", "took part in the invasion": the event noun the
        preposition governs is the act, whatever it is (like the object of "carry out")."""
        heads = [lemma, *(f"{lemma} {c.lower_}" for c in verb.children if c.dep_ == "dobj")]
        for prep in (c for c in verb.children if c.dep_ == "prep"):
            if not any(f"{head} {prep.lower_}" in self.res.prepositional_light for head in heads):
                continue
            for noun in (c for c in prep.children if c.dep_ == "pobj"):
                code = self._light_code(lemma, noun, executes=True)
                if code:
                    return Match(verb, code, noun, None, True)
        return None

    def _pattern_beyond_default(self, verb: Token, ctx: VerbContext | None) -> str | None:
        """The code of a PETRARCH pattern of at least two words for a curated verb none of whose
        own objects matched ("will meet in London for talks" 036, "indicted for atrocities"
        1121): the curated default is only the bare verb's. Not for a passive without its agent,
        whose pattern would read the victims as the source ("were killed in riots"); an intent
        (03) only for a verb in the future ("met for talks" happened: a meeting). "" when the
        pattern says this use is no event ("killed in a training accident")."""
        if ctx is None:
            return None
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        if passive and not any(c.dep_ == "agent" for c in verb.children):
            return None
        pattern = self.patterns.best(verb, ctx)
        if pattern is None or pattern.specificity < MIN_PATTERN_SPECIFICITY:
            return None
        if pattern.code[:2] == "03" and not any(
            c.dep_ == "aux" and c.lower_ in self.res.intent_aux for c in verb.children
        ):
            return None
        return pattern.code

    def _match_nominal(self, tok: Token) -> Match | None:
        """An event noun is an event when its phrase names the actor: "Talks between Kenya and
        the IMF" (both, mutual), "the United States invasion", "inquiries by ASIC", "the
        resignation of the president", "the warning from the minister"."""
        res = self.res
        state = self._state(tok)
        if state is not None:
            return state
        if _gerund_subject(tok):
            lemma = tok.lower_  # "fighting", the noun the gerund is
            code = res.nouns.get(lemma)
        elif tok.pos_ in {"NOUN", "PROPN"}:
            lemma = tok.lemma_.lower()
            code = self.noun_code(tok)
        else:
            return None
        if code is None or code[:2] == "05":
            return None  # "the 2013 extradition treaty between ...": a document, not an act
        # "fighting broke out between A and B": the sides of an event noun that is the
        # subject of a verb of happening hang on that verb
        holders = [tok] + ([tok.head] if tok.dep_ == "nsubj" and tok.head.pos_ == "VERB" else [])
        between = next(
            (
                c
                for holder in holders
                for c in holder.children
                if c.dep_ == "prep" and c.lower_ == "between" and any(g.dep_ == "pobj" for g in c.children)
            ),
            None,
        )
        if code == "150" and any(c.lower_ in res.joint_modifiers for c in tok.children):
            code = res.joint_code
        if code[:2] == "04" and self._failed(tok):
            code = self.tables["failed_negotiations"]["code"]  # "the talks collapsed" (164)
        if between is not None:
            return Match(tok, code, tok, None, True, between=between)
        # (a phrasal use names its act unambiguously: "Kenya's calls for calm")
        ambiguous = lemma in res.light_verb_only_nouns and not any(
            self._phrasal_noun_code(tok, c) for c in tok.children if c.dep_ == "prep"
        )
        agent = None if ambiguous else self._nominal_agent(tok, lemma)
        if agent is None:
            return None  # "a drone strike" / "a bank strike": too ambiguous without a verb
        return Match(tok, code, tok, None, True, agent=agent)

    def _state(self, noun: Token) -> Match | None:
        """ "troops remained on high alert", "put the police on alert": a state named by a
        preposition and noun (``state_phrases``) is the act of the verb it hangs on (152; 151
        for the police, by the PETRARCH agent code of the verb's object or subject)."""
        table = self.tables["state_phrases"]
        prep = noun.head
        if noun.dep_ != "pobj" or prep.dep_ != "prep":
            return None
        code = table["phrases"].get(f"{prep.lower_} {noun.lemma_.lower()}")
        verb = prep.head
        if code is None or verb.pos_ not in {"VERB", "AUX"}:
            return None
        for party in sorted(
            (c for c in verb.children if c.dep_ in {"dobj", "nsubj", "nsubjpass"}),
            key=lambda c: c.dep_ != "dobj",
        ):
            agent = self.agent_code(party)
            if agent is not None and agent.lstrip("~")[:3] in table["agent_codes"]:
                code = table["agent_codes"][agent.lstrip("~")[:3]]
            break  # the object put on alert, else the subject that is
        return Match(verb, code, noun, None, True)

    def _failed(self, noun: Token) -> bool:
        """ "the talks collapsed", "negotiations broke down": the subject of a verb of failing."""
        verb = noun.head
        if noun.dep_ != "nsubj" or verb.pos_ != "VERB":
            return False
        lemma = verb.lemma_.lower()
        forms = {lemma, *(f"{lemma} {c.lower_}" for c in verb.children if c.dep_ == "prt")}
        return bool(forms & set(self.tables["failed_negotiations"]["verbs"]))

    def _nominal_agent(self, noun: Token, lemma: str) -> Token | None:
        res = self.res
        convicted = self._convicted(noun)
        if convicted is not None:
            return convicted
        for child in noun.children:
            # a speech noun's owner is its speaker, a singular pronoun too ("his calls for
            # reform"); plural "their" is left out, plural pronouns resolving least reliably
            if child.dep_ == "poss" and (
                child.lower_ not in {"its", "their", "his", "her", "our", "my", "your"}
                or (lemma in res.from_actor_nouns and child.lower_ in {"his", "her", "its"})
            ):
                return child
            if child.dep_ in {"compound", "amod"} and child.ent_type_ in {"GPE", "NORP", "ORG", "PERSON"}:
                return child
            if child.dep_ in {"prep", "agent"}:
                word = child.lower_
                if (
                    word == "by"
                    or (word == "from" and lemma in res.from_actor_nouns)
                    or (word == "of" and lemma in res.of_actor_nouns)
                ):
                    return next((c for c in child.children if c.dep_ == "pobj"), None)
        verb = noun.head
        if noun.dep_ == "nsubj" and lemma in res.from_actor_nouns and verb.lemma_.lower() in COMING_VERBS:
            # "Requests came from X", "the warning has come from the minister": the source of
            # a speech noun is the "from" phrase of the verb it is the subject of
            return next(
                (
                    o
                    for p in verb.children
                    if p.dep_ == "prep" and p.lower_ == "from"
                    for o in p.children
                    if o.dep_ == "pobj"
                ),
                None,
            )
        return None

    def _convicted(self, noun: Token) -> Token | None:
        """Who committed the crime a verdict or penalty names: "was sentenced to life
        imprisonment for the murder of X", "found guilty of the abduction of X" (the judged
        person, passive subject or object of the judging verb)."""
        table = self.tables["nominal_events"]["convicted_for"]
        crime = noun
        while crime.dep_ == "conj" and crime.head.i != crime.i:
            crime = crime.head  # "the abduction and murder of X": both crimes
        prep = crime.head
        if crime.dep_ != "pobj" or prep.dep_ != "prep":
            return None
        head = prep.head
        if head.pos_ == "ADJ" and head.lemma_.lower() in table["adjectives"] and prep.lower_ in {"of", "for"}:
            own = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if own is not None:
                return own  # "found Ali guilty of"
            verb = head.head  # "Ali was found guilty of"
        elif prep.lower_ == "for":
            # "sentenced for X", "sentenced to life imprisonment for X": the penalty's reason
            verb = head.head.head if head.pos_ == "NOUN" and head.head.dep_ == "prep" else head
            if verb.lemma_.lower() not in table["verbs"]:
                return None
        else:
            return None
        if verb.pos_ not in {"VERB", "AUX"}:
            return None
        # a copula's subject is the one judged ("Hamas was guilty of"), an active judging
        # verb's is the judge ("the court found him guilty")
        judged = {"nsubjpass", "dobj", "nsubj"} if verb.lemma_.lower() == "be" else {"nsubjpass", "dobj"}
        return next((c for c in verb.children if c.dep_ in judged), None)

    def _hyphenated_noun(self, obj: Token) -> tuple[str, Token] | None:
        """An event noun the tokenizer split at its hyphen and the parser spread over the
        object's phrase ("held a sit-in outside parliament": "sit" a modifier of "parliament",
        or a verb): its code and first word."""
        doc = obj.doc
        for first in obj.subtree:
            if first.i + 2 > obj.i or first.i + 2 >= len(doc):
                break
            hyphen, second = doc[first.i + 1], doc[first.i + 2]
            if hyphen.tag_ != "HYPH":
                continue
            code = self.res.nouns.get(f"{first.lower_}-{second.lower_}")
            if code is not None:
                return code, first
        return None

    def _actor_object(self, obj: Token) -> bool:
        """Does an object name someone who can be a party to an event (a person, organisation
        or state, by name, by a PETRARCH agent noun, or by a personal pronoun)?"""
        if obj.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
            return True
        if obj.pos_ == "PRON":
            return obj.lower_ in {"him", "her", "them", "us", "me", "he", "she", "they", "we"}
        if obj.pos_ == "NOUN" and any(
            c.dep_ in {"amod", "compound", "poss"} and c.ent_type_ in {"NORP", "GPE", "ORG"}
            for c in obj.children
        ):
            return True  # "the Finnish delegation", "Kenya's envoys": a party by its owner
        return obj.pos_ in {"NOUN", "PROPN"} and self.agent_code(obj) is not None

    @staticmethod
    def _objects(tok: Token) -> list[Token]:
        """Object-like words that can specialise the code, nearest first; an object's modifiers
        before the object itself ("sarin gas" is a chemical weapon before it is a gas)."""
        out: list[Token] = []
        for child in tok.children:
            if child.dep_ in {"dobj", "attr", "oprd", "nsubjpass"}:
                out.extend(c for c in child.children if c.dep_ in {"compound", "amod"})
                out.append(child)
                for prep in child.children:  # "a package of sanctions", "100 million euros in aid"
                    if prep.dep_ == "prep" and prep.lower_ in {"of", "in"}:
                        out.extend(c for c in prep.children if c.dep_ == "pobj")
            elif child.dep_ == "prep" and child.lower_ != "from":
                # (what comes "from" someone is the source: "received support from the
                # president" is no visit the president paid)
                out.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ in {"xcomp", "ccomp"} and child.pos_ in {"VERB", "AUX"}:
                out.append(child)
                out.extend(c for c in child.children if c.dep_ == "dobj")
        return out


def answering_subject(trig: Token) -> Token | None:
    """Who answered a request told in a clause of time ("After the White House demanded
    action, the Palestinian Authority declared ..."): the subject of the clause it hangs on."""
    head = trig.head
    if trig.dep_ != "advcl" or head.i == trig.i or head.pos_ not in {"VERB", "AUX"}:
        return None
    if not any(c.dep_ == "mark" and c.lower_ in {"after", "once", "when"} for c in trig.children):
        return None
    return next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


def consequence_subject(noun: Token) -> Token | None:
    """Who bears an inquiry or accusation that a clause says it follows ("X will face court
    following inquiries by ASIC", "the minister resigned after criticism by the opposition"):
    the subject of that clause."""
    link = noun.head  # "after"/"following", a preposition or (as parsed) a participle
    if link.lower_ not in {"after", "following"} or noun.dep_ not in {"pobj", "dobj"}:
        return None
    clause = link.head
    for _ in range(3):  # "charges following inquiries": up from the noun it was hung on
        if clause.pos_ in {"VERB", "AUX"} or clause.head.i == clause.i:
            break
        clause = clause.head
    if clause.pos_ not in {"VERB", "AUX"}:
        return None
    return next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


def _condition(verb: Token, marks: list[str], negated_marks: list[str]) -> bool:
    """Is this verb the condition of another clause ("unless the rebels disarm", "if they do
    not disarm"), itself or as a conjunct of one ("unless they disarm and leave")?"""
    for clause in (verb, verb.head) if verb.dep_ == "conj" else (verb,):
        if _conditional_clause(clause, marks, negated_marks):
            return True
    return False


def _conditional_clause(clause: Token, marks: list[str], negated_marks: list[str]) -> bool:
    """An adverbial clause of condition held over someone: "unless ...", "if ... not"."""
    if clause.dep_ != "advcl":
        return False
    return any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children) or (
        any(c.dep_ == "mark" and c.lower_ in negated_marks for c in clause.children)
        and any(c.dep_ == "neg" for c in clause.children)
    )


def _sentence_breaks(doc: Doc, first: int, second: int) -> int:
    """How many sentence breaks lie between two tokens."""
    return sum(1 for t in doc[first + 1 : second + 1] if t.is_sent_start)


def refers_back(noun: Token) -> bool:
    """An event noun that names an act already told and nothing more ("ordered the arrest"
    after "police tried to place him under house arrest"): definite, with no phrase of its own
    that says whose or on whom."""
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in noun.children) and not any(
        c.dep_ in {"poss", "compound", "prep", "acl", "relcl"} for c in noun.children
    )


def _gerund_subject(tok: Token) -> bool:
    """A gerund the parser took for a verb that is the subject of a clause ("Fighting between
    A and B killed 40"): a noun in all but its tag."""
    return (
        tok.tag_ == "VBG"
        and tok.dep_ in {"nsubj", "nsubjpass", "csubj"}
        and not any(c.dep_ in {"dobj", "nsubj", "aux"} for c in tok.children)
    )


def _requested(matches: dict[int, Match], trig: Token) -> bool:
    """Is this act only what an appeal or demand asks for ("urged X to resign", "demanded
    that X leave")?"""
    if trig.head.i == trig.i:
        return False
    if trig.dep_ not in {"xcomp", "ccomp"} and _clause_mark(trig) is None:
        return False  # ("appealed for X to lift the ban": a "for ... to" clause asks too)
    match = matches.get(trig.head.i)
    if match is None or match.code[:2] not in {"02", "10"}:
        return False
    return trig.dep_ != "ccomp" or not match.speech  # a speech act's clause is its own


def _purpose_of_request(matches: dict[int, Match], trig: Token, nouns: dict[str, str]) -> bool:
    """ "demanded a meeting to discuss X", with the infinitive hung on the asking verb: the
    purpose of the event noun an appeal or demand asks for is part of what is asked, not done
    (on the noun itself it has no actor of its own)."""
    asking = trig.head
    if trig.dep_ != "advcl" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in trig.children):
        return False
    if not any(c.dep_ == "dobj" and c.lemma_.lower() in nouns for c in asking.children):
        return False
    match = matches.get(asking.i)
    return match is not None and match.trigger.i == asking.i and match.code[:2] in {"02", "10"}


def _kind_of_violence(general: str | None, kind: str | None) -> str | None:
    """The kind of an unspecified act of violence ("bomb attack": a bombing, 183, not the
    attack's 190); an act already of a kind keeps it ("killed in a clash" stays 193)."""
    if general is None or kind is None or kind == general or general[1:] != f"{general[1]}0":
        return None
    if general[:2] not in VIOLENCE_ROOTS or kind[:2] not in VIOLENCE_ROOTS:
        return None
    return kind


def _verb_of_participle(word: Token, verbs: frozenset[str]) -> str:
    """The lemma of a word, or for a participle the tagger reads as an adjective ("is
    prepared to lift", "determined to fight") the verb of that participle when it is one of
    ``verbs``: the stance it states is that verb's."""
    lemma = word.lemma_.lower()
    if word.pos_ != "ADJ" or lemma in verbs or not lemma.endswith("ed"):
        return lemma
    stems = [lemma[:-1], lemma[:-2]]  # prepared -> prepare, pledged -> pledge; wanted -> want
    if len(lemma) > 4 and lemma[-3] == lemma[-4]:
        stems.append(lemma[:-3])  # committed -> commit
    return next((stem for stem in stems if stem in verbs), lemma)


def _act_verb(head: Token) -> Token | None:
    """The verb of the act a head names: "threatened to ban", "urged X to resign"."""
    return next((c for c in head.children if _infinitive_of(c) and c.pos_ in {"VERB", "AUX"}), None)


def _infinitive_of_noun(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _infinitive_of(verb: Token) -> bool:
    """Is this verb the infinitive its head governs ("vowed to fight")? The parser sometimes
    attaches it as an adverbial clause ("have vowed to resist until ...")."""
    return verb.dep_ == "xcomp" or (
        verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


def _clause_mark(child: Token) -> Token | None:
    """The "for" of "called for X to do Y": the mark of a clause that hangs on the verb."""
    if child.dep_ not in {"advcl", "xcomp", "ccomp"}:
        return None
    return next((m for m in child.children if m.dep_ == "mark" and m.lower_ == "for"), None)


def _when(prep: Token) -> bool:
    """A preposition phrase that says when ("on Tuesday", "for two hours")."""
    return any(c.dep_ == "pobj" and c.ent_type_ in {"DATE", "TIME"} for c in prep.children)


def _partial_quote(verb: Token, quoted: set[int]) -> bool:
    """A quoted verb whose subject the narrator names outside the quotation (the agency
    "recommended it last year"): the narrator's own report in the speaker's words."""
    return verb.pos_ == "VERB" and any(
        c.dep_ in {"nsubj", "nsubjpass"} and c.i < verb.i and c.i not in quoted and c.pos_ != "PRON"
        for c in verb.children
    )


def quoted_tokens(doc: Doc) -> set[int]:
    """Tokens inside double quotes: a speaker's own words ("it can strike any target") are
    the quotation, not events the article reports."""
    inside: set[int] = set()
    open_at: int | None = None
    for tok in doc:
        if tok.text in {'"', "\u201c", "\u201d"}:
            if open_at is None and tok.text != "\u201d":
                open_at = tok.i
            elif open_at is not None:
                inside.update(range(open_at + 1, tok.i))
                # a quotation that runs on into the next paragraph reopens there without
                # closing ('... tie her up. "What he ...'): spaced before, attached after
                reopens = tok.text == '"' and tok.i > 0 and doc[tok.i - 1].whitespace_ and not tok.whitespace_
                open_at = tok.i if reopens else None
    return inside
