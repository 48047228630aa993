"""The gold-set evaluator (tools/evaluation/nlp_eval.py) on gold folders of its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from services.enrichment import Enrichment
from tools.evaluation.nlp_eval import evaluate_set


class _FindsNothing:
    model_name = "none"

    def enrich(self, articles: list[Any]) -> list[Enrichment]:
        return [Enrichment(entities=[], events=[]) for _ in articles]


def _gold(folder: Path, article_id: str, split: str) -> None:
    record = {
        "id": article_id,
        "split": split,
        "url": f"https://example.org/{article_id}",
        "title": "Harbour talks",
        "body": "Ada Lind met Bo Berg in Oslo today.",
        "entities": [{"id": "place:oslo", "type": "GPE", "country": "NOR", "mentions": ["Oslo"]}],
        "events": [],
    }
    (folder / f"{article_id}.json").write_text(json.dumps(record))


def test_details_cover_the_requested_split_only(tmp_path: Path) -> None:
    _gold(tmp_path, "tuned-on", "dev")
    _gold(tmp_path, "held-out", "test")
    dev_only, _ = evaluate_set(tmp_path, _FindsNothing(), details="dev")  # type: ignore[arg-type]
    assert list(dev_only["articles"]) == ["tuned-on"]
    assert dev_only["articles"]["tuned-on"]["entities"]["missed"] == ["place:oslo"]
    both, _ = evaluate_set(tmp_path, _FindsNothing(), details="all")  # type: ignore[arg-type]
    assert sorted(both["articles"]) == ["held-out", "tuned-on"]
    scores_only, _ = evaluate_set(tmp_path, _FindsNothing())  # type: ignore[arg-type]
    assert "articles" not in scores_only
    # the scores themselves never depend on the details asked for
    assert scores_only["splits"] == dev_only["splits"] == both["splits"]


def test_the_event_scores_skip_articles_whose_events_are_not_annotated(tmp_path: Path) -> None:
    base = {"url": "https://example.org/a", "title": "A title", "body": "Ada Lind met Bo Berg in Oslo today."}
    (tmp_path / "a.json").write_text(json.dumps({**base, "id": "a", "entities": [], "events": []}))
    (tmp_path / "b.json").write_text(
        json.dumps(
            {
                **base,
                "id": "b",
                "url": "https://example.org/b",
                "entities": [],
                "events": [],
                "events_annotated": False,
            }
        )
    )
    report, _ = evaluate_set(tmp_path, _FindsNothing())  # type: ignore[arg-type]
    dev = report["splits"]["dev"]
    assert dev["articles"] == 2
    assert dev["no_event_articles"] == 1  # only the annotated one counts as a no-event article
    assert dev["events_not_annotated"] == 1
