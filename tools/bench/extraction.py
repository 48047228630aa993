"""Article text out of real web pages, scored by the article-extraction benchmark's own
``evaluate.py`` (scrapinghub/article-extraction-benchmark: 181 pages, token-shingle P/R/F1).

    python -m tools.bench.extraction PATH_TO_BENCHMARK_CHECKOUT [--out DIR] [--n-bootstrap 1000]

Each page goes through newswire's real decode path: the page as the ``body`` of a raw message,
``parse_article`` with the default limits, ``Article.text`` as the prediction (a page that is
dead-lettered predicts nothing and is counted lost). trafilatura and readability-lxml run
alone on the same pages in the same run (the latter as the benchmark's own runner uses it,
with html-text; both come with ``pip install -e '.[compare]'``). The prediction files are
written in the benchmark's format to ``DIR/output/`` next to a copy of its ground truth, and
its ``evaluate.py`` is run there. Nothing of the benchmark is kept in this repository.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import orjson
import psutil

from config.settings import Settings
from services.articles import InputLimits, load_decoders, parse_article
from services.errors import InvalidArticle
from services.text import html_depth, is_whole_page, load_page_extractor

Extractor = Callable[[str], str]


def newswire_text(limits: InputLimits, lost: Counter[str]) -> Extractor:
    def extract(page: str) -> str:
        payload = orjson.dumps({"url": "https://benchmark.example/page", "body": page})
        try:
            return parse_article(payload, limits).text
        except InvalidArticle as exc:
            lost[exc.error_type] += 1
            return ""

    return extract


def parse_page_title(page: str) -> str:
    payload = orjson.dumps({"url": "https://benchmark.example/page", "body": page})
    try:
        return parse_article(payload, Settings().input_limits).title
    except InvalidArticle:
        return ""


def big_page_ms() -> float:
    """CPU milliseconds of newswire's decode on a 2,000,000-character page of 27,000 links and
    one short article (the size limit on bodies as sent)."""
    link = "<li><a href='/more/{n:06d}'>More from our network: story {n:06d}</a></li>"
    article = "<article><p>" + "Ministers met in Vienna to revive the grain talks. " * 5 + "</p></article>"
    links = "".join(link.format(n=n) for n in range(27_000))[: 2_000_000 - len(article) - 60]
    page = f"<html><body><ul>{links}</ul>{article}</body></html>"
    payload = orjson.dumps({"url": "https://benchmark.example/big", "body": page})
    started = time.process_time()
    parse_article(payload, Settings().input_limits)
    return 1000 * (time.process_time() - started)


def trafilatura_alone() -> Extractor:
    import trafilatura

    # As the benchmark's own runner calls it.
    return lambda page: trafilatura.extract(page, include_comments=False) or ""


def readability_alone() -> Extractor:
    import html_text
    from readability import Document

    # As the benchmark's own runner calls it.
    return lambda page: html_text.extract_text(Document(page).summary(html_partial=True))


def load_pages(benchmark: Path) -> dict[str, str]:
    pages = {}
    for path in sorted((benchmark / "html").glob("*.html.gz")):
        with gzip.open(path, "rt", encoding="utf8") as file:
            pages[path.name.split(".")[0]] = file.read()
    return pages


def run(extract: Extractor, pages: dict[str, str]) -> tuple[dict[str, dict[str, str]], float, float]:
    """Predictions in the benchmark's format, and the mean CPU and wall milliseconds per page
    (on a shared machine the CPU time is the steadier of the two)."""
    output = {}
    wall, cpu = time.perf_counter(), time.process_time()
    for key, page in pages.items():
        output[key] = {"articleBody": extract(page)}
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return output, 1000 * cpu / len(pages), 1000 * wall / len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("benchmark", type=Path, help="checkout of scrapinghub/article-extraction-benchmark")
    parser.add_argument("--out", type=Path, help="where to write output/*.json (default: a temp dir)")
    parser.add_argument("--n-bootstrap", type=int, default=1000, help="passed to evaluate.py")
    parser.add_argument("--only-newswire", action="store_true", help="skip the two libraries alone")
    args = parser.parse_args()
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("readability").setLevel(logging.CRITICAL)

    pages = load_pages(args.benchmark)
    out = args.out or Path(tempfile.mkdtemp(prefix="newswire-extraction-"))
    (out / "output").mkdir(parents=True, exist_ok=True)
    shutil.copy(args.benchmark / "ground-truth.json", out / "ground-truth.json")

    rss_before = psutil.Process().memory_info().rss
    # once per worker (the page extractor on its first whole page): not a cost of every page
    load_decoders()
    load_page_extractor()
    decoders_mb = (psutil.Process().memory_info().rss - rss_before) / 2**20
    lost: Counter[str] = Counter()
    runs: list[tuple[str, str, Extractor]] = [
        ("newswire", version("newswire"), newswire_text(Settings().input_limits, lost))
    ]
    if not args.only_newswire:
        runs += [
            ("trafilatura", version("trafilatura"), trafilatura_alone()),
            ("readability-lxml", version("readability-lxml"), readability_alone()),
        ]
    truth = json.loads((args.benchmark / "ground-truth.json").read_text("utf-8"))
    truth_words = sum(len(item.get("articleBody", "").split()) for item in truth.values())
    costs, word_ratios = {}, {}
    for name, lib_version, extract in runs:
        output, cpu_ms, wall_ms = run(extract, pages)
        costs[name] = (cpu_ms, wall_ms)
        word_ratios[name] = sum(len(o["articleBody"].split()) for o in output.values()) / truth_words
        (out / "output" / f"{name}.json").write_text(
            json.dumps({"version": lib_version, "output": output}, ensure_ascii=False), "utf-8"
        )

    whole = sum(map(is_whole_page, pages.values()))
    print(f"{len(pages)} pages ({whole} read as whole pages by newswire's rule); predictions in {out}")
    print(
        f"largest page {max(len(p.encode()) for p in pages.values()):,} bytes; deepest nesting "
        f"{max(map(html_depth, pages.values()))}; language model + page extractor loaded: "
        f"+{decoders_mb:.0f} MB RSS"
    )
    titled = sum(bool(parse_page_title(page)) for page in pages.values())
    print(f"newswire pages lost: {sum(lost.values())} {dict(lost) if lost else ''}; title found on {titled}")
    for name, (cpu_ms, wall_ms) in costs.items():
        print(f"cost per page, {name:<17} {cpu_ms:6.1f} ms CPU, {wall_ms:6.1f} ms wall (mean, one thread)")
    print(f"newswire on a 2,000,000-character page of links: {big_page_ms():.0f} ms CPU")
    ratios = ", ".join(f"{name} {ratio:.2f}" for name, ratio in word_ratios.items())
    print(f"words kept per word of the articles (what NLP would read): {ratios}")
    print(f"\n{args.benchmark / 'evaluate.py'} --n-bootstrap {args.n_bootstrap}  (run in {out}):")
    subprocess.run(
        [
            sys.executable,
            str((args.benchmark / "evaluate.py").resolve()),
            "--n-bootstrap",
            str(args.n_bootstrap),
        ],
        cwd=out,
        check=True,
    )


if __name__ == "__main__":
    main()
