"""CAMEO-coded events from the dependency parse: trigger -> code, actors, targets, evidence.

A trigger is a verb in the lexicon (``config/data/nlp/triggers.json``), a phrasal verb, or a
light verb with an event noun as object ("held talks"). Actors come from the subject (or the
passive agent), targets from the object and a few prepositions; pronouns and definite
descriptions go through :class:`~services.nlp.coref.Resolver`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from spacy.tokens import Doc, Token

from services.nlp.coref import Resolver
from services.nlp.dates import resolve_date
from services.nlp.entities import EntityTable
from services.nlp.resources import NlpResources

_SUBJECTS = frozenset({"nsubj", "csubj"})
_TARGET_PREPS = frozenset(
    {"with", "to", "against", "on", "toward", "towards", "into", "for", "at", "over", "from"}
)
_LOCATION_PREPS = frozenset({"in", "at", "near", "off", "outside", "inside", "across", "around"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "npadvmod"})
_INHERIT_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
#: Root codes where several actors of a mutual verb are each other's targets.
_RECIPROCAL_ROOTS = frozenset({"03", "04", "05", "06"})
#: Force roots: the place attacked stands for the target; after a threat head, 138.
_FORCE_ROOTS = frozenset({"15", "17", "18", "19", "20"})
#: How far past the trigger (in tokens) the sentence fallback looks for a target.
_TARGET_WINDOW = 25


@dataclass(slots=True)
class _Match:
    trigger: Token
    code: str
    noun: Token | None  # the event noun of a light verb ("talks" in "held talks")
    prep_target: Token | None  # "call on X": the preposition whose object is the target
    specific: bool  # code chosen by an object or a phrasal particle, not the verb's default
    #: a nominal event's participants ("talks between Kenya and the IMF"): mutual actors
    between: Token | None = None


def event_id(article_id: str, trigger_start: int, code: str) -> str:
    """Stable across replays: the same article, trigger offset and code give the same id."""
    digest = hashlib.sha1(f"{article_id}|{trigger_start}|{code}".encode()).hexdigest()
    return f"evt-{digest[:20]}"


class EventExtractor:
    """Finds and codes the events of one article (see docs/enrichment.md, "Events")."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res

    def extract(
        self,
        table: EntityTable,
        resolver: Resolver,
        *,
        article_id: str,
        published: date | None,
    ) -> list[dict[str, Any]]:
        doc = table.doc
        date_ents = [e for e in doc.ents if e.label_ == "DATE"]
        out: list[dict[str, Any]] = []
        quoted = _quoted_tokens(doc)
        matches: dict[int, _Match] = {}
        for tok in doc:
            if tok.pos_ not in {"VERB", "AUX"} or tok.i in quoted:
                continue
            match = self._match(tok)
            if match is not None:
                matches[tok.i] = match
        # "Talks between Kenya and the IMF resumed", "a phone call between A and B"
        used_nouns = {m.noun.i for m in matches.values() if m.noun is not None}
        for tok in doc:
            if tok.i in used_nouns or tok.i in quoted or tok.i in matches:
                continue
            if tok.head.i in matches and tok.head is not tok:
                continue  # "urged dialogue between ...": the content of another event
            nominal = self._match_nominal(tok)
            if nominal is not None:
                matches[tok.i] = nominal
        # "agreed to meet", "ready to cooperate", "vowed to strike": one intent event
        heads = self.res.intent_code_heads | self.res.threat_heads
        for match in list(matches.values()):
            head = match.trigger.head
            if match.trigger.dep_ != "xcomp" or head.lemma_.lower() not in heads:
                continue
            match.code = self._intent_code(match.code, head.lemma_.lower())
            match.specific = True
            matches.pop(head.i, None)
        for i in sorted(matches):
            event = self._event(doc, table, resolver, matches[i], article_id, published, date_ents, out)
            if event is not None:
                out.append(event)
        return out

    def _intent_code(self, code: str, head: str) -> str:
        res = self.res
        if head in res.threat_heads and code[:2] in _FORCE_ROOTS:
            return "138"
        if code in res.intent_keep:
            return code
        return res.intent_by_code.get(code) or res.intent_by_root.get(code[:2], code)

    # -- matching ---------------------------------------------------------------------------

    def _match(self, tok: Token) -> _Match | None:
        res = self.res
        lemma = tok.lemma_.lower()
        # Phrasal verbs: "call on", "crack down", "turn down".
        for child in tok.children:
            if child.dep_ in {"prt", "prep"}:
                code = res.phrasal.get(f"{lemma} {child.lower_}")
                if code:
                    prep = child if child.dep_ == "prep" else None
                    return _Match(tok, code, None, prep, True)
        objects = self._objects(tok)
        if lemma in res.light_verbs:
            for obj in objects:
                if obj.dep_ != "dobj":
                    continue
                code = res.nouns.get(obj.lemma_.lower())
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
                        code = self._intent_code(code, lemma)
                    return _Match(tok, code, obj, None, True)
        entry = res.verbs.get(lemma)
        if entry is None:
            return None
        if entry.negated_only and not self._negated(tok):
            if entry.future_code and self._modality(tok) == "future":
                return _Match(tok, entry.future_code, None, None, True)
            return None
        if entry.blocked_objects and any(o.lemma_.lower() in entry.blocked_objects for o in objects):
            return None
        for obj in objects:
            code = entry.objects.get(obj.lemma_.lower())
            if code:
                return _Match(tok, code, None, None, True)
        if entry.requires_object:
            return None
        return _Match(tok, entry.code, None, None, False)

    def _match_nominal(self, tok: Token) -> _Match | None:
        """An event noun with a "between X and Y" phrase is an event of both parties even
        without a light verb ("Joint naval exercises between Indonesia and Australia began")."""
        res = self.res
        if tok.pos_ not in {"NOUN", "PROPN"}:
            return None
        code = res.nouns.get(tok.lemma_.lower())
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
        if between is None:
            return None
        if code == "150" and any(c.lower_ in res.joint_modifiers for c in tok.children):
            code = res.joint_code
        return _Match(tok, code, tok, None, True, between=between)

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

    # -- the event --------------------------------------------------------------------------

    def _event(
        self,
        doc: Doc,
        table: EntityTable,
        resolver: Resolver,
        match: _Match,
        article_id: str,
        published: date | None,
        date_ents: list[Any],
        earlier: list[dict[str, Any]],
    ) -> dict[str, Any] | None:
        res = self.res
        trig = match.trigger
        if match.between is not None:
            found_actors = [
                e for c in match.between.children if c.dep_ == "pobj" for e in self._np(c, table, resolver)
            ]
        else:
            found_actors = self._actors(trig, table, resolver)
        actors = [
            a for a in found_actors if table.entities[a].type != "LOC"
        ]  # a sea or a region does not act
        found = self._targets(match, table, resolver)
        targets = [t for t in found if t not in actors]
        sent = table.sentence(trig.i)
        negated = self._negated(trig)
        modality = self._modality(trig)
        location = self._location(trig, match.noun, table)
        if not actors and match.code[:2] == "17" and any(c.dep_ == "auxpass" for c in trig.children):
            actors = self._authority(table, trig, location)  # "57 people were arrested in Nairobi"
        if not actors:
            # the annotation guide's rule: an event needs an identifiable actor entity
            # ("an earthquake struck", "protesters marched" are not coded)
            return None
        code = match.code
        if code[:2] == "15" and match.noun is not None and len(_countries(actors, table)) >= 2:
            code = res.joint_code  # several countries holding an exercise: cooperation
        if (
            modality == "future"
            and code in res.future_codes
            and not any(c.dep_ == "aux" and c.lower_ in res.intent_aux for c in trig.children)
        ):
            code = res.future_codes[code]  # "travel to Washington to meet": intent (036)
        if not found and code in res.no_target_codes and not match.specific:
            code = res.no_target_codes[code]
        cameo = res.cameo_code(code)
        if (
            not targets
            and len(actors) >= 2
            and cameo.code[:2] in _RECIPROCAL_ROOTS
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
        if not targets and location is not None and cameo.code[:2] in _FORCE_ROOTS:
            place = table.entities[location]
            if place.country and _as_country(location, table) != location:
                targets = [f"country:{place.country}"]  # "struck targets in southern Lebanon"
        reaction = next(
            (o for o in trig.children if o.dep_ == "dobj" and o.lemma_.lower() in res.reaction_objects), None
        )
        if (
            reaction is None
            and trig.dep_ == "relcl"
            and trig.head.lemma_.lower() in res.reaction_objects
            and not any(c.dep_ == "dobj" for c in trig.children)
        ):
            reaction = trig.head  # "a charge Baku denied"
        if not targets and reaction is not None:
            # "Lebanon condemned the strikes": aimed at whoever struck
            root = res.reaction_roots.get(reaction.lemma_.lower())
            if root is not None:
                # "rejected the accusation": whoever accused, even of the same country
                roots = {root, "06"} if root == "15" else {root}
                targets = next(
                    (
                        e["actors"]
                        for e in reversed(earlier)
                        if e["root_code"] in roots and e["actors"] and not set(actors) & set(e["actors"])
                    ),
                    [],
                )
            if not targets:
                own = set(_countries(actors, table)) | set(actors)
                targets = next(
                    (
                        e["actors"]
                        for e in reversed(earlier)
                        if e["actors"] and not own & (set(e["actors"]) | set(e["actor_countries"]))
                    ),
                    [],
                )
        if not targets:
            targets = self._sentence_target(trig, table, actors, location)
        if (
            not targets
            and match.noun is not None
            and cameo.code[:2] == "19"
            and match.noun.lemma_.lower() in res.launch_nouns
        ):
            cameo = res.cameo_code(res.launch_code)  # a missile fired at nobody: show of force
        confidence = 0.4 + 0.25 * bool(actors) + 0.2 * bool(targets) + 0.1 * match.specific
        start = trig.idx
        last = match.noun if match.noun is not None and match.noun.i > trig.i else trig
        end = last.idx + len(last.text)
        trigger_text = doc[trig.i : last.i + 1].text
        return {
            "id": event_id(article_id, start, cameo.code),
            "code": cameo.code,
            "root_code": cameo.code[:2],
            "label": cameo.label,
            "quad_class": cameo.quad_class,
            "goldstein": cameo.goldstein,
            "trigger": {"text": trigger_text, "start": start, "end": end},
            "actors": actors,
            "targets": targets,
            "actor_countries": _countries(actors, table),
            "target_countries": _countries(targets, table),
            "sentence": {"start": sent.start_char, "end": sent.end_char},
            "negated": negated,
            "modality": modality,
            "date": resolve_date(trig, sent, date_ents, published, future=modality == "future"),
            "location": location,
            "confidence": round(min(confidence, 0.95), 2),
        }

    def _actors(self, trig: Token, table: EntityTable, resolver: Resolver) -> list[str]:
        """The subject, the passive agent, or (for verbs without either) the subject of the
        verb they depend on; a relative pronoun stands for the noun it modifies."""
        verb: Token | None = trig
        via_xcomp = False
        for _ in range(4):
            if verb is None:
                break
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children) or (
                verb.dep_ == "acl" and verb.tag_ == "VBN"
            )  # "the agreement signed by X"

            if passive:
                for child in verb.children:
                    if child.dep_ == "agent":
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                return self._np(pobj, table, resolver)
            for child in verb.children:
                # "Grossi is expected to meet": the passive subject of the governing verb acts
                if child.dep_ in _SUBJECTS or (child.dep_ == "nsubjpass" and via_xcomp):
                    if child.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                        return self._np(verb.head, table, resolver)  # "Prabowo, who visited"
                    return self._np(child, table, resolver)
            if verb.dep_ == "relcl":
                return self._np(verb.head, table, resolver)
            if verb.dep_ in _INHERIT_DEPS or (verb.dep_ == "dobj" and verb.pos_ == "VERB"):
                via_xcomp = verb.dep_ in {"xcomp", "acomp"}
                # "..., after accusing X": the participle hangs on a preposition
                verb = verb.head.head if verb.dep_ == "pcomp" else verb.head
            else:
                break
        return []

    def _targets(self, match: _Match, table: EntityTable, resolver: Resolver) -> list[str]:
        trig = match.trigger
        candidates: list[Token] = []
        if match.prep_target is not None:
            candidates.extend(c for c in match.prep_target.children if c.dep_ == "pobj")
        passive = any(c.dep_ == "auxpass" for c in trig.children)
        heads = [trig] + ([match.noun] if match.noun is not None else [])
        if match.noun is not None and match.noun.lemma_.lower() not in self.res.nouns:
            # "a wave of drone attacks on Port Sudan": the inner event noun's phrases
            heads.extend(
                c
                for p in match.noun.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for c in p.children
                if c.dep_ == "pobj"
            )
        for head in heads:
            for child in head.children:
                if (child.dep_ in {"dobj", "iobj", "dative"} and child is not match.noun) or (
                    child.dep_ == "nsubjpass" and passive
                ):
                    candidates.append(child)
                elif child.dep_ == "prep" and child.lower_ in _TARGET_PREPS:
                    candidates.extend(c for c in child.children if c.dep_ == "pobj")
                elif child.dep_ in {"ccomp", "xcomp"} and head is trig:
                    candidates.extend(c for c in child.children if c.dep_ == "nsubj")
        out: list[str] = []
        for cand in candidates:
            for ent in self._np(cand, table, resolver, deep=True):
                if ent not in out:
                    out.append(ent)
        return out

    @staticmethod
    def _authority(table: EntityTable, trig: Token, location: str | None) -> list[str]:
        """Who arrests when the text does not say: the state where it happened (the
        location's country, else a place named in the sentence, else the article's most
        mentioned country)."""
        sent = table.sentence(trig.i)
        places = [location] if location else []
        places += [
            e
            for e in (table.token_entity[i] for i in range(sent.start, sent.end))
            if e is not None and e.startswith("place:")
        ]
        for place in places:
            country = table.entities[place].country
            if country and f"country:{country}" in table.entities:
                return [f"country:{country}"]
        counts = [(len(e.mentions), e.id) for e in table.entities.values() if e.id.startswith("country:")]
        return [max(counts)[1]] if counts else []

    def _sentence_target(
        self, trig: Token, table: EntityTable, actors: list[str], location: str | None
    ) -> list[str]:
        """Fallback: the first entity after the trigger in its clause that is neither an
        actor nor the event's location."""
        sent = table.sentence(trig.i)
        for i in range(trig.i + 1, min(sent.end, trig.i + _TARGET_WINDOW)):
            tok = table.doc[i]
            if tok.text in {";", '"'} or (
                tok.pos_ == "VERB" and tok.dep_ in {"conj", "ccomp"} and tok.head == trig
            ):
                break
            ent = table.token_entity[i]
            if ent is None or ent == location:
                continue
            ent = _as_country(ent, table)
            e = table.entities[ent]
            if ent in actors or e.type not in {"GPE", "ORG", "PERSON"}:
                continue
            if e.country and e.country in _countries(actors, table):
                continue  # the actor's own country is context here, not a target
            if tok.dep_ == "pobj" and tok.head.lower_ in _LOCATION_PREPS:
                continue
            return [ent]
        return []

    def _np(self, tok: Token, table: EntityTable, resolver: Resolver, deep: bool = False) -> list[str]:
        """Entities a noun phrase denotes: its own mention, a resolved reference, the
        countries or organisations modifying it ("Chinese vessels"), and its conjuncts."""
        out: list[str] = []
        for head in [tok, *_conjuncts(tok)]:
            for ent in self._np_head(head, table, resolver, deep):
                ent = _as_country(ent, table)
                if ent not in out and not ent.startswith("misc:"):  # groups, laws, events
                    out.append(ent)
        return out

    def _np_head(self, tok: Token, table: EntityTable, resolver: Resolver, deep: bool) -> list[str]:
        own = table.entity_at(tok)
        if own is not None:
            return [own]
        named = [e for c in tok.children if c.dep_ == "appos" if (e := table.entity_at(c)) is not None]
        if named:
            return named  # "Its spokesman, Lin Jian, accused": the named appositive acts
        resolved = resolver.resolve(tok)
        if resolved:
            return resolved
        found: list[str] = []
        for child in tok.children:
            if child.dep_ in _MODIFIER_DEPS or (
                child.dep_ == "prep" and child.lower_ in {"of", "by", "from"}
            ):
                node = (
                    child
                    if child.dep_ != "prep"
                    else next((c for c in child.children if c.dep_ == "pobj"), None)
                )
                if node is None:
                    continue
                ent = table.entity_at(node)
                if ent is not None:
                    found.append(ent)
                    # "Australian and Indonesian troops"
                    found.extend(e for c in _conjuncts(node) if (e := table.entity_at(c)) is not None)
                elif deep or child.dep_ == "prep":
                    found.extend(self._np_head(node, table, resolver, deep))
        if not found and deep:
            for sub in tok.subtree:
                ent = table.entity_at(sub)
                if ent is not None and sub.i - tok.left_edge.i < 20:
                    found.append(ent)
                    break
        return found

    def _negated(self, trig: Token) -> bool:
        if any(c.dep_ == "neg" for c in trig.children):
            return True
        head = trig.head
        return trig.dep_ == "xcomp" and (
            any(c.dep_ == "neg" for c in head.children) or head.lemma_.lower() in self.res.negation_heads
        )

    def _modality(self, trig: Token) -> str:
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
        if trig.dep_ in {"xcomp", "advcl"} and trig.head is not trig:
            inherited = self._modality(trig.head)  # "would travel ... to meet"
            if inherited in {"future", "hypothetical"}:
                return inherited
        node = trig
        for _ in range(4):
            if node.dep_ == "ccomp" and node.head.lemma_.lower() in res.reporting:
                return "reported"
            if node.dep_ in {"ccomp", "xcomp", "conj"} and node.head is not node:
                node = node.head
            else:
                break
        return "asserted"

    def _location(self, trig: Token, noun: Token | None, table: EntityTable) -> str | None:
        for head in [trig] + ([noun] if noun is not None else []):
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in _LOCATION_PREPS:
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


def _quoted_tokens(doc: Doc) -> set[int]:
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
                open_at = None
    return inside


def _conjuncts(tok: Token) -> list[Token]:
    out: list[Token] = []
    stack = [c for c in tok.children if c.dep_ == "conj"]
    while stack:
        t = stack.pop(0)
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ == "conj")
    return out


def _as_country(entity_id: str, table: EntityTable) -> str:
    """A city or region as an actor or target stands for its country when the article
    mentions that country ("visit Manila" -> the Philippines)."""
    if entity_id.startswith("place:"):
        country = table.entities[entity_id].country
        if country and f"country:{country}" in table.entities:
            return f"country:{country}"
    return entity_id


def _countries(ids: list[str], table: EntityTable) -> list[str]:
    out: list[str] = []
    for i in ids:
        entity = table.entities.get(i)
        if entity and entity.country and entity.country not in out:
            out.append(entity.country)
    return out
