"""EnricherPool with the real model in real child processes: the same results as spaCy in
this process, and a child that dies mid-parse costs a restart, not the articles."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import psutil
import pytest

from services.articles import Article, validate_article
from services.enrichment import Enrichment
from services.nlp import load_enricher
from services.nlp.pool import EnricherPool
from tests.support.builders import LIMITS, NLP
from tests.support.waiting import wait_until

RESTARTS: list[int] = []


@pytest.fixture(scope="module")
def pool() -> Iterator[EnricherPool]:
    pool = EnricherPool(replace(NLP, processes=1, batch_size=2), on_restart=lambda: RESTARTS.append(1))
    pool.start()
    yield pool
    pool.close()


def articles(article_factory: Callable[..., dict[str, Any]], n: int, repeat: int = 1) -> list[Article]:
    made = []
    for _ in range(n):
        raw = article_factory()
        raw["body"] = "\n\n".join([raw["body"]] * repeat)
        made.append(validate_article(raw, LIMITS))
    return made


def test_the_pool_returns_what_spacy_in_this_process_returns(
    pool: EnricherPool, article_factory: Callable[..., dict[str, Any]]
) -> None:
    batch = articles(article_factory, 3)
    here = load_enricher(replace(NLP, batch_size=2)).enrich(batch)
    there = pool.enrich(batch)
    assert all(isinstance(r, Enrichment) for r in there)
    assert there == here
    assert pool.pids() and os.getpid() not in pool.pids()


def test_a_child_killed_mid_parse_is_replaced_and_its_articles_parsed_again(
    pool: EnricherPool, article_factory: Callable[..., dict[str, Any]]
) -> None:
    # Long enough (~40 paragraphs) that the kill lands while the child is parsing.
    batch = articles(article_factory, 2, repeat=40)
    expected = pool.enrich(batch)
    [victim] = pool.pids()
    restarts = pool.restarts
    results: list[Any] = []
    worker = threading.Thread(target=lambda: results.extend(pool.enrich(batch)))
    idle_cpu = _cpu_seconds(victim)
    worker.start()
    # Mid-parse: the child has spent a tenth of a CPU-second on the batch (of about one).
    assert wait_until(lambda: _cpu_seconds(victim) > idle_cpu + 0.1, timeout=30, interval=0.02)
    os.kill(victim, signal.SIGKILL)
    worker.join(120)

    assert not worker.is_alive()
    assert results == expected  # nothing lost, nothing dead-lettered
    assert pool.restarts == restarts + 1
    assert len(RESTARTS) == pool.restarts  # what the worker's restart counter is fed from
    assert pool.pids() and victim not in pool.pids()


def _cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def test_close_stops_every_child(article_factory: Callable[..., dict[str, Any]]) -> None:
    pool = EnricherPool(replace(NLP, processes=2, batch_size=2))
    pool.start()
    pool.enrich(articles(article_factory, 2))
    children = pool.pids()
    assert children
    pool.close(timeout=10)
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(RuntimeError, match="closed"):
        pool.enrich(articles(article_factory, 1))


PARENT = """
import time
from dataclasses import replace
from config.settings import Settings
from services.nlp.pool import EnricherPool
if __name__ == "__main__":
    pool = EnricherPool(replace(Settings().nlp_params, processes=1))
    pool.start()
    print(pool.pids()[0], flush=True)
    time.sleep(600)
"""


def test_nlp_processes_exit_when_their_worker_is_killed_outright() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        os.kill(child, 0)  # alive
        parent.kill()  # SIGKILL: no chance to stop the pool
        parent.wait(10)
        if not wait_until(lambda: not psutil.pid_exists(child), timeout=10):
            os.kill(child, signal.SIGKILL)
            raise AssertionError("the NLP process outlived its worker")
    finally:
        parent.kill()
