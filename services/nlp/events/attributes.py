"""Event attributes: negation, modality, location and confidence (date: :mod:`services.nlp.dates`)."""

from __future__ import annotations

from spacy.tokens import Token

from services.nlp.entities import EntityTable
from services.nlp.events.participants import LOCATION_PREPS
from services.nlp.resources import NlpResources


class Attributes:
    """Reads negation, modality and location off the parse around a trigger."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res

    def negated(self, trig: Token) -> bool:
        if any(c.dep_ == "neg" for c in trig.children):
            return True
        head = trig.head
        return trig.dep_ == "xcomp" and (
            any(c.dep_ == "neg" for c in head.children) or head.lemma_.lower() in self.res.negation_heads
        )

    def modality(self, trig: Token) -> str:
        """hypothetical (if/unless) > future (will/would/..., or the xcomp of an intent head,
        or inherited from the verb it depends on) > reported (complement of a speech verb)
        > asserted."""
        res = self.res
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in trig.children):
            return "hypothetical"
        if any(c.dep_ == "aux" and c.lower_ in res.intent_aux for c in trig.children):
            return "future"
        if trig.dep_ == "xcomp" and trig.head.lemma_.lower() in res.intent_heads:
            return "future"
        if trig.dep_ in {"xcomp", "advcl"} and trig.head.i != trig.i:
            inherited = self.modality(trig.head)  # "would travel ... to meet"
            if inherited in {"future", "hypothetical"}:
                return inherited
        node = trig
        for _ in range(4):
            if node.dep_ == "ccomp" and node.head.lemma_.lower() in res.reporting:
                return "reported"
            if node.dep_ in {"ccomp", "xcomp", "conj"} and node.head.i != node.i:
                node = node.head
            else:
                break
        return "asserted"

    def location(self, trig: Token, noun: Token | None, table: EntityTable) -> str | None:
        for head in [trig] + ([noun] if noun is not None else []):
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in LOCATION_PREPS:
                    for pobj in child.children:
                        ent = table.entity_at(pobj)
                        if ent and table.entities[ent].type in {"GPE", "LOC", "FAC"}:
                            return ent
            for child in head.children:
                if child.dep_ == "dobj" and trig.lemma_ in {"visit", "tour"}:
                    ent = table.entity_at(child)
                    if ent:
                        return ent
        return None
