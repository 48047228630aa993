"""Inputs with sensible defaults, defined once: raw articles as a scraper sends them, raw
messages as the worker reads them, and the real processor on the in-memory fakes."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import orjson

from config.settings import Settings
from services.dedup import Deduplicator, DedupStore
from services.enrichment import Enricher
from services.pipeline import ArticleProcessor, RawMessage
from tests.support.fakes import KeywordEnricher

_serial = itertools.count(1)

#: The settings as config/settings.py writes them, whatever the environment says: the one
#: source of the defaults the tests build value objects from.
DEFAULTS = Settings.model_construct()
LIMITS = DEFAULTS.input_limits
DEDUP = DEFAULTS.dedup_params
#: The shipped model in this process (``processes`` 0); tests replace what they vary.
NLP = replace(DEFAULTS.nlp_params, processes=0)


def raw_article(drop: tuple[str, ...] = (), **overrides: Any) -> dict[str, Any]:
    """A realistic scraper record (a defence ministers' meeting, ~70 words, unique id, URL and
    closing sentence); override any field, or leave some out with ``drop=("field", ...)``."""
    n = next(_serial)
    article: dict[str, Any] = {
        "id": f"fixture-{uuid.uuid4().hex[:8]}-{n}",
        "url": f"https://news.example.com/world/2026/03/{n:04d}-ministers-meet",
        "title": "Ministers meet in Tokyo on maritime security",
        "body": (
            "TOKYO (Newswire) - Japanese Defense Minister Minoru Kihara met U.S. Defense "
            "Secretary Lloyd Austin in Tokyo on Sunday to discuss maritime security in the "
            "East China Sea.\n\nAustin said the United States would deepen cooperation with "
            "Japan. The two ministers signed a memorandum of understanding (MoU) on "
            f"logistics support. Officials said talks would continue next month. Ref {n}."
        ),
        "source": "news.example.com",
        "published_at": "2026-03-02T09:15:00Z",
    }
    article.update(overrides)
    for field in drop:
        article.pop(field, None)
    return article


#: One malformed payload per reason the worker refuses it at decode or validation.
MALFORMED: dict[str, bytes] = {
    "invalid_json": b'{"url": "https://example.org/x", "body": ',
    "invalid_utf8": b'{"url": "https://example.org/x", "body": "caf\xe9"}',
    "not_an_object": b"[1, 2, 3]",
    "invalid_field_type": b'{"url": "https://example.org/x", "body": 12}',
    "missing_url": b'{"title": "t", "body": "A body without any URL."}',
    "empty_body": b'{"url": "https://example.org/empty", "body": "  "}',
    "body_too_large": orjson.dumps({"url": "https://example.org/big", "body": "word " * 50_000}),
}


def encode(article: dict[str, Any]) -> bytes:
    return orjson.dumps(article)


def keyword_article(n: int, body: str = "Japan met Korea in Seoul.") -> bytes:
    """A minimal valid payload with id ``a<n>`` for the keyword enricher; articles with the
    same body are exact duplicates of each other."""
    return orjson.dumps({"id": f"a{n}", "url": f"https://x.example/{n}", "body": body})


def message(value: bytes | None, offset: int, topic: str = "raw", partition: int = 0) -> RawMessage:
    return RawMessage(value=value, key=None, topic=topic, partition=partition, offset=offset)


def make_processor(
    store: DedupStore,
    enricher: Enricher | None = None,
    *,
    nlp_chunk_size: int = 2,
    reuse_cache_bytes: int = 8 * 2**20,
    clock: Callable[[], float] = lambda: 1_700_000_000.0,
) -> ArticleProcessor:
    """The real processor on ``store``, the keyword enricher by default and a fixed clock."""
    return ArticleProcessor(
        limits=LIMITS,
        deduplicator=Deduplicator(store, DEDUP),
        enricher=enricher or KeywordEnricher(),
        version="test",
        clock=clock,
        nlp_chunk_size=nlp_chunk_size,
        reuse_cache_bytes=reuse_cache_bytes,
    )
