"""The token-cached Doc the extractors read must answer exactly as the Doc it wraps."""

import pytest
import spacy
from spacy.tokens import Span

from services.nlp.tokens import TokenCachedDoc

TEXT = "Kenya and the IMF resumed talks on Monday. Nairobi said little."


def make() -> tuple[spacy.tokens.Doc, TokenCachedDoc]:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(TEXT)
    return doc, TokenCachedDoc(doc)


def test_indexing_and_iteration_match_the_doc_and_reuse_token_objects() -> None:
    doc, cached = make()
    assert len(cached) == len(doc)
    assert [t.text for t in cached] == [t.text for t in doc]
    assert [cached[i].i for i in range(len(doc))] == list(range(len(doc)))
    assert cached[-1].text == doc[-1].text == "."
    assert cached[3] is cached[3]  # one object per token, not a new one per access


def test_slices_are_spans_of_the_real_doc_and_other_attributes_pass_through() -> None:
    doc, cached = make()
    span = cached[2:4]
    assert isinstance(span, Span)
    assert span.doc is doc
    assert span.text == "the IMF"
    assert [s.text for s in cached.sents] == [s.text for s in doc.sents]
    assert cached.text == TEXT


@pytest.mark.parametrize("wrapped", [False, True])
def test_out_of_range_index_raises_like_the_doc(wrapped: bool) -> None:
    doc, cached = make()
    target = cached if wrapped else doc
    with pytest.raises(IndexError):
        target[len(doc)]
