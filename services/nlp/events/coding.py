"""Coding decisions after matching: the code a trigger's context turns it into (joint exercises,
future meetings, verbs without a target, a launch at nobody)."""

from __future__ import annotations

from spacy.tokens import Token

from services.enrichment import CameoCode
from services.nlp.events.model import Match
from services.nlp.resources import NlpResources

#: Root codes where several actors of a mutual verb are each other's targets.
RECIPROCAL_ROOTS = frozenset({"03", "04", "05", "06"})


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
        if not found_targets and code in res.no_target_codes and not match.specific:
            code = res.no_target_codes[code]
        return res.cameo_code(code)

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
