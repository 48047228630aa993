"""Agreement between two annotations of the same article's events (tools/evaluation/agreement.py)."""

from __future__ import annotations

import json
from pathlib import Path

from tools.evaluation.agreement import agreement, sentence_bounds

BODY = (
    "The navy of Freedonia seized a fishing boat on Monday. "
    "Sylvania's foreign minister condemned the seizure and demanded the crew's release.\n\n"
    "Talks are planned for next week."
)


def _event(code: str, snippet: str, actor: str, target: str) -> dict[str, object]:
    return {
        "code": code,
        "root_code": code[:2],
        "trigger": snippet.split()[0],
        "sentence_contains": snippet,
        "actors": [],
        "actor_countries": [actor],
        "targets": [],
        "target_countries": [target],
        "negated": False,
        "modality": "asserted",
    }


def _write(folder: Path, events: list[dict[str, object]]) -> Path:
    folder.mkdir()
    (folder / "story.json").write_text(json.dumps(events))
    return folder


def test_sentence_bounds_stop_at_full_stops_and_paragraph_breaks() -> None:
    at = BODY.index("condemned")
    start, end = sentence_bounds(BODY, at)
    assert BODY[start:end].startswith("Sylvania's foreign minister")
    assert BODY[start:end].endswith("release.")
    start, end = sentence_bounds(BODY, BODY.index("planned"))
    assert BODY[start:end] == "Talks are planned for next week."


def test_identical_annotations_agree_fully_and_a_changed_root_counts_against(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "story.json").write_text(json.dumps({"id": "story", "body": BODY}))
    first_events = [
        _event("122", "condemned the seizure", "SYL", "FRE"),
        _event("102", "demanded the crew's release", "SYL", "FRE"),
    ]
    first = _write(tmp_path / "a", first_events)
    same = _write(tmp_path / "b", first_events)
    report = agreement(first, same, tmp_path / "gold")
    assert report["criteria"]["root_actor_target"]["f1"] == 1.0

    # The second annotator codes the demand as a threat and adds the seizure.
    other = _write(
        tmp_path / "c",
        [
            _event("122", "foreign minister condemned the seizure", "SYL", "FRE"),
            _event("130", "demanded the crew's release", "SYL", "FRE"),
            _event("170", "seized a fishing boat", "FRE", "SYL"),
        ],
    )
    scores = agreement(first, other, tmp_path / "gold")["criteria"]["root_actor"]
    assert (scores["tp"], scores["fp"], scores["fn"]) == (1, 2, 1)
