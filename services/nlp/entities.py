"""Canonical entities of one article: NER spans -> corrected, grouped, attributed entities.

The rules (all documented in docs/enrichment.md) run over a parsed ``Doc`` and the static
tables in :class:`~services.nlp.resources.NlpResources`; nothing here loads a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from services.nlp.resources import NlpResources, OrgEntry, Place, alias_key, slugify

#: NER labels that never become entities (numbers, dates and amounts).
SKIP_LABELS = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
)
_MISC_LABELS = frozenset({"FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART", "LANGUAGE", "NORP"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_LOCATION_PREPS = frozenset(
    {"in", "at", "to", "from", "near", "into", "across", "outside", "inside", "around",
     "toward", "towards", "via", "through", "between", "off", "over", "within", "throughout"}
)
_ARRIVAL_VERBS = frozenset({"visit", "arrive", "travel", "fly", "return", "leave", "reach", "tour"})
_ACRONYM_STOPWORDS = frozenset({"of", "and", "the", "for", "in", "on", "&", "de", "du", "des", "la"})
_MAX_NGRAM = 4
_ADMIN_SUFFIXES = frozenset({"province", "region", "state", "county", "prefecture", "district",
                             "city", "governorate", "oblast"})


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
    #: A curated organisation: its country (even null) comes from the table.
    known: bool = False


@dataclass(slots=True)
class EntityTable:
    """Entities of one article plus the token -> entity index the event extractor reads."""

    doc: Doc
    entities: dict[str, Entity]
    token_entity: list[str | None]

    def entity_at(self, token: Token) -> str | None:
        return self.token_entity[token.i]

    def mentions_in_order(self) -> list[Mention]:
        out = [m for e in self.entities.values() for m in e.mentions]
        out.sort(key=lambda m: m.start)
        return out


# --- span cleaning ---------------------------------------------------------------------------


def _clean_bounds(span: Span, honorifics: frozenset[str]) -> tuple[int, int]:
    """Drop leading determiners/honorifics and trailing possessives/punctuation."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (
        doc[start].lower_ in _DETERMINERS
        or (span.label_ == "PERSON" and doc[start].lower_ in honorifics and end - start > 1)
    ):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].lower_ in {"'s", "'", "’s"}
                           or doc[end - 1].is_punct and doc[end - 1].text not in {".", ")"}):
        end -= 1
    return start, end


def _is_acronym(text: str) -> bool:
    upper = sum(1 for c in text if c.isupper())
    return 2 <= upper and len(text) <= 8 and " " not in text and text[0].isupper()


def _acronym_expansion(doc: Doc, open_paren: int, acronym: str) -> tuple[int, int] | None:
    """Token range of the words an acronym in parentheses abbreviates, or None."""
    letters = [c.lower() for c in acronym if c.isalpha() and c.isupper()]
    if not letters:
        return None
    words: list[int] = []
    i = open_paren - 1
    while i >= 0 and len(words) < len(letters) + 4 and open_paren - i <= 12:
        tok = doc[i]
        if tok.is_punct and tok.text not in {"-", "'s"}:
            break
        if tok.lower_ not in _ACRONYM_STOPWORDS and tok.tag_ != "POS":
            words.append(i)
            initials = [doc[j].text[0].lower() for j in reversed(words)]
            hyphen_initials = [
                p[0].lower() for j in reversed(words) for p in doc[j].text.split("-") if p
            ]
            if initials == letters or hyphen_initials == letters:
                return i, open_paren
        i -= 1
    return None


def _in_parens(doc: Doc, start: int, end: int) -> bool:
    return start > 0 and end < len(doc) and doc[start - 1].text == "(" and doc[end].text == ")"


# --- classification --------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    label: str
    text: str


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
    return root.dep_ == "appos" or (end < len(doc) and doc[end].text == "," and
                                    end + 1 < len(doc) and doc[end + 1].ent_type_ == "GPE")


def _org_id(name: str) -> str:
    return f"org:{slugify(name)}"


