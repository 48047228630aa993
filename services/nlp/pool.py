"""An :class:`~services.enrichment.Enricher` whose spaCy runs in child processes.

Why: with one worker process per core, Kafka partitions pin each article to one worker, so
an article can wait behind a busy worker while the other core idles. One worker with a pool
of NLP processes feeds every core from one first-come-first-served queue: the same
throughput, a shorter latency tail (docs/performance.md, "One queue for all cores").

The children receive validated articles and send back plain results (entity and event
dicts), a few KB per article: `python -m tools.bench.pool_latency` measured the hand-back at
~1 ms (p99 4 ms) against ~200 ms an article spends in spaCy. ``enrich`` blocks until its
articles are done and may be called from several threads at once; that is how the worker
keeps every child busy.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from services.articles import Article
from services.enrichment import Enricher, Enrichment, NlpParams
from services.errors import ProcessingFailed

log = logging.getLogger(__name__)

#: The enricher of this child process, loaded once by :func:`_load_in_child`.
_child_enricher: Enricher | None = None
#: Whether this child hands freed heap back after each chunk (``NlpParams.release_heap``).
_child_release_heap = False


def _exit_with_parent(parent: int, interval: float = 1.0) -> None:
    """A worker killed outright (SIGKILL, OOM) cannot stop its pool, and an NLP process would
    otherwise wait for work forever, holding its model's memory."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(0)


def _load_in_child(params: NlpParams) -> None:
    global _child_enricher, _child_release_heap
    threading.Thread(
        target=_exit_with_parent, args=(os.getppid(),), name="exit-with-parent", daemon=True
    ).start()
    # Each NLP process is one core's worth of work; BLAS threads of its own on top would
    # oversubscribe the cores the other processes use. Set before numpy is imported.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    from services.nlp.spacy_import import import_spacy_without_cli

    # Before the enricher's modules import spaCy: this process never runs a spaCy command.
    import_spacy_without_cli()
    from services.nlp.enricher import load_enricher

    _child_enricher = load_enricher(params)
    _child_release_heap = params.release_heap


def _enrich_in_child(articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
    assert _child_enricher is not None, "initializer did not run"
    try:
        return _child_enricher.enrich(articles)
    finally:
        if _child_release_heap:
            from services.nlp.resources import release_freed_heap  # loaded with the enricher

            # glibc keeps the heap a parse freed for the next one, and what a long article
            # took stays with the process (docs/performance.md, "Memory").
            release_freed_heap()


def _child_ready() -> bool:
    return _child_enricher is not None


class EnricherPool:
    """``params.processes`` children, each with its own copy of the pipeline and of the NLP
    tables in ``params.data_dir``.

    A child that dies (killed, out of memory, a crash inside native code) breaks the pool;
    the pool is then rebuilt and the articles that were in it are parsed again, each on its
    own, so an article that kills its child again is dead-lettered as ``nlp_crash`` instead
    of taking the worker down with it.
    """

    def __init__(self, params: NlpParams, *, on_restart: Callable[[], object] | None = None) -> None:
        if params.processes < 1:
            raise ValueError("an EnricherPool needs at least one process")
        self.params = params
        self.model_name = params.model_name
        self.processes = params.processes
        self.restarts = 0
        #: Called (from the thread that noticed) each time a dead pool is replaced.
        self.on_restart = on_restart
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False

    def start(self) -> None:
        """Start the children; return once one of them has loaded the model (blocking).

        A child runs its initializer before it takes a task, so a task's result means that
        child is ready; the others follow within seconds and take work as they come up."""
        executor = self._current()
        pending = [executor.submit(_child_ready) for _ in range(self.processes)]
        for future in pending:
            future.result()

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the NLP pool is closed")
            if self._executor is None:
                # spawn: forking a process that runs an event loop and Kafka client threads
                # copies their locks in whatever state they are in.
                self._executor = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_load_in_child,
                    initargs=(self.params,),
                )
            return self._executor

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            replaced = self._executor is broken
            if replaced:
                self._executor = None
                self.restarts += 1
        broken.shutdown(wait=False, cancel_futures=True)
        if replaced:
            log.error("an NLP process died; starting a new pool", extra={"stage": "nlp"})
            if self.on_restart is not None:
                self.on_restart()

    def pids(self) -> list[int]:
        """Process ids of the live children (for metrics and tests)."""
        with self._lock:
            executor = self._executor
        return [p.pid for p in _children(executor) if p.is_alive() and p.pid is not None]

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment | ProcessingFailed]:
        if not articles:
            return []
        executor = self._current()
        try:
            return executor.submit(_enrich_in_child, list(articles)).result()
        except BrokenProcessPool:
            self._replace(executor)
        # The pool died while these articles were in it: perhaps because of one of them.
        return [self._enrich_alone(article) for article in articles]

    def _enrich_alone(self, article: Article) -> Enrichment | ProcessingFailed:
        for _attempt in range(2):
            executor = self._current()
            try:
                return executor.submit(_enrich_in_child, [article]).result()[0]
            except BrokenProcessPool:
                self._replace(executor)
        return ProcessingFailed(
            "nlp_crash", "the NLP process died twice while parsing this article", stage="nlp"
        )

    def close(self, timeout: float = 10.0) -> None:
        """Let the children finish what they hold for up to ``timeout`` seconds, then kill
        the rest (their articles are unacknowledged and will be read again)."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is None:
            return
        children = _children(executor)
        executor.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + timeout
        for child in children:
            child.join(max(0.0, deadline - time.monotonic()))
        for child in children:
            if child.is_alive():
                child.kill()
                child.join(1.0)


def _children(executor: ProcessPoolExecutor | None) -> list[multiprocessing.process.BaseProcess]:
    # Python 3.11 lists a pool's processes only in this attribute (3.14 adds terminate_workers).
    return list((getattr(executor, "_processes", None) or {}).values())
