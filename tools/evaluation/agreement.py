"""Agreement between two hand annotations of the same articles' events.

    python -m tools.evaluation.agreement tests/data/gold-wikinews/source/events \
        tests/data/gold-wikinews/source/events-second [--gold tests/data/gold-wikinews]

The first folder plays the gold, the second the prediction, and both are matched exactly as
``newswire eval`` matches the extractor (same sentence, same criteria), so the figures read as
the score a perfect copy of the second annotator would get against the first: an upper bound
that says how much of a system's score on this set is the set's own uncertainty.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools import ROOT
from tools.evaluation.nlp_eval import EVENT_CRITERIA, Counts, gold_sentence_span, match_events

# A sentence ends at ., ! or ? (a closing quote may follow) before white space, or at a
# paragraph break; good enough to tell whether two snippets sit in one sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+|\n\s*\n")


@dataclass(frozen=True)
class AnnotatedEvent:
    """The fields of a second annotator's event that the match criteria read."""

    code: str
    root_code: str
    actor_countries: list[str]
    target_countries: list[str]
    sentence_start: int
    sentence_end: int


def sentence_bounds(text: str, at: int) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= at:
            start = m.end()
        else:
            return start, m.start()
    return start, len(text)


def as_prediction(text: str, event: dict[str, Any]) -> AnnotatedEvent | None:
    span = gold_sentence_span(text, event)
    if span is None:
        return None
    start, end = sentence_bounds(text, span[0])
    return AnnotatedEvent(
        event["code"],
        event["root_code"],
        event.get("actor_countries", []),
        event.get("target_countries", []),
        start,
        end,
    )


def agreement(first: Path, second: Path, gold_dir: Path) -> dict[str, Any]:
    bodies = {
        g.get("gum_doc", g["id"]).removeprefix("GUM_news_"): g["body"]
        for g in (json.loads(p.read_text()) for p in gold_dir.glob("*.json"))
    }
    counts = {name: Counts() for name in EVENT_CRITERIA}
    docs = sorted(p.stem for p in second.glob("*.json") if (first / p.name).exists())
    unplaced = 0
    for doc in docs:
        text = bodies[doc]
        a = json.loads((first / f"{doc}.json").read_text())
        b_raw = json.loads((second / f"{doc}.json").read_text())
        b = [e for e in (as_prediction(text, ev) for ev in b_raw) if e is not None]
        unplaced += len(b_raw) - len(b)
        spans = [gold_sentence_span(text, g) for g in a]
        for name, criterion in EVENT_CRITERIA.items():
            matched = match_events(a, spans, b, criterion)  # type: ignore[arg-type]
            c = counts[name]
            c.tp += len(matched)
            c.fn += len(a) - len(matched)
            c.fp += len(b) - len(matched)
    return {
        "documents": docs,
        "unplaced_second_events": unplaced,
        "criteria": {n: c.scores() for n, c in counts.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="folder of <doc>.json event lists (plays the gold)")
    parser.add_argument("second", type=Path, help="folder of <doc>.json event lists (plays the system)")
    parser.add_argument(
        "--gold",
        type=Path,
        default=ROOT / "tests" / "data" / "gold-wikinews",
        help="gold files holding each document's body [default: %(default)s]",
    )
    args = parser.parse_args(argv)
    report = agreement(args.first, args.second, args.gold)
    print(f"{len(report['documents'])} documents: {', '.join(report['documents'])}")
    print(f"{'criterion':<20} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for name, s in report["criteria"].items():
        print(
            f"{name:<20} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}  "
            f"{s['tp']:3d} {s['fp']:3d} {s['fn']:3d}"
        )
    if report["unplaced_second_events"]:
        print(f"{report['unplaced_second_events']} second-annotator events not found in their body")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
