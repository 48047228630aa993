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


def close_spelling(a: str, b: str) -> bool:
    """Is ``a`` a misspelling of the surname ``b``: same initial, at most one edit (a letter
    added, dropped, changed or two swapped) per four letters and two in all? News copy
    misspells a name it gave in full before ('Kowalczyk' ... 'Mr Kowalcyzk')."""
    a, b = a.lower(), b.lower()
    if a == b or a[:1] != b[:1] or min(len(a), len(b)) < 5:
        return False
    limit = min(2, min(len(a), len(b)) // 4)
    if abs(len(a) - len(b)) > limit:
        return False
    # optimal string alignment distance, two rows back for the swaps
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return False
        prev2, prev = prev, row
    return prev[-1] <= limit
