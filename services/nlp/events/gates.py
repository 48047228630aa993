"""Triggers that are no event whatever their code, because nothing in their context happened:
a question and what it asks ("asked whether Iran would attack"), the act an accusation or a
judgement claims ("accused Hamas of firing rockets": the accusation is the event), what someone
is told or asked to do ("told Russia to withdraw"), what a report, risk or fear noun holds
("a danger he would attack") and what someone believes ("convinced that he would attack").

The words are ``participants.json``'s ``gates`` table; the belief verbs are the trigger
lexicon's ``cognition_heads`` (docs/enrichment.md, "Gates")."""

from __future__ import annotations

from spacy.tokens import Token

from services.nlp.resources import GateWords

#: Links from a clause (or the preposition that introduces it) up to what governs it.
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "conj", "pcomp", "prep"})
#: Links from a verb's complement to a verb of belief ("believed to have been killed").
_BELIEF_DEPS = frozenset({"ccomp", "xcomp", "advcl", "conj"})
#: Links from an act down to what it agrees, signs or considers ("signed a letter of intent
#: to acquire": signed -> letter -> of -> intent -> acquire), and how many it follows.
_COMMERCE_DEPS = frozenset({"xcomp", "ccomp", "dobj", "acl", "prep", "pobj", "pcomp"})
_COMMERCE_DEPTH = 4
#: How many links up the gate looks ("urged the EU to go further by using the assets to fund
#: ...": fund -> using -> by -> go -> urged).
_DEPTH = 4


class Gates:
    """Says which matched triggers are no event."""

    def __init__(self, words: GateWords) -> None:
        self.words = words

    def blocked(self, trig: Token) -> bool:
        if self.asks(trig) or self.arsenal(trig):
            return True
        node = trig
        for _ in range(_DEPTH):
            head = node.head
            if head.i == node.i:
                return False
            if node.dep_ in {"acl", "relcl"} or (node.dep_ == "ccomp" and head.pos_ == "NOUN"):
                # a clause of a noun: the noun's content, or a relative clause it is part of
                return self.content(node, head)
            if (
                self.claimed(node, head)
                or self.asked(node, head)
                or self.directed(node, head)
                or self.warned_against(node, head)
                or self.capacity(node, head)
                or self.duration(node, head)
            ):
                return True
            if node.dep_ in _BELIEF_DEPS and head.lemma_.lower() in self.words.belief_heads:
                return True
            if node.dep_ not in _CLAUSE_DEPS:
                return False
            node = head
        return False

    def asks(self, trig: Token) -> bool:
        """The trigger asks a question ("asked if he rang them"): no appeal."""
        return trig.lemma_.lower() in self.words.question_heads and any(
            c.dep_ in {"ccomp", "advcl"} and self._marked(c) for c in trig.children
        )

    def asked(self, clause: Token, head: Token) -> bool:
        """The clause is the question ("asked whether Iran would attack")."""
        return head.lemma_.lower() in self.words.question_heads and self._marked(clause)

    def claimed(self, clause: Token, prep: Token) -> bool:
        """The clause is what an accusation claims or a judgement judges: "accused the army of
        staging the attack", "criticised Hungary for blocking the loan" (the reason is told as
        part of the judgement)."""
        return (
            clause.dep_ == "pcomp"
            and prep.dep_ == "prep"
            and prep.lower_ in self.words.claim_preps
            and prep.head.lemma_.lower() in self.words.claim_heads
        )

    def directed(self, clause: Token, head: Token) -> bool:
        """The clause is what someone is told or asked to do: "told Russia to withdraw"."""
        return (
            clause.dep_ == "xcomp"
            and head.lemma_.lower() in self.words.directive_heads
            and any(c.dep_ == "dobj" for c in head.children)
        )

    def warned_against(self, clause: Token, prep: Token) -> bool:
        """The clause is what someone is warned against: "warned Chad against closing the
        border" (the warning is the event, the closing is not)."""
        return (
            clause.dep_ == "pcomp"
            and prep.dep_ == "prep"
            and prep.lower_ in self.words.warning_preps
            and prep.head.lemma_.lower() in self.words.warning_heads
        )

    def capacity(self, clause: Token, head: Token) -> bool:
        """The clause is what someone is enabled or allowed to do, or able or likely to do:
        "the deal allows Chad to deploy troops", "Chad is likely to sign": a capacity or a
        likelihood, not the act."""
        lemma = head.lemma_.lower()
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)
        if clause.dep_ in {"xcomp", "ccomp"} and infinitive and lemma in self.words.capacity_heads:
            return True
        return clause.dep_ == "xcomp" and head.pos_ == "ADJ" and lemma in self.words.capacity_adjectives

    def duration(self, clause: Token, head: Token) -> bool:
        """The clause is what it would take time to do: "it will take months to sign the
        pact" (the expletive "it" and a length of time)."""
        words = self.words
        return (
            clause.dep_ in {"xcomp", "advcl", "ccomp"}
            and head.lemma_.lower() in words.duration_verbs
            and any(c.dep_ in {"nsubj", "expl"} and c.lower_ == "it" for c in head.children)
            and any(
                c.dep_ in {"dobj", "npadvmod"} and c.lemma_.lower() in words.duration_nouns
                for c in head.children
            )
        )

    def arsenal(self, trig: Token) -> bool:
        """A possessed weapon noun names what someone has ("its missiles", "Chad's rockets"),
        not an attack."""
        return trig.lemma_.lower() in self.words.weapon_nouns and any(c.dep_ == "poss" for c in trig.children)

    def commercial(self, trig: Token) -> bool:
        """The trigger is, or agrees, signs, considers or negotiates, a purchase, a sale, a
        merger or an investment ("signed a letter of intent to acquire", "is considering the
        sale of its unit"): commerce when companies do it (the caller checks the actors)."""
        words = self.words
        if trig.lemma_.lower() in words.commerce_verbs:
            return True
        frontier = [trig]
        for _ in range(_COMMERCE_DEPTH):
            frontier = [c for t in frontier for c in t.children if c.dep_ in _COMMERCE_DEPS]
            for tok in frontier:
                lemma = tok.lemma_.lower()
                if (tok.pos_ == "VERB" and lemma in words.commerce_verbs) or (
                    # (the object itself: "considering the sale of its unit", not "curbs on sales")
                    tok.pos_ == "NOUN" and tok.dep_ == "dobj" and lemma in words.commerce_nouns
                ):
                    return True
            # another act in between is what was agreed ("agreed to lift curbs on sales")
            frontier = [t for t in frontier if t.pos_ != "VERB"]
        return False

    def content(self, clause: Token, noun: Token) -> bool:
        """The clause says what a report, risk or fear noun holds ("reports that he had been
        fighting", "a danger he would attack another child", "a threat to seize the port");
        not when it is a relative clause the noun is part of ("the report that criticised X",
        "an allegation the state rejected": a subject that is a relative pronoun, or an
        active clause without the object the noun stands for)."""
        words = self.words
        if noun.lemma_.lower() not in words.content_nouns:
            return False
        subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.lower_ in words.relative_pronouns:
            return False
        return not (
            clause.dep_ == "relcl"
            and not any(c.dep_ in {"dobj", "attr", "ccomp", "nsubjpass"} for c in clause.children)
        )

    def _marked(self, clause: Token) -> bool:
        return any(c.dep_ == "mark" and c.lower_ in self.words.question_marks for c in clause.children)