def _place_entity(name: str, place: Place | None, label: str) -> Entity:
    canonical = place.name if place else name
    return Entity(
        id=f"place:{slugify(canonical)}",
        name=canonical,
        type=label,
        country=place.country if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
    )


class EntityExtractor:
    """Turns a parsed Doc into an :class:`EntityTable` using the resource tables."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res

    # -- public ---------------------------------------------------------------------------

    def extract(self, doc: Doc) -> EntityTable:
        res = self.res
        cands = self._candidates(doc)
        acronyms = self._acronyms(doc, cands)
        persons = self._person_names(doc, cands)
        surnames = {p.split()[-1]: p for p in persons if " " in p}
        firstnames = {p.split()[0]: p for p in persons if " " in p}

        table = EntityTable(doc=doc, entities={}, token_entity=[None] * len(doc))
        person_order: list[str] = []  # canonical names in order of mention
        for cand in cands:
            entity = self._classify(doc, cand, acronyms, persons, surnames, firstnames, person_order)
            if entity is None:
                continue
            self._add(table, entity, cand.start, cand.end)

        self._add_untagged(doc, table, surnames)
        for entity in table.entities.values():
            self._attribute(doc, table, entity)
        self._fallback_countries(doc, table)
        return table

    def _fallback_countries(self, doc: Doc, table: EntityTable) -> None:
        """A person or (non-curated) organisation the words around it do not tie to a country
        takes the nearest country in its sentence, else the article's dominant country."""
        weight: dict[str, int] = {}
        for e in table.entities.values():
            if e.country and e.type in {"GPE", "LOC"}:
                weight[e.country] = weight.get(e.country, 0) + len(e.mentions)
        dominant = max(weight, key=lambda c: weight[c]) if weight else None
        for e in table.entities.values():
            if e.country is not None or e.type not in {"PERSON", "ORG"} or e.known:
                continue
            first = min(e.mentions, key=lambda m: m.start)
            sent = doc[first.start].sent
            best: tuple[int, str] | None = None
            for i in range(sent.start, sent.end):
                other = table.token_entity[i]
                if other is None or other == e.id:
                    continue
                o = table.entities[other]
                if o.type not in {"GPE", "LOC"} or not o.country:
                    continue
                distance = first.start - i if i < first.start else 2 * (i - first.start) + 1
                if best is None or distance < best[0]:
                    best = (distance, o.country)
            e.country = best[1] if best else dominant

    # -- candidates -------------------------------------------------------------------------

    def _candidates(self, doc: Doc) -> list[_Candidate]:
        out: list[_Candidate] = []
        for ent in doc.ents:
            if ent.label_ in SKIP_LABELS:
                continue
            start, end = _clean_bounds(ent, self.res.honorifics)
            if start >= end:
                continue
            out.append(_Candidate(start, end, ent.label_, doc[start:end].text))
        return out

    def _acronyms(self, doc: Doc, cands: list[_Candidate]) -> dict[str, str | None]:
        """Acronym -> the expansion's text (an org gets the acronym as id) or None (not an entity)."""
        out: dict[str, str | None] = {}
        spans = {(c.start, c.end): c for c in cands}
        for i, tok in enumerate(doc):
            if not (_in_parens(doc, i, i + 1) and _is_acronym(tok.text)):
                continue
            expansion = _acronym_expansion(doc, i - 1, tok.text)
            if expansion is None:
                continue
            e_start, e_end = expansion
            tagged = any(
                c.label in {"ORG", "GPE", "NORP", "FAC", "LOC", "PERSON"}
                and c.start <= e_end - 1 and c.end > e_start
                and c.label != "PERSON"
                for c in spans.values()
                if not (c.start == i and c.end == i + 1)
            )
            capitalised = all(doc[j].is_title or doc[j].is_upper or doc[j].lower_ in
                              _ACRONYM_STOPWORDS or doc[j].is_punct for j in range(e_start, e_end))
            out[tok.text] = doc[e_start:e_end].text if (tagged or capitalised) else None
        return out

    def _person_names(self, doc: Doc, cands: list[_Candidate]) -> list[str]:
        names: list[str] = []
        for c in cands:
            if c.label != "PERSON" or self.res.country_of_text(c.text):
                continue
            if _in_parens(doc, c.start, c.end) and _is_acronym(c.text):
                continue
            name = c.text
            if name not in names:
                names.append(name)
        # Keep only the longest form of each person for surname lookups.
        return sorted(names, key=len, reverse=True)

    # -- classification -------------------------------------------------------------------

    def _classify(
        self,
        doc: Doc,
        cand: _Candidate,
        acronyms: dict[str, str | None],
        persons: list[str],
        surnames: dict[str, str],
        firstnames: dict[str, str],
        person_order: list[str],
    ) -> Entity | None:
        res = self.res
        text, label = cand.text, cand.label
        key = alias_key(text)

        if text in acronyms:
            expansion = acronyms[text]
            if expansion is None:
                return None  # "memorandum of understanding (MoU)": not an entity
            return self._org(expansion, short=text)

        if label != "PERSON" and (text in surnames or text in persons):
            full = surnames.get(text, text)
            return self._person(full, person_order)

        iso3 = res.metonyms.get(key) or res.country_aliases.get(key)
        if iso3 is None and label in {"NORP", "GPE", "ORG", "LOC", "PERSON"}:
            iso3 = res.demonyms.get(key) or (
                res.demonyms.get(key[:-1]) if key.endswith("s") and label == "NORP" else None
            )
        if iso3 is None and key in res.capitals and label in {"GPE", "ORG", "PERSON", "LOC"}:
            if not _capital_is_location(doc, cand.start, cand.end):
                iso3 = res.capitals[key]
            else:
                return _place_entity(text, res.cities.get(key), "GPE")
        if iso3 is not None:
            return self._country(iso3)

        org = res.orgs.get(key) or res.orgs.get(text)
        if org is not None:
            return self._known_org(org)

        tokens = text.split()
        if label == "ORG" and (key in res.title_fragments or text.islower()):
            return None  # "Defense" out of "Defense Secretary"; "defence ministry"
        if label == "ORG" and cand.end < len(doc) and doc[cand.end].lower_ in res.role_heads:
            # "Philippine Defense Secretary", "Interior Cabinet Secretary": a title, not an org;
            # a leading country word still counts as a mention of the country.
            for size in (3, 2, 1):
                if size < len(tokens):
                    iso3 = res.country_of_text(doc[cand.start:cand.start + size].text)
                    if iso3:
                        cand.end = cand.start + size
                        return self._country(iso3)
            return None
        if label in {"GPE", "LOC"} and len(tokens) > 1 and tokens[-1].lower() in _ADMIN_SUFFIXES:
            cand.end -= 1
            text = doc[cand.start:cand.end].text
            key = alias_key(text)
            tokens = tokens[:-1]
        if label in {"ORG", "FAC", "NORP", "PERSON", "LOC"} and key in res.cities and \
                label != "PERSON" and key not in res.regions:
            return _place_entity(text, res.cities[key], "GPE")

        if label in {"LOC", "GPE", "ORG", "FAC", "NORP", "PERSON"} and (
            key in res.regions or tokens[-1].lower() in res.region_suffixes
        ) and label != "PERSON":
            place = res.regions.get(key)
            ent = _place_entity(text, place, "LOC")
            return ent

        if label == "PERSON":
            if _in_parens(doc, cand.start, cand.end) and _is_acronym(text):
                return None
            if text in surnames:
                return self._person(surnames[text], person_order)
            if text in firstnames and " " not in text:
                return self._person(firstnames[text], person_order)
            for full in persons:  # a shorter form of a longer name ("Lloyd J. Austin")
                if full != text and full.endswith(" " + text):
                    return self._person(full, person_order)
            return self._person(text, person_order)
        if label == "GPE":
            return _place_entity(text, res.cities.get(key), "GPE")
        if label == "LOC":
            return _place_entity(text, res.regions.get(key), "LOC")
        if label == "ORG":
            return self._org(text)
        if label in _MISC_LABELS:
            return Entity(id=f"misc:{slugify(text)}", name=text, type=label)
        return None

    def _country(self, iso3: str) -> Entity:
        return Entity(
            id=f"country:{iso3}", name=self.res.country_names.get(iso3, iso3), type="GPE",
            country=iso3,
        )

    def _org(self, name: str, *, short: str | None = None, country: str | None = None) -> Entity:
        if short is not None:
            known_entry = self.res.orgs.get(alias_key(short)) or self.res.orgs.get(short)
            if known_entry is not None:
                return self._known_org(known_entry)
            known_entry = self.res.orgs.get(alias_key(name))
            if known_entry is not None:
                return self._known_org(known_entry)
            return Entity(id=_org_id(short), name=name, type="ORG", country=country)
        return Entity(id=_org_id(name), name=name, type="ORG", country=country)

    def _known_org(self, org: OrgEntry) -> Entity:
        return Entity(id=org.id or _org_id(org.name), name=org.name, type="ORG",
                      country=org.country, known=True)

    def _person(self, name: str, order: list[str]) -> Entity:
        if name not in order:
            order.append(name)
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
            if entity.type == "ORG" and len(entity.name) > len(existing.name) and \
                    not _is_acronym(entity.name) and existing.id == _org_id(existing.name):
                existing.name = entity.name
            existing.country = existing.country or entity.country
        existing.mentions.append(Mention(start, end, existing.id))
        for i in range(start, end):
            table.token_entity[i] = existing.id

    def _add_untagged(self, doc: Doc, table: EntityTable, surnames: dict[str, str]) -> None:
        """Known surnames, countries, metonyms, orgs and regions the model did not tag."""
        res = self.res
        covered = table.token_entity
        i = 0
        n = len(doc)
        while i < n:
            tok = doc[i]
            if covered[i] is not None or not (tok.is_title or tok.is_upper) or tok.is_punct:
                i += 1
                continue
            matched = 0
            for size in range(min(_MAX_NGRAM, n - i), 0, -1):
                if any(covered[j] is not None for j in range(i, i + size)):
                    continue
                span = doc[i:i + size]
                text = span.text
                key = alias_key(text)
                entity: Entity | None = None
                if size == 1 and text in surnames:
                    entity = Entity(id=f"person:{slugify(surnames[text])}", name=surnames[text],
                                    type="PERSON")
                elif key in res.metonyms:
                    entity = self._country(res.metonyms[key])
                elif key in res.country_aliases and (text[0].isupper()) and not (
                    size == 1 and tok.lower_ == "us" and text != "US"
                ):
                    if i > 0 and doc[i - 1].lower_ == "the" and text in {"States"}:
                        continue
                    entity = self._country(res.country_aliases[key])
                elif key in res.orgs and (len(text) > 3 or text.isupper()):
                    entity = self._known_org(res.orgs[key])
                elif size == 1 and key in res.big_cities and tok.pos_ == "PROPN" and i > 0 \
                        and not doc[i - 1].is_sent_start:
                    entity = _place_entity(text, res.cities[key], "GPE")
                elif key in res.regions and size > 1:
                    entity = _place_entity(text, res.regions[key], "LOC")
                if entity is not None:
                    self._add(table, entity, i, i + size)
                    matched = size
                    break
            i += matched or 1

    # -- attributes -----------------------------------------------------------------------

    def _attribute(self, doc: Doc, table: EntityTable, entity: Entity) -> None:
        """Country and role of persons and organisations from the words around their mentions."""
        if entity.type not in {"PERSON", "ORG"}:
            return
        entity.mentions.sort(key=lambda m: m.start)
        if entity.type == "PERSON":
            longest = max(entity.mentions, key=lambda m: m.end - m.start)
            entity.name = doc[longest.start:longest.end].text if longest.end - longest.start > 1 \
                else entity.name
        for m in entity.mentions:
            if entity.country and (entity.role or entity.type == "ORG"):
                break
            country, role = self._context(doc, table, m)
            entity.country = entity.country or country
            if entity.type == "PERSON":
                entity.role = entity.role or role
        if entity.type == "ORG" and entity.country is None:
            for m in entity.mentions:
                for size in (3, 2, 1):
                    if m.end - m.start > size:
                        iso3 = self.res.country_of_text(doc[m.start:m.start + size].text)
                        if iso3:
                            entity.country = iso3
                            break
                if entity.country:
                    break

    def _context(self, doc: Doc, table: EntityTable, m: Mention) -> tuple[str | None, str | None]:
        res = self.res
        span = doc[m.start:m.end]
        root = span.root
        left = root.left_edge.i
        country: str | None = None
        role_tokens: list[Token] = []
        for i in range(m.start - 1, max(left, m.start - 8) - 1, -1):
            tok = doc[i]
            other = table.token_entity[i]
            if other is not None and other.startswith("country:"):
                country = country or other.split(":", 1)[1]
                continue
            if other is not None:
                break
            if tok.tag_ == "POS" or tok.lower_ in _DETERMINERS or tok.is_punct and tok.text != "-":
                if role_tokens and tok.is_punct:
                    break
                continue
            if tok.pos_ in {"PROPN", "NOUN", "ADJ"} or tok.lower_ in {"of", "-"}:
                role_tokens.insert(0, tok)
            else:
                break
        role = _role_text(role_tokens, res.role_heads)
        # "Lloyd Austin, the U.S. defense secretary," -> appositive carries country and role.
        if country is None or role is None:
            for child in root.children:
                if child.dep_ != "appos":
                    continue
                sub = list(child.subtree)
                for tok in sub:
                    other = table.token_entity[tok.i]
                    if other is not None and other.startswith("country:") and country is None:
                        country = other.split(":", 1)[1]
                words = [t for t in sub if table.token_entity[t.i] is None and
                         t.lower_ not in _DETERMINERS and t.tag_ != "POS" and not t.is_punct]
                role = role or _role_text(words, res.role_heads)
        return country, role


