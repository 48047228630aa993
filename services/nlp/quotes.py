"""Direct quotations and who said them."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from services.enrichment import Quotation
from services.nlp.coref import Resolver
from services.nlp.entities.model import EntityTable
from services.nlp.resources import NlpResources

_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{2,}?)[\"\u201d]")
#: Shorter quoted strings are scare quotes ("genuine"), not quotations.
_MIN_QUOTE_WORDS = 4


def find_quotations(doc: Doc, table: EntityTable, resolver: Resolver, res: NlpResources) -> list[Quotation]:
    """Each direct quote of at least four words with its speaker entity (or null).

    The speaker is the subject of a reporting verb ("said", "told") outside the quote in the
    sentences the quote touches; pronouns resolve as for events. A quote without such a verb
    continues the previous quote's speaker when it follows it in the same paragraph.
    """
    text = doc.text
    out: list[Quotation] = []
    previous: tuple[int, str | None] | None = None
    for m in _QUOTE.finditer(text):
        inner = m.group(1)
        inner_start = m.start(1) + (len(inner) - len(inner.lstrip()))
        inner_end = m.end(1) - (len(inner) - len(inner.rstrip()))
        if len(inner.split()) < _MIN_QUOTE_WORDS:
            continue
        speaker = _speaker(doc, table, resolver, res, m.start(), m.end())
        if speaker is None and previous is not None and "\n" not in text[previous[0] : m.start()]:
            speaker = previous[1]
        out.append(
            Quotation(text=text[inner_start:inner_end], start=inner_start, end=inner_end, speaker=speaker)
        )
        previous = (m.end(), speaker)
    return out


def _speaker(
    doc: Doc, table: EntityTable, resolver: Resolver, res: NlpResources, start: int, end: int
) -> str | None:
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    last = doc.char_span(end - 1, end, alignment_mode="expand")
    if first is None or last is None:
        return None
    first_sent, last_sent = table.sentence(first[0].i), table.sentence(last[0].i)
    sents = {first_sent.start: first_sent, last_sent.start: last_sent}
    # the sentence right after a quote that ends one ("...," he said.) is part of it
    nxt = last_sent.end
    if nxt < len(doc):
        sents[nxt] = table.sentence(nxt)
    for sent in sents.values():
        for tok in sent:
            if start <= tok.idx < end or tok.lemma_.lower() not in res.reporting:
                continue
            for child in tok.children:
                if child.dep_ in {"nsubj", "nsubjpass"}:
                    ids = _entity_of(child, table, resolver)
                    if ids:
                        return ids[0]
            # "according to X"
    return None


def _entity_of(tok: Token, table: EntityTable, resolver: Resolver) -> list[str]:
    own = table.entity_at(tok)
    if own:
        return [own]
    resolved = resolver.resolve(tok)
    if resolved:
        return resolved
    for child in tok.children:
        if child.dep_ in {"compound", "poss", "amod"}:
            ent = table.entity_at(child)
            if ent:
                return [ent]
    return []
