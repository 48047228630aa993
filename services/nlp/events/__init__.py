"""CAMEO-coded events from the dependency parse: trigger -> code, actors, targets, attributes.

:mod:`.matching` finds triggers and their first code, :mod:`.participants` the actors and
targets, :mod:`.coding` the final code, :mod:`.attributes` negation, modality, location and
confidence (docs/enrichment.md, "Events").
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Span
from spacy.vocab import Vocab

from services.enrichment import Event, TextSpan
from services.nlp.coref import Resolver
from services.nlp.dates import resolve_date
from services.nlp.entities import EntityTable
from services.nlp.events.attributes import Attributes
from services.nlp.events.coding import RECIPROCAL_ROOTS, CodeRefiner
from services.nlp.events.discards import DiscardMatcher, sport_run
from services.nlp.events.gates import Gates
from services.nlp.events.matching import (
    FORCE_ROOTS,
    TriggerMatcher,
    answering_subject,
    consequence_subject,
    refers_back,
)
from services.nlp.events.model import Match, event_id
from services.nlp.events.participants import (
    FIGHT_ROOTS,
    ActorResolution,
    Participants,
    as_country,
    countries,
    is_passive,
    reaction_object,
)
from services.nlp.resources import NlpResources

__all__ = ["EventExtractor", "event_id"]

#: Roots of the acts a deal is made with: comment and consideration, intent, consultation,
#: agreement, cooperation, giving (the commerce gate reads these only).
_DEAL_ROOTS = frozenset({"01", "03", "04", "05", "06", "07"})


class EventExtractor:
    """Finds and codes the events of one article."""

    def __init__(self, res: NlpResources, vocab: Vocab | None = None) -> None:
        """``vocab``: the pipeline's vocabulary, to compile the spaCy matchers now rather than
        on the first article (they compile once per vocabulary either way)."""
        self.res = res
        self.matcher = TriggerMatcher(res)
        self.discards = DiscardMatcher(res.petrarch)
        if vocab is not None:
            self.matcher.compile(vocab)
            self.discards.compile(vocab)
        self.participants = Participants(res)
        self.coding = CodeRefiner(res)
        self.attributes = Attributes(res)
        self.gates = Gates(res.gate_words)

    def extract(
        self,
        table: EntityTable,
        resolver: Resolver,
        *,
        article_id: str,
        published: date | None,
    ) -> list[Event]:
        doc = table.doc
        date_ents = [e for e in doc.ents if e.label_ == "DATE"]
        story, discarded = self.discards.discarded(doc)
        if story:
            return []
        matches = self.matcher.find(doc)
        # people and organisations of a discarded sentence (a match, a film) stay discarded
        # in the sentences that follow ("Moreau says winning the match ...")
        continued, silenced = sport_run(table, resolver, discarded)
        discarded = discarded | continued
        out: list[Event] = []
        for i in sorted(matches):
            match = matches[i]
            if i in discarded or self.gates.blocked(match.trigger):
                continue
            event = self._event(table, resolver, match, article_id, published, date_ents, out)
            if event is None or (silenced and set(event.actors) <= silenced):
                continue
            if match.agent is not None and any(
                e.code == event.code and set(e.actors) == set(event.actors) for e in out
            ):
                continue  # "The President's resignation" after "the President has resigned"
            out.append(event)
        return out

    def _event(
        self,
        table: EntityTable,
        resolver: Resolver,
        match: Match,
        article_id: str,
        published: date | None,
        date_ents: list[Span],
        earlier: list[Event],
    ) -> Event | None:
        res = self.res
        doc = table.doc
        roles = self.participants
        trig = match.trigger
        if match.between is not None:
            sides = [roles.np_actors(c, table, resolver) for c in match.between.children if c.dep_ == "pobj"]
            resolution = ActorResolution.of((a for side in sides for a in side.actors), sides)
        elif match.agent is not None:
            resolution = roles.np_actors(match.agent, table, resolver)
        else:
            resolution = roles.actors(trig, table, resolver, match.code)
        actors = [
            a for a in resolution.actors if (e := table.entities.get(a)) is None or e.type != "LOC"
        ]  # a sea or a region does not act
        found = roles.targets(match, table, resolver)
        # (a country the agent's own act implies is no guess: "rebels shelled Chad's capital")
        echoed = (
            []
            if resolution.grounded_by_own_act
            else roles.echoed_actors(actors, found, trig, table, match.agent)
        )
        actors = [a for a in actors if a not in echoed]
        # "Government forces clashed with Kenyan protesters": the state the text implies fights
        # or represses (175) its own citizens (an arrest's detainee "in Delhi" is where, not whose)
        own_citizens = resolution.implied_state and (match.code[:2] in FIGHT_ROOTS or match.code[:3] == "175")
        targets = roles.other_side(found, actors, table, implied_state=own_citizens)
        sent = table.sentence(trig.i)
        negated = self.attributes.negated(trig) and not match.refusal
        modality = self.attributes.modality(trig)
        location = self.attributes.location(trig, match.noun, table)
        if (
            not actors
            and (match.code[:2] in {"09", "17"} or match.code == "116")
            and any(c.dep_ == "auxpass" for c in trig.children)
        ):
            # "57 people were arrested in Nairobi", "an inquiry has been opened": the state's acts
            actors = roles.agentless_state(trig, table, resolver, location)
            targets = roles.other_side(targets, actors, table, implied_state=True)
        permit = roles.permit_object(trig) if not actors else None
        if permit is not None:
            # "the choir was refused visas to tour Norway": Norway refused them; the
            # state a permit is for ("denied entry into Britain") is no target of its own refusal
            actors = roles.permit_state(permit, table, trig, location)
            holders = {
                t for c in trig.children if c.dep_ == "nsubjpass" for t in roles.np(c, table, resolver)
            }
            targets = [
                t
                for t in roles.other_side(targets, actors, table, implied_state=True)
                if t not in actors or t in holders
            ]
        if not actors and match.code == self.matcher.speech.invitation_code and is_passive(trig):
            # "she was invited to their summit": whoever holds the event invites to it
            actors = roles.event_host(trig, table, resolver)
            targets = roles.other_side(targets, actors, table)
        if not actors:
            # the annotation guide's rule: an event needs an identifiable actor entity
            # ("an earthquake struck", "protesters marched" are not coded)
            return None
        if (
            match.code[:2] in _DEAL_ROOTS
            and all(a.startswith(("org:", "person:")) for a in actors)
            and self.gates.commercial(trig)
        ):
            # "the company agreed to buy the unit": commerce, no political event (a state's
            # purchase stays one, and so does an accusation of selling arms)
            return None
        cameo = self.coding.before_targets(
            match, actor_countries=len(countries(actors, table)), modality=modality, found_targets=bool(found)
        )
        if (
            not targets
            and len(actors) >= 2
            and cameo.code[:2] in RECIPROCAL_ROOTS
            and (trig.lemma_.lower() in res.reciprocal_lemmas or match.between is not None)
        ):
            # "signed by Kihara and Teodoro": each side is the other's target
            targets = list(actors)
        if (
            targets
            and cameo.code[:2] == "04"
            and trig.lemma_.lower() in res.reciprocal_lemmas
            and match.noun is None
            and not match.prep_target
        ):
            # "X met Y": a meeting is mutual, both sides act and are acted on (the guide's rule)
            actors = actors + [t for t in targets if t not in actors]
            targets = list(actors)
        if not targets and location is not None and cameo.code[:2] in FORCE_ROOTS:
            place = table.entities[location]
            if place.country and as_country(location, table) != location:
                targets = [f"country:{place.country}"]  # "struck targets in southern Lebanon"
        if not targets and match.agent is not None and cameo.code[:2] in {"09", "11"}:
            bearer = consequence_subject(trig)
            if bearer is not None:  # "X will face court following inquiries by ASIC"
                targets = roles.other_side(roles.np(bearer, table, resolver, deep=True), actors, table)
        answering = answering_subject(trig) if not targets and cameo.code[:2] in {"02", "10"} else None
        if answering is not None:
            # "After the White House demanded action, the Palestinian Authority declared ..."
            targets = roles.other_side(roles.np(answering, table, resolver, deep=True), actors, table)
        reaction = reaction_object(trig, res.reaction_objects)
        if not targets and reaction is not None and (match.noun is None or reaction.i != match.noun.i):
            # ("launched a crackdown": the act itself, not a reaction to one)
            # "Lebanon condemned the strikes": aimed at whoever struck
            targets = roles.reaction_targets(reaction, actors, earlier, table)
        if not targets and match.noun is not None and match.noun.i != trig.i and refers_back(match.noun):
            # "ordered the arrest" after "tried to place him under house arrest": the same act
            again = next((e for e in reversed(earlier) if e.root_code == cameo.code[:2] and e.targets), None)
            targets = roles.other_side(list(again.targets), actors, table) if again is not None else []
        judged = self.matcher.speech.judged_act(match) if not targets else None
        if judged is not None:
            # "says today's action is unjustified": aimed at whoever acted
            targets = roles.other_side(self.matcher.speech.act_owners(judged, actors, earlier), actors, table)
        if not targets and match.target is None:
            # (a speech act names its target phrase; when that names nobody, nobody else is)
            targets = roles.sentence_target(trig, table, actors, location, cameo.code)
        if match.requires_target and not targets:
            return None
        cameo = self.coding.after_targets(match, cameo, has_targets=bool(targets))
        basis = f"{match.basis}+target" if targets else match.basis
        confidence = (
            res.confidence.get(basis) or res.confidence.get(match.basis) or res.confidence.get("*", 0.5)
        )
        start = trig.idx
        last = match.noun if match.noun is not None and match.noun.i > trig.i else trig
        end = last.idx + len(last.text)
        return Event(
            id=event_id(article_id, start, cameo.code),
            cameo=cameo,
            trigger=TextSpan(text=doc[trig.i : last.i + 1].text, start=start, end=end),
            actors=tuple(actors),
            targets=tuple(targets),
            actor_countries=tuple(countries(actors, table)),
            target_countries=tuple(countries(targets, table)),
            sentence_start=sent.start_char,
            sentence_end=sent.end_char,
            negated=negated,
            modality=modality,
            date=resolve_date(trig, sent, date_ents, published, future=modality == "future"),
            location=location,
            confidence=round(confidence, 2),
            basis=basis,
        )
