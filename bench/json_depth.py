"""What enforcing ``max_json_depth`` costs each message: the depth check alone, beside the
decode step it is part of (``decode_payload``) and the whole decode + validate stage every
message pays (``parse_article``), on news-length articles and on hostile shapes.

    python -m bench.json_depth [--articles 200] [--words 700] [--repeat 20]

In-process; each figure is the best of ``--repeat`` runs over the same payloads.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable

import orjson

from bench.corpus import CorpusBuilder
from config.settings import Settings
from services.articles import _require_shallow_json, decode_payload, parse_article
from services.errors import InvalidArticle
from streams.resources import input_limits


def best_us(action: Callable[[bytes], object], payloads: list[bytes], repeat: int) -> float:
    """Microseconds per payload, best of ``repeat`` passes."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for payload in payloads:
            with contextlib.suppress(InvalidArticle):
                action(payload)
        best = min(best, time.perf_counter() - started)
    return 1e6 * best / len(payloads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=700)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    settings = Settings()
    limits = input_limits(settings)
    depth = settings.max_json_depth
    news = [orjson.dumps(a) for a in CorpusBuilder().articles(args.articles, args.words, "depth")]
    # Bodies full of brackets (citations, code), which take the slower path: strings removed.
    bracketed = [
        orjson.dumps({**orjson.loads(p), "body": orjson.loads(p)["body"] + " [1]" * 40}) for p in news
    ]
    hostile = {
        "1,000 levels deep": [b'{"a":' + b"[" * 1000 + b"]" * 1000 + b"}"],
        "100,000 levels deep": [b"[" * 100_000 + b"]" * 100_000],
        "1 MB of flat [] pairs": [b'{"a":[' + b"[]," * 350_000 + b"[]]}"],
    }
    size = sum(map(len, news)) / len(news)
    print(f"{len(news)} articles x {args.words} words ({size / 1024:.1f} KB each), limit {depth}:")
    for name, payloads in (("news", news), ("news, 40 [n] citations", bracketed)):
        check = best_us(lambda p: _require_shallow_json(p, depth), payloads, args.repeat)
        decode = best_us(lambda p: decode_payload(p, limits), payloads, args.repeat)
        whole = best_us(lambda p: parse_article(p, limits), payloads, max(3, args.repeat // 5))
        print(
            f"  {name:24s} depth check {check:6.1f} us; decode_payload {decode:6.1f} us; "
            f"parse_article {whole:6.0f} us (the check: {100 * check / whole:.1f}% of it)"
        )
    for name, payloads in hostile.items():
        check = best_us(lambda p: _require_shallow_json(p, depth), payloads, max(3, args.repeat // 5))
        print(f"  {name:24s} depth check {check / 1000:7.2f} ms")


if __name__ == "__main__":
    main()