def _role_text(tokens: list[Token], heads: frozenset[str]) -> str | None:
    words = [t for t in tokens]
    while words and words[0].lower_ in {"of", "-"}:
        words.pop(0)
    if not words or not any(t.lower_ in heads for t in words):
        return None
    if words[-1].lower_ == "of":
        return None
    return " ".join(t.text for t in words)


# --- output ----------------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:[.'’-]\w+)*\.?")


def _norm_words(text: str) -> str:
    return " " + " ".join(w.casefold().rstrip(".") for w in _WORD.findall(text)) + " "


def entity_records(
    table: EntityTable,
    *,
    title: str,
    first_paragraph_end: int,
    sentence_tone: dict[int, float],
) -> list[dict[str, Any]]:
    """JSON-ready entities ordered by salience (then first mention)."""
    doc = table.doc
    title_norm = _norm_words(title)
    max_count = max((len(e.mentions) for e in table.entities.values()), default=1)
    out: list[tuple[float, int, dict[str, Any]]] = []
    for e in table.entities.values():
        forms = {doc[m.start:m.end].text for m in e.mentions} | {e.name} | e.surnames
        if e.type == "PERSON" and " " in e.name:
            forms.add(e.name.split()[-1])
        in_title = any(_norm_words(f) in title_norm for f in forms if f.strip())
        first = min(m.start for m in e.mentions)
        first_char = doc[first].idx
        early = first_char < first_paragraph_end
        count = len(e.mentions)
        salience = 0.35 * in_title + 0.25 * early + 0.40 * (count / max_count)
        sents = {doc[m.start].sent.start for m in e.mentions}
        tones = [sentence_tone.get(s, 0.0) for s in sents]
        mentions = [
            {"text": doc[m.start:m.end].text, "start": doc[m.start].idx,
             "end": doc[m.end - 1].idx + len(doc[m.end - 1].text)}
            for m in sorted(e.mentions, key=lambda m: m.start)
        ]
        record = {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "mentions": mentions,
            "count": count,
            "salience": round(min(1.0, salience), 3),
            "country": e.country,
            "role": e.role,
            "lat": e.lat,
            "lon": e.lon,
            "tone": round(sum(tones) / len(tones), 3) if tones else 0.0,
        }
        out.append((-record["salience"], first_char, record))
    out.sort(key=lambda t: (t[0], t[1]))
    return [r for _, _, r in out]
