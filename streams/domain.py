"""The domain objects a newswire process builds from its Settings: the Redis client, the dedup
index, the NLP enricher (spaCy in this process, or a pool of NLP processes) and the article
processor that ties them together. Loading spaCy blocks: call these at start-up, never at import.
"""

from __future__ import annotations

from collections.abc import Callable

import redis

from config.settings import Settings
from services import __version__
from services.articles import load_decoders
from services.dedup import Deduplicator, DedupParams, RedisDedupStore
from services.enrichment import Enricher, NlpParams
from services.pipeline import ArticleProcessor


def redis_client(settings: Settings) -> redis.Redis:
    """A client for the configured Redis; it connects on its first command."""
    password = settings.redis_password.get_secret_value() if settings.redis_password else None
    return redis.Redis.from_url(
        settings.redis_url.get_secret_value(),
        password=password,
        socket_timeout=settings.redis_socket_timeout,
        socket_connect_timeout=settings.redis_socket_timeout,
        health_check_interval=15,
    )


def delete_prefix(client: redis.Redis, prefix: str) -> int:
    """Delete every key written under ``prefix`` (the dedup store's ``{prefix}:`` keys);
    returns how many. Evaluations, benchmarks and tests write under prefixes of their own."""
    keys = list(client.scan_iter(match="{" + prefix + "}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    return len(keys)


def build_deduplicator(client: redis.Redis, params: DedupParams, prefix: str) -> Deduplicator:
    """The shared Redis dedup index under the key prefix ``prefix``."""
    return Deduplicator(RedisDedupStore(client, prefix=prefix, params=params), params)


def build_enricher(nlp: NlpParams, on_restart: Callable[[], object] | None = None) -> Enricher:
    """spaCy with the extraction rules: in ``nlp.processes`` child processes fed from one queue
    (:class:`~services.nlp.pool.EnricherPool`, which calls ``on_restart`` whenever it replaces a
    dead one), or in this process with ``processes`` 0."""
    if nlp.processes > 0:
        from services.nlp.pool import EnricherPool

        pool = EnricherPool(nlp, on_restart=on_restart)
        pool.start()
        return pool
    from services.nlp import load_enricher

    return load_enricher(nlp)


def build_processor(settings: Settings, client: redis.Redis, enricher: Enricher) -> ArticleProcessor:
    """The whole per-batch pipeline on the configured Redis and the given enricher, its
    language model loaded now rather than on the first article (the page extractor comes
    with the first whole page)."""
    load_decoders()
    return ArticleProcessor(
        limits=settings.input_limits,
        deduplicator=build_deduplicator(client, settings.dedup_params, settings.redis_key_prefix),
        enricher=enricher,
        version=__version__,
        nlp_chunk_size=settings.nlp_batch_size,
    )
