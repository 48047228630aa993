"""How surface forms become lookup keys and id slugs (docs/architecture.md, "Ids")."""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """ASCII-fold: 'São Paulo' -> 'Sao Paulo'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(name: str) -> str:
    """Lower-cased, ASCII-folded, non-alphanumerics collapsed to ``-`` (docs/architecture.md).
    Periods are dropped first, so abbreviations stay whole ('U.S. Navy' -> 'us-navy')."""
    folded = fold(name).replace(".", "").replace("+", "-plus")
    return _NON_ALNUM.sub("-", folded.lower()).strip("-")


@functools.lru_cache(maxsize=1 << 16)
def alias_key(text: str) -> str:
    """The lookup key of a surface form: case-folded, leading 'the' and trailing possessive off,
    curly quotes and whitespace normalised. Cached: the entity rules ask for the same capitalised
    n-grams over and over (~270 calls per 700-word article), and news repeats its names."""
    key = fold(text.replace("\u2019", "'").replace("\u2018", "'")).strip()
    key = re.sub(r"\s+", " ", key).casefold()
    if key.startswith("the "):
        key = key[4:]
    if key.endswith("'s"):
        key = key[:-2]
    elif key.endswith("'"):
        key = key[:-1]
    return key.strip()
