"""An NLP process hands the heap a chunk freed back to the OS after the chunk
(``NEWSWIRE_NLP_RELEASE_HEAP``): what the setting reaches and when the child trims."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from config.settings import Settings
from services.nlp import pool, resources


class FakeEnricher:
    model_name = "fake"

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def enrich(self, articles: Sequence[Any]) -> list[Any]:
        if self.fail:
            raise RuntimeError("a crash inside the pipeline")
        return list(articles)


@pytest.fixture
def trims(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(resources, "release_freed_heap", lambda: calls.append(1))
    return calls


def test_the_setting_reaches_the_nlp_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().nlp_params.release_heap is True
    monkeypatch.setenv("NEWSWIRE_NLP_RELEASE_HEAP", "false")
    assert Settings().nlp_params.release_heap is False


def test_a_child_trims_after_each_chunk_when_told(monkeypatch: pytest.MonkeyPatch, trims: list[int]) -> None:
    monkeypatch.setattr(pool, "_child_enricher", FakeEnricher())
    monkeypatch.setattr(pool, "_child_release_heap", True)
    assert pool._enrich_in_child(["a", "b"]) == ["a", "b"]  # type: ignore[list-item]
    assert pool._enrich_in_child(["c"]) == ["c"]  # type: ignore[list-item]
    assert len(trims) == 2


def test_a_child_trims_after_a_failed_chunk_too(monkeypatch: pytest.MonkeyPatch, trims: list[int]) -> None:
    monkeypatch.setattr(pool, "_child_enricher", FakeEnricher(fail=True))
    monkeypatch.setattr(pool, "_child_release_heap", True)
    with pytest.raises(RuntimeError):
        pool._enrich_in_child(["a"])  # type: ignore[list-item]
    assert len(trims) == 1


def test_a_child_left_alone_never_trims(monkeypatch: pytest.MonkeyPatch, trims: list[int]) -> None:
    monkeypatch.setattr(pool, "_child_enricher", FakeEnricher())
    monkeypatch.setattr(pool, "_child_release_heap", False)
    pool._enrich_in_child(["a"])  # type: ignore[list-item]
    assert trims == []


def test_releasing_the_heap_is_safe_to_call_here() -> None:
    resources.release_freed_heap()  # glibc: trims; elsewhere: nothing
