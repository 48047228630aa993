"""A matched trigger before its participants are known, and the stable event id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from spacy.tokens import Token


@dataclass(slots=True)
class Match:
    trigger: Token
    code: str
    noun: Token | None  # the event noun of a light verb ("talks" in "held talks")
    prep_target: Token | None  # "call on X": the preposition whose object is the target
    specific: bool  # code chosen by an object or a phrasal particle, not the verb's default
    #: a nominal event's participants ("talks between Kenya and the IMF"): mutual actors
    between: Token | None = None
    #: the one noun phrase the target comes from ("says the watchdog should act": the watchdog)
    target: Token | None = None
    #: a nominal event's actor phrase ("the United States invasion", "inquiries by ASIC")
    agent: Token | None = None
    #: no event unless a target is found ("arrived" from nowhere named)
    requires_target: bool = False
    #: a refusal ("refused to meet", "would not sign"): coded as such, never negated
    refusal: bool = False
    #: coded by a PETRARCH verb pattern rather than the curated lexicon
    from_pattern: bool = False
    #: a speech act of a reporting verb (appeal, demand, judgement, outlook)
    speech: bool = False

    @property
    def basis(self) -> str:
        """What the code rests on; confidence is the share of such events that were right on
        the real-news dev set (``config/data/nlp/confidence.json``)."""
        if self.speech:
            return "speech"
        if self.between is not None or self.agent is not None:
            return "nominal"
        if self.from_pattern:
            return "pattern"
        if self.refusal:
            return "refusal"
        return "specific" if self.specific else "verb"

    @property
    def agent_noun(self) -> Token | None:
        """The event noun of a nominal event whose actor is not its "of" phrase."""
        if self.agent is None or self.noun is None:
            return None
        of_actor = any(
            c.dep_ == "prep" and c.lower_ == "of" and self.agent in c.children for c in self.noun.children
        )
        return None if of_actor else self.noun


def event_id(article_id: str, trigger_start: int, code: str) -> str:
    """Stable across replays: the same article, trigger offset and code give the same id."""
    digest = hashlib.sha1(f"{article_id}|{trigger_start}|{code}".encode()).hexdigest()
    return f"evt-{digest[:20]}"
