"""Per-article cost of the two steps every message pays before NLP, duplicates included:
validation and normalisation (``parse_article``) and the MinHash request (``request_for``).

    python -m bench.decode_cost [--articles 200] [--words 700]

In-process, no Redis: the request is built, not sent.
"""

from __future__ import annotations

import argparse
import time

import orjson

from bench.corpus import CorpusBuilder
from config.settings import Settings
from services.articles import load_decoders, parse_article
from services.dedup import Deduplicator
from streams.resources import input_limits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=700)
    args = parser.parse_args()
    settings = Settings()
    limits = input_limits(settings)
    payloads = [orjson.dumps(a) for a in CorpusBuilder().articles(args.articles, args.words, "decode")]
    deduplicator = Deduplicator(
        None,  # type: ignore[arg-type]  # request_for never touches the store
        num_perm=settings.minhash_permutations,
        bands=settings.lsh_bands,
        shingle_size=settings.shingle_size,
    )
    load_decoders()  # the worker loads the language model and page extractor at start
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
