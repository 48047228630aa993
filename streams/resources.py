"""What a worker holds for its lifetime: the article processor (with its spaCy model and Redis
client), the threads that run the blocking work, and the readiness state. Opened in ``start``,
closed in ``stop``; nothing here happens at import time."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import redis

from config.settings import Settings, mask_url
from services import __version__
from services.pipeline import ArticleProcessor
from streams.domain import build_enricher, build_processor, redis_client
from streams.metrics import WorkerMetrics

log = logging.getLogger("newswire.worker")

#: While Redis stays unreachable, the warning is repeated this often (seconds).
_REDIS_WARN_EVERY = 30.0


class WorkerResources:
    """Lifecycle of the processor (model and Redis client) and the processing threads.

    ``processor``, when given, is used as it is instead of one built from the settings at
    start (the in-memory tests of the app give theirs)."""

    def __init__(
        self, settings: Settings, metrics: WorkerMetrics, processor: ArticleProcessor | None = None
    ) -> None:
        self.settings = settings
        self.metrics = metrics
        # One thread runs decode, dedup and the sync Redis client, never on the event loop;
        # its processor state (the reuse cache) is touched only there.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newswire-batch")
        # One thread per NLP process, each blocked on one chunk, keeps every process busy;
        # with spaCy in this process (nlp_processes 0) one thread runs it.
        self.nlp_lanes = max(1, settings.nlp_params.processes)
        self.nlp_executor = ThreadPoolExecutor(max_workers=self.nlp_lanes, thread_name_prefix="newswire-nlp")
        self.processor = processor
        self.client: redis.Redis | None = None
        self.model_loaded = asyncio.Event()
        self.redis_ok = False
        #: When Redis was last seen down (None: up, or never checked) and when that was last
        #: said in the log: an outage is logged at once, then every ``_REDIS_WARN_EVERY``.
        self._redis_down_since: float | None = None
        self._redis_warned_at = 0.0
        #: Whether Redis ever answered this worker: its first answer is not a return.
        self._redis_reached = False
        #: Partitions of the input topic assigned to this worker (None before the first
        #: assignment), and the count last announced with "ready: ..." (None: not announced
        #: since the worker was last not ready).
        self.partitions: int | None = None
        self._announced: int | None = None
        self.stopping = False
        self.stop_requested = asyncio.Event()
        self._stop_deadline: float | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        self.client = redis_client(self.settings)
        if self.processor is None:
            enricher = await loop.run_in_executor(
                self.executor, build_enricher, self.settings.nlp_params, self.metrics.nlp_restarts.inc
            )
            self.processor = build_processor(self.settings, self.client, enricher)
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
        if ok and not self._redis_reached:
            down_since = self._redis_down_since
            waited = f" after {now - down_since:.0f}s unreachable" if down_since is not None else ""
            log.info("redis answers at %s%s", self.redis_where, waited, extra={"stage": "startup"})
            self._redis_reached = True
            self._redis_down_since = None
        elif ok and self._redis_down_since is not None:
            log.info(
                "redis is back after %.0fs",
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
        self._announce()

    def assigned(self, partitions: int) -> None:
        """The consumer group gave this worker ``partitions`` partitions of the input topic."""
        self.partitions = partitions
        self._announce()

    def _announce(self) -> None:
        """Say "ready: N partitions, listening on host:port" when the worker becomes ready, and
        again when a rebalance changes its partitions while it is."""
        if not self.is_ready():
            self._announced = None
            return
        if self.partitions is None or self.partitions == self._announced:
            return
        self._announced = self.partitions
        log.info(
            "ready: %d partitions, listening on %s:%d",
            self.partitions,
            self.settings.web_host,
            self.settings.web_port,
            extra={"stage": "startup"},
        )

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
