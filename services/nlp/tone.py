"""GDELT-AvgTone-like tone from the VADER lexicon (Hutto & Gilbert 2014).

Only the lexicon is used, not VADER's rule engine, so scoring costs one dict lookup per token.
Tone = 100 * (positive words - negative words) / words, the same construction as GDELT's
V2Tone: typically -10..+10, bounded by -100..+100.
"""

from __future__ import annotations

from spacy.tokens import Doc

from services.enrichment import ArticleTone

_NEGATORS = frozenset({"not", "no", "never", "n't", "without", "nor", "neither", "nobody", "none"})
#: A lexicon word counts as positive or negative from this absolute valence
#: (VADER's scale is -4..+4).
_MIN_VALENCE = 0.5
#: How many preceding tokens a negator reaches ("not very good").
_NEGATION_WINDOW = 3


def _score(doc: Doc, start: int, end: int, valence: dict[str, float]) -> tuple[int, int, int]:
    pos = neg = words = 0
    for i in range(start, end):
        tok = doc[i]
        if tok.is_punct or tok.is_space:
            continue
        words += 1
        v = valence.get(tok.lower_)
        if v is None or abs(v) < _MIN_VALENCE:
            continue
        lo = max(start, i - _NEGATION_WINDOW)
        if any(doc[j].lower_ in _NEGATORS for j in range(lo, i)):
            v = -v
        if v > 0:
            pos += 1
        else:
            neg += 1
    return pos, neg, words


def article_tone(doc: Doc, valence: dict[str, float]) -> tuple[ArticleTone, dict[int, float]]:
    """Article tone plus the tone of every sentence (keyed by sentence number)."""
    total_pos = total_neg = total_words = 0
    per_sentence: dict[int, float] = {}
    for n, sent in enumerate(doc.sents):
        pos, neg, words = _score(doc, sent.start, sent.end, valence)
        total_pos += pos
        total_neg += neg
        total_words += words
        per_sentence[n] = round(100.0 * (pos - neg) / words, 3) if words else 0.0
    if total_words == 0:
        return ArticleTone(0.0, 0.0, 0.0, 0.0, 0), per_sentence
    positive = 100.0 * total_pos / total_words
    negative = 100.0 * total_neg / total_words
    return (
        ArticleTone(
            tone=round(positive - negative, 3),
            positive=round(positive, 3),
            negative=round(negative, 3),
            polarity=round(positive + negative, 3),
            word_count=total_words,
        ),
        per_sentence,
    )
