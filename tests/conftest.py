"""Fixtures every test folder may use: raw articles, real news text, a name of the test's own,
and the in-memory dedup store. Servers are started in ``tests/integration/conftest.py``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.builders import raw_article
from tests.support.fakes import MemoryStore
from tools.bench.corpus import distinct_stories


@pytest.fixture
def article_factory() -> Callable[..., dict[str, Any]]:
    """A realistic raw article; override any field, or pass ``drop=("field", ...)``."""
    return raw_article


@pytest.fixture(scope="session")
def corpus() -> list[str]:
    """The distinct stories of the Lee corpus: real wire text (tests/data/dedup/README.md)."""
    return distinct_stories()


@pytest.fixture
def unique_name() -> str:
    """A short random name for this test's topics, consumer group and Redis keys."""
    return "t" + uuid.uuid4().hex[:10]


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()
