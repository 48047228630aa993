"""Events on the sample sentences PETRARCH2 ships for its own checks, printed for reading.

    python -m tools.bench.petrarch_sample --xml GigaWord.sample.PETR.xml

The file is ``petrarch2/data/text/GigaWord.sample.PETR.xml`` of github.com/openeventdata/petrarch2
(commit 676801c): 16 real AFP sentences from LDC Gigaword (August 2008) followed by PETRARCH2's
own short test sentences. It has no gold codes and is not shipped (Gigaword's licence is the
LDC's): it is real wire copy of another agency, year and style than the ABC gold stories,
read by the team to find error classes, never a source of strings for rules.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import replace
from pathlib import Path

_SENTENCE = re.compile(
    r'<Sentence\s+date\s*=\s*"(?P<date>\d{8})"\s+id\s*=\s*"(?P<id>[^"]+)".*?<Text>(?P<text>.*?)</Text>',
    re.S,
)


def sentences(path: Path) -> list[tuple[str, str, str]]:
    """(id, RFC 3339 date, text) of every sentence with text, whitespace collapsed."""
    out = []
    for m in _SENTENCE.finditer(path.read_text(encoding="utf-8")):
        text = " ".join(m["text"].split())
        if text:
            d = m["date"]
            out.append((m["id"], f"{d[:4]}-{d[4:6]}-{d[6:]}T00:00:00Z", text))
    return out


def main(argv: list[str] | None = None) -> int:
    from config.settings import Settings
    from services.articles import validate_article
    from services.enrichment import Enrichment
    from streams.domain import build_enricher

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--xml", type=Path, required=True, help="petrarch2 GigaWord.sample.PETR.xml")
    args = parser.parse_args(argv)
    rows = sentences(args.xml)
    settings = Settings()
    enricher = build_enricher(replace(settings.nlp_params, processes=0))
    articles = [
        validate_article(
            {"url": f"https://petrarch.example/{sid}", "body": text, "published_at": date},
            settings.input_limits,
        )
        for sid, date, text in rows
    ]
    found = 0
    for (sid, _, text), result in zip(rows, enricher.enrich(articles), strict=True):
        print(f"## {sid}: {text}")
        events = result.events if isinstance(result, Enrichment) else ()
        found += len(events)
        for e in events:
            print(
                f"   {e.code} {e.cameo.label[:32]!r} trigger={e.trigger.text!r} "
                f"actors={list(e.actors)} {list(e.actor_countries)} "
                f"targets={list(e.targets)} {list(e.target_countries)} {e.modality}"
                f"{' negated' if e.negated else ''} confidence {e.confidence:.2f}"
            )
    print(f"sentences {len(rows)}, events {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
