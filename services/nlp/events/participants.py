"""Who acts and who is acted on: subjects, passive agents, objects and prepositions, noun
phrases expanded to entities, and the fallbacks when the parse names nobody."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Token

from services.enrichment import Event
from services.nlp.coref import Resolver
from services.nlp.dictionaries import STATE_AGENTS
from services.nlp.entities import EntityTable
from services.nlp.events.model import Match
from services.nlp.names import alias_key
from services.nlp.resources import NlpResources

SUBJECTS = frozenset({"nsubj", "csubj"})
TARGET_PREPS = frozenset(
    {"with", "to", "against", "on", "toward", "towards", "into", "for", "at", "over", "from"}
)
LOCATION_PREPS = frozenset({"in", "at", "near", "off", "outside", "inside", "across", "around"})
MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "npadvmod"})
INHERIT_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
PLURAL_PRONOUNS = frozenset({"they", "them"})
#: How far past the trigger (in tokens) the sentence fallback looks for a target.
TARGET_WINDOW = 25
#: Roots of verbs that answer someone else's act ("condemned", "welcomed", "rejected", "denied").
REACTION_ROOTS = frozenset({"01", "05", "11", "12"})
#: Roots whose passive participle is a stance of its subject ("is committed to", "is prepared
#: to"), not something done to it.
STANCE_ROOTS = frozenset({"03"})
#: Roots of fighting: "fighting for the Taliban" sides with the Taliban.
FIGHT_ROOTS = frozenset({"18", "19", "20"})
#: PETRARCH's agent code of rebels, insurgents, guerrillas and separatists.
REBEL_CODES = frozenset({"REB"})
#: Roots of the acts of whoever holds people: releasing (yield, 08) and holding or arresting
#: (coerce, 17).
CUSTODY_ROOTS = frozenset({"08", "17"})
#: PETRARCH's agent codes of a firm or business ("company", "airline"): "the company" of a
#: story set in one state is that state's.
STORY_AGENT_CODES = frozenset({"BUS"})
#: How far back (in tokens) "the man" looks for the "a man" that introduced him.
_ANTECEDENT_WINDOW = 150
#: Prepositions that say where an unowned generic agent is ("police in Kampala", "students
#: throughout Indonesia", "protesters across Kenya").
WHEREABOUTS_PREPS = frozenset({"in", "throughout", "across"})
#: Entity types of a "by" phrase that says when or how much, not who ("by Friday", "by 5%").
_MEASURE_ENTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL"})
#: Links of a gerund that stands where a noun would ("killed in shelling by X").
_NOMINAL_DEPS = frozenset({"pcomp", "pobj", "nsubj", "nsubjpass", "dobj"})
#: Clauses inside a noun phrase: what they name is not what the phrase denotes.
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp"})


@dataclass(frozen=True, slots=True)
class ActorResolution:
    """The actors found for one trigger, with what their event coding needs to know about how
    they were found. (Returned rather than kept on :class:`Participants`: resolving some other
    verb's actors on the way, as :meth:`Participants.custodian` does, or a target phrase's
    pronoun, must not change what is known about this trigger's actors.)"""

    actors: tuple[str, ...] = ()
    #: The actors are no one the text names but the state it implies for an unnamed agent
    #: ("government forces", "police"; unnamed rebels of a country their act names): that
    #: state's own citizens can be its targets ("clashed with Kenyan protesters").
    implied_state: bool = False
    #: The actors are unnamed rebels, of the country their own act names as its ground
    #: ("rebels shelled Chad's capital"): that country is read from the act, no guess that a
    #: country owning what the act is aimed at could contradict.
    grounded_by_own_act: bool = False

    @classmethod
    def of(cls, actors: Iterable[str], found_in: Iterable[ActorResolution] = ()) -> ActorResolution:
        """``actors``, flagged as any of the resolutions they were found in is (a flag is only
        ever set on the state or rebels an unnamed agent stands for, so a phrase with one in it
        is flagged as a whole, as a list of such phrases is)."""
        parts = list(found_in)
        return cls(
            tuple(actors),
            implied_state=any(p.implied_state for p in parts),
            grounded_by_own_act=any(p.grounded_by_own_act for p in parts),
        )

    def __bool__(self) -> bool:
        """Anyone found: ``np_actors(x) or state_agent(x)`` falls back as with lists."""
        return bool(self.actors)


NOBODY = ActorResolution()


class Participants:
    """Actors and targets of the events of one article."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res
        self.words = res.participant_words
        self.agents = {**res.petrarch.agents, **res.extra_agents}
        self.state_permits = frozenset(res.trigger_tables["state_permits"]["nouns"])

    def not_target_preps(self, code: str) -> frozenset[str]:
        """Prepositions whose object sides with the actor: "fought alongside X", and for
        force events "fighting for X"."""
        if code[:2] in FIGHT_ROOTS:
            return self.words.ally_preps | self.words.force_ally_preps
        return self.words.ally_preps

    def actors(self, trig: Token, table: EntityTable, resolver: Resolver, code: str = "") -> ActorResolution:
        """The subject, the passive agent, or (for verbs without either) the subject of the
        verb they depend on; a relative pronoun stands for the noun it modifies. A stance
        (``code`` an intent, 03: "Vietnam is committed to reform") is its subject's own."""
        verb: Token | None = trig
        via_xcomp = False
        doer = gerund_agent(trig)
        if doer is not None:
            # "villagers were killed in shelling by the army": the gerund's "by" phrase acts
            found = self.np_actors(doer, table, resolver) or self.state_agent(doer, table, trig, code)
            if found:
                return found
        via_active_conjunct = False
        for _ in range(4):
            if verb is None:
                break
            reduced = reduced_passive(verb)
            if via_active_conjunct and is_passive(verb):
                # "The envoy was received by the king and thanked Norway": an active conjunct
                # (a finite verb with an object) shares the first conjunct's subject (the
                # envoy), not its "by" phrase
                subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
                return self.np_actors(subject, table, resolver) if subject is not None else NOBODY
            if (
                verb.i == trig.i
                and verb.dep_ == "conj"
                and is_passive(verb)
                and not is_passive(verb.head)
                and not any(c.dep_ in SUBJECTS or c.dep_ == "nsubjpass" for c in verb.children)
            ):
                # "Ghana expelled the envoy and was condemned": a passive conjunct shares the
                # first conjunct's subject, which it is done to; no "by" phrase, no actor
                return NOBODY
            if is_passive(verb):
                for child in verb.children:
                    if child.dep_ == "agent":
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                return self.np_actors(pobj, table, resolver) or self.state_agent(
                                    pobj, table, trig, code
                                )
                by = by_phrase_agent(verb)
                if by is not None:
                    # "was backed by two retired judges", the "by" phrase parsed as a plain
                    # preposition: its object acts, when it names anyone (not "by helicopter")
                    found = self.np_actors(by, table, resolver) or self.state_agent(by, table, trig, code)
                    if found:
                        return found
                subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
                if (
                    verb.i == trig.i
                    and subject is not None
                    and (code[:2] in STANCE_ROOTS or self._engaged(verb))
                ):
                    # "Vietnam is committed to reform"; "the forces were engaged in shelling": a
                    # state the subject is in, not something done to it
                    return self.np_actors(subject, table, resolver)
                means = self._means_agent(verb) if verb.i == trig.i else None
                if means is not None:
                    # "eight people were killed in an air strike by government forces": who
                    # struck killed
                    return self.np_actors(means, table, resolver) or self.state_agent(
                        means, table, trig, code
                    )
                if verb.i == trig.i and not via_xcomp and (reduced or subject is not None):
                    # "20 people were killed" after "the Government crumbled": a passive without
                    # its agent names no actor; the clause it hangs on is somebody else's act.
                    # "Asked whether ..., the minister said": the main subject was asked
                    return NOBODY
            if via_xcomp and verb.i != trig.i and verb.lemma_.lower() in self.words.object_control:
                # "forced the rebels to withdraw": the object of the governing verb acts
                controller = next((c for c in verb.children if c.dep_ == "dobj"), None)
                if controller is not None:
                    return self.np_actors(controller, table, resolver) or self.state_agent(
                        controller, table, trig, code
                    )
            # "Grossi is expected to meet": the passive subject of the governing verb acts
            subjects = [
                c for c in verb.children if c.dep_ in SUBJECTS or (c.dep_ == "nsubjpass" and via_xcomp)
            ]
            for child in subjects:
                if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    return self.np_actors(verb.head, table, resolver)  # "Prabowo, who visited"
                if self._not_an_agent(child):
                    return NOBODY  # "Sudan's war has killed thousands": a war acts for nobody named
                found = self.np_actors(child, table, resolver) or self.state_agent(child, table, trig, code)
                if found or child is subjects[-1]:
                    # "The militant group Hamas fired", parsed as two subjects: the named one
                    return found
            purpose = self._purpose_of_act(verb)
            if purpose is not None:
                # "gathered for a rally to protest X", "held a meeting to discuss X": whoever
                # does the act the noun names has that purpose
                verb = purpose
                continue
            if verb.dep_ == "relcl":
                return self.np_actors(verb.head, table, resolver)
            if (
                verb.dep_ == "acl"
                and verb.tag_ == "VBG"
                and verb.head.dep_ == "dobj"
                and verb.head.lemma_.lower() in self.res.nouns
            ):
                # "issued a statement condemning", "launched an attack killing": the act the
                # participle describes is done by whoever did the act its noun names
                verb = verb.head.head
                continue
            if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in {"NOUN", "PROPN"}:
                # "UN inspectors probing the sites", "demonstrators protesting the results": an
                # active participle on a noun says what the noun's referents do
                return self.np_actors(verb.head, table, resolver) or self.state_agent(
                    verb.head, table, trig, code
                )
            if verb.dep_ in INHERIT_DEPS or (verb.dep_ == "dobj" and verb.pos_ == "VERB"):
                via_xcomp = verb.dep_ in {"xcomp", "acomp"}
                via_active_conjunct = (
                    verb.dep_ == "conj"
                    and verb.tag_ in {"VBD", "VBZ", "VBP"}
                    and any(c.dep_ == "dobj" for c in verb.children)  # ("and deported to X": passive)
                    and not any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
                )
                # "..., after accusing X": the participle hangs on a preposition
                verb = verb.head.head if verb.dep_ == "pcomp" else verb.head
            else:
                break
        return NOBODY

    def _engaged(self, verb: Token) -> bool:
        """A participle of a prepositional light verb with its preposition ("were engaged in",
        "was involved in"): the subject is the doer of the act the preposition governs."""
        lemma = verb.lemma_.lower()
        return any(
            c.dep_ == "prep" and f"{lemma} {c.lower_}" in self.res.prepositional_light for c in verb.children
        )

    def _purpose_of_act(self, verb: Token) -> Token | None:
        """The verb that governs an event noun whose infinitive of purpose this verb is ("a
        rally to protest", "talks to settle"), directly or through a preposition ("converged
        for a rally to protest"); None otherwise, and for an appeal, a demand or a threat,
        whose infinitive is what it asks or threatens ("an appeal to Chad to extradite X")."""
        noun = verb.head
        noun_code = self.res.nouns.get(noun.lemma_.lower())
        if (
            verb.dep_ not in {"relcl", "acl"}
            or noun.i == verb.i
            or noun_code is None  # no event noun: nobody does an act it names
            or noun_code[:2] in {"02", "10", "13"}
            or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
            or any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
        ):
            return None
        governor = noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else noun.head
        if noun.dep_ not in {"dobj", "pobj"} or governor.pos_ not in {"VERB", "AUX"}:
            return None
        return governor

    def _means_agent(self, verb: Token) -> Token | None:
        """The agent of the act a passive happened in: "were killed in an air strike by X",
        "died in shelling by X" (an event noun in an "in" phrase, with its "by" phrase)."""
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ != "in":
                continue
            for act in prep.children:
                if act.dep_ == "pobj" and act.lemma_.lower() in self.res.nouns:
                    by = next(
                        (c for c in act.children if c.dep_ in {"prep", "agent"} and c.lower_ == "by"), None
                    )
                    agent = (
                        next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
                    )
                    if agent is not None:
                        return agent
        return None

    def _not_an_agent(self, subject: Token) -> bool:
        """A subject headed by an event or a force of nature is no actor, whoever owns it; a
        named storm ("Hurricane Mitch", "Cyclone Tracy") is one too, whatever the tagger
        took its name for."""
        first = next((t for t in subject.subtree if t.dep_ != "det"), subject)
        if first.i != subject.i and first.dep_ == "compound" and first.lemma_.lower() in self.res.non_agents:
            return True  # a kind named first (not "the International Crisis Group")
        if table_entity_free(subject) and subject.pos_ == "NOUN":
            lemma = subject.lemma_.lower()
            return lemma in self.res.nouns or lemma in self.res.non_agents
        return False

    def _event_noun_object(self, obj: Token) -> Token | None:
        """The object of an event noun that is itself the verb's object: "ordered the arrest
        of Haddad" -> Haddad, "launched attacks on Israel" -> Israel."""
        if obj.lemma_.lower() not in self.res.nouns:
            return None
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ in {"of", "on", "against"}:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
        return None

    @staticmethod
    def _act_owner(act: Token) -> list[Token]:
        """Who did the act a noun names: "North Korea's launches", "Russian strikes", "the
        attack by Hamas"."""
        for child in act.children:
            if child.dep_ in {"poss", "compound", "amod"} and child.ent_type_:
                return [child]
            if child.dep_ in {"prep", "agent"} and child.lower_ == "by":
                return [c for c in child.children if c.dep_ == "pobj"]
        return []

    def agent_code(self, tok: Token) -> str | None:
        """PETRARCH's agent code of a generic noun phrase head ("police" COP, "troops" MIL,
        "riot police" COP, "protesters" OPP), or None."""
        agents = self.agents
        compound = " ".join(c.lower_ for c in tok.children if c.dep_ == "compound" and c.i < tok.i)
        for phrase in (f"{compound} {tok.lower_}".strip(), tok.lower_, tok.lemma_.lower()):
            code = agents.get(phrase)
            if code:
                return code
        return None

    def state_agent(
        self, tok: Token, table: EntityTable, trig: Token, event_code: str = ""
    ) -> ActorResolution:
        """An unnamed agent of the state ("police arrested ...", "the court sentenced ...",
        "troops fired ...") acts for the state where it happens (see :meth:`authority`);
        other generic agents (protesters, gunmen, rebels) without a named owner are nobody.
        Unnamed officials in the plural who meet or consult (``event_code`` 04) are nobody:
        people of several states meet on neutral ground, and the venue says nothing of whose
        they are ("officials met in Geneva")."""
        act = tok.head if tok.dep_ in SUBJECTS else trig  # what the agent itself does
        tok = counted_group(tok)
        code = self.agent_code(tok)
        if code is None or (event_code[:2] == "04" and tok.tag_ in {"NNS", "NNPS"}):
            return NOBODY
        if code[:3] in self.words.crowd_codes:
            # "Thousands of farmers blocked the roads around Lyon": the civilians of
            # the place they act in; a crowd nowhere named is nobody
            return ActorResolution.of(self._scene(table, trig))
        if code[:3] in REBEL_CODES:
            # "Insurgents shelled a district of Syria's capital": rebels are domestic, of the
            # country their own act names as its ground (never a guess from the article)
            found = self._ground(act, table)
            return ActorResolution(tuple(found), implied_state=bool(found), grounded_by_own_act=bool(found))
        if code[:3] in STORY_AGENT_CODES and _definite(tok):
            # "the company declined to comment", in a story of one state: a definite firm
            # of no named owner is that state's (a story of several states leaves it open)
            state = story_state(table)
            return ActorResolution.of([state] if state else [])
        if code[:3] not in STATE_AGENTS | {"OPP"}:
            return NOBODY
        found = self.authority(table, trig, None)
        # (the opposition is of that state, but no agent of it)
        return ActorResolution(tuple(found), implied_state=bool(found) and code[:3] in STATE_AGENTS)

    def targets(self, match: Match, table: EntityTable, resolver: Resolver) -> list[str]:
        trig = match.trigger
        if match.target is not None:
            return self.np(match.target, table, resolver, deep=True)
        not_targets = self.not_target_preps(match.code)
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
                if (
                    child.dep_ in {"dobj", "iobj", "dative"}
                    and (match.noun is None or child.i != match.noun.i)
                ) or (child.dep_ == "nsubjpass" and passive):
                    if match.code[:2] in REACTION_ROOTS and child.lemma_.lower() in self.res.reaction_objects:
                        # "condemned the attack on Kharkiv": aimed at the attacker, who is named
                        # as the act's owner ("North Korea's launches") or found among earlier acts
                        candidates.extend(self._act_owner(child))
                        continue
                    inner = self._event_noun_object(child)
                    candidates.append(inner if inner is not None else child)
                elif (
                    child.dep_ == "prep"
                    and not _holds(child, match.agent)
                    and (
                        (child.lower_ in TARGET_PREPS and child.lower_ not in not_targets)
                        # "the invasion of Haiti": the object of a nominal event (not its actor)
                        or (
                            child.lower_ == "of"
                            and match.agent_noun is not None
                            and head.i == match.agent_noun.i
                        )
                    )
                ):
                    candidates.extend(c for c in child.children if c.dep_ == "pobj")
                elif (
                    child.dep_ == "prep"
                    and child.lower_ == "as"
                    and head.i == trig.i
                    and match.code[:2] in REACTION_ROOTS
                ):
                    # "condemned as false claims by X": the judgement before the object makes
                    # the parser read the object as an "as" phrase; the act's owner is the target
                    candidates.extend(
                        owner
                        for c in child.children
                        if c.dep_ == "pobj" and c.lemma_.lower() in self.res.reaction_objects
                        for owner in self._act_owner(c)
                    )
                elif child.dep_ in {"ccomp", "xcomp"} and head.i == trig.i:
                    candidates.extend(c for c in child.children if c.dep_ == "nsubj")
        shared = match.agent_noun
        if shared is not None and shared.dep_ == "conj" and not _has_prep(shared, "of"):
            # "the abduction and murder of X": conjoined acts share their object
            candidates.extend(
                c
                for p in shared.head.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for c in p.children
                if c.dep_ == "pobj"
            )
        reasons = self.words.reason_nouns
        out: list[str] = []
        for cand in candidates:
            if cand.lemma_.lower() in reasons:
                continue  # "detained on suspicion of links to X": a ground, not a target
            for ent in self.np(cand, table, resolver, deep=True):
                if ent not in out:
                    out.append(ent)
        return out

    def echoed_actors(
        self, actors: list[str], found: list[str], trig: Token, table: EntityTable, agent: Token | None = None
    ) -> list[str]:
        """Actors named in the sentence only as the owner of something the trigger acts on:
        "The government expressed gratitude for Japan's help" makes "the government" a guess
        that Japan contradicts (nobody thanks itself for its own help); such an actor is
        better unresolved. (A nationality is no owner: "police fired on Kenyan protesters".)
        The phrase that names who did the act (``agent``, a nominal event's: "the attack by
        X"; a passive's "by" phrase: "they were attacked by X", "killed in a strike by X") is
        the actor named, no owner, its own owners included ("by X's army")."""
        doers = [d for d in (agent, *self._own_agents(trig)) if d is not None]
        sent = table.sentence(trig.i)
        echoed = []
        for actor in actors:
            if actor not in found:
                continue
            mentions = [
                t
                for t in sent
                if (e := table.token_entity[t.i]) is not None and as_country(e, table) == actor
            ]
            if mentions and all(
                t.i > trig.i
                and trig.is_ancestor(t)
                and _owner(t)
                and not any(d.i == t.i or d.is_ancestor(t) for d in doers)
                for t in mentions
            ):
                echoed.append(actor)
        return echoed

    def _own_agents(self, trig: Token) -> list[Token]:
        """The phrases a passive trigger names its doer by: its "by" phrase ("were attacked by
        X") and that of the act it happened in ("were killed in an air strike by X")."""
        if not is_passive(trig):
            return []
        return [
            pobj
            for by in trig.children
            if by.lower_ == "by" and by.dep_ in {"agent", "prep"}
            for pobj in by.children
            if pobj.dep_ == "pobj"
        ] + [m for m in (self._means_agent(trig),) if m is not None]

    @staticmethod
    def other_side(
        found: list[str], actors: list[str], table: EntityTable, *, implied_state: bool = False
    ) -> list[str]:
        """Targets that are not the actors; a city or region of the actors' own country is
        where they acted ("deported from Dubai" by the Emirates), not whom they acted on.
        ``implied_state``: the actor is the state the text implies ("A British man has been
        found guilty"): its citizens stay targets."""
        own = set(certain_countries(actors, table))
        out = []
        for t in found:
            entity = table.entities.get(t)
            if (t in actors and not implied_state) or (
                t.startswith("place:") and entity is not None and entity.country in own
            ):
                continue
            out.append(t)
        return out

    def reaction_targets(
        self, reaction: Token, actors: list[str], earlier: list[Event], table: EntityTable
    ) -> list[str]:
        """Who a reaction answers: the actors of the earlier act it names by the same word
        ("condemned the strikes" after "warplanes struck"), else of the latest earlier act of
        the kind it names ("rejected the accusation": whoever accused, even of the same
        country), else of the latest earlier act by another country."""
        lemma = reaction.lemma_.lower()
        others = [e for e in reversed(earlier) if e.actors and not set(actors) & set(e.actors)]
        for e in others:
            span = table.doc.char_span(e.trigger.start, e.trigger.end, alignment_mode="expand")
            if span is not None and any(t.lemma_.lower() == lemma for t in span):
                return list(e.actors)
        root = self.res.reaction_roots.get(lemma)
        if root is not None:
            roots = {root, "06"} if root == "15" else {root}  # a joint exercise is also 06
            found = next((list(e.actors) for e in others if e.root_code in roots), [])
            if found:
                return found
        own = set(countries(actors, table)) | set(actors)
        return next(
            (list(e.actors) for e in others if not own & (set(e.actors) | set(e.actor_countries))),
            [],
        )

    def agentless_state(
        self, trig: Token, table: EntityTable, resolver: Resolver, location: str | None
    ) -> list[str]:
        """Who arrests, charges or holds when a passive names nobody: the state of the place
        it happened, else the state the sentence shows releasing or holding people ("X, who
        had been detained, was freed as Egypt said it would free ..."; never the detainee's
        own country for being the most mentioned), else :meth:`authority`."""
        if location is not None and table.entities[location].country:
            return self.authority(table, trig, location)
        return self.custodian(trig, table, resolver) or self.authority(table, trig, None)

    def permit_object(self, trig: Token) -> Token | None:
        """The permit a passive trigger denies or grants ("had been denied visas"): only a
        state gives one, so the passive names its actor even without an agent."""
        if not any(c.dep_ == "auxpass" for c in trig.children):
            return None
        return next(
            (c for c in trig.children if c.dep_ == "dobj" and c.lemma_.lower() in self.state_permits), None
        )

    def permit_state(self, permit: Token, table: EntityTable, trig: Token, location: str | None) -> list[str]:
        """The state a permit is for: the first country or place named in its phrase or its
        clauses, or in the infinitive of purpose on the verb ("visas to enter Canada", "a
        permit for Kenya"), else the state of the place
        the refusal happened (never the article's most named country: the holder's own state
        is as often named)."""
        # the clause may hang on the verb rather than the permit ("had been denied visas
        # until last week to enter Canada")
        purposes = [
            c
            for c in trig.children
            if c.dep_ in {"advcl", "xcomp"} and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        ]
        for tok in [t for head in (permit, *purposes) for t in head.subtree]:
            ent = table.token_entity[tok.i]
            entity = table.entities.get(ent) if ent is not None else None
            if entity is not None and entity.type in {"GPE", "LOC"} and entity.country:
                return [f"country:{entity.country}"]
        return self.authority(table, trig, location) if location is not None else []

    def event_host(self, trig: Token, table: EntityTable, resolver: Resolver) -> list[str]:
        """Who holds the event a passive invites someone to, as its "to" phrase names the
        owner ("was invited to their summit", "to the Kenyan president's banquet"); never the
        party invited (nobody invites itself: a pronoun resolved to it is unresolved)."""
        invited = {e for c in trig.children if c.dep_ == "nsubjpass" for e in self.np(c, table, resolver)}
        for prep in trig.children:
            if prep.dep_ != "prep" or prep.lower_ != "to":
                continue
            for event in (c for c in prep.children if c.dep_ == "pobj"):
                for owner in event.children:
                    if owner.dep_ == "poss" or (owner.dep_ in {"compound", "amod"} and owner.ent_type_):
                        found = [e for e in self.np(owner, table, resolver) if e not in invited]
                        if found:
                            return found
        return []

    def custodian(self, trig: Token, table: EntityTable, resolver: Resolver) -> list[str]:
        """The states that are the active subject, in the trigger's sentence, of another verb
        PETRARCH codes as yielding (releasing, 08) or coercing (holding, arresting, 17)."""
        verbs = self.res.petrarch.verbs
        for tok in table.sentence(trig.i):
            if tok.i == trig.i or tok.pos_ != "VERB" or any(c.dep_ == "auxpass" for c in tok.children):
                continue
            entries = verbs.get(tok.lemma_.lower(), ())
            if not any(e.code[:2] in CUSTODY_ROOTS and not (e.before or e.after) for e in entries):
                continue
            # (only the names: what is known of how that verb's actors were found is not
            # known of this trigger's)
            found = self.actors(tok, table, resolver).actors
            states = [a for a in found if a.startswith("country:")]
            if states:
                return states
        return []

    @staticmethod
    def authority(table: EntityTable, trig: Token, location: str | None) -> list[str]:
        """Who arrests when the text does not say: the state where it happened (the
        location's country, else a place named in the sentence, else the article's most
        mentioned country, its towns and regions counted with it (a story set in one state's
        towns is that state's, whichever foreign state it names more often), else, in a story
        that never names a country, the country of most of its places: local news leaves its
        own state unsaid)."""
        sent = table.sentence(trig.i)
        places = [location] if location else []
        places += [
            e
            for e in (table.token_entity[i] for i in range(sent.start, sent.end))
            if e is not None and e.startswith("place:")
        ]
        for place in places:
            # "Police arrested 20 people in Nairobi": Kenya acts even when never named
            country = table.entities[place].country
            if country:
                return [f"country:{country}"]
        weight: dict[str, int] = {}
        for e in table.entities.values():
            if e.id.startswith("country:"):
                n = sum(1 for m in e.mentions if not _seat(table.doc[m.end - 1]))
                if n:
                    weight[e.id] = weight.get(e.id, 0) + n
        if weight:
            for e in table.entities.values():
                if e.id.startswith("place:") and e.country and f"country:{e.country}" in weight:
                    weight[f"country:{e.country}"] += len(e.mentions)
            return [max(weight, key=lambda c: (weight[c], c))]
        state = table.state_of_places()
        return [state] if state else []

    @staticmethod
    def _ground(trig: Token, table: EntityTable) -> list[str]:
        """The country of the first place or country named in what the trigger acts on or
        where (its objects and prepositional phrases, not its subject or its clauses)."""
        for child in trig.children:
            if child.i < trig.i or child.dep_ not in {"dobj", "prep"}:
                continue
            for tok in phrase_tokens(child):
                ent = table.token_entity[tok.i]
                entity = table.entities.get(ent) if ent is not None else None
                if entity is not None and entity.type in {"GPE", "LOC"} and entity.country:
                    return [f"country:{entity.country}"]
        return []

    @staticmethod
    def _scene(table: EntityTable, trig: Token) -> list[str]:
        """The country of the first place the sentence puts someone in ("in Hong Kong", "at a
        jail in Dili"), a country named as a place included."""
        for tok in table.sentence(trig.i):
            ent = table.token_entity[tok.i]
            if ent is None or tok.dep_ != "pobj" or tok.head.lower_ not in LOCATION_PREPS:
                continue
            place = table.entities[ent]
            if place.country and place.type in {"GPE", "LOC", "FAC"}:
                return [f"country:{place.country}"]
        return []

    def sentence_target(
        self, trig: Token, table: EntityTable, actors: list[str], location: str | None, code: str = ""
    ) -> list[str]:
        """Fallback: the first entity after the trigger in its clause that is neither an
        actor nor the event's location, nor an ally or the ground of the act."""
        sent = table.sentence(trig.i)
        not_targets = self.not_target_preps(code)
        for i in range(trig.i + 1, min(sent.end, trig.i + TARGET_WINDOW)):
            tok = table.doc[i]
            if tok.text in {";", '"'} or (
                tok.pos_ == "VERB" and tok.dep_ in {"conj", "ccomp"} and tok.head == trig
            ):
                break
            ent = table.token_entity[i]
            if ent is None or ent == location:
                continue
            ent = as_country(ent, table)
            e = table.entities[ent]
            if ent in actors or e.type not in {"GPE", "ORG", "PERSON"}:
                continue
            if e.country and e.country in certain_countries(actors, table):
                continue  # the actor's own country is context here, not a target
            if tok.dep_ == "pobj" and tok.head.lower_ in LOCATION_PREPS:
                continue
            if self._aside(tok, trig, not_targets) or _governing_subject(tok, trig):
                continue
            return [ent]
        return []

    def _aside(self, tok: Token, trig: Token, not_targets: frozenset[str]) -> bool:
        """Is ``tok`` inside an ally phrase or the ground of the act ("on suspicion of links
        to X") on its way up to the trigger?"""
        node = tok
        for _ in range(8):
            if node.i == trig.i or node.head.i == node.i:
                return False
            if node.dep_ == "pobj" and node.head.lower_ in not_targets:
                return True
            if node.pos_ == "NOUN" and node.lemma_.lower() in self.words.reason_nouns:
                return True
            node = node.head
        return False

    def np(self, tok: Token, table: EntityTable, resolver: Resolver, deep: bool = False) -> list[str]:
        """Entities a noun phrase denotes: its own mention, a resolved reference, the
        countries or organisations modifying it ("Chinese vessels"), and its conjuncts."""
        return list(self.np_actors(tok, table, resolver, deep).actors)

    def np_actors(
        self, tok: Token, table: EntityTable, resolver: Resolver, deep: bool = False
    ) -> ActorResolution:
        """:meth:`np` with how its entities were found, for a phrase that names actors: "They
        fired" of unnamed troops is the state the text implies (see :meth:`state_agent`)."""
        out: list[str] = []
        heads = [self.np_head(head, table, resolver, deep) for head in [tok, *conjuncts(tok)]]
        for found in heads:
            for ent in found.actors:
                ent = as_country(ent, table)
                if ent not in out and not ent.startswith("misc:"):  # groups, laws, events
                    out.append(ent)
        return ActorResolution.of(out, heads)

    def np_head(self, tok: Token, table: EntityTable, resolver: Resolver, deep: bool) -> ActorResolution:
        own = table.entity_at(tok)
        if own is not None and not own.startswith("misc:"):
            if not deep and own.startswith("country:") and self._one_unnamed(tok):
                return NOBODY  # "another Canadian has been protesting": one unnamed person acts
            return ActorResolution.of([own])
        if own is not None or (tok.pos_ in {"PROPN", "NOUN"} and tok.text[:1].isupper()):
            # "Nigerians", "two Britons" left as a group or as nobody: the demonym's country
            country = self.demonym_country(tok)
            if country is not None:
                if not deep and self._one_unnamed(tok):
                    return NOBODY
                return ActorResolution.of([country])
        if own is None and tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            # "Haddad, who had been detained": the relative pronoun is the noun it modifies
            # (the name an unnamed appositive describes: "Haddad, an activist who ...")
            noun = tok.head.head
            if noun.dep_ == "appos" and table.entity_at(noun) is None:
                noun = noun.head
            return self.np_head(noun, table, resolver, deep)
        named = [e for c in tok.children if c.dep_ == "appos" if (e := table.entity_at(c)) is not None]
        if named:
            return ActorResolution.of(named)  # "Its spokesman, Lin Jian, accused": the named appositive acts
        members = self.named_members(tok, table) if own is None else []
        if members:
            # "Several charities, including Oxfam and CARE, condemned": the members named act
            return ActorResolution.of(members)
        if own is None and tok.lower_ in PLURAL_PRONOUNS:
            group = unnamed_group_antecedent(tok, table)
            if group is not None and self._generic_agent(counted_group(group)):
                # "Hundreds of demonstrators gathered in Nairobi. They demanded ...": the group
                # itself, whoever it stands for (nobody, when it names no one), never a place
                return self.np_actors(group, table, resolver) or self.state_agent(group, table, group.head)
        if own is None and not self.new_referent(tok) and not self.owned_group(tok, table):
            resolved = resolver.resolve(tok)
            if resolved:
                return ActorResolution.of(resolved)
        found: list[str] = []
        inner: list[ActorResolution] = []  # the phrases inside this one (their flags are its own)
        for child in tok.children:
            # "Palestinian police", "China's military", "forces of X", "staff at Westpac"
            at_owner = child.lower_ == "at" and self.agent_code(tok) is not None
            if child.dep_ in MODIFIER_DEPS or (
                child.dep_ == "prep" and (child.lower_ in {"of", "by", "from"} or at_owner)
            ):
                node = (
                    child
                    if child.dep_ != "prep"
                    else next((c for c in child.children if c.dep_ == "pobj"), None)
                )
                if node is None:
                    continue
                ent = self.modifier_entity(node, table)
                if ent is None and child.dep_ == "amod":
                    ent = self._leader(node, table)
                if ent is None and child.dep_ == "poss" and node.pos_ == "PRON" and self.agent_code(tok):
                    # "Israel said its troops fired": the owner a possessive pronoun refers to
                    # (of an agent only: "his predecessor", "his role" are someone, something else)
                    found.extend(resolver.resolve(node))
                    continue
                if ent is not None and not ent.startswith("misc:"):
                    found.append(ent)
                    # "Australian and Indonesian troops"
                    found.extend(
                        e for c in conjuncts(node) if (e := self.modifier_entity(c, table)) is not None
                    )
                elif deep or child.dep_ == "prep":
                    part = self.np_head(node, table, resolver, deep)
                    inner.append(part)
                    found.extend(part.actors)
        if not found and own is None:
            # "The attackers, former members of the Haitian military, fired": an unnamed
            # appositive says who they are
            for appos in (c for c in tok.children if c.dep_ == "appos"):
                part = self.np_head(appos, table, resolver, deep)
                inner.append(part)
                found.extend(part.actors)
        if not found and self.agent_code(tok) is not None:
            found.extend(self._whereabouts(tok, table))
        if not found and deep:
            for sub in phrase_tokens(tok):
                ent = table.entity_at(sub)
                if sub.dep_ == "pobj" and sub.head.lower_ in LOCATION_PREPS:
                    continue  # "charged with murder in Sydney": where, not whom
                if ent is not None and sub.i - tok.left_edge.i < 20:
                    found.append(ent)
                    break
        return ActorResolution.of(found, inner)

    def named_members(self, group: Token, table: EntityTable) -> list[str]:
        """The members an unnamed plural group noun lists by name ("aid agencies including
        Oxfam and CARE", "producers such as Brazil"): the named entities of its "including" or
        "such as" phrase and that phrase's conjuncts (groups of other kinds left out)."""
        if group.pos_ != "NOUN" or group.tag_ != "NNS":
            return []
        such = any(c.dep_ == "amod" and c.lower_ == "such" for c in group.children)
        out: list[str] = []
        for prep in group.children:
            if prep.dep_ != "prep" or not (
                prep.lower_ in self.words.member_preps
                or (prep.lower_ == "as" and (such or any(c.lower_ == "such" for c in prep.children)))
            ):
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                for member in (pobj, *conjuncts(pobj)):
                    ent = table.entity_at(member)
                    if ent is not None and not ent.startswith("misc:") and ent not in out:
                        out.append(ent)
        return out

    @staticmethod
    def _whereabouts(agent: Token, table: EntityTable) -> list[str]:
        """ "Demonstrators in Baghdad", "police in Kampala": a generic agent that names no owner
        belongs to the country where it is (an owner named as well wins: "Russia's embassy in
        Berlin" is Russia's)."""
        for child in agent.children:
            if child.dep_ == "prep" and child.lower_ in WHEREABOUTS_PREPS:
                for pobj in child.children:
                    ent = table.entity_at(pobj) if pobj.dep_ == "pobj" else None
                    place = table.entities[ent] if ent is not None else None
                    if place is not None and place.country and place.type in {"GPE", "LOC", "FAC"}:
                        return [f"country:{place.country}"]
        return []

    def _generic_agent(self, noun: Token) -> bool:
        """A kind of agent PETRARCH codes ("demonstrators", "rebels", "police"), not a noun the
        coreference rules read as people or states named before ("the ministers", "both
        sides", "the authorities")."""
        lemma = noun.lemma_.lower()
        groups = self.res.group_nouns
        if lemma in groups["person"] or lemma in groups["country"]:
            return False
        return self.agent_code(noun) is not None

    def _leader(self, participle: Token, table: EntityTable) -> str | None:
        """ "Saudi-led coalition", "Vietnamese-led forces": who leads a force is whose it is
        (the hyphened modifier of the participle; "backed" or "trained" name a sponsor, not an
        owner)."""
        if participle.tag_ != "VBN" or participle.lemma_.lower() != "lead":
            return None
        for child in participle.children:
            if child.dep_ in {"npadvmod", "compound", "nmod", "amod"} and child.i < participle.i:
                ent = self.modifier_entity(child, table)
                if ent is not None and not ent.startswith("misc:"):
                    return ent
        return None

    def modifier_entity(self, tok: Token, table: EntityTable) -> str | None:
        """The entity of a modifier, a demonym the entity rules left as a group ("Liberian
        riot police", "Somali pirates") standing for its country."""
        ent = table.entity_at(tok)
        if ent is not None and ent.startswith("misc:"):
            return self.demonym_country(tok) or ent
        if ent is None and tok.pos_ in {"ADJ", "PROPN"} and tok.text[:1].isupper():
            return self.demonym_country(tok)
        return ent  # (a group the demonyms do not name stays misc: the caller looks inside it)

    def demonym_country(self, tok: Token) -> str | None:
        """``country:XXX`` for a demonym or country adjective (the curated table, else
        PETRARCH's country adjectives)."""
        iso3 = self.res.country_of_text(tok.text)
        if iso3 is None:
            places = self.res.petrarch.places
            key = alias_key(tok.text)
            iso3 = places.get(key) or (places.get(key[:-1]) if key.endswith("s") else None)
            if iso3 is not None and alias_key(self.res.country_names.get(iso3, "")) == key:
                iso3 = None  # a country's own name is an entity the rules already saw
        return f"country:{iso3}" if iso3 else None

    def _one_unnamed(self, demonym: Token) -> bool:
        """ "an Australian", "another Briton": one person nobody names (as an actor, not the
        state; "Palestinians protested" is the country)."""
        return demonym.tag_ in {"NN", "NNP", "JJ"} and any(
            c.dep_ in {"det", "nummod"} and c.lower_ in self.words.indefinites for c in demonym.children
        )

    def owned_group(self, tok: Token, table: EntityTable) -> bool:
        """ "Chinese officials", "the Commonwealth ministers": a plural noun whose modifier
        says whose they are is that owner's, not the people named before; so is a state noun
        ("the Canadian government" is Canada's, whatever country the article names most)."""
        if tok.pos_ == "NOUN" and tok.tag_ != "NNS" and tok.lemma_.lower() in self.res.group_nouns["country"]:
            return any(
                c.dep_ == "amod" and (self.modifier_entity(c, table) or "").startswith("country:")
                for c in tok.children
            )
        if tok.pos_ != "NOUN" or tok.tag_ != "NNS":
            return False
        for child in tok.children:
            if child.dep_ not in {"compound", "amod", "nmod"}:
                continue
            ent = self.modifier_entity(child, table) or self._leader(child, table)
            if (ent is not None and not ent.startswith("misc:")) or child.pos_ == "PROPN":
                return True
        return False

    def new_referent(self, tok: Token) -> bool:
        """ "a man", "another Australian", "five men": a noun phrase that introduces someone
        new; and "the man" after "a man": the same unnamed one. Neither refers to anyone
        named before."""
        words = self.words.indefinites
        definite = False
        for child in tok.children:
            if child.dep_ in {"det", "nummod", "amod"} and child.lower_ in words:
                return True
            if child.dep_ in {"det", "poss"}:
                definite = True
        if tok.pos_ != "NOUN":
            return False
        if not definite and any(c.dep_ == "nummod" for c in tok.children):
            return True  # "Five men were charged"
        if any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            doc = tok.doc
            lemma, pos = tok.lemma, tok.pos  # (hashes: this scan runs for every "the X")
            for i in range(tok.i - 1, max(-1, tok.i - _ANTECEDENT_WINDOW), -1):
                earlier = doc[i]
                if earlier.lemma == lemma and earlier.pos == pos:
                    return any(c.dep_ == "det" and c.lower_ in words for c in earlier.children)
        return False


def _definite(tok: Token) -> bool:
    """ "the company": a definite article (no possessive, numeral or indefinite)."""
    return any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)


