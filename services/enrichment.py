"""The contract between the pipeline and the NLP extractors, and the types it hands over.

An :class:`Enricher` turns validated articles into an :class:`Enrichment` per article: typed
entities, events and article-level signals. Only :mod:`services.records` turns them into JSON
(field names and meanings in docs/schemas.md). All offsets index ``Article.text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from services.articles import Article
from services.errors import ProcessingFailed


@dataclass(frozen=True, slots=True)
class TextSpan:
    """``text == article.text[start:end]`` (Python string indices)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entity:
    """One canonical entity of an article (docs/enrichment.md, "Entities")."""

    id: str  # country:<ISO3> | place:<slug> | person:<slug> | org:<slug> | misc:<slug>
    name: str
    type: str  # PERSON, ORG, GPE, LOC, or the spaCy label of anything else
    mentions: tuple[TextSpan, ...]
    salience: float = 0.0
    country: str | None = None
    role: str | None = None
    lat: float | None = None
    lon: float | None = None
    tone: float = 0.0

    @property
    def count(self) -> int:
        return len(self.mentions)


@dataclass(frozen=True, slots=True)
class CameoCode:
    """A CAMEO code with its taxonomy values."""

    code: str
    label: str
    quad_class: int
    goldstein: float

    @property
    def root_code(self) -> str:
        return self.code[:2]


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event (docs/enrichment.md, "Events"); actors and targets are entity ids."""

    id: str
    cameo: CameoCode
    trigger: TextSpan
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    actor_countries: tuple[str, ...]
    target_countries: tuple[str, ...]
    sentence_start: int
    sentence_end: int
    negated: bool = False
    modality: str = "asserted"
    date: str | None = None
    location: str | None = None
    confidence: float = 0.0
    #: What the code rests on (verb, specific, nominal, speech, pattern, refusal; "+target"
    #: when a target was found): the key of the confidence table.
    basis: str = ""

    @property
    def code(self) -> str:
        return self.cameo.code

    @property
    def root_code(self) -> str:
        return self.cameo.root_code


@dataclass(frozen=True, slots=True)
class Quotation:
    text: str
    start: int
    end: int
    speaker: str | None  # entity id


@dataclass(frozen=True, slots=True)
class ArticleTone:
    """GDELT-like tone: ``tone`` = positive - negative, each in % of words."""

    tone: float
    positive: float
    negative: float
    polarity: float
    word_count: int


@dataclass(frozen=True, slots=True)
class Enrichment:
    """What the NLP stage found in one article."""

    entities: Sequence[Entity]
    events: Sequence[Event]
    tone: ArticleTone | None = None
    quotations: Sequence[Quotation] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class NlpParams:
    """How the NLP stage runs, built by ``Settings.nlp_params``."""

    #: The installed spaCy pipeline.
    model_name: str
    #: The folder of tables the extraction rules load (``config/data/nlp``).
    data_dir: Path
    #: Processes that run spaCy (0: in the calling process).
    processes: int
    #: Articles per spaCy batch, and per chunk handed to an NLP process.
    batch_size: int
    #: Articles longer than this many words are parsed in pieces (0: whole).
    segment_words: int
    #: An NLP process hands the heap its chunk freed back to the OS after each chunk.
    release_heap: bool = True


class Enricher(Protocol):
    #: Name of the loaded spaCy pipeline, reported in every record's ``pipeline.model``.
    model_name: str

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        """One result per article, in order; a failure on one article never fails the rest."""
