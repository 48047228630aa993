"""Fits the event confidence table: for each basis an event's code can rest on, the share of
such events that were right (root code + actor country) on a gold split.

    python -m tools.evaluation.calibration [--gold DIR ...] [--split dev]

(by default the dev splits of both real-news sets, ABC and Wikinews, pooled)

writes ``config/data/nlp/confidence.json``; the extractor reads it at start-up, so an event's
``confidence`` is that share (smoothed), and ``newswire eval`` prints how well it holds per bin.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from services.enrichment import Enricher
from services.errors import ProcessingFailed
from tools import ROOT
from tools.evaluation.nlp_eval import (
    EVENT_CRITERIA,
    gold_article,
    gold_sentence_span,
    load_gold,
    match_events,
)

#: A basis seen fewer times than this on the split takes its coarser basis (without "+target").
MIN_EVENTS = 4


def observations(gold_dir: Path, enricher: Enricher, split: str) -> list[tuple[str, bool]]:
    """(basis, right) of every event predicted on the split's articles."""
    golds = [g for g in load_gold(gold_dir) if g.get("split", "dev") == split]
    articles = [gold_article(g) for g in golds]
    out: list[tuple[str, bool]] = []
    for gold, article, result in zip(golds, articles, enricher.enrich(articles), strict=True):
        if isinstance(result, ProcessingFailed):
            continue
        events = gold.get("events", [])
        spans = [gold_sentence_span(article.text, g) for g in events]
        right = set(match_events(events, spans, result.events, EVENT_CRITERIA["root_actor"]).values())
        out.extend((event.basis, j in right) for j, event in enumerate(result.events))
    return out


def fit(observed: list[tuple[str, bool]]) -> dict[str, Any]:
    """Per basis (and per coarse basis, and overall ``*``): the share right, pulled a little
    towards one half ((right + 0.5) / (events + 1)) so a small basis never claims 0 or 1."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for basis, right in observed:
        for key in {basis, basis.split("+")[0], "*"}:
            counts[key][0] += right
            counts[key][1] += 1
    table = {
        key: round((right + 0.5) / (n + 1), 3)
        for key, (right, n) in sorted(counts.items())
        if n >= MIN_EVENTS or key == "*" or "+" not in key
    }
    return {"by_basis": table, "events": {key: n for key, (_, n) in sorted(counts.items())}}


def main(argv: list[str] | None = None) -> int:
    from config.settings import Settings
    from streams.domain import build_enricher

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--gold",
        type=Path,
        action="append",
        help="a gold folder; repeat to pool several "
        "[default: tests/data/gold-real and tests/data/gold-wikinews]",
    )
    parser.add_argument("--split", default="dev")
    nlp = Settings().nlp_params
    parser.add_argument("--out", type=Path, default=nlp.data_dir / "confidence.json")
    args = parser.parse_args(argv)
    if args.out.exists():
        args.out.unlink()  # fit on the extractor's own bases, not on an older table's values
    enricher = build_enricher(replace(nlp, processes=0))
    golds = args.gold or [ROOT / "tests" / "data" / "gold-real", ROOT / "tests" / "data" / "gold-wikinews"]
    table = fit([seen for gold in golds for seen in observations(gold, enricher, args.split)])
    # Relative to the checkout when inside it: the table is committed, a worktree path is not.
    shown = [str(g.resolve().relative_to(ROOT) if g.resolve().is_relative_to(ROOT) else g) for g in golds]
    table["fitted_on"] = f"{' + '.join(shown)} split {args.split} (root code + actor country)"
    args.out.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(table["by_basis"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
