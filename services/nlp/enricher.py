"""The :class:`~services.enrichment.Enricher` newswire runs: one spaCy pipeline, loaded once,
plus the rule-based extractors of this package."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Sequence
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from services.articles import Article
from services.enrichment import Enrichment, NlpParams
from services.errors import ProcessingFailed
from services.nlp.coref import Resolver
from services.nlp.entities import EntityExtractor, finished_entities
from services.nlp.events import EventExtractor
from services.nlp.lexicon import common_nouns
from services.nlp.quotes import find_quotations
from services.nlp.resources import NlpResources, load_resources
from services.nlp.segments import paragraph_pieces
from services.nlp.tokens import with_cached_tokens
from services.nlp.tone import article_tone

log = logging.getLogger(__name__)

#: Pipeline components the extractors read: POS tags and lemmas (tagger, attribute_ruler,
#: lemmatizer), the parse (parser, which also sets sentences) and NER.
NEEDED_COMPONENTS = frozenset(
    {"tok2vec", "transformer", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "ner"}
)


def load_pipeline(model_name: str) -> Language:
    """Load a spaCy pipeline with only the components the extractors need."""
    import spacy
    from spacy.util import get_model_meta, get_package_path, is_package

    names: list[str] = []
    if is_package(model_name):
        meta = get_model_meta(get_package_path(model_name))
        names = list(meta.get("pipeline", [])) + list(meta.get("disabled", []))
    exclude = [n for n in names if n not in NEEDED_COMPONENTS]
    return with_sentences(spacy.load(model_name, exclude=exclude))


def parse_texts(nlp: Language, texts: Sequence[str], *, batch_size: int, segment_words: int) -> list[Doc]:
    """One Doc per text, each over its exact text; a text longer than ``segment_words`` goes
    through the pipeline as :func:`paragraph_pieces` and comes back joined."""
    pieces = [paragraph_pieces(text, segment_words) for text in texts]
    parsed = iter(nlp.pipe((p for ps in pieces for p in ps), batch_size=batch_size))
    return [_joined([next(parsed) for _ in ps]) for ps in pieces]


def _joined(docs: list[Doc]) -> Doc:
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def with_sentences(nlp: Language) -> Language:
    """Make sure the pipeline sets sentence boundaries (a parser or senter does; a blank
    pipeline gets a rule-based sentencizer)."""
    if not any(name in nlp.pipe_names for name in ("parser", "senter", "sentencizer")):
        nlp.add_pipe("sentencizer")
    return nlp


class SpacyEnricher:
    """Entities, CAMEO events, tone and quotations for a batch of articles.

    Call :meth:`enrich` from one worker thread at a time (a lock enforces it); it never
    touches an event loop.
    """

    def __init__(
        self,
        nlp: Language,
        model_name: str,
        resources: NlpResources,
        *,
        batch_size: int,
        segment_words: int,
    ) -> None:
        self.nlp = with_sentences(nlp)
        self.model_name = model_name
        self.resources = resources
        self.batch_size = batch_size
        self.segment_words = segment_words
        self.entities = EntityExtractor(resources, common_nouns=common_nouns(self.nlp), vocab=self.nlp.vocab)
        self.events = EventExtractor(resources, self.nlp.vocab)
        self.last_timings: dict[str, float] = {"spacy_seconds": 0.0, "extract_seconds": 0.0}
        self._lock = threading.Lock()

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        with self._lock:
            docs, spacy_seconds = self._parse(articles)
            started = time.perf_counter()
            results: list[Enrichment | ProcessingFailed] = []
            for article, doc in zip(articles, docs, strict=True):
                if isinstance(doc, ProcessingFailed):
                    results.append(doc)
                    continue
                try:
                    results.append(self.extract(article, doc))
                except Exception as exc:  # one bad article never fails the batch
                    log.exception("extraction failed for article %s", article.article_id)
                    results.append(
                        ProcessingFailed(
                            "nlp_error", f"extraction failed: {type(exc).__name__}: {exc}", stage="nlp"
                        )
                    )
            self.last_timings = {
                "spacy_seconds": spacy_seconds,
                "extract_seconds": time.perf_counter() - started,
            }
            return results

    def _parse(self, articles: Sequence[Article]) -> tuple[list[Doc | ProcessingFailed], float]:
        started = time.perf_counter()
        texts = [a.text for a in articles]
        parse = functools.partial(parse_texts, self.nlp, segment_words=self.segment_words)
        try:
            docs: list[Doc | ProcessingFailed] = list(parse(texts, batch_size=self.batch_size))
        except Exception:
            # Find the culprit: parse one by one so the others still succeed.
            docs = []
            for text in texts:
                try:
                    docs.append(parse([text], batch_size=1)[0])
                except Exception as exc:
                    docs.append(
                        ProcessingFailed(
                            "nlp_error", f"spaCy failed: {type(exc).__name__}: {exc}", stage="nlp"
                        )
                    )
        return docs, time.perf_counter() - started

    def extract(self, article: Article, parsed: Doc) -> Enrichment:
        """Everything the rules find in one parsed article."""
        res = self.resources
        doc = with_cached_tokens(parsed, article.text)
        published = _published_date(article.published_at)
        table = self.entities.extract(doc, published.strftime("%Y%m%d") if published else None)
        resolver = Resolver(table, res)
        tone, sentence_tone = article_tone(doc, res.valence)
        paragraph_end = article.text.find("\n\n")
        if paragraph_end < 0:
            paragraph_end = min(len(article.text), 400)
        entities = finished_entities(
            table,
            title=article.title,
            first_paragraph_end=paragraph_end,
            sentence_tone=sentence_tone,
        )
        events = self.events.extract(
            table,
            resolver,
            article_id=article.article_id,
            published=published,
        )
        return Enrichment(
            entities=entities,
            events=events,
            tone=tone,
            quotations=find_quotations(doc, table, resolver, res),
        )


def _published_date(published_at: str | None) -> date | None:
    if not published_at:
        return None
    try:
        return date.fromisoformat(published_at[:10])
    except ValueError:
        return None


def load_enricher(params: NlpParams) -> SpacyEnricher:
    """Load the spaCy pipeline and the rule data (``params.data_dir``: the folder of NLP
    tables, ``config/data/nlp``) once; call at worker start-up, never at import."""
    return SpacyEnricher(
        load_pipeline(params.model_name),
        params.model_name,
        load_resources(params.data_dir),
        batch_size=params.batch_size,
        segment_words=params.segment_words,
    )
