"""Coding decisions after matching: the code a trigger's context turns it into (joint exercises,
future meetings, verbs without a target, a launch at nobody)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Token

from services.enrichment import CameoCode
from services.nlp.events.model import Match
from services.nlp.resources import NlpResources

#: Root codes where several actors of a mutual verb are each other's targets.
RECIPROCAL_ROOTS = frozenset({"03", "04", "05", "06"})


@dataclass(frozen=True, slots=True)
class ThreatCodes:
    """PETRARCH's combined verb codes for threats (``triggers.json`` ``combined_codes``):
    "threatened to ban" 132, "threatened to break relations" 1313, "vowed to strike" 1384."""

    generic: str
    by_code: Mapping[str, str]
    by_root: Mapping[str, str]
    only_heads: frozenset[str]  # heads that threaten whatever the act ("threaten")

    @classmethod
    def from_tables(cls, tables: Mapping[str, Any]) -> ThreatCodes:
        spec = tables["combined_codes"]["threat"]
        return cls(
            spec["generic"], dict(spec["by_code"]), dict(spec["by_root"]), frozenset(spec["only_heads"])
        )

    def code(self, act: str) -> str | None:
        return self.by_code.get(act) or self.by_root.get(act[:2])


#: CAMEO 183's leaves by the kind of bomber who acts ("a suicide bomber killed ...": 1831).
BOMBER_CODES = {"suicide": "1831", "car": "1832", "roadside": "1833"}


def _bomber_code(trig: Token) -> str | None:
    """A killing or attack by a suicide (car, roadside) bomber is that bombing, not fighting."""
    for subject in trig.children:
        if subject.dep_ == "nsubj" and subject.lemma_.lower() == "bomber":
            for mod in subject.children:
                if mod.dep_ in {"compound", "amod"} and mod.lower_ in BOMBER_CODES:
                    return BOMBER_CODES[mod.lower_]
    return None


#: CAMEO's own reading of a non-physical attack: criticise or denounce.
_VERBAL_ATTACK = "111"


class CodeRefiner:
    """The final CAMEO code of a matched trigger."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res

    def before_targets(
        self, match: Match, *, actor_countries: int, modality: str, found_targets: bool
    ) -> CameoCode:
        """The code once the actors and modality are known."""
        res = self.res
        trig = match.trigger
        code = match.code
        if code[:2] == "15" and match.noun is not None and actor_countries >= 2:
            code = res.joint_code  # several countries holding an exercise: cooperation
        if (
            modality == "future"
            and code in res.future_codes
            and not any(c.dep_ == "aux" and c.lower_ in res.intent_aux for c in trig.children)
        ):
            code = res.future_codes[code]  # "travel to Washington to meet": intent (036)
        nominal = match.agent is not None  # "the warning from the minister" about nobody named
        if not found_targets and code in res.no_target_codes and (not match.specific or nominal):
            code = res.no_target_codes[code]
        if code[:2] in {"18", "19"}:
            code = _bomber_code(trig) or code
            if self._media_subject(trig):
                code = _VERBAL_ATTACK  # "the newspaper attacked the minister": in print
        return res.cameo_code(code)

    def _media_subject(self, trig: Token) -> bool:
        """Is the verb's subject a news medium (PETRARCH agent code MED: a newspaper, a
        magazine), itself or through a relative pronoun ("the Coastal Weekly, which attacked")?"""
        subject = next((c for c in trig.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return False
        if trig.dep_ == "relcl" and subject.tag_ in {"WDT", "WP"}:
            subject = trig.head
        agents = self.res.petrarch.agents
        code = agents.get(subject.lower_) or agents.get(subject.lemma_.lower())
        return code is not None and code.lstrip("~").startswith("MED")

    def after_targets(self, match: Match, cameo: CameoCode, *, has_targets: bool) -> CameoCode:
        """A missile or rocket fired at no named target is a show of force (150)."""
        noun: Token | None = match.noun
        if (
            not has_targets
            and noun is not None
            and cameo.code[:2] == "19"
            and noun.lemma_.lower() in self.res.launch_nouns
        ):
            return self.res.cameo_code(self.res.launch_code)
        return cameo
