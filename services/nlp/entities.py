"""Canonical entities of one article: NER spans -> corrected, grouped, attributed entities.

The rules (documented in docs/enrichment.md) run over a parsed ``Doc`` and the static tables
in :class:`~services.nlp.resources.NlpResources`; nothing here loads a model.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from services.nlp.resources import NlpResources, OrgEntry, Place, alias_key, slugify

#: NER labels that never become entities (numbers, dates and amounts).
SKIP_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
_MISC_LABELS = frozenset({"FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART", "LANGUAGE", "NORP"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_LOCATION_PREPS = frozenset(
    {
        "in",
        "at",
        "to",
        "from",
        "near",
        "into",
        "across",
        "outside",
        "inside",
        "around",
        "toward",
        "towards",
        "via",
        "through",
        "between",
        "off",
        "over",
        "within",
        "throughout",
    }
)
_ARRIVAL_VERBS = frozenset({"visit", "arrive", "travel", "fly", "return", "leave", "reach", "tour"})
_ACRONYM_STOPWORDS = frozenset(
    {"of", "and", "the", "for", "in", "on", "&", "de", "du", "des", "la", "el", "y", "et", "a"}
)
_ADMIN_SUFFIXES = frozenset(
    {
        "province",
        "region",
        "state",
        "county",
        "prefecture",
        "district",
        "city",
        "governorate",
        "oblast",
        "department",
    }
)
_RIVER = frozenset({"river"})
_MAX_NGRAM = 4


@dataclass(slots=True)
class Mention:
    start: int  # token offsets
    end: int
    entity_id: str


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    country: str | None = None
    role: str | None = None
    lat: float | None = None
    lon: float | None = None
    mentions: list[Mention] = field(default_factory=list)
    surnames: set[str] = field(default_factory=set)
    #: Country settled by a curated table or by context (an international org stays null).
    known: bool = False
    #: Gazetteer key of a city whose coordinates depend on the article's countries.
    city_key: str | None = None
    #: A national body named only generically ("the Interior Ministry"): its id gets the
    #: country's word once the country is known.
    generic: bool = False


@dataclass(slots=True)
class EntityTable:
    """Entities of one article plus the token -> entity index the event extractor reads."""

    doc: Doc
    entities: dict[str, Entity]
    token_entity: list[str | None]
    _sent_of: list[int] = field(default_factory=list)
    _sents: list[Span] = field(default_factory=list)

    def entity_at(self, token: Token) -> str | None:
        return self.token_entity[token.i]

    def sentence_numbers(self) -> list[int]:
        """Sentence number of every token (``Token.sent`` walks the parse on every call)."""
        if not self._sent_of:
            for n, sent in enumerate(self.doc.sents):
                self._sents.append(sent)
                self._sent_of.extend([n] * (sent.end - sent.start))
        return self._sent_of

    def sentence(self, token_index: int) -> Span:
        """The sentence of a token, from the per-document cache."""
        return self._sents[self.sentence_numbers()[token_index]]

    def mentions_in_order(self) -> list[Mention]:
        out = [m for e in self.entities.values() for m in e.mentions]
        out.sort(key=lambda m: m.start)
        return out


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    label: str
    text: str
    #: Set when an acronym rule already decided what this span is.
    forced: Entity | None = None
    dropped: bool = False


# --- small helpers ---------------------------------------------------------------------------


def _is_acronym(text: str) -> bool:
    upper = sum(1 for c in text if c.isupper())
    return upper >= 2 and len(text) <= 8 and " " not in text and text[0].isupper()


def _in_parens(doc: Doc, start: int, end: int) -> bool:
    return start > 0 and end < len(doc) and doc[start - 1].text == "(" and doc[end].text == ")"


def _initials_match(letters: list[str], words: list[str]) -> bool:
    """Do the acronym letters spell the words' initials, stop words optional?"""

    def go(li: int, wi: int) -> bool:
        if li == len(letters):
            return all(w in _ACRONYM_STOPWORDS for w in words[wi:])
        if wi == len(words):
            return False
        w = words[wi]
        parts = [p for p in re.split(r"[-\s]", w) if p]
        if (
            parts
            and all(li + k < len(letters) and p[0] == letters[li + k] for k, p in enumerate(parts))
            and go(li + len(parts), wi + 1)
        ):
            return True
        if w[0] == letters[li] and go(li + 1, wi + 1):
            return True
        return w in _ACRONYM_STOPWORDS and go(li, wi + 1)

    return go(0, 0)


def _acronym_expansion(doc: Doc, open_paren: int, acronym: str) -> tuple[int, int] | None:
    """Token range of the words an acronym in parentheses abbreviates, or None."""
    letters = [c.lower() for c in acronym if c.isalpha() and c.isupper()]
    if not letters:
        return None
    for start in range(open_paren - 1, max(-1, open_paren - 14), -1):
        tok = doc[start]
        if (tok.is_punct and tok.text != "-") or (tok.is_sent_end and start != open_paren - 1):
            break
        words = [t.lower_ for t in doc[start:open_paren] if t.tag_ != "POS"]
        if words and words[0] not in _ACRONYM_STOPWORDS and _initials_match(letters, words):
            return start, open_paren
    return None


