"""Salience and per-entity tone, and the finished :class:`~services.enrichment.Entity` list."""

from __future__ import annotations

import re

from services.enrichment import Entity, TextSpan
from services.nlp.entities.model import EntityTable

_WORD = re.compile(r"\w+(?:[.'\u2019-]\w+)*\.?")


def _norm_words(text: str) -> str:
    return " " + " ".join(w.casefold().rstrip(".") for w in _WORD.findall(text)) + " "


def finished_entities(
    table: EntityTable,
    *,
    title: str,
    first_paragraph_end: int,
    sentence_tone: dict[int, float],
) -> list[Entity]:
    """The article's entities ordered by salience (then first mention).

    salience = 0.35 (named in the title) + 0.25 (mentioned in the first paragraph)
    + 0.40 * mentions / mentions of the most mentioned entity.
    """
    doc = table.doc
    sent_of = table.sentence_numbers()
    title_norm = _norm_words(title)
    max_count = max((len(e.mentions) for e in table.entities.values()), default=1)
    out: list[tuple[float, int, Entity]] = []
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
        mentions = tuple(
            TextSpan(
                text=doc[m.start : m.end].text,
                start=doc[m.start].idx,
                end=doc[m.end - 1].idx + len(doc[m.end - 1].text),
            )
            for m in sorted(e.mentions, key=lambda m: m.start)
        )
        score = round(min(1.0, salience), 3)
        entity = Entity(
            id=e.id,
            name=e.name,
            type=e.type,
            mentions=mentions,
            salience=score,
            country=e.country,
            role=e.role,
            lat=e.lat,
            lon=e.lon,
            tone=round(sum(tones) / len(tones), 3) if tones else 0.0,
        )
        out.append((-score, first_char, entity))
    out.sort(key=lambda t: (t[0], t[1]))
    return [r for _, _, r in out]
