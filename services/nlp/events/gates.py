"""Triggers that are no event whatever their code: the content of a question ("asked whether
Iran would attack"), the act an accusation claims ("accused Hamas of firing rockets": the
accusation is the event, the firing is the accuser's claim) and what someone is told or asked
to do ("told Russia to withdraw"), and what a risk holds possible ("a danger he would attack")."""

from __future__ import annotations

from spacy.tokens import Token

from services.nlp.resources import ParticipantWords

#: Clause links a question's or a claim's content climbs through to its head.
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "conj", "pcomp"})
#: How many clause links up the gate looks.
_DEPTH = 4


class Gates:
    """Says which matched triggers are no event."""

    def __init__(self, words: ParticipantWords) -> None:
        self.words = words

    def blocked(self, trig: Token) -> bool:
        return self.question(trig) or self.claimed(trig) or self.directed(trig) or self.possible(trig)

    def possible(self, trig: Token) -> bool:
        """The trigger is what a risk or possibility noun holds possible: "a danger he would
        attack another child", "fears that the army will strike"."""
        node = trig
        for _ in range(_DEPTH):
            head = node.head
            if head.i == node.i or node.dep_ not in _CLAUSE_DEPS | {"acl", "relcl"}:
                return False
            if node.dep_ in {"acl", "relcl", "ccomp"} and head.pos_ == "NOUN":
                return head.lemma_.lower() in self.words.possibility_nouns
            node = head
        return False

    def directed(self, trig: Token) -> bool:
        """The trigger is (part of) what someone is told or asked to do: "told Russia to
        withdraw", "urged the EU to go further by using the assets to fund ..."."""
        node = trig
        for _ in range(_DEPTH + 2):
            head = node.head
            if head.i == node.i:
                return False
            if (
                node.dep_ == "xcomp"
                and head.lemma_.lower() in self.words.directive_heads
                and any(c.dep_ == "dobj" for c in head.children)
            ):
                return True
            if node.dep_ not in _CLAUSE_DEPS | {"prep"}:
                return False
            node = head
        return False

    def question(self, trig: Token) -> bool:
        """The trigger asks ("asked whether ...") or lies in what is asked."""
        words = self.words
        if trig.lemma_.lower() in words.question_heads and any(
            c.dep_ in {"ccomp", "advcl"} and _marked(c, words.question_marks) for c in trig.children
        ):
            return True
        node = trig
        for _ in range(_DEPTH):
            if node.dep_ not in _CLAUSE_DEPS or node.head.i == node.i:
                return False
            if _marked(node, words.question_marks) and node.head.lemma_.lower() in words.question_heads:
                return True
            node = node.head
        return False

    def claimed(self, trig: Token) -> bool:
        """The trigger is the "of"/"for" complement of an accusation: "accused X of firing"."""
        words = self.words
        node = trig
        for _ in range(_DEPTH):
            if node.dep_ == "pcomp" and node.head.lower_ in words.claim_preps:
                return node.head.head.lemma_.lower() in words.claim_heads
            if node.dep_ not in {"conj", "xcomp"} or node.head.i == node.i:
                return False
            node = node.head
        return False


def _marked(clause: Token, marks: frozenset[str]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children)