def story_state(table: EntityTable) -> str | None:
    """``country:<ISO3>`` of a story whose countries, places, organisations and people all lie
    in one state, else None (a story of two states, or a foreign firm in it, says nothing of
    an unnamed firm's; a country that is only the article's guess counts for nothing)."""
    states = {e.country for e in table.entities.values() if e.country and not e.fallback}
    return f"country:{next(iter(states))}" if len(states) == 1 else None


def is_passive(verb: Token) -> bool:
    """A verb in the passive: with a passive subject or auxiliary, a participle on a noun ("the
    agreement signed by X") or a clause of its own (:func:`reduced_passive`)."""
    return (
        any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
        or (verb.dep_ == "acl" and verb.tag_ == "VBN")
        or reduced_passive(verb)
    )


def by_phrase_agent(verb: Token) -> Token | None:
    """The object of a "by" phrase the parser labelled a plain preposition on a passive verb
    (a passive subject or auxiliary, or a past participle after a form of "be"), or hung on
    the active infinitive the passive governs ("was invited to visit Oslo by the minister"):
    the doer, unless it says when or how much (see :func:`_by_object`). (The parser's own
    ``agent`` arc is read where it is found.)"""
    if verb.tag_ != "VBN":
        return None
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children) or any(
        c.dep_ in {"aux", "auxpass"} and c.lemma_ == "be" for c in verb.children
    )
    if not passive:
        return None
    found = _by_object(verb)
    for clause in (c for c in verb.children if c.dep_ == "xcomp" and found is None):
        if not any(c.dep_ in {"auxpass", "nsubjpass", "agent"} for c in clause.children):
            found = _by_object(clause)
    return found


