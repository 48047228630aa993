"""Acronyms in parentheses: "International Monetary Fund (IMF)" is one organisation with the
acronym as its id; "memorandum of understanding (MoU)" is no entity at all (rule 2)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from services.nlp.entities.model import Candidate, EntityDraft, is_acronym
from services.nlp.names import alias_key

if TYPE_CHECKING:
    from services.nlp.entities.classify import EntityTyper

ACRONYM_STOPWORDS = frozenset(
    {"of", "and", "the", "for", "in", "on", "&", "de", "du", "des", "la", "el", "y", "et", "a"}
)


def in_parens(doc: Doc, start: int, end: int) -> bool:
    return start > 0 and end < len(doc) and doc[start - 1].text == "(" and doc[end].text == ")"


def initials_match(letters: list[str], words: list[str]) -> bool:
    """Do the acronym letters spell the words' initials, stop words optional?"""

    def go(li: int, wi: int) -> bool:
        if li == len(letters):
            return all(w in ACRONYM_STOPWORDS for w in words[wi:])
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
        if (w == letters[li] if letters[li].isdigit() else w[0] == letters[li]) and go(li + 1, wi + 1):
            return True  # a number in the acronym stands for itself ("Front 21 (F21)")
        return w in ACRONYM_STOPWORDS and go(li, wi + 1)

    return go(0, 0)


def acronym_expansion(doc: Doc, open_paren: int, acronym: str) -> tuple[int, int] | None:
    """Token range of the words an acronym in parentheses abbreviates, or None."""
    letters = [u.lower() for u in re.findall(r"[A-Z]|\d+", acronym)]
    if not any(u.isalpha() for u in letters):
        return None
    for start in range(open_paren - 1, max(-1, open_paren - 16), -1):
        tok = doc[start]
        # "Construction, Forestry, Mining and Energy Union (CFMEU)": commas list the words
        if (tok.is_punct and tok.text not in {"-", ","}) or (tok.is_sent_end and start != open_paren - 1):
            break
        words = [t.lower_ for t in doc[start:open_paren] if t.tag_ != "POS" and t.text != ","]
        if words and words[0] not in ACRONYM_STOPWORDS and initials_match(letters, words):
            return start, open_paren
    return None


def apply_acronyms(typer: EntityTyper, doc: Doc, cands: list[Candidate]) -> None:
    """Decide every candidate an acronym in parentheses settles: the acronym and its expansion
    become one organisation, or (ordinary words spelled out) nothing anywhere in the article."""
    res = typer.res
    decided: dict[str, EntityDraft | None] = {}
    by_end = {c.end: c for c in cands}
    opens = [t.i + 1 for t in doc if t.text == "(" and t.i + 1 < len(doc)]
    for i in opens:
        tok = doc[i]
        if not (in_parens(doc, i, i + 1) and is_acronym(tok.text)):
            continue
        acronym = tok.text
        known = res.orgs.get(alias_key(acronym)) or res.orgs.get(acronym)
        before = by_end.get(i - 1)  # the candidate right before "("
        expansion_range = acronym_expansion(doc, i - 1, acronym)
        entity: EntityDraft | None
        if expansion_range is not None:
            e_start, e_end = expansion_range
            inside = [c for c in cands if c.start < e_end and c.end > e_start and c.start != i]
            orgish = [c for c in inside if c.label != "GPE" or (c.start <= e_start and c.end >= e_end)]
            proper = all(
                doc[j].text[:1].isupper() or doc[j].lower_ in ACRONYM_STOPWORDS or doc[j].is_punct
                for j in range(e_start, e_end)
            )
            # "The United States (US)", "the Democratic People's Republic of Korea (DPRK)": a
            # country and its abbreviation are the country, never an organisation
            iso3 = res.country_of_text(acronym) or res.country_of_text(doc[e_start:e_end].text)
            if iso3 is not None:
                country = typer.country(iso3)
                inside.append(Candidate(e_start, e_end, "GPE", doc[e_start:e_end].text))
                cands[:] = [c for c in cands if not (c.start < e_end and c.end > e_start)]
                cands.append(Candidate(e_start, e_end, "GPE", doc[e_start:e_end].text, forced=country))
                cands.sort(key=lambda c: c.start)
                by_end = {c.end: c for c in cands}
                decided[acronym] = country
                continue
            if known is not None:
                entity = typer.known_org(known)
            elif inside or proper:
                entity = typer.org_with_short(doc[e_start:e_end].text, acronym)
            else:
                entity = None  # "memorandum of understanding (MoU)"
            for c in orgish:
                c.forced = entity
                c.dropped = entity is None
            decided[acronym] = entity
        elif before is not None and (known is not None or before.label in {"ORG", "FAC", "NORP"}):
            entity = typer.known_org(known) if known else typer.org_with_short(before.text, acronym)
            chain: Candidate | None = before
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
            decided[acronym] = typer.known_org(known)
    if not decided:
        return
    for c in cands:
        if c.text in decided and c.forced is None:
            entity = decided[c.text]
            c.forced = entity
            c.dropped = entity is None
