"""Event precision on real wire copy nobody tuned on, judged by hand (issue 14).

    python -m tools.bench.judged_precision --corpus DIR [--articles 150] [--seed 14]
        [--judgments tools/bench/results/judged/judgments.tsv] [--write-unjudged FILE]

``DIR`` holds the Reuters-21578 files ``reut2-000.sgm`` ... ``reut2-021.sgm`` (Lewis 1997,
public; not shipped with the project). A seeded random sample of the articles with a body is
enriched one article at a time through the worker's enricher; every article falls in the TUNE
or the HELD-OUT half by a hash of its NEWID, so the halves do not move when the sample grows.
Each extracted event is looked up in the judgments file (tab-separated, one event a line:
article id, sentence, code, actor, target, verdict ``right``/``wrong``, short reason) and the
tool prints the precision of each half, then every event no judgment covers (to be read and
judged). An event is matched on article, sentence, root code, actors and targets, so a change
of leaf code within its root keeps its verdict while any change of participants asks again.

Rules are looked for on the TUNE half's wrong events only; the HELD-OUT half is reported as it
comes (tools/bench/results/judged/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

_FILE = re.compile(r"^reut2-\d{3}\.sgm$")
_ARTICLE = re.compile(r"<REUTERS\b[^>]*\bNEWID=\"(?P<id>\d+)\"[^>]*>(?P<body>.*?)</REUTERS>", re.S)
_DATE = re.compile(r"<DATE>\s*(?P<d>\d{1,2})-(?P<m>[A-Z]{3})-(?P<y>\d{4})")
_BODY = re.compile(r"<BODY>(?P<text>.*?)</BODY>", re.S)
_MONTHS = {
    m: n
    for n, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1
    )
}
_SIGN_OFF = re.compile(r"\s*\b(Reuter|REUTER)\s*(&#3;)?\s*$")
DEFAULT_JUDGMENTS = Path(__file__).parent / "results" / "judged" / "judgments.tsv"
HEADER = ["article", "sentence", "code", "actor", "target", "verdict", "reason"]


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    date: str  # RFC 3339
    text: str


def half(article_id: str) -> str:
    """TUNE or HELD-OUT, by the parity of the first byte of the id's SHA-1."""
    return "tune" if hashlib.sha1(article_id.encode()).digest()[0] % 2 == 0 else "held-out"


def _body_text(raw: str) -> str:
    """The body as paragraphs: Reuters wraps lines at ~65 columns and opens each paragraph with
    an indent."""
    raw = _SIGN_OFF.sub("", html.unescape(raw.replace("&#3;", "")))
    paragraphs = re.split(r"\n\s{2,}", raw.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def articles(corpus: Path) -> list[Article]:
    """Every article with a body, in id order."""
    out: dict[int, Article] = {}
    for path in sorted(p for p in corpus.iterdir() if _FILE.match(p.name)):
        text = path.read_bytes().decode("latin-1")
        for m in _ARTICLE.finditer(text):
            body = _BODY.search(m["body"])
            date = _DATE.search(m["body"])
            if body is None or date is None:
                continue
            stamp = f"{date['y']}-{_MONTHS[date['m']]:02d}-{int(date['d']):02d}T12:00:00Z"
            clean = _body_text(body["text"])
            if clean:
                out[int(m["id"])] = Article(m["id"], stamp, clean)
    return [out[k] for k in sorted(out)]


def sample(all_articles: list[Article], n: int, seed: int) -> list[Article]:
    chosen = random.Random(seed).sample(all_articles, min(n, len(all_articles)))
    return sorted(chosen, key=lambda a: int(a.id))


def _key(article: str, sentence: str, code: str, actor: str, target: str) -> tuple[str, ...]:
    return (article, " ".join(sentence.split()), code[:2], actor, target)


def read_judgments(path: Path) -> dict[tuple[str, ...], tuple[str, str]]:
    if not path.exists():
        return {}
    out = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        row = dict(zip(HEADER, line.split("\t"), strict=True))
        key = _key(row["article"], row["sentence"], row["code"], row["actor"], row["target"])
        out[key] = (row["verdict"], row["reason"])
    return out


def main(argv: list[str] | None = None) -> int:
    from services.enrichment import Enrichment
    from tools.bench.cameo_examples import enrich_sentences

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder with reut2-NNN.sgm")
    parser.add_argument("--articles", type=int, default=150, help="articles in the sample")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--judgments", type=Path, default=DEFAULT_JUDGMENTS)
    parser.add_argument("--write-unjudged", type=Path, help="append unjudged events here (TSV, no verdict)")
    parser.add_argument("--verbose", action="store_true", help="print every event with its verdict")
    args = parser.parse_args(argv)

    chosen = sample(articles(args.corpus), args.articles, args.seed)
    judged = read_judgments(args.judgments)
    results = enrich_sentences([(a.id, a.date, a.text) for a in chosen])
    right = {"tune": 0, "held-out": 0}
    total = {"tune": 0, "held-out": 0}
    unjudged: list[list[str]] = []
    for article, result in zip(chosen, results, strict=True):
        events = result.events if isinstance(result, Enrichment) else ()
        for e in events:
            sentence = " ".join(article.text[e.sentence_start : e.sentence_end].split())
            actor, target = ";".join(e.actors), ";".join(e.targets)
            verdict = judged.get(_key(article.id, sentence, e.code, actor, target))
            part = half(article.id)
            if args.verbose:
                print(f"[{part}] {article.id} {e.code} {e.trigger.text!r} {actor} -> {target}: {verdict}")
            if verdict is None:
                unjudged.append(
                    [article.id, sentence, e.code, actor, target, "", f"trigger={e.trigger.text}"]
                )
                continue
            total[part] += 1
            right[part] += verdict[0] == "right"
    for part in ("tune", "held-out"):
        p = right[part] / total[part] if total[part] else 0.0
        print(f"{part:9} judged {total[part]:3}  right {right[part]:3}  precision {p:.3f}")
    n, good = sum(total.values()), sum(right.values())
    print(f"{'all':9} judged {n:3}  right {good:3}  precision {good / n if n else 0:.3f}")
    print(f"articles {len(chosen)}, unjudged events {len(unjudged)}")
    for row in unjudged:
        print("UNJUDGED\t" + "\t".join(row))
    if args.write_unjudged is not None:
        with args.write_unjudged.open("a", encoding="utf-8") as f:
            f.writelines("\t".join(row) + "\n" for row in unjudged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
