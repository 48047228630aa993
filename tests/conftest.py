"""Fixtures every test folder may use: raw articles, a name of the test's own, and the
in-memory dedup store. Servers are started in ``tests/integration/conftest.py``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.builders import raw_article
from tests.support.fakes import MemoryStore


@pytest.fixture
def article_factory() -> Callable[..., dict[str, Any]]:
    """A realistic raw article; override any field, or pass ``drop=("field", ...)``."""
    return raw_article


@pytest.fixture
def unique_name() -> str:
    """A short random name for this test's topics, consumer group and Redis keys."""
    return "t" + uuid.uuid4().hex[:10]


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()
