"""Canonical entities of one article: NER spans -> corrected, grouped, attributed entities.

The rules (docs/enrichment.md, "Entities") run over a parsed ``Doc`` and the static tables in
:class:`~services.nlp.resources.NlpResources`, in this order: :mod:`.candidates`,
:mod:`.acronyms`, :mod:`.classify` (typing), :mod:`.untagged`, :mod:`.countries`,
:mod:`.salience`. Nothing here loads a model.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

from services.nlp.entities.acronyms import apply_acronyms
from services.nlp.entities.candidates import CandidateFinder
from services.nlp.entities.classify import (
    EntityTyper,
    drop_determined_persons,
    drop_letter_labels,
    drop_time_zones,
    listed_place,
    mark_short_org_names,
    person_names,
    relabel_appositive_places,
    relabel_company_names,
    relabel_lone_names,
    relabel_place_names,
    relabel_places_listed_with_orgs,
    relabel_product_short_names,
    relabel_unlisted_places,
    relabel_work_titles,
)
from services.nlp.entities.countries import CountryAttributor
from services.nlp.entities.model import EntityDraft, EntityTable, Mention
from services.nlp.entities.salience import finished_entities
from services.nlp.entities.untagged import UntaggedFinder
from services.nlp.names import alias_key
from services.nlp.resources import NlpResources

__all__ = ["EntityDraft", "EntityExtractor", "EntityTable", "Mention", "finished_entities"]


class EntityExtractor:
    """Turns a parsed Doc into an :class:`EntityTable` using the resource tables."""

    def __init__(
        self, res: NlpResources, *, common_nouns: frozenset[int] = frozenset(), vocab: Vocab | None = None
    ) -> None:
        """``vocab``: the pipeline's vocabulary, to compile the name matcher now rather than on
        the first article."""
        self.res = res
        self.candidates = CandidateFinder(res, common_nouns)
        self.typer = EntityTyper(res)
        self.untagged = UntaggedFinder(self.typer, common_nouns)
        self.countries = CountryAttributor(res)
        if vocab is not None:
            self.untagged.compile(vocab)

    def extract(self, doc: Doc, published: str | None = None) -> EntityTable:
        """The entity table of a parsed article; ``published`` (YYYYMMDD) dates office holders."""
        res = self.res
        cands = self.candidates.candidates(doc)
        apply_acronyms(self.typer, doc, cands)
        drop_determined_persons(doc, cands)
        relabel_company_names(res, doc, cands)
        persons = person_names(res, cands)
        surnames = {p.split()[-1]: p for p in persons if " " in p}
        firstnames = {p.split()[0]: p for p in persons if " " in p}
        relabel_lone_names(res, doc, cands, surnames, firstnames)
        relabel_place_names(res, doc, cands, persons)
        relabel_appositive_places(res, doc, cands)
        relabel_work_titles(doc, cands)
        relabel_product_short_names(cands)
        drop_time_zones(doc, cands)
        drop_letter_labels(doc, cands, self.candidates.common_nouns)
        mark_short_org_names(res, cands)
        relabel_unlisted_places(res, cands)
        relabel_places_listed_with_orgs(res, doc, cands)
        persons = person_names(res, cands)
        article_countries = frozenset(
            iso3 for c in cands if c.label in {"GPE", "NORP"} and (iso3 := res.country_of_text(c.text))
        )

        # countries of every place the article names, states and cities too ("Queensland")
        place_countries = article_countries | frozenset(
            place.country
            for c in cands
            if c.label in {"GPE", "LOC"}
            and (place := res.subdivisions.get(alias_key(c.text)) or res.cities.get(alias_key(c.text)))
            and place.country
        )

        table = EntityTable(doc=doc, entities={}, token_entity=[None] * len(doc))
        for cand in cands:
            if cand.dropped:
                continue
            entity = cand.forced or self.typer.classify(
                doc, cand, persons, surnames, firstnames, article_countries, place_countries
            )
            if entity is not None:
                table.add(entity, cand.start, cand.end)
        self.untagged.add(doc, table, surnames, firstnames)
        merge_short_place_names(table, res)
        merge_org_name_variants(table, res)
        countries = {e.country for e in table.entities.values() if e.id.startswith("country:")}
        for entity in list(table.entities.values()):
            self.countries.attribute(doc, table, entity, countries, published)
        self.countries.places_in_hosts(doc, table)
        self.countries.fallback_countries(doc, table)
        if self.countries.fold_state_references(table, self.typer, published):
            self.countries.fallback_countries(doc, table)  # a state just named may now dominate
        self.countries.qualify_generic_orgs(table)
        return table


def merge_short_place_names(table: EntityTable, res: NlpResources) -> None:
    """ "the Franklin" after "the Franklin River": a one-word place that names a river, sea or
    lake of the article without its kind word is that place (as a surname is its person)."""
    long_names = {
        e.name.split()[0]: e.id
        for e in table.entities.values()
        if e.type == "LOC" and len(e.name.split()) == 2 and e.name.split()[-1].lower() in res.region_suffixes
    }
    for entity in list(table.entities.values()):
        target = long_names.get(entity.name)
        if (
            target is not None
            and (entity.type in {"GPE", "LOC"} or (entity.type == "ORG" and not entity.known))
            and entity.id != target
            and entity.id in table.entities
        ):
            table.merge(entity.id, target)


def merge_short_org_names(table: EntityTable, res: NlpResources) -> None:
    """ "Zorbly" after "Zorbly Magazine": an organisation of no table whose name another
    organisation of the article continues with an organisation's noun is that organisation
    (as "the Franklin" is the Franklin River)."""
    kinds = res.organisation_nouns | res.org_heads
    longer: dict[str, set[str]] = {}
    for e in table.entities.values():
        short, _, kind = e.name.rpartition(" ")
        if e.type == "ORG" and short and kind.lower() in kinds:
            longer.setdefault(short, set()).add(e.id)
    for entity in list(table.entities.values()):
        targets = longer.get(entity.name, set()) - {entity.id}
        if entity.type == "ORG" and not entity.known and len(targets) == 1 and entity.id in table.entities:
            target = next(iter(targets))
            if target in table.entities:
                table.merge(entity.id, target)


def _contains_at_head(long_words: list[str], short_words: list[str]) -> bool:
    """Is ``short_words`` a run of ``long_words`` that ends at its head noun (the word before
    its first "of", else its last word: "High Court" in "the Federal High Court of Zemlia"), or
    the whole of its last of-phrase ("Zemlia" in "the Church of Zemlia")?"""
    n = len(short_words)
    if n >= len(long_words):
        return False
    head = long_words.index("of") - 1 if "of" in long_words else len(long_words) - 1
    if head >= n - 1 and long_words[head - n + 1 : head + 1] == short_words:
        return True
    last_of = len(long_words) - 1 - long_words[::-1].index("of") if "of" in long_words else -1
    return last_of >= 0 and long_words[last_of + 1 :] == short_words


def merge_contained_org_names(table: EntityTable, res: NlpResources) -> None:
    """ "the Appeals Court" after "the Zemlian Appeals Court of Justice", "Vexism" after "the
    Church of Vexism": a shorter name of no curated organisation that is a longer organisation's
    name cut back to its head noun, or that longer name's of-phrase, is that organisation, when
    the article has one such longer name (a place's name stays the place's)."""
    orgs = sorted((e for e in table.entities.values() if e.type == "ORG"), key=lambda e: -len(e.name.split()))
    # longest first: "Appeals Court" joins its one longer name before "Court" looks for its own
    for entity in orgs:
        words = entity.name.split()
        if entity.known or entity.id not in table.entities or listed_place(res, entity.name):
            continue
        targets = {
            e.id
            for e in table.entities.values()
            if e.type == "ORG" and e.id != entity.id and _contains_at_head(e.name.split(), words)
        }
        if len(targets) == 1:
            target = next(iter(targets))
            if target in table.entities:
                table.merge(entity.id, target)


def merge_org_name_variants(table: EntityTable, res: NlpResources) -> None:
    """Two names of one organisation in one article: "the Federal National Party" and "the
    National Party" (a leading federal/national/state qualifier), "the Liberals" and "the
    Liberal Party" (a party's members in the plural)."""
    orgs = {e.name.lower(): e.id for e in table.entities.values() if e.type == "ORG"}
    for entity in list(table.entities.values()):
        words = entity.name.split()
        target = None
        if entity.type == "ORG" and len(words) > 2 and words[0].lower() in res.state_modifiers:
            target = orgs.get(" ".join(words[1:]).lower())
        elif entity.type in {"NORP", "ORG"} and len(words) == 1 and entity.name.endswith("s"):
            target = orgs.get(f"{entity.name[:-1].lower()} party")
        if target is not None and target != entity.id and entity.id in table.entities:
            table.merge(entity.id, target)
    merge_contained_org_names(table, res)
    merge_short_org_names(table, res)
    # "the Church" after "the Church of Vexora", "the Court" after "the Supreme Court": the
    # head noun alone is the one organisation of the article it heads
    by_head: dict[str, set[str]] = {}
    for e in table.entities.values():
        words = e.name.split()
        if e.type == "ORG" and len(words) > 1:
            head = words[0] if "of" in words else words[-1]
            by_head.setdefault(head, set()).add(e.id)
    for entity in list(table.entities.values()):
        heads = by_head.get(entity.name, set())
        if (
            entity.type == "ORG"
            and " " not in entity.name
            and not entity.known
            and entity.name.lower() in res.org_heads | res.building_words
            and len(heads) == 1
            and entity.id in table.entities
        ):
            table.merge(entity.id, next(iter(heads)))