def _capital_is_location(doc: Doc, start: int, end: int) -> bool:
    """'in Tokyo', 'visit Manila', 'Tokyo police' -> the city; 'Beijing said' -> the country."""
    root = doc[start:end].root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in _LOCATION_PREPS:
        return True
    if root.dep_ == "dobj" and head.lemma_ in _ARRIVAL_VERBS:
        return True
    if root.dep_ in {"compound", "nmod"} and head.pos_ in {"NOUN", "PROPN"}:
        return head.ent_type_ in {"", "GPE", "LOC", "FAC"}
    return root.dep_ == "appos"


def _org_id(name: str) -> str:
    return f"org:{slugify(name)}"


def _place(name: str, place: Place | None, label: str, *, known: bool = False) -> Entity:
    return Entity(
        id=f"place:{slugify(name)}",
        name=name,
        type=label,
        country=place.country if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        known=known,
    )


# --- the extractor ---------------------------------------------------------------------------


class EntityExtractor:
    """Turns a parsed Doc into an :class:`EntityTable` using the resource tables."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res

    def extract(self, doc: Doc) -> EntityTable:
        cands = self._candidates(doc)
        self._apply_acronyms(doc, cands)
        persons = self._person_names(cands)
        surnames = {p.split()[-1]: p for p in persons if " " in p}
        firstnames = {p.split()[0]: p for p in persons if " " in p}

        table = EntityTable(doc=doc, entities={}, token_entity=[None] * len(doc))
        for cand in cands:
            if cand.dropped:
                continue
            entity = cand.forced or self._classify(doc, cand, persons, surnames, firstnames)
            if entity is not None:
                self._add(table, entity, cand.start, cand.end)
        self._add_untagged(doc, table, surnames, firstnames)
        countries = {e.country for e in table.entities.values() if e.id.startswith("country:")}
        for entity in list(table.entities.values()):
            self._attribute(doc, table, entity, countries)
        self._fallback_countries(doc, table)
        self._qualify_generic_orgs(table)
        return table

    # -- candidates -------------------------------------------------------------------------

    def _candidates(self, doc: Doc) -> list[_Candidate]:
        out: list[_Candidate] = []
        for ent in doc.ents:
            if ent.label_ in SKIP_LABELS:
                continue
            start, end = self._clean_bounds(ent)
            pieces = [(start, end)]
            cuts = [
                i
                for i in range(start + 1, end - 1)
                if doc[i].tag_ == "POS" and self._owner_before(doc, start, i)
            ]
            if cuts and ent.label_ != "PERSON":
                # "the Treasury Department's Office of Foreign Assets Control": two orgs
                bounds = [start, *cuts, end]
                pieces = [(a if k == 0 else a + 1, b) for k, (a, b) in enumerate(itertools.pairwise(bounds))]
            label = ent.label_
            if label == "ORG" and len(pieces) == 1:
                # "spokeswoman Dian Pratiwi" tagged ORG; "[Industry and Trade Nguyen Hong
                # Dien]" after "Minister of": the name at the end is the person
                for size in range(min(4, end - start), 1, -1):
                    if self._titled_name(doc, end - size, end):
                        label, pieces = "PERSON", [(end - size, end)]
                        break
            for start, end in pieces:
                self._add_candidate(doc, label, start, end, out)
        out.extend(self._untagged_titled_names(doc))
        return self._merge_adjacent_persons(doc, out)

    def _titled_name(self, doc: Doc, start: int, end: int) -> bool:
        """Is ``doc[start:end]`` a personal name under a role word ("spokeswoman Dian
        Pratiwi", "Minister of Industry and Trade Nguyen Hong Dien")? The name's head has a
        role-head dependent before the span; every word is a capitalised proper noun that is
        no organisation, country or generic organisation word."""
        res = self.res
        if not 2 <= end - start <= 4:
            return False
        words = doc[start:end]
        if any(
            not (t.is_alpha and t.text[:1].isupper() and t.pos_ == "PROPN")
            or t.lower_ in res.generic_org_words
            or t.lower_ in res.role_heads
            or t.lower_ in res.honorifics
            or res.country_of_text(t.text)
            for t in words
        ):
            return False
        if alias_key(words.text) in res.orgs:
            return False
        root = words.root
        if any(
            c.i < start and c.dep_ in {"compound", "nmod", "amod"} and c.lower_ in res.role_heads
            for c in root.children
        ):
            return True
        # the words before run back to a role head over title words only
        # ("Minister of Industry and Trade", "foreign ministry spokeswoman")
        for i in range(start - 1, max(-1, start - 7), -1):
            t = doc[i]
            if t.lower_ in res.role_heads:
                return True
            if not (t.lower_ in res.title_fragments or t.lower_ in {"of", "and", "&"}):
                return False
        return False

    def _untagged_titled_names(self, doc: Doc) -> list[_Candidate]:
        """Names the model left untagged after a title: the proper-noun compound chain of a
        head word that has a role-head dependent ("Minister of ... Nguyen Hong Dien")."""
        out: list[_Candidate] = []
        for tok in doc:
            if tok.ent_type_ or tok.pos_ != "PROPN" or tok.dep_ == "compound":
                continue
            start = tok.i
            while (
                start > 0
                and doc[start - 1].dep_ == "compound"
                and doc[start - 1].head == tok
                and not doc[start - 1].ent_type_
            ):
                start -= 1
            if self._titled_name(doc, start, tok.i + 1):
                out.append(_Candidate(start, tok.i + 1, "PERSON", doc[start : tok.i + 1].text))
        return out

    def _owner_before(self, doc: Doc, start: int, pos: int) -> bool:
        """Is the text before a possessive inside a span an owner of its own ("the Treasury
        Department's Office ...", "Russia's Defence Ministry") rather than part of one name
        ("People's Liberation Army", "UN Children's Fund")?"""
        owner = doc[start:pos].text
        return (
            bool(self.res.country_of_text(owner))
            or alias_key(owner) in self.res.orgs
            or (
                doc[pos - 1].lower_
                in {
                    "department",
                    "ministry",
                    "office",
                    "agency",
                    "council",
                    "government",
                    "commission",
                    "service",
                    "bureau",
                }
            )
        )

    def _add_candidate(self, doc: Doc, label: str, start: int, end: int, out: list[_Candidate]) -> None:
        """One NER span (or piece of one) -> zero, one or two candidates."""
        res = self.res
        while start < end and doc[start].lower_ in _DETERMINERS:
            start += 1
        if start >= end:
            return
        # "World Health Organization (WHO)" tagged as one span: split it.
        inner = [i for i in range(start, end) if doc[i].text == "("]
        if inner and end - 1 > inner[0] + 1 and doc[end - 1].text == ")":
            p = inner[0]
            out.append(_Candidate(start, p, label, doc[start:p].text))
            out.append(_Candidate(p + 1, end - 1, label, doc[p + 1 : end - 1].text))
            return
        # "Sumy and Odesa" tagged as one span: split at "and" when both sides are places.
        ands = [i for i in range(start + 1, end - 1) if doc[i].lower_ == "and"]
        if ands and label in {"GPE", "ORG", "LOC"}:
            a = ands[0]
            r_start = a + 1 + (doc[a + 1].lower_ in _DETERMINERS)
            left, right = doc[start:a].text, doc[r_start:end].text
            if all(
                alias_key(t) in res.cities or alias_key(t) in res.regions or res.country_of_text(t)
                for t in (left, right)
            ):
                out.append(_Candidate(start, a, "GPE", left))
                out.append(_Candidate(r_start, end, "GPE", right))
                return
        if label == "PERSON":
            start, end = self._extend_person(doc, start, end)
        # "the Teesta River" -> the river Teesta
        if (end < len(doc) and doc[end].lower_ in _RIVER and label != "PERSON") or (
            label == "PERSON" and end < len(doc) and doc[end].lower_ in _RIVER
        ):
            label = "RIVER"
        out.append(_Candidate(start, end, label, doc[start:end].text))

    def _clean_bounds(self, span: Span) -> tuple[int, int]:
        """Drop leading determiners/honorifics and trailing possessives/punctuation."""
        doc = span.doc
        honorifics = self.res.honorifics
        start, end = span.start, span.end
        while start < end and (
            doc[start].lower_ in _DETERMINERS
            or (span.label_ == "PERSON" and doc[start].lower_ in honorifics and end - start > 1)
        ):
            start += 1
        while end > start and (
            doc[end - 1].tag_ == "POS"
            or doc[end - 1].lower_ in {"'s", "'", "\u2019s"}
            or (doc[end - 1].is_punct and doc[end - 1].text not in {".", ")"})
        ):
            end -= 1
        return start, end

    def _extend_person(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """Grow a PERSON span over untagged name words the model left out
        ('MaryKay' in 'MaryKay Carlson', 'Machado' after 'Maria Corina')."""
        res = self.res

        def namelike(tok: Token) -> bool:
            return (
                tok.pos_ == "PROPN"
                and tok.text[:1].isupper()
                and not tok.ent_type_
                and tok.lower_ not in res.role_heads
                and tok.lower_ not in res.honorifics
                and res.country_of_text(tok.text) is None
                and tok.is_alpha
            )

        while start > 0 and namelike(doc[start - 1]) and not doc[start].is_sent_start:
            start -= 1
        while end < len(doc) and namelike(doc[end]):
            end += 1
        return start, end

    def _merge_adjacent_persons(self, doc: Doc, cands: list[_Candidate]) -> list[_Candidate]:
        """'Prince Abdulaziz' + 'bin Salman' -> one PERSON span."""
        out: list[_Candidate] = []
        for cand in cands:
            prev = out[-1] if out else None
            if prev is not None and prev.label == cand.label == "PERSON":
                gap = doc[prev.end : cand.start]
                if len(gap) == 0 or all(t.lower_ in self.res.name_particles for t in gap):
                    prev.end = cand.end
                    prev.text = doc[prev.start : prev.end].text
                    continue
            if (
                prev is not None
                and prev.label == "PERSON"
                and cand.start == prev.end + 1
                and doc[prev.end].lower_ in self.res.name_particles
                and cand.label in {"ORG", "GPE", "NORP"}
            ):
                prev.end = cand.end
                prev.text = doc[prev.start : prev.end].text
                continue
            out.append(cand)
        # particles followed by an untagged capitalised name ("Abdulaziz bin Salman")
        for cand in out:
            if cand.label != "PERSON":
                continue
            i = cand.end
            while (
                i + 1 < len(doc)
                and doc[i].lower_ in self.res.name_particles
                and doc[i + 1].text[:1].isupper()
                and not doc[i + 1].ent_type_
            ):
                i += 2
            if i != cand.end:
                cand.end = i
                cand.text = doc[cand.start : i].text
        return out

    # -- acronyms ---------------------------------------------------------------------------

    def _apply_acronyms(self, doc: Doc, cands: list[_Candidate]) -> None:
        """'International Monetary Fund (IMF)': one organisation with the acronym as id;
        'memorandum of understanding (MoU)': no entity at all, here or later."""
        res = self.res
        decided: dict[str, Entity | None] = {}
        by_end = {c.end: c for c in cands}
        opens = [t.i + 1 for t in doc if t.text == "(" and t.i + 1 < len(doc)]
        for i in opens:
            tok = doc[i]
            if not (_in_parens(doc, i, i + 1) and _is_acronym(tok.text)):
                continue
            acronym = tok.text
            known = res.orgs.get(alias_key(acronym)) or res.orgs.get(acronym)
            before = by_end.get(i - 1)  # the candidate right before "("
            expansion_range = _acronym_expansion(doc, i - 1, acronym)
            entity: Entity | None
            if expansion_range is not None:
                e_start, e_end = expansion_range
                inside = [c for c in cands if c.start < e_end and c.end > e_start and c.start != i]
                orgish = [c for c in inside if c.label != "GPE" or (c.start <= e_start and c.end >= e_end)]
                proper = all(
                    doc[j].text[:1].isupper() or doc[j].lower_ in _ACRONYM_STOPWORDS or doc[j].is_punct
                    for j in range(e_start, e_end)
                )
                if known is not None:
                    entity = self._known_org(known)
                elif inside or proper:
                    entity = self._org_with_short(doc[e_start:e_end].text, acronym)
                else:
                    entity = None  # "memorandum of understanding (MoU)"
                for c in orgish:
                    c.forced = entity
                    c.dropped = entity is None
                decided[acronym] = entity
            elif before is not None and (known is not None or before.label in {"ORG", "FAC", "NORP"}):
                entity = self._known_org(known) if known else self._org_with_short(before.text, acronym)
                chain: _Candidate | None = before
                while chain is not None:  # "International Federation of Red Cross" "and" ...
                    chain.forced = entity
                    gap_end = chain.start - 1
                    prev = by_end.get(gap_end)
                    if (
                        prev is not None
                        and doc[gap_end].lower_ in {"and", "of", "for", "&"}
                        and prev.label in {"ORG", "FAC", "NORP"}
                    ):
                        chain = prev
                    else:
                        chain = None
                decided[acronym] = entity
            elif known is not None:
                decided[acronym] = self._known_org(known)
        if not decided:
            return
        for c in cands:
            if c.text in decided and c.forced is None:
                entity = decided[c.text]
                c.forced = entity
                c.dropped = entity is None

    # -- classification -------------------------------------------------------------------

    def _person_names(self, cands: list[_Candidate]) -> list[str]:
        names: list[str] = []
        for c in cands:
            if c.label != "PERSON" or c.forced is not None or c.dropped:
                continue
            if self.res.country_of_text(c.text) or alias_key(c.text) in self.res.big_cities:
                continue
            if c.text not in names:
                names.append(c.text)
        return sorted(names, key=len, reverse=True)

    def _classify(
        self,
        doc: Doc,
        cand: _Candidate,
        persons: list[str],
        surnames: dict[str, str],
        firstnames: dict[str, str],
    ) -> Entity | None:
        res = self.res
        text, label = cand.text, cand.label
        key = alias_key(text)

        if label == "RIVER":
            return _place(text, res.regions.get(key), "LOC", known=True)

        if label != "PERSON" and (text in surnames or text in firstnames or text in persons):
            full = surnames.get(text) or firstnames.get(text) or text
            return self._person(full)

        iso3 = res.metonyms.get(key) or res.country_aliases.get(key)
        if iso3 is None and label in {"NORP", "GPE", "ORG", "LOC", "PERSON"}:
            iso3 = res.demonyms.get(key) or (
                res.demonyms.get(key[:-1]) if key.endswith("s") and label == "NORP" else None
            )
        before_role = self._before_role(doc, cand.end)
        if key in res.title_fragments and before_role:
            return None  # "Treasury" in "Treasury Cabinet Secretary": a title, in any country
        if (
            key in res.org_metonyms
            and label in {"GPE", "ORG", "LOC"}
            and not _capital_is_location(doc, cand.start, cand.end)
        ):
            return self._known_org(res.org_metonyms[key])  # "Brussels" acting for the EU
        if iso3 is None and key in res.capitals and label in {"GPE", "ORG", "PERSON", "LOC"}:
            if not _capital_is_location(doc, cand.start, cand.end):
                iso3 = res.capitals[key]
            else:
                return self._city(text, key)
        if iso3 is not None:
            return self._country(iso3)

        org = res.orgs.get(key) or res.orgs.get(text)
        if org is not None and (label != "PERSON" or _is_acronym(text) or org.name == text):
            return self._known_org(org)  # also "Greenpeace" tagged as a person

        tokens = text.split()
        if label == "ORG" and (key in res.title_fragments or text.islower()):
            return None  # "Defense" out of "Defense Secretary"; "defence ministry"
        if (
            label in {"ORG", "PERSON", "NORP"}
            and cand.end < len(doc)
            and doc[cand.end].lower_ in _ADMIN_SUFFIXES - {"department", "city"}
        ):
            return self._city(text, key)  # "Norte de Santander province"
        if label == "ORG" and before_role:
            # "Philippine Defense Secretary", "Interior Cabinet Secretary": a title, not an org;
            # a leading country word still counts as a mention of the country.
            for size in (3, 2, 1):
                if size < len(tokens):
                    iso3 = res.country_of_text(doc[cand.start : cand.start + size].text)
                    if iso3:
                        cand.end = cand.start + size
                        return self._country(iso3)
            return None
        if label in {"GPE", "LOC"} and len(tokens) > 1 and tokens[-1].lower() in _ADMIN_SUFFIXES:
            cand.end -= 1
            text = doc[cand.start : cand.end].text
            key = alias_key(text)
            tokens = tokens[:-1]

        definite = res.definite_regions.get(key)
        if definite is not None and cand.start > 0 and doc[cand.start - 1].lower_ == "the":
            return _place(text, definite, "LOC", known=True)
        if label != "PERSON" and (
            key in res.regions
            or (label in {"LOC", "GPE", "ORG", "FAC"} and tokens[-1].lower() in res.region_suffixes)
        ):
            return _place(text, res.regions.get(key), "LOC", known=True)
        if (label in {"ORG", "FAC", "NORP", "LOC"} and key in res.cities) or (
            label in {"PRODUCT", "WORK_OF_ART", "EVENT"} and key in res.big_cities
        ):
            return self._city(text, key)  # "Kaliningrad" tagged as a product

        if label == "PERSON":
            if _in_parens(doc, cand.start, cand.end) and _is_acronym(text):
                return None
            if text in surnames:
                return self._person(surnames[text])
            if text in firstnames and " " not in text:
                return self._person(firstnames[text])
            for full in persons:  # a shorter form of a longer name ("Lloyd J. Austin")
                if full != text and full.endswith(" " + text):
                    return self._person(full)
            if " " not in text and key in res.big_cities:
                return self._city(text, key)  # "Busan", "Kiel" tagged as people
            return self._person(text)
        if label == "GPE":
            return self._city(text, key)
        if label == "LOC":
            return _place(text, res.regions.get(key), "LOC")
        if label == "ORG":
            return self._org(doc, cand)
        if label in _MISC_LABELS:
            return Entity(id=f"misc:{slugify(text)}", name=text, type=label)
        return None

    def _city(self, text: str, key: str) -> Entity:
        entity = _place(text, self.res.cities.get(key), "GPE")
        entity.city_key = key
        return entity

    def _country(self, iso3: str) -> Entity:
        return Entity(
            id=f"country:{iso3}",
            name=self.res.country_names.get(iso3, iso3),
            type="GPE",
            country=iso3,
            known=True,
        )

    def _known_org(self, org: OrgEntry) -> Entity:
        return Entity(
            id=org.id or _org_id(org.name), name=org.name, type="ORG", country=org.country, known=True
        )

    def _org_with_short(self, name: str, short: str) -> Entity:
        known = self.res.orgs.get(alias_key(name))
        if known is not None:
            return self._known_org(known)
        entity = Entity(id=_org_id(short), name=name, type="ORG")
        entity.known = self._international(name)
        return entity

    def _international(self, name: str) -> bool:
        words = set(alias_key(name).split())
        text = " " + alias_key(name) + " "
        return any(m in words or (" " in m and f" {m} " in text) for m in self.res.international_markers)

    def _org(self, doc: Doc, cand: _Candidate) -> Entity:
        """An organisation outside the table. A generic national body takes its country's
        word into its name ('Serbian' + 'Interior Ministry' -> org:serbian-interior-ministry)."""
        res = self.res
        name = cand.text
        words = alias_key(name).split()
        generic = all(w in res.generic_org_words for w in words)
        country: str | None = None
        if generic:
            i = cand.start - 1
            if i >= 0 and doc[i].tag_ == "POS":
                i -= 1
            if i >= 0 and res.country_of_text(doc[i].text):
                j = i
                while j > 0 and res.country_of_text(doc[j - 1 : i + 1].text):
                    j -= 1
                country = res.country_of_text(doc[j : i + 1].text)
        if country is not None:
            name = f"{res.qualifiers.get(country, country)} {name}"
        entity = Entity(id=_org_id(name), name=name, type="ORG", country=country, known=country is not None)
        entity.known = entity.known or self._international(name)
        entity.generic = generic and country is None
        return entity

    def _qualify_generic_orgs(self, table: EntityTable) -> None:
        """'The Department of Foreign Affairs in Manila' -> org:philippine-department-of-...:
        a national body the text names only generically gets its country's word in the id."""
        for entity in list(table.entities.values()):
            if not entity.generic or entity.country is None:
                continue
            name = f"{self.res.qualifiers.get(entity.country, entity.country)} {entity.name}"
            new_id = _org_id(name)
            if new_id in table.entities:
                continue
            del table.entities[entity.id]
            old_id, entity.id, entity.name = entity.id, new_id, name
            table.entities[new_id] = entity
            for m in entity.mentions:
                m.entity_id = new_id
            table.token_entity = [new_id if t == old_id else t for t in table.token_entity]

    def _person(self, name: str) -> Entity:
        entity = Entity(id=f"person:{slugify(name)}", name=name, type="PERSON")
        parts = name.split()
        if len(parts) > 1:
            entity.surnames.add(parts[-1])
        return entity

    # -- table building -------------------------------------------------------------------

    def _add(self, table: EntityTable, entity: Entity, start: int, end: int) -> None:
        existing = table.entities.get(entity.id)
        if existing is None:
            table.entities[entity.id] = entity
            existing = entity
        else:
            if (
                entity.type == "ORG"
                and len(entity.name) > len(existing.name)
                and _is_acronym(existing.name)
                and not _is_acronym(entity.name)
            ):
                existing.name = entity.name
            existing.country = existing.country or entity.country
            existing.known = existing.known or entity.known
        existing.mentions.append(Mention(start, end, existing.id))
        for i in range(start, end):
            table.token_entity[i] = existing.id

    def _before_role(self, doc: Doc, end: int) -> bool:
        """Is ``doc[end]`` the start of a title ("Defense Secretary", "Treasury Cabinet
        Secretary": a role head, or one capitalised word and then a role head)?"""
        heads = self.res.role_heads
        return end < len(doc) and (
            doc[end].lower_ in heads
            or (
                end + 1 < len(doc)
                and doc[end + 1].lower_ in heads
                and doc[end].is_title
                and not doc[end].ent_type_
            )
        )

    def _add_untagged(
        self, doc: Doc, table: EntityTable, surnames: dict[str, str], firstnames: dict[str, str]
    ) -> None:
        """Known names, countries, metonyms, orgs and regions the model did not tag."""
        res = self.res
        covered = table.token_entity
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            if (
                covered[i] is not None
                or not tok.text[:1].isupper()
                or tok.is_punct
                or tok.lower_ in _DETERMINERS
            ):
                i += 1
                continue
            matched = 0
            for size in range(min(_MAX_NGRAM, n - i), 0, -1):
                if any(covered[j] is not None for j in range(i, i + size)):
                    continue
                text = doc[i : i + size].text
                key = alias_key(text)
                entity: Entity | None = None
                if size == 1 and (text in surnames or text in firstnames):
                    full = surnames.get(text) or firstnames[text]
                    entity = self._person(full)
                elif key in res.metonyms:
                    entity = self._country(res.metonyms[key])
                elif key in res.country_aliases and not (size == 1 and text == "Us"):
                    if text == "States":
                        continue
                    entity = self._country(res.country_aliases[key])
                elif (
                    key in res.orgs
                    and (len(text) > 3 or text.isupper())
                    and not (key in res.title_fragments and self._before_role(doc, i + size))
                ):
                    entity = self._known_org(res.orgs[key])
                elif key in res.regions and (size > 1 or tok.pos_ == "PROPN"):
                    entity = _place(text, res.regions[key], "LOC", known=True)
                elif size > 1 and key in res.big_cities and doc[i + size - 1].pos_ == "PROPN":
                    entity = self._city(text, key)  # "Novi Sad"
                elif size == 1 and key in res.capitals and tok.pos_ == "PROPN":
                    # "Kyiv did not comment": an untagged capital, read as for tagged ones
                    entity = (
                        self._city(text, key)
                        if _capital_is_location(doc, i, i + 1)
                        else self._country(res.capitals[key])
                    )
                elif size == 1 and key in res.big_cities and tok.pos_ == "PROPN" and not tok.is_sent_start:
                    entity = self._city(text, key)
                if entity is not None:
                    self._add(table, entity, i, i + size)
                    matched = size
                    break
            i += matched or 1

    # -- attributes -----------------------------------------------------------------------

    def _attribute(self, doc: Doc, table: EntityTable, entity: Entity, countries: set[str | None]) -> None:
        """Coordinates of cities; country and role of persons and organisations."""
        entity.mentions.sort(key=lambda m: m.start)
        if entity.city_key is not None:
            variants = self.res.city_variants.get(entity.city_key, {})
            chosen = next((variants[c] for c in variants if c in countries), None)
            place = chosen or self.res.cities.get(entity.city_key)
            if place is not None:
                entity.country, entity.lat, entity.lon = place.country, place.lat, place.lon
        if entity.type not in {"PERSON", "ORG"}:
            return
        if entity.type == "PERSON":
            longest = max(entity.mentions, key=lambda m: m.end - m.start)
            if longest.end - longest.start > 1:
                entity.name = doc[longest.start : longest.end].text
        for m in entity.mentions:
            if entity.known and (entity.role or entity.type == "ORG"):
                break
            country, role, decided = self._context(doc, table, m)
            if not entity.known:
                entity.country = entity.country or country
                entity.known = decided or country is not None
            if entity.type == "PERSON":
                entity.role = entity.role or role
        if entity.type == "ORG" and entity.country is None and not entity.known:
            for m in entity.mentions:
                ofs = [i for i in range(m.start + 1, m.end - 1) if doc[i].lower_ == "of"]
                if ofs:  # "Red Cross Society of China"
                    iso3 = self.res.country_of_text(doc[ofs[-1] + 1 : m.end].text)
                    if iso3:
                        entity.country, entity.known = iso3, True
                        break
                for size in (3, 2, 1):
                    if m.end - m.start > size:
                        iso3 = self.res.country_of_text(doc[m.start : m.start + size].text)
                        if iso3:
                            entity.country = iso3
                            entity.known = True
                            break
                if entity.country:
                    break

    def _context(self, doc: Doc, table: EntityTable, m: Mention) -> tuple[str | None, str | None, bool]:
        """(country, role, decided) from the words before a mention and its appositive.
        An organisation in the title ('NATO chief Mark Rutte') decides the country, even null."""
        res = self.res
        root = doc[m.start : m.end].root
        left = table.sentence(m.start).start
        country: str | None = None
        decided = False
        role_tokens: list[Token] = []
        for i in range(m.start - 1, max(left, m.start - 10) - 1, -1):
            tok = doc[i]
            other = table.token_entity[i]
            if other == m.entity_id:
                break
            if tok.lower_ in {"to", "in"} and role_tokens:
                # "U.S. Ambassador to Manila": what follows "to" is the host, not the country
                country, decided = None, False
                role_tokens.insert(0, tok)
                continue
            if other is not None:
                o = table.entities[other]
                if other.startswith("country:"):
                    country = country or o.country
                    decided = True
                    continue
                if o.type == "ORG" and not decided:
                    country, decided = o.country, True
                    continue
                break
            if (
                tok.tag_ == "POS"
                or tok.lower_ in _DETERMINERS
                or tok.text in {"(", ")"}
                or (tok.is_punct and tok.text != "-")
            ):
                if role_tokens and tok.is_punct and tok.text not in {"(", ")"}:
                    break
                continue
            if tok.pos_ in {"PROPN", "NOUN", "ADJ"} or tok.lower_ in {"of", "-", "and"}:
                role_tokens.insert(0, tok)
            else:
                break
        role = _role_text(role_tokens, res.role_heads)
        # "Lloyd Austin, the U.S. defense secretary," -> the appositive carries both;
        # so does the noun a name is in apposition to ("the head of the IMF mission, Porter").
        if not decided or role is None:
            appositions = [c for c in root.children if c.dep_ == "appos"]
            if root.dep_ == "appos":
                appositions.append(root.head)
            for child in appositions:
                sub = [t for t in child.subtree if not (m.start <= t.i < m.end)]
                if child is root.head:
                    sub = [t for t in sub if t.i < m.start]
                for tok in sub:
                    other = table.token_entity[tok.i]
                    if other is None or decided or other == m.entity_id:
                        continue  # "Sudanese Armed Forces (SAF)": its own acronym says nothing
                    o = table.entities[other]
                    if other.startswith("country:") or o.type == "ORG":
                        country, decided = o.country, True
                if not decided and any(t.lower_ in {"its", "their"} for t in sub):
                    # "Its spokesman, Lin Jian,": the owner is the previous sentence's subject
                    country = self._previous_subject_country(doc, table, m.start)
                    decided = country is not None
                words = [
                    t
                    for t in sub
                    if table.token_entity[t.i] is None
                    and t.lower_ not in _DETERMINERS
                    and t.tag_ != "POS"
                    and not t.is_punct
                ]
                role = role or _role_text(words, res.role_heads)
        if not decided and m.end + 1 < len(doc) and doc[m.end].lower_ in {"in", "of"}:
            # "the Joint Chiefs of Staff in Seoul"
            other = table.token_entity[m.end + 1]
            if other is not None and table.entities[other].type in {"GPE", "LOC"}:
                country = table.entities[other].country
                decided = country is not None
        if not decided and role and role.lower() in res.international_roles:
            decided = True  # "Secretary General Mark Rutte" speaks for an international body
        return country, role, decided

    @staticmethod
    def _previous_subject_country(doc: Doc, table: EntityTable, at: int) -> str | None:
        """Country of the country or organisation in the previous sentence's subject
        ("China's foreign ministry criticised ... Its spokesman")."""
        start = table.sentence(at).start
        if start == 0:
            return None
        prev = table.sentence(start - 1)
        for tok in prev:
            if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head == prev.root:
                for sub in tok.subtree:
                    other = table.token_entity[sub.i]
                    if other is None:
                        continue
                    o = table.entities[other]
                    if o.country and (other.startswith("country:") or o.type == "ORG"):
                        return o.country
        return None

    def _fallback_countries(self, doc: Doc, table: EntityTable) -> None:
        """A person, organisation or place nothing else ties to a country takes the
        article's dominant country (most mentions over countries and their cities)."""
        weight: dict[str, int] = {}
        for e in table.entities.values():
            if e.country and e.type in {"GPE", "LOC"}:
                weight[e.country] = weight.get(e.country, 0) + len(e.mentions)
        if not weight:
            return
        dominant = max(weight, key=lambda c: weight[c])
        for e in table.entities.values():
            if e.country is None and not e.known and e.type == "PERSON":
                e.country = self._speaker_for(doc, table, e)
        for e in table.entities.values():
            if e.country is None and not e.known and e.type in {"PERSON", "ORG", "GPE"}:
                e.country = dominant

    def _speaker_for(self, doc: Doc, table: EntityTable, person: Entity) -> str | None:
        """The country a spokesperson speaks for: "Japan will send a team ..., spokeswoman
        Maki Kobayashi said" -> JPN, from the subject of the reported clause."""
        for m in person.mentions:
            root = doc[m.start : m.end].root
            verb = root.head
            if root.dep_ != "nsubj" or verb.lemma_.lower() not in self.res.reporting:
                continue
            for clause in (c for c in verb.children if c.dep_ in {"ccomp", "parataxis"}):
                for subj in (c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}):
                    ids = [table.token_entity[t.i] for t in subj.subtree]
                    for other in ids:
                        if other is None or other == person.id:
                            continue
                        o = table.entities[other]
                        if o.country and (other.startswith("country:") or o.type == "ORG"):
                            return o.country
        return None


def _role_text(tokens: list[Token], heads: frozenset[str]) -> str | None:
    words = list(tokens)
    while words and words[0].lower_ in {"of", "-"}:
        words.pop(0)
    if not words or not any(t.lower_ in heads for t in words) or words[-1].lower_ == "of":
        return None
    return " ".join(t.text for t in words)


# --- output ----------------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:[.'\u2019-]\w+)*\.?")


def _norm_words(text: str) -> str:
    return " " + " ".join(w.casefold().rstrip(".") for w in _WORD.findall(text)) + " "


def entity_records(
    table: EntityTable,
    *,
    title: str,
    first_paragraph_end: int,
    sentence_tone: dict[int, float],
) -> list[dict[str, Any]]:
    """JSON-ready entities ordered by salience (then first mention).

    salience = 0.35 (named in the title) + 0.25 (mentioned in the first paragraph)
    + 0.40 * mentions / mentions of the most mentioned entity.
    """
    doc = table.doc
    sent_of = table.sentence_numbers()
    title_norm = _norm_words(title)
    max_count = max((len(e.mentions) for e in table.entities.values()), default=1)
    out: list[tuple[float, int, dict[str, Any]]] = []
    for e in table.entities.values():
        forms = {doc[m.start : m.end].text for m in e.mentions} | {e.name} | e.surnames
        in_title = any(_norm_words(f) in title_norm for f in forms if f.strip())
        first = min(m.start for m in e.mentions)
        first_char = doc[first].idx
        early = first_char < first_paragraph_end
        count = len(e.mentions)
        salience = 0.35 * in_title + 0.25 * early + 0.40 * (count / max_count)
        sents = {sent_of[m.start] for m in e.mentions}
        tones = [sentence_tone.get(s, 0.0) for s in sents]
        mentions = [
            {
                "text": doc[m.start : m.end].text,
                "start": doc[m.start].idx,
                "end": doc[m.end - 1].idx + len(doc[m.end - 1].text),
            }
            for m in sorted(e.mentions, key=lambda m: m.start)
        ]
        score = round(min(1.0, salience), 3)
        record: dict[str, Any] = {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "mentions": mentions,
            "count": count,
            "salience": score,
            "country": e.country,
            "role": e.role,
            "lat": e.lat,
            "lon": e.lon,
            "tone": round(sum(tones) / len(tones), 3) if tones else 0.0,
        }
        out.append((-score, first_char, record))
    out.sort(key=lambda t: (t[0], t[1]))
    return [r for _, _, r in out]
