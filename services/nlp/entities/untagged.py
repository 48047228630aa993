"""Mentions the model did not tag: known surnames and first names, metonyms, country aliases,
organisations, regions, capitals and big cities (rule 8). The static names are one spaCy
``PhraseMatcher`` on lower-case text, compiled once per vocabulary; the article's own people
are looked up per capitalised word."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Collection

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from services.nlp.entities.candidates import DETERMINERS
from services.nlp.entities.classify import EntityTyper, before_role, capital_is_location
from services.nlp.entities.model import EntityDraft, EntityTable, place_draft
from services.nlp.names import alias_key
from services.nlp.tokens import spacy_doc

#: Longest name (tokens) looked up: longer matches are ignored.
MAX_NGRAM = 4


class UntaggedFinder:
    """Adds the untagged mentions of one article to its table."""

    def __init__(self, typer: EntityTyper, common_nouns: frozenset[int] = frozenset()) -> None:
        """``common_nouns``: ids (``Token.lower``) of the lemmatizer's common nouns."""
        self.typer = typer
        self.res = typer.res
        self.common_nouns = common_nouns
        self._matchers: dict[int, PhraseMatcher] = {}

    def compile(self, vocab: Vocab) -> PhraseMatcher:
        matcher = self._matchers.get(id(vocab))
        if matcher is None:
            res = self.res
            # spaCy's English tokenizer rules, so "u.s." or "n'djamena" split as in the text
            make_doc = spacy.blank("en", vocab=vocab).make_doc
            matcher = PhraseMatcher(vocab, attr="LOWER")
            tables: dict[str, Collection[str]] = {
                "METONYM": res.metonyms,
                "COUNTRY": res.country_aliases,
                "ORG": res.orgs,
                "REGION": res.regions,
                "CITY": res.big_cities,
                "CAPITAL": res.capitals,
                "SUBDIVISION": res.subdivisions,
            }
            for label, keys in tables.items():
                docs = (make_doc(k) for k in sorted(keys) if k and k.lower() == k)
                matcher.add(label, [d for d in docs if 0 < len(d) <= MAX_NGRAM])
            self._matchers[id(vocab)] = matcher
        return matcher

    def add(self, doc: Doc, table: EntityTable, surnames: dict[str, str], firstnames: dict[str, str]) -> None:
        """Known names, countries, metonyms, orgs and regions the model did not tag."""
        real = spacy_doc(doc)
        strings = real.vocab.strings
        found: dict[tuple[int, int], set[str]] = defaultdict(set)
        for match_id, start, end in self.compile(real.vocab)(real):
            found[(start, end)].add(strings[match_id])
        for tok in doc:
            if tok.text in surnames or tok.text in firstnames:
                found[(tok.i, tok.i + 1)].add("PERSON")
        # the countries of the article's places (a local story leaves its own country unsaid),
        # for the states and provinces it leaves untagged
        countries = frozenset(e.country for e in table.entities.values() if e.type in {"GPE", "LOC"})

        @functools.cache
        def lower_words() -> frozenset[str]:
            return frozenset(t.lower_ for t in doc if t.is_lower)

        # a name the rules already read as a work's title ("Ivanhoe: The Return") is that title
        # untagged too, never the city a gazetteer lists under it
        titles = {
            doc[m.start : m.end].text
            for e in table.entities.values()
            if e.type in {"WORK_OF_ART", "PRODUCT"}
            for m in e.mentions
        }
        # longest first at each position, then left to right: "Novi Sad" before "Sad"
        for start, end in sorted(found, key=lambda span: (span[0], -(span[1] - span[0]))):
            if any(table.token_entity[j] is not None for j in range(start, end)):
                continue
            if doc[start:end].text in titles:
                continue
            first = doc[start]
            if not first.text[:1].isupper() or first.is_punct or first.lower_ in DETERMINERS:
                continue
            entity = self._entity(
                doc, start, end, found[(start, end)], surnames, firstnames, countries, lower_words
            )
            if entity is not None:
                table.add(entity, start, end)

    def _entity(
        self,
        doc: Doc,
        start: int,
        end: int,
        labels: set[str],
        surnames: dict[str, str],
        firstnames: dict[str, str],
        countries: frozenset[str | None] = frozenset(),
        lower_words: Callable[[], frozenset[str]] = frozenset,
    ) -> EntityDraft | None:
        """``countries``: those of the places the article names; ``lower_words``: the words it
        writes in lower case (computed on first need)."""
        res = self.res
        typer = self.typer
        size = end - start
        tok = doc[start]
        text = doc[start:end].text
        key = alias_key(text)
        if "PERSON" in labels:
            return typer.person(surnames.get(text) or firstnames[text])
        if "METONYM" in labels:
            return typer.country(res.metonyms[key])
        if "COUNTRY" in labels and not (size == 1 and text in {"Us", "States"}):
            return typer.country(res.country_aliases[key])
        if (
            "ORG" in labels
            and (len(text) > 3 or text.isupper())
            and not (key in res.title_fragments and before_role(res, doc, end))
        ):
            return typer.known_org(res.orgs[key])
        if "REGION" in labels and (size > 1 or tok.pos_ == "PROPN"):
            return place_draft(text, res.regions[key], "LOC", known=True)
        if "CITY" in labels and size > 1 and doc[end - 1].pos_ == "PROPN":
            return typer.city(text, key)  # "Novi Sad"
        if "CAPITAL" in labels and size == 1 and tok.pos_ == "PROPN":
            # "Kyiv did not comment": an untagged capital, read as for tagged ones
            if capital_is_location(doc, start, end):
                return typer.city(text, key)
            return typer.country(res.capitals[key])
        if (
            "CITY" in labels
            and size == 1
            and tok.pos_ == "PROPN"
            and not tok.is_sent_start
            and not (tok.lower in self.common_nouns and inside_longer_name(doc, start))
        ):
            # a town named by a common noun inside a longer title-case name ("the Zorbly Man
            # of the Year award") is a word of that name, not the town
            return typer.city(text, key)
        if (
            "SUBDIVISION" in labels
            and doc[end - 1].pos_ == "PROPN"
            and res.subdivisions[key].country in countries
            and key not in res.compass_words
            and key not in res.petrarch.first_names
            and key not in lower_words()
        ):
            # "Manitoba was spared" in a story naming Canada: a state or province of a country
            # the article names, untagged; not a compass word ("Centre"), a first name, or a
            # word the article also writes in lower case
            return typer.city(text, key)
        return None


def inside_longer_name(doc: Doc, i: int) -> bool:
    """Is ``doc[i]`` one word of a longer title-case name: a capitalised word (not opening the
    sentence) right before it, or a capitalised word right after it or after its "of"/"of the"?"""

    def capitalised(j: int) -> bool:
        return 0 <= j < len(doc) and doc[j].is_alpha and doc[j].text[:1].isupper()

    if capitalised(i - 1) and not doc[i - 1].is_sent_start:
        return True
    j = i + 1
    if j < len(doc) and doc[j].lower_ == "of":
        j += 1
        if j < len(doc) and doc[j].lower_ == "the":
            j += 1
    return capitalised(j)
