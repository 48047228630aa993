"""The contract between the pipeline and the NLP extractors.

An :class:`Enricher` turns validated articles into entities, events and article-level
signals. Everything it returns is plain JSON-ready data that goes into the records as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from services.articles import Article
from services.errors import ProcessingFailed


@dataclass(frozen=True, slots=True)
class Enrichment:
    """What the NLP stage found in one article.

    ``entities``: ``{id, name, type, mentions[{text,start,end}], count, ...}``;
    ``events``: ``{id, code, root_code, label, trigger{text,start,end}, actors[], targets[],
    sentence{start,end}, ...}`` with actor and target entity ids; ``extras``: article-level
    fields added to the enriched record (tone, quotations, ...). Offsets index ``Article.text``.
    """

    entities: list[dict[str, Any]]
    events: list[dict[str, Any]]
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NlpParams:
    """How the NLP stage runs, built by ``Settings.nlp_params``."""

    #: The installed spaCy pipeline.
    model_name: str
    #: Processes that run spaCy (0: in the calling process).
    processes: int
    #: Articles per spaCy batch, and per chunk handed to an NLP process.
    batch_size: int
    #: Articles longer than this many words are parsed in pieces (0: whole).
    segment_words: int


class Enricher(Protocol):
    #: Name of the loaded spaCy pipeline, reported in every record's ``pipeline.model``.
    model_name: str

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        """One result per article, in order; a failure on one article never fails the rest."""
