"""What a worker holds for its lifetime: the spaCy model, the Redis client, the thread that
runs the blocking work, and the readiness state. Opened in ``start``, closed in ``stop``;
nothing here happens at import time."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import redis

from config import NLP_DATA_DIR
from config.settings import Settings, mask_url
from services import __version__
from services.articles import InputLimits, load_decoders
from services.dedup import Deduplicator, RedisDedupStore
from services.enrichment import Enricher
from services.pipeline import ArticleProcessor
from streams.metrics import WorkerMetrics

log = logging.getLogger("newswire.worker")

#: While Redis stays unreachable, the warning is repeated this often (seconds).
_REDIS_WARN_EVERY = 30.0


def input_limits(settings: Settings) -> InputLimits:
    return InputLimits(
        max_message_bytes=settings.max_message_bytes,
        max_body_chars=settings.max_body_chars,
        max_text_chars=settings.max_text_chars,
        max_title_chars=settings.max_title_chars,
        max_url_chars=settings.max_url_chars,
        max_json_depth=settings.max_json_depth,
    )


def redis_client(settings: Settings) -> redis.Redis:
    password = settings.redis_password.get_secret_value() if settings.redis_password else None
    return redis.Redis.from_url(
        settings.redis_url.get_secret_value(),
        password=password,
        socket_timeout=settings.redis_socket_timeout,
        socket_connect_timeout=settings.redis_socket_timeout,
        health_check_interval=15,
    )


def build_deduplicator(client: redis.Redis, settings: Settings, prefix: str | None = None) -> Deduplicator:
    """The shared Redis dedup index, configured from settings (``prefix`` overrides the key prefix)."""
    store = RedisDedupStore(
        client,
        prefix=prefix or settings.redis_key_prefix,
        ttl_seconds=settings.dedup_ttl_seconds,
        threshold=settings.near_duplicate_threshold,
    )
    return Deduplicator(
        store,
        num_perm=settings.minhash_permutations,
        bands=settings.lsh_bands,
        shingle_size=settings.shingle_size,
    )


def build_processor(
    settings: Settings,
    client: redis.Redis,
    *,
    nlp_processes: int | None = None,
    on_nlp_restart: Callable[[], object] | None = None,
) -> ArticleProcessor:
    """The whole domain pipeline with its real store and model (blocking: loads spaCy).

    With ``nlp_processes`` >= 1 (default: the setting) spaCy runs in that many child
    processes (:class:`~services.nlp.pool.EnricherPool`, which calls ``on_nlp_restart``
    whenever it replaces a dead one); with 0, in this process."""
    processes = settings.nlp_process_count() if nlp_processes is None else nlp_processes
    enricher: Enricher
    if processes > 0:
        from services.nlp.pool import EnricherPool

        pool = EnricherPool(
            settings.spacy_model,
            NLP_DATA_DIR,
            processes=processes,
            batch_size=settings.nlp_batch_size,
            segment_words=settings.nlp_segment_words,
            on_restart=on_nlp_restart,
        )
        pool.start()
        enricher = pool
    else:
        from services.nlp import load_enricher

        enricher = load_enricher(
            settings.spacy_model,
            NLP_DATA_DIR,
            batch_size=settings.nlp_batch_size,
            segment_words=settings.nlp_segment_words,
        )
    load_decoders()
    return ArticleProcessor(
        limits=input_limits(settings),
        deduplicator=build_deduplicator(client, settings),
        enricher=enricher,
        version=__version__,
        nlp_chunk_size=settings.nlp_batch_size,
    )


class WorkerResources:
    """Lifecycle of the model, the Redis client and the processing thread."""

    def __init__(self, settings: Settings, metrics: WorkerMetrics) -> None:
        self.settings = settings
        self.metrics = metrics
        # One thread runs decode, dedup and the sync Redis client, never on the event loop;
        # its processor state (the reuse cache) is touched only there.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newswire-batch")
        # One thread per NLP process, each blocked on one chunk, keeps every process busy;
        # with spaCy in this process (nlp_processes 0) one thread runs it.
        self.nlp_lanes = max(1, settings.nlp_process_count())
        self.nlp_executor = ThreadPoolExecutor(max_workers=self.nlp_lanes, thread_name_prefix="newswire-nlp")
        self.processor: ArticleProcessor | None = None
        self.client: redis.Redis | None = None
        self.model_loaded = asyncio.Event()
        self.redis_ok = False
        #: When Redis was last seen down (None: up, or never checked) and when that was last
        #: said in the log: an outage is logged at once, then every ``_REDIS_WARN_EVERY``.
        self._redis_down_since: float | None = None
        self._redis_warned_at = 0.0
        self.stopping = False
        self.stop_requested = asyncio.Event()
        self._stop_deadline: float | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        self.client = redis_client(self.settings)
        self.processor = await loop.run_in_executor(
            self.executor,
            functools.partial(
                build_processor, self.settings, self.client, on_nlp_restart=self.metrics.nlp_restarts.inc
            ),
        )
        elapsed = time.perf_counter() - started
        self.metrics.model_load_seconds.set(elapsed)
        self.metrics.set_build_info(__version__, self.processor.enricher.model_name)
        log.info(
            "model loaded",
            extra={"stage": "startup", "model": self.settings.spacy_model, "seconds": round(elapsed, 3)},
        )
        self.model_loaded.set()
        await self.check_redis()

    async def check_redis(self) -> bool:
        loop = asyncio.get_running_loop()
        try:
            assert self.client is not None
            await loop.run_in_executor(None, self.client.ping)
        except (redis.RedisError, OSError) as exc:
            self.set_redis_state(False, f"{type(exc).__name__}: {exc}")
        else:
            self.set_redis_state(True)
        return self.redis_ok

    def set_redis_state(self, ok: bool, reason: str = "") -> None:
        """Record whether Redis answers; say so in the log when that changes, and keep
        saying it while Redis stays away (an idle worker has no batch retries to log)."""
        now = time.monotonic()
        if ok and self._redis_down_since is not None:
            log.info(
                "redis is back after %.0fs; ready",
                now - self._redis_down_since,
                extra={"stage": "dedup", "redis": self.redis_where},
            )
            self._redis_down_since = None
        elif not ok:
            if self._redis_down_since is None:
                self._redis_down_since = now
                self._redis_warned_at = 0.0
            if now - self._redis_warned_at >= _REDIS_WARN_EVERY:
                self._redis_warned_at = now
                log.warning(
                    "redis unreachable at %s for %.0fs: %s; not ready, checking every 5s",
                    self.redis_where,
                    now - self._redis_down_since,
                    reason.rstrip(".") or "no answer",
                    extra={"stage": "dedup"},
                )
        self.redis_ok = ok
        self.metrics.redis_up.set(1 if ok else 0)
        self.metrics.ready.set(1 if self.is_ready() else 0)

    @property
    def redis_down_since(self) -> float | None:
        """When (``time.monotonic()``) Redis was first seen down in the current outage."""
        return self._redis_down_since

    @property
    def redis_where(self) -> str:
        return mask_url(self.settings.redis_url.get_secret_value())

    def begin_stopping(self) -> None:
        """The worker is shutting down: not ready any more, batches stop retrying, and one
        deadline (``shutdown_timeout_seconds`` from now) bounds everything that follows."""
        if self.stopping:
            return
        self.stopping = True
        self._stop_deadline = time.monotonic() + self.settings.shutdown_timeout_seconds
        self.stop_requested.set()
        self.metrics.ready.set(0)

    def seconds_left(self, reserve: float = 0.0) -> float:
        """Time left before the shutdown deadline, less ``reserve`` (never below zero)."""
        if self._stop_deadline is None:
            return self.settings.shutdown_timeout_seconds
        return max(0.0, self._stop_deadline - time.monotonic() - reserve)

    async def stopping_within(self, seconds: float) -> bool:
        """Sleep ``seconds``, or less if the worker starts to stop meanwhile (then True)."""
        try:
            await asyncio.wait_for(self.stop_requested.wait(), seconds)
        except TimeoutError:
            return False
        return True

    def is_ready(self) -> bool:
        return self.model_loaded.is_set() and self.redis_ok and not self.stopping

    async def stop(self) -> None:
        self.begin_stopping()
        # Let the work in the NLP threads finish (its input is acknowledged only after it is
        # published), but never past the shutdown deadline: an unfinished batch is simply
        # re-read by the next owner of the partition. The reserve leaves Faust time to close
        # its consumer, producer and web server before the deadline.
        reserve = min(2.0, self.settings.shutdown_timeout_seconds / 5)
        loop = asyncio.get_running_loop()

        def drain() -> None:
            self.nlp_executor.shutdown(wait=True, cancel_futures=True)
            self.executor.shutdown(wait=True, cancel_futures=True)

        waiter = loop.run_in_executor(None, drain)
        try:
            await asyncio.wait_for(waiter, self.seconds_left(2 * reserve))
        except TimeoutError:
            log.warning(
                "in-flight batch still running at shutdown; it will be re-read", extra={"stage": "shutdown"}
            )
        close = getattr(self.processor.enricher if self.processor else None, "close", None)
        if close is not None:  # the NLP processes, killed if still busy at the deadline
            await loop.run_in_executor(None, close, max(0.5, self.seconds_left(reserve)))
        if self.client is not None:
            self.client.close()

    def readiness(self) -> dict[str, Any]:
        return {
            "ready": self.is_ready(),
            "model_loaded": self.model_loaded.is_set(),
            "redis": "up" if self.redis_ok else "down",
            "stopping": self.stopping,
        }
