"""Unit tests: pure logic, no servers and (outside tests marked ``model``) no spaCy model."""

from __future__ import annotations

import pytest

from services.pipeline import ArticleProcessor
from tests.support.builders import make_processor
from tests.support.fakes import MemoryStore


@pytest.fixture
def processor(store: MemoryStore) -> ArticleProcessor:
    """The real processor on the in-memory store, the keyword enricher and a fixed clock."""
    return make_processor(store)
