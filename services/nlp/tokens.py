"""A parsed document whose Token objects are made once.

spaCy builds a fresh :class:`~spacy.tokens.Token` on every ``doc[i]`` and every step of
``for tok in doc``. The rule extractors look at each token about fifteen times, so building
Token objects was the largest single cost of extraction (profiled on 700-word news). Spans,
sentences and entities still come from the real Doc.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from spacy.tokens import Doc, Span, Token


class TokenCachedDoc:
    """Reads like the Doc it wraps; integer indexing and iteration reuse one token list."""

    __slots__ = ("doc", "text", "tokens")

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        self.tokens: list[Token] = list(doc)
        # Doc.text joins every token's text again (~0.5 ms for 700 words); the tokenizer keeps
        # its input verbatim, so the caller's text is the same string.
        self.text = doc.text if text is None else text

    def __getitem__(self, key: int | slice) -> Token | Span:
        if isinstance(key, int):
            return self.tokens[key]
        return self.doc[key]

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.doc, name)


def with_cached_tokens(doc: Doc, text: str | None = None) -> Doc:
    """``doc`` as a :class:`TokenCachedDoc`, typed as the Doc it stands in for. ``text``, when
    given, must be the string the Doc was parsed from."""
    return cast(Doc, TokenCachedDoc(doc, text))


def spacy_doc(doc: Doc) -> Doc:
    """The real ``Doc`` behind a :class:`TokenCachedDoc` (spaCy's matchers take only that)."""
    inner = getattr(doc, "doc", None)
    return inner if isinstance(inner, Doc) else doc
