"""The example consumer's view of news.events (docs/examples/downstream_consumer.py) keeps the
events of each article's latest revision, as a compacted topic would."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "downstream_consumer.py"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("downstream_consumer", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def event(event_id: str, revision: int, code: str = "040", target: str = "Korea") -> dict[str, Any]:
    return {
        "schema": "newswire.event/1",
        "id": event_id,
        "code": code,
        "root_code": code[:2],
        "label": "Consult",
        "actors": [{"id": "country:JPN", "name": "Japan", "type": "GPE"}],
        "targets": [{"id": "country:KOR", "name": target, "type": "GPE"}],
        "article_id": "pw-1001",
        "revision": {"number": revision},
        "published_at": "2026-03-02T09:15:00Z",
        "source": "wire",
    }


def test_the_view_follows_revisions_and_tombstones(example: ModuleType) -> None:
    view = example.EventView()
    assert view.apply("e1", event("e1", 1))[0] == "added"
    assert view.apply("e2", event("e2", 1, "057"))[0] == "added"
    # Revision 2 keeps e1 as it was (nothing to show), changes nothing else, drops e2.
    assert view.apply("e1", event("e1", 2)) is None
    change = view.apply("e2", None)
    assert change is not None and change[0] == "retracted" and change[1]["code"] == "057"
    assert view.apply("e2", None) is None  # a replayed tombstone
    # A late record of revision 1 never brings a retracted event back.
    assert view.apply("e2", event("e2", 1, "057")) is None
    assert view.apply("e1", event("e1", 3, target="South Korea"))[0] == "changed"
    assert sorted(view.events) == ["e1"]