def gerund_agent(verb: Token) -> Token | None:
    """The doer a gerund used as a noun names in its "by" phrase ("killed in shelling by
    government troops", "after looting by soldiers"): the gerund has no subject and stands
    where a noun would (the object of a preposition, a subject or an object)."""
    if verb.tag_ != "VBG" or verb.dep_ not in _NOMINAL_DEPS or any(c.dep_ in SUBJECTS for c in verb.children):
        return None
    return _by_object(verb)


def _by_object(verb: Token) -> Token | None:
    """The object of the verb's "by" preposition, unless it says when ("by Friday", "by the
    end of the week") or how much ("by 5 per cent")."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "by":
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj" and pobj.ent_type_ not in _MEASURE_ENTS and not pobj.like_num:
                return pobj
    return None


def reduced_passive(verb: Token) -> bool:
    """A past participle heading an adverbial clause of its own, without subject or
    auxiliary: "Asked whether ..., the minister said", "Backed by tanks, troops entered"."""
    return (
        verb.dep_ == "advcl"
        and verb.tag_ == "VBN"
        and not any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass", "mark"} for c in verb.children)
    )


def counted_group(tok: Token) -> Token:
    """The group a number heads: "Tens of thousands of farmers" -> farmers (a number word
    or numeral completed by "of")."""
    for _ in range(3):
        if not (tok.like_num or tok.tag_ == "CD" or tok.ent_type_ == "CARDINAL"):
            break
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is None:
            break
        tok = pobj
    return tok


def unnamed_group_antecedent(pronoun: Token, table: EntityTable) -> Token | None:
    """The subject a plural pronoun continues when it is a group nobody names ("Hundreds of
    demonstrators", "Rebel fighters"): the nearest subject before the pronoun, in its sentence
    or the one before, when that is a plural common noun without an entity of its own."""
    sent = table.sentence(pronoun.i)
    first = table.sentence(sent.start - 1).start if sent.start > 0 else sent.start
    for i in range(pronoun.i - 1, first - 1, -1):
        tok = table.doc[i]
        if tok.dep_ not in {"nsubj", "nsubjpass"} or tok.pos_ == "PRON":
            continue
        group = counted_group(tok)
        if group.tag_ == "NNS" and group.pos_ == "NOUN" and table.entity_at(group) is None:
            return tok
        return None
    return None


def phrase_tokens(tok: Token) -> list[Token]:
    """The tokens of a noun phrase without its clauses ("a man who was arrested in India"
    names nobody in India), in text order."""
    out: list[Token] = []
    stack = [tok]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(c for c in node.children if c.dep_ not in _CLAUSE_DEPS)
    out.sort(key=lambda t: t.i)
    return out


def conjuncts(tok: Token) -> list[Token]:
    """The other members of a list; "Britain, France, and Spain" parsed as a name, its
    appositive and the appositive's conjunct is a list too (an appositive with a conjunct of
    its own renames nothing)."""
    out: list[Token] = []
    stack = [
        c
        for c in tok.children
        if c.dep_ == "conj"
        or (c.dep_ == "appos" and tok.pos_ == "PROPN" and c.pos_ == "PROPN" and _has_conj(c))
    ]
    while stack:
        t = stack.pop(0)
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ == "conj")
    return out


def as_country(entity_id: str, table: EntityTable) -> str:
    """A city or region as an actor or target stands for its country when the article
    mentions that country ("visit Manila" -> the Philippines)."""
    if entity_id.startswith("place:"):
        country = table.entities[entity_id].country
        if country and f"country:{country}" in table.entities:
            return f"country:{country}"
    return entity_id


def countries(ids: list[str], table: EntityTable) -> list[str]:
    """The countries of actors or targets; a state the text implies without naming it
    ("police in Nairobi": ``country:KEN``) is no entity of the table but has its country."""
    out: list[str] = []
    for i in ids:
        entity = table.entities.get(i)
        country = (
            entity.country if entity else i.removeprefix("country:") if i.startswith("country:") else None
        )
        if country and country not in out:
            out.append(country)
    return out


def certain_countries(ids: list[str], table: EntityTable) -> list[str]:
    """The countries of actors that are their own (a dictionary, their name, their passage
    or a modifier says so), not the article's guess: "Smith will go to Jakarta" keeps Jakarta
    as the target when nothing says Smith is Indonesian."""
    return countries([i for i in ids if not ((e := table.entities.get(i)) and e.fallback)], table)


def reaction_object(trig: Token, reaction_objects: frozenset[str]) -> Token | None:
    """The noun naming the act a reaction answers ("condemned the strikes"; "a charge Baku
    denied")."""
    reaction = next(
        (o for o in trig.children if o.dep_ == "dobj" and o.lemma_.lower() in reaction_objects), None
    )
    if (
        reaction is None
        and trig.dep_ == "relcl"
        and trig.head.lemma_.lower() in reaction_objects
        and not any(c.dep_ == "dobj" for c in trig.children)
    ):
        reaction = trig.head
    return reaction


def table_entity_free(tok: Token) -> bool:
    """No named entity on the token itself (its modifiers may have one)."""
    return not tok.ent_type_


def _seat(tok: Token) -> bool:
    """ "a UK-based group", "a Qatar-funded channel": a country modifying a participle says
    where something sits or who pays for it, not where anything happens."""
    return (
        tok.dep_ in {"npadvmod", "compound", "nmod"}
        and tok.head.tag_ == "VBN"
        and tok.head.lemma_.lower() != "lead"
    )


def _owner(tok: Token) -> bool:
    """ "Japan's help", "help by Japan": whose the thing is."""
    return tok.dep_ == "poss" or (tok.dep_ == "pobj" and tok.head.lower_ == "by")


def _governing_subject(tok: Token, trig: Token) -> bool:
    """Is ``tok`` in the active subject of a verb the trigger's clause hangs on ("..., Kenyan
    officials said": the speaker of the report, not whom the reported act was aimed at)?"""
    node = tok
    for _ in range(8):
        if node.head.i == node.i or node.i == trig.i:
            return False
        if node.dep_ in SUBJECTS and node.head.is_ancestor(trig):
            return True
        node = node.head
    return False


def _has_conj(tok: Token) -> bool:
    return any(c.dep_ == "conj" for c in tok.children)


def _has_prep(tok: Token, word: str) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == word for c in tok.children)


def _holds(prep: Token, agent: Token | None) -> bool:
    """Is this the preposition of a nominal event's actor ("the warning from the minister")?"""
    return agent is not None and agent.head.i == prep.i
