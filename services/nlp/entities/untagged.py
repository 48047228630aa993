"""Mentions the model did not tag: known surnames and first names, metonyms, country aliases,
organisations, regions, capitals and big cities in capitalised n-grams (rule 8)."""

from __future__ import annotations

from spacy.tokens import Doc

from services.nlp.entities.candidates import DETERMINERS
from services.nlp.entities.classify import EntityTyper, before_role, capital_is_location
from services.nlp.entities.model import EntityDraft, EntityTable, place_draft
from services.nlp.names import alias_key

#: Longest n-gram (tokens) looked up.
MAX_NGRAM = 4


class UntaggedFinder:
    """Adds the untagged mentions of one article to its table."""

    def __init__(self, typer: EntityTyper) -> None:
        self.typer = typer
        self.res = typer.res

    def add(self, doc: Doc, table: EntityTable, surnames: dict[str, str], firstnames: dict[str, str]) -> None:
        """Known names, countries, metonyms, orgs and regions the model did not tag."""
        res = self.res
        typer = self.typer
        covered = table.token_entity
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            if (
                covered[i] is not None
                or not tok.text[:1].isupper()
                or tok.is_punct
                or tok.lower_ in DETERMINERS
            ):
                i += 1
                continue
            matched = 0
            for size in range(min(MAX_NGRAM, n - i), 0, -1):
                if any(covered[j] is not None for j in range(i, i + size)):
                    continue
                text = doc[i : i + size].text
                key = alias_key(text)
                entity: EntityDraft | None = None
                if size == 1 and (text in surnames or text in firstnames):
                    full = surnames.get(text) or firstnames[text]
                    entity = typer.person(full)
                elif key in res.metonyms:
                    entity = typer.country(res.metonyms[key])
                elif key in res.country_aliases and not (size == 1 and text == "Us"):
                    if text == "States":
                        continue
                    entity = typer.country(res.country_aliases[key])
                elif (
                    key in res.orgs
                    and (len(text) > 3 or text.isupper())
                    and not (key in res.title_fragments and before_role(res, doc, i + size))
                ):
                    entity = typer.known_org(res.orgs[key])
                elif key in res.regions and (size > 1 or tok.pos_ == "PROPN"):
                    entity = place_draft(text, res.regions[key], "LOC", known=True)
                elif size > 1 and key in res.big_cities and doc[i + size - 1].pos_ == "PROPN":
                    entity = typer.city(text, key)  # "Novi Sad"
                elif size == 1 and key in res.capitals and tok.pos_ == "PROPN":
                    # "Kyiv did not comment": an untagged capital, read as for tagged ones
                    entity = (
                        typer.city(text, key)
                        if capital_is_location(doc, i, i + 1)
                        else typer.country(res.capitals[key])
                    )
                elif size == 1 and key in res.big_cities and tok.pos_ == "PROPN" and not tok.is_sent_start:
                    entity = typer.city(text, key)
                if entity is not None:
                    table.add(entity, i, i + size)
                    matched = size
                    break
            i += matched or 1
