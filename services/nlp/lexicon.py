"""The English word classes the loaded pipeline's lemmatizer knows (its WordNet-derived
``lemma_index`` table): whether a capitalised word is also a common noun."""

from __future__ import annotations

from spacy.language import Language
from spacy.strings import get_string_id


def common_nouns(nlp: Language) -> frozenset[int]:
    """String-store ids of the lower-case nouns of the rule lemmatizer's index (``Token.lower``
    is such an id; ids rather than strings save ~2 MB per NLP process); empty for a pipeline
    without one (the rules that ask then behave as if no word were a common noun)."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or "lemma_index" not in lookups.tables:
        return frozenset()
    index = lookups.get_table("lemma_index")
    nouns = index.get(get_string_id("noun"), [])
    return frozenset(get_string_id(str(n).lower()) for n in nouns)
