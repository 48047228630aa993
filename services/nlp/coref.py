"""Who "he", "they", "the three ministers" and "the commission" refer to.

A deliberately simple, documented heuristic (docs/enrichment.md): look back from the pronoun
or definite description over the entity mentions already seen, nearest first.
"""

from __future__ import annotations

from spacy.tokens import Token

from services.nlp.entities.model import EntityTable
from services.nlp.resources import NlpResources

_SINGULAR_PERSON = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
_PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
_NEUTER = frozenset({"it", "its", "itself"})
#: "the government", "the authorities": with no speaker to tie them to, the article's main state.
_STATE_NOUNS = frozenset({"government", "authority", "administration", "cabinet", "regime"})
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "both": 2}
#: Object relations whose pronoun cannot be the subject of its own verb.
_OBJECTS = frozenset({"dobj", "dative", "iobj"})

#: How many sentences back a pronoun may reach.
_WINDOW_SENTENCES = 3


class Resolver:
    """Resolves references in one article, given its entity table."""

    def __init__(self, table: EntityTable, res: NlpResources) -> None:
        self.table = table
        self.res = res
        self.mentions = table.mentions_in_order()
        self.sent_of = table.sentence_numbers()

    def _sent_no(self, i: int) -> int:
        return self.sent_of[i]

    def _before(self, token: Token, types: set[str], window: int = _WINDOW_SENTENCES) -> list[str]:
        """Entity ids of the given types mentioned before ``token``, nearest first."""
        limit = self._sent_no(token.i) - window
        out: list[str] = []
        for m in reversed(self.mentions):
            if m.start >= token.i:
                continue
            if self._sent_no(m.start) < limit:
                break
            e = self.table.entities[m.entity_id]
            if e.type in types and e.id not in out:
                out.append(e.id)
        return out

    def resolve(self, token: Token) -> list[str]:
        """Entity ids a pronoun or definite description refers to; [] when unsure."""
        lower = token.lower_
        if lower in _SINGULAR_PERSON | _PLURAL | _NEUTER:
            # "Brazil and Colombia said they regretted ...": the speakers themselves
            speakers = self._speakers(token)
            if (
                speakers
                and (lower in _PLURAL) == (len(speakers) > 1)
                and (lower not in _SINGULAR_PERSON or self.table.entities[speakers[0]].type == "PERSON")
            ):
                return speakers
        if lower in _SINGULAR_PERSON:
            return self._person_pronoun(token)
        if lower in _PLURAL:
            return self._plural(token)
        if lower in _NEUTER:
            subject = self._previous_subject(token)
            if subject:
                return [subject]
            found = self._before(token, {"ORG", "GPE"})
            return found[:1]
        institution = self._institution(token)
        if institution:
            return institution
        titled = token.pos_ == "PROPN" and (
            token.lower_ in self.res.group_nouns["person"] or token.lower_ in _STATE_NOUNS
        )  # a title or "the Government", capitalised and tagged as a name
        if (token.pos_ == "NOUN" or titled) and any(
            c.lower_ in {"the", "both"} or c.dep_ == "nummod" for c in token.children
        ):
            # "the minister", "the three leaders", "the Governor-General" (a title tagged PROPN)
            return self._definite(token)
        return []

    def _institution(self, token: Token) -> list[str]:
        """'Police in Kampala fired tear gas' -> the Uganda Police Force, named before or
        (cataphora) after; only a bare or definite noun without a country or organisation
        modifier ('Polish police' is Poland's)."""
        lemma = token.lemma_.lower()
        if lemma not in self.res.group_nouns.get("institution", frozenset()):
            return []
        for c in token.children:
            if (c.dep_ == "det" and c.lower_ != "the") or self.table.entity_at(c) is not None:
                return []
        named = [
            m
            for m in self.mentions
            if self.table.entities[m.entity_id].type == "ORG"
            and lemma in self.table.entities[m.entity_id].name.lower().split()
        ]
        before = [m for m in named if m.start < token.i]
        chosen = before[-1] if before else (named[0] if named else None)
        return [chosen.entity_id] if chosen else []

    def _previous_subject(self, token: Token) -> str | None:
        """ "It" continues the previous sentence's subject when that subject is an
        organisation or country, or a noun modified by one ("The Russian defence ministry
        said ... It denied" -> Russia)."""
        sent_no = self._sent_no(token.i)
        if sent_no == 0:
            return None
        sent = self.table.sentence(token.i)
        prev = self.table.sentence(sent.start - 1) if sent.start > 0 else None
        if prev is None:
            return None
        subjects = [t for t in prev if t.dep_ in {"nsubj", "nsubjpass"} and t.head.dep_ == "ROOT"]
        for subj in subjects:
            candidates = [subj, *(c for c in subj.children if c.dep_ in {"amod", "compound", "poss"})]
            for cand in candidates:
                ent = self.table.entity_at(cand)
                if ent is not None and self.table.entities[ent].type in {"ORG", "GPE"}:
                    return ent
        return None

    def _person_pronoun(self, token: Token) -> list[str]:
        """The nearest preceding person, preferring one that was a subject."""
        doc = self.table.doc
        limit = self._sent_no(token.i) - _WINDOW_SENTENCES
        fallback: str | None = None
        # "he would assist him": an object pronoun is not whom its clause's subject pronoun is
        # (that would be "himself")
        subject = (
            next((c for c in token.head.children if c.dep_ == "nsubj" and c.i < token.i), None)
            if token.dep_ in _OBJECTS
            else None
        )
        other = self.resolve(subject) if subject is not None and subject.lower_ in _SINGULAR_PERSON else []
        for m in reversed(self.mentions):
            if m.start >= token.i:
                continue
            if self._sent_no(m.start) < limit:
                break
            if self.table.entities[m.entity_id].type != "PERSON" or m.entity_id in other:
                continue
            head = doc[m.start : m.end].root
            if token.dep_ in _OBJECTS and head.dep_ == "nsubj" and head.head.i == token.head.i:
                continue  # "Jones defended him": him is not Jones (that would be "himself")
            if head.dep_ in {"nsubj", "nsubjpass"}:
                return [m.entity_id]
            fallback = fallback or m.entity_id
        return [fallback] if fallback else []

    def _plural(self, token: Token) -> list[str]:
        persons = self._before(token, {"PERSON"}, window=2)
        if len(persons) >= 2:
            return persons[:3]
        # A subject pronoun continues what a clause was about, not a name in a modifier or
        # a place ("the Peruvian economy. They call for ...", "villages held by the
        # Houthis. They made the trip": the authors, the team, whom nobody names).
        limit = self._sent_no(token.i) - 2
        for m in reversed(self.mentions):
            if m.start >= token.i:
                continue
            if self._sent_no(m.start) < limit:
                break
            entity = self.table.entities[m.entity_id]
            if entity.type not in {"ORG", "GPE"} or entity.id.startswith("place:"):
                continue  # a town or a state is "it", not "they"
            if token.dep_ not in {"nsubj", "nsubjpass"} or _clause_subject(
                self.table.doc[m.start : m.end].root
            ):
                return [m.entity_id]
        return []

    def _definite(self, token: Token) -> list[str]:
        lemma = token.lemma_.lower()
        plural = token.tag_ in {"NNS", "NNPS"}
        count = next(
            (_NUMBERS.get(c.lower_) for c in token.children if c.dep_ == "nummod" or c.lower_ == "both"), None
        )
        if lemma in self.res.group_nouns["person"]:
            persons = self._before(token, {"PERSON"}, window=50)
            if not plural:
                matching = [p for p in persons if lemma in (self.table.entities[p].role or "").lower()]
                if token.pos_ == "PROPN":
                    return matching[:1]  # a title ("the Governor-General") names its holder only
                return (matching or persons)[:1]
            if count:
                return sorted(persons[:count], key=self._first_mention)
            with_role = [p for p in persons if self.table.entities[p].role]
            return sorted((with_role or persons)[:5], key=self._first_mention)
        if lemma in self.res.group_nouns["country"] and not plural:
            speaker = self._speaker_country(token)
            if speaker:
                return [speaker]  # "Okoro said the government would send troops"
            if lemma in _STATE_NOUNS:
                dominant = self._dominant_country()
                if dominant:
                    return [dominant]  # "The government expelled ...": the article's state
        if lemma in self.res.group_nouns["country"]:
            countries = [c for c in self._before(token, {"GPE"}, window=50) if c.startswith("country:")]
            return countries[: count or (3 if plural else 1)]
        if not plural:
            orgs = self._before(token, {"ORG"}, window=50)
            named = [o for o in orgs if lemma in self.table.entities[o].name.lower()]
            if named:
                return named[:1]
            if lemma in {
                "group",
                "organisation",
                "organization",
                "agency",
                "fund",
                "bloc",
                "alliance",
                "commission",
                "force",
                "army",
                "military",
                "ministry",
                "movement",
                "party",
                "militia",
                "court",
                "council",
                "union",
                "body",
            }:
                return orgs[:1]
        return []

    def _speakers(self, token: Token) -> list[str]:
        """Entities of the subject of the reporting verb whose complement holds ``token``
        (only when the pronoun is that complement's subject)."""
        if token.dep_ not in {"nsubj", "nsubjpass"}:
            return []
        clause = token.head
        if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in self.res.reporting:
            return []
        for child in clause.head.children:
            if child.dep_ == "nsubj" and child.i != token.i:
                heads = [child, *(c for c in child.children if c.dep_ == "conj")]
                found = [e for h in heads if (e := self.table.entity_at(h)) is not None]
                return list(dict.fromkeys(found))
        return []

    def _speaker_country(self, token: Token) -> str | None:
        """The country of the person whose reported speech contains ``token``."""
        node = token
        for _ in range(6):
            if node.dep_ == "ccomp" and node.head.lemma_.lower() in self.res.reporting:
                for child in node.head.children:
                    if child.dep_ == "nsubj":
                        ent = self.table.entity_at(child)
                        if ent is None:
                            continue
                        country = self.table.entities[ent].country
                        if country and f"country:{country}" in self.table.entities:
                            return f"country:{country}"
                return None
            if node.head.i == node.i:  # spaCy makes a new Token per access: compare positions
                return None
            node = node.head
        return None

    def _dominant_country(self) -> str | None:
        counts = [
            (len(e.mentions), -min(m.start for m in e.mentions), e.id)
            for e in self.table.entities.values()
            if e.id.startswith("country:")
        ]
        if counts:
            return max(counts)[2]
        return self.table.state_of_places()

    def _first_mention(self, entity_id: str) -> int:
        return min(m.start for m in self.table.entities[entity_id].mentions)


def _clause_subject(head: Token) -> bool:
    """Is a name the subject (or the agent) of a clause, alone, listed with others, or as its
    owner ("China's army", "Chinese and Russian ships")? Not when it sits in a noun's modifier
    or a participle describing a noun ("villages held by the Houthis")."""
    node = head
    while node.dep_ in {"conj", "appos"} and node.head.i != node.i:
        node = node.head
    if node.dep_ in {"poss", "compound", "amod"} and node.head.i != node.i:
        node = node.head
        while node.dep_ in {"conj", "appos"} and node.head.i != node.i:
            node = node.head
    if node.dep_ in {"nsubj", "nsubjpass"}:
        return True
    agent = node.head
    return node.dep_ == "pobj" and agent.dep_ == "agent" and agent.head.dep_ not in {"acl", "relcl", "amod"}
