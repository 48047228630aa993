"""Trigger matching: which words are events and their first CAMEO code (verbs by lemma and
object, phrasal verbs, light verbs with an event noun, nominal events, intent heads)."""

from __future__ import annotations

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from services.nlp.events.attributes import Attributes
from services.nlp.events.model import Match
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


class TriggerMatcher:
    """Finds and first-codes the triggers of one article."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res
        self.attributes = Attributes(res)
        self.patterns = VerbPatterns(res.petrarch, MIN_PATTERN_SPECIFICITY)
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
            matcher = lemma_matcher(vocab, {"VERB": verbs, "NOUN": res.nouns, "SPEECH": res.reporting})
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
            if start not in quoted:
                hits[strings[match_id]].append(start)
        matches: dict[int, Match] = {}
        for i in sorted(set(hits["VERB"])):
            tok = doc[i]
            if tok.pos_ not in {"VERB", "AUX"}:
                continue
            ctx = self.patterns.context(tok) if tok.lemma_.lower() in self.res.petrarch.verbs else None
            match = self._match(tok, ctx)
            if match is not None:
                matches[i] = match
        # "Talks between Kenya and the IMF resumed", "a phone call between A and B"
        used_nouns = {m.noun.i for m in matches.values() if m.noun is not None}
        for i in sorted(set(hits["NOUN"])):
            tok = doc[i]
            if i in used_nouns or i in matches:
                continue
            if tok.head.i in matches and tok.head is not tok:
                continue  # "urged dialogue between ...": the content of another event
            nominal = self._match_nominal(tok)
            if nominal is not None:
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
            if match.trigger.dep_ != "xcomp" or head.lemma_.lower() not in heads:
                continue
            match.code = self.intent_code(match.code, head.lemma_.lower())
            match.specific = True
            matches.pop(head.i, None)
        self._refusals(matches)
        # "urged the authorities to respect the right": the content of an appeal is no event
        for i in [
            i for i, m in matches.items() if m.trigger.dep_ == "xcomp" and _appeal(matches, m.trigger.head)
        ]:
            del matches[i]
        # "convinced that he would attack again", "fear the army will strike": beliefs;
        # "it should not be dismissed": an obligation (appeals are coded on the speech verb)
        for i in [i for i, m in matches.items() if self._believed(m.trigger) or self._deontic(m)]:
            del matches[i]
        return matches

    def _refusals(self, matches: dict[int, Match]) -> None:
        """A refusal is one event (GUIDE.md, "Negation and refusals"): "refused to meet" and
        "declined to comment" fold into the head (125, 011); "would not support" (a negated
        future cooperative act) is a rejection (120), not a negated act."""
        res = self.res
        for match in list(matches.values()):
            trig = match.trigger
            head = trig.head
            if trig.dep_ == "xcomp" and head.lemma_.lower() in res.refusal_heads:
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

    def _deontic(self, match: Match) -> bool:
        if match.target is not None:
            return False  # the appeal itself
        return any(c.dep_ == "aux" and c.lower_ in self.res.deontic_aux for c in match.trigger.children)

    def _believed(self, trig: Token) -> bool:
        node = trig
        for _ in range(3):
            if node.dep_ not in {"ccomp", "xcomp", "advcl", "conj"} or node.head is node:
                return False
            node = node.head
            if node.lemma_.lower() in self.res.cognition_heads:
                return True
        return False

    def intent_code(self, code: str, head: str) -> str:
        res = self.res
        if head in res.threat_heads and code[:2] in FORCE_ROOTS:
            return "138"
        if code in res.intent_keep:
            return code
        return res.intent_by_code.get(code) or res.intent_by_root.get(code[:2], code)

    def _match(self, tok: Token, ctx: VerbContext | None) -> Match | None:
        res = self.res
        lemma = tok.lemma_.lower()
        # Phrasal verbs: "call on", "crack down", "turn down"; "called for X to do Y"
        light_phrasal = False
        for child in tok.children:
            particle = child if child.dep_ in {"prt", "prep"} else _clause_mark(child)
            if particle is None or (child.dep_ == "prep" and any(c.dep_ == "dobj" for c in tok.children)):
                continue  # "fired tear gas at protesters": the object decides, not "fire at"
            phrasal = f"{lemma} {particle.lower_}"
            code = res.phrasal.get(phrasal)
            if code and phrasal in res.light_phrasal:
                light_phrasal = True  # "carried out the bombings": the noun decides
            elif code:
                prep = child if child.dep_ == "prep" else None
                return Match(tok, code, None, prep, True)
        objects = self._objects(tok)
        if lemma in res.light_verbs or light_phrasal:
            for obj in objects:
                if obj.dep_ not in {"dobj", "nsubjpass"}:  # "held talks", "an inquiry was opened"
                    continue
                code = (
                    None
                    if obj.lemma_.lower() in res.nominal_only_nouns
                    else res.nouns.get(obj.lemma_.lower())
                )
                if code is None:  # "a barrage of rockets", "a wave of strikes"
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
                    if inner is not None and inner.lemma_.lower() in res.nouns:
                        code = res.nouns[inner.lemma_.lower()]
                if code:
                    code = res.light_overrides.get(f"{lemma} {obj.lemma_.lower()}", code)
                    if code == "150" and any(c.lower_ in res.joint_modifiers for c in obj.children):
                        code = res.joint_code
                    if lemma in res.intent_heads:  # "seek consultations": an intent (036)
                        code = self.intent_code(code, lemma)
                    return Match(tok, code, obj, None, True)
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
        if entry.negated_only and not self.attributes.negated(tok):
            if entry.future_code and self.attributes.modality(tok) == "future":
                return Match(tok, entry.future_code, None, None, True)
            return None
        if entry.blocked_objects and any(o.lemma_.lower() in entry.blocked_objects for o in objects):
            return None
        for obj in objects:
            code = entry.objects.get(obj.lemma_.lower())
            if code:
                return Match(tok, code, None, None, True, requires_target=entry.requires_target)
        direct = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
        if entry.subject_agents and not direct:
            subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            agent = self.agent_code(subject) if subject is not None else None
            if agent is not None and agent[:3] in entry.subject_agents:
                return Match(tok, entry.subject_agents[agent[:3]], None, None, True)  # "workers struck"
        if direct and entry.only_listed_objects:
            return None  # "quit smoking"
        if any(o.ent_type_ == "PERSON" for o in direct) and "@PERSON" in entry.objects:
            return Match(tok, entry.objects["@PERSON"], None, None, True)  # "Hicks is being held"
        if direct and "*" in entry.objects:
            return Match(tok, entry.objects["*"], None, None, True)  # "struck the town" vs "staff struck"
        if entry.requires_object:
            return None
        return Match(tok, entry.code, None, None, False, requires_target=entry.requires_target)

    def _match_nominal(self, tok: Token) -> Match | None:
        """An event noun is an event when its phrase names the actor: "Talks between Kenya and
        the IMF" (both, mutual), "the United States invasion", "inquiries by ASIC", "the
        resignation of the president", "the warning from the minister"."""
        res = self.res
        if tok.pos_ not in {"NOUN", "PROPN"}:
            return None
        lemma = tok.lemma_.lower()
        code = res.nouns.get(lemma)
        if code is None or code[:2] == "05":
            return None  # "the 2013 extradition treaty between ...": a document, not an act
        between = next(
            (
                c
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "between" and any(g.dep_ == "pobj" for g in c.children)
            ),
            None,
        )
        if code == "150" and any(c.lower_ in res.joint_modifiers for c in tok.children):
            code = res.joint_code
        if between is not None:
            return Match(tok, code, tok, None, True, between=between)
        agent = None if lemma in res.light_verb_only_nouns else self._nominal_agent(tok, lemma)
        if agent is None:
            return None  # "a drone strike" / "a bank strike": too ambiguous without a verb
        return Match(tok, code, tok, None, True, agent=agent)

    def _nominal_agent(self, noun: Token, lemma: str) -> Token | None:
        res = self.res
        for child in noun.children:
            if child.dep_ == "poss" and child.lower_ not in {
                "its",
                "their",
                "his",
                "her",
                "our",
                "my",
                "your",
            }:
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
        return None

    @staticmethod
    def _objects(tok: Token) -> list[Token]:
        """Object-like words that can specialise the code, nearest first."""
        out: list[Token] = []
        for child in tok.children:
            if child.dep_ in {"dobj", "attr", "oprd", "nsubjpass"}:
                out.append(child)
                out.extend(c for c in child.children if c.dep_ in {"compound", "amod"})
                for prep in child.children:  # "a package of sanctions"
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        out.extend(c for c in prep.children if c.dep_ == "pobj")
            elif child.dep_ == "prep":
                out.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ in {"xcomp", "ccomp"} and child.pos_ in {"VERB", "AUX"}:
                out.append(child)
                out.extend(c for c in child.children if c.dep_ == "dobj")
        return out


def _appeal(matches: dict[int, Match], head: Token) -> bool:
    match = matches.get(head.i)
    return match is not None and match.code[:2] in {"02", "10"}


def _clause_mark(child: Token) -> Token | None:
    """The "for" of "called for X to do Y": the mark of a clause that hangs on the verb."""
    if child.dep_ not in {"advcl", "xcomp", "ccomp"}:
        return None
    return next((m for m in child.children if m.dep_ == "mark" and m.lower_ == "for"), None)


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
