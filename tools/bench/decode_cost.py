"""Per-article cost of the two steps every message pays before NLP, duplicates included:
validation and normalisation (``parse_article``) and the MinHash request (``request_for``).

    python -m tools.bench.decode_cost [--articles 200] [--words 700]

In-process, no Redis: the request is built, not sent.
"""

from __future__ import annotations

import argparse
import time

import orjson

from config.settings import Settings
from services.articles import load_decoders, parse_article
from services.dedup import Deduplicator
from services.text import load_page_extractor
from tools.bench.corpus import CorpusBuilder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=700)
    args = parser.parse_args()
    settings = Settings()
    limits = settings.input_limits
    payloads = [orjson.dumps(a) for a in CorpusBuilder().articles(args.articles, args.words, "decode")]
    # request_for never touches the store.
    deduplicator = Deduplicator(None, settings.dedup_params)  # type: ignore[arg-type]
    # once per worker (the page extractor on its first whole page): not a cost of every article
    load_decoders()
    load_page_extractor()
    started = time.perf_counter()
    articles = [parse_article(p, limits) for p in payloads]
    parse_ms = 1000 * (time.perf_counter() - started) / len(payloads)
    started = time.perf_counter()
    for article in articles:
        deduplicator.request_for(article, "raw:0:0")
    request_ms = 1000 * (time.perf_counter() - started) / len(articles)
    print(
        f"{len(articles)} x {args.words} words: "
        f"parse_article {parse_ms:.2f} ms, request_for {request_ms:.2f} ms"
    )


if __name__ == "__main__":
    main()
