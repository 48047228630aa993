"""Cutting long articles into pieces for the parser (services/nlp/segments.py)."""

from __future__ import annotations

from services.nlp.segments import paragraph_pieces


def paragraph(n: int, words: int) -> str:
    return " ".join(f"p{n}w{i}" for i in range(words)) + "."


def test_pieces_join_back_into_the_text_and_stay_within_the_word_limit() -> None:
    text = "\n\n".join(paragraph(n, 40) for n in range(10))
    pieces = paragraph_pieces(text, 100)
    assert "".join(pieces) == text
    assert [len(p.split()) for p in pieces] == [80, 80, 80, 80, 80]
    # Every cut falls right after a paragraph break.
    assert all(p.endswith("\n\n") for p in pieces[:-1])


def test_short_texts_and_a_zero_limit_keep_the_text_whole() -> None:
    text = "\n\n".join(paragraph(n, 40) for n in range(3))
    assert paragraph_pieces(text, 120) == [text]
    assert paragraph_pieces(text, 0) == [text]


def test_a_paragraph_longer_than_the_limit_stays_whole() -> None:
    text = paragraph(0, 30) + "\n\n" + paragraph(1, 300) + "\n\n" + paragraph(2, 30)
    pieces = paragraph_pieces(text, 100)
    assert "".join(pieces) == text
    assert [len(p.split()) for p in pieces] == [30, 300, 30]


def test_runs_of_blank_lines_stay_with_the_paragraph_before_them() -> None:
    text = paragraph(0, 60) + "\n\n\n\n" + paragraph(1, 60) + "\n\n" + paragraph(2, 60)
    pieces = paragraph_pieces(text, 100)
    assert pieces == [paragraph(0, 60) + "\n\n\n\n", paragraph(1, 60) + "\n\n", paragraph(2, 60)]
