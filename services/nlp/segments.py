"""Long articles cut into pieces the parser takes one at a time.

What spaCy's parser holds while it works grows with the length of the text it is given: a
whole 3,000-word article adds ~60 MB to an NLP process, the same article in pieces of 1,000
words ~20 MB, a 10,000-word one ~220 MB against ~30 MB (``python -m tools.bench.nlp_memory``). The
cuts fall at paragraph breaks, which no dependency arc or entity crosses; the CNN's context
window (a few tokens) does, so tags near a cut can differ from a whole-text parse. Pure text:
imported by the worker process too, which never loads spaCy.
"""

from __future__ import annotations

import re

_PARAGRAPH_BREAK = re.compile(r"(?<=\n\n)(?!\n)")


def paragraph_pieces(text: str, max_words: int) -> list[str]:
    """``text`` cut after paragraph breaks into runs of paragraphs of at most ``max_words``
    words (a longer paragraph stays whole); the pieces join back into ``text`` exactly.
    ``max_words`` 0 keeps every text whole."""
    if max_words <= 0 or len(text.split()) <= max_words:
        return [text]
    pieces: list[str] = []
    current, current_words = "", 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        words = len(paragraph.split())
        if current and current_words + words > max_words:
            pieces.append(current)
            current, current_words = "", 0
        current += paragraph
        current_words += words
    if current:
        pieces.append(current)
    return pieces
