"""The benchmark corpus: real news text (the Lee corpus of 300 ABC/AAP wire stories) cut into
~100-word runs of whole sentences and recombined, seeded, into unique ~200 / 700 / 3,000-word
articles, plus exact re-posts and syndicated copies for the duplicate stream.

Why recombine: 300 stories of ~200 words are 60k words, a few seconds of spaCy; a benchmark
needs thousands of articles that the dedup stage still sees as *unique*. Two composites share a
chunk set at most partially (identical sets are refused), so their estimated Jaccard stays far
below the 0.5 near-duplicate threshold.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from config import DATA_DIR
from services.articles import Article
from services.text import words
from tools import ROOT

LEE = ROOT / "tests" / "data" / "dedup" / "lee_background.cor"
SAMPLES = DATA_DIR / "samples" / "articles.jsonl"
#: The reference article length of every headline number.
WORDS = 700

#: Sentence end: ., ! or ? (optionally closing a quote) followed by space and a capital/quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"']?\s+(?=[A-Z\"'])")
#: Words per chunk: about one wire-story paragraph pair.
CHUNK_WORDS = 100
#: An article is made of at least this many chunks (short articles use shorter chunks), so
#: that two articles sharing one chunk stay far from the near-duplicate threshold.
MIN_CHUNKS = 5


def lee_stories(path: Path = LEE) -> list[str]:
    """Every story of the Lee corpus, one per line of the file."""
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing; tests/data/dedup/README.md says how to extract it from the gensim wheel"
        )
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def distinct_stories(path: Path = LEE) -> list[str]:
    """The Lee stories minus the ones that repeat an earlier one.

    The corpus holds 11 pairs of its own near-copies (7 verbatim; word-trigram Jaccard
    0.52-0.94 for the rest); the dedup evaluation would count both of a pair as "originals".
    """
    kept: list[str] = []
    kept_shingles: list[set[tuple[str, ...]]] = []
    for text in lee_stories(path):
        tokens = words(text)
        grams = {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}
        if all(len(grams & other) / len(grams | other) < 0.3 for other in kept_shingles):
            kept.append(text)
            kept_shingles.append(grams)
    return kept


def chunk_story(story: str, target: int = CHUNK_WORDS) -> list[str]:
    """Whole sentences, grouped into runs of about ``target`` words (the last run absorbs a
    short tail)."""
    sentences = [s.strip() for s in _SENTENCE_END.split(story) if s.strip()]
    chunks: list[list[str]] = [[]]
    count = 0
    for sentence in sentences:
        chunks[-1].append(sentence)
        count += len(sentence.split())
        if count >= target:
            chunks.append([])
            count = 0
    if not chunks[-1]:
        chunks.pop()
    if len(chunks) > 1 and sum(len(s.split()) for s in chunks[-1]) < target // 2:
        tail = chunks.pop()
        chunks[-1].extend(tail)
    return [" ".join(c) for c in chunks]


@dataclass
class CorpusBuilder:
    """Deterministic composites; every article this builder makes is unique among them."""

    seed: int = 20260304
    _pools: dict[int, tuple[list[str], list[int]]] = field(default_factory=dict)
    _used: set[tuple[int, ...]] = field(default_factory=set)
    _serial: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.stories = lee_stories()

    def pool(self, chunk_words: int) -> tuple[list[str], list[int]]:
        """Chunks of about ``chunk_words`` words (whole sentences) and their word counts."""
        if chunk_words not in self._pools:
            chunks = [c for story in self.stories for c in chunk_story(story, chunk_words)]
            self._pools[chunk_words] = (chunks, [len(c.split()) for c in chunks])
        return self._pools[chunk_words]

    def _pick(self, target_words: int) -> tuple[int, list[str]]:
        size = min(CHUNK_WORDS, max(20, target_words // MIN_CHUNKS))
        chunks, counts = self.pool(size)
        while True:
            picked: list[int] = []
            words = 0
            while words < target_words - size // 2:
                i = self.rng.randrange(len(chunks))
                if i in picked:
                    continue
                picked.append(i)
                words += counts[i]
            key = (size, *sorted(picked))
            if key not in self._used:
                self._used.add(key)
                return size, [chunks[i] for i in picked]

    def article(self, target_words: int, tag: str) -> dict[str, Any]:
        """One raw scraper record of about ``target_words`` words."""
        self._serial += 1
        n = self._serial
        _, paragraphs = self._pick(target_words)
        first = paragraphs[0].split(". ", 1)[0]
        title = " ".join(first.split()[:12]).rstrip(".,;:")
        minute = n % (60 * 24 * 28)
        return {
            "id": f"bench-{tag}-{n:06d}",
            "url": f"https://www.lee-wire.test/{tag}/{n:06d}/story",
            "title": title,
            "body": "\n\n".join(paragraphs),
            "source": "lee-wire.test",
            "published_at": (
                f"2026-03-{1 + minute // 1440:02d}T{(minute // 60) % 24:02d}:{minute % 60:02d}:00Z"
            ),
            "language": "en",
        }

    def articles(self, count: int, target_words: int, tag: str) -> list[dict[str, Any]]:
        return [self.article(target_words, tag) for _ in range(count)]

    def repost(self, original: dict[str, Any], tag: str) -> dict[str, Any]:
        """The same story under another id and URL (an exact duplicate)."""
        self._serial += 1
        return dict(
            original,
            id=f"bench-{tag}-{self._serial:06d}",
            url=f"https://mirror.lee-wire.test/{tag}/{self._serial:06d}",
        )

    def syndicated(self, original: dict[str, Any], tag: str) -> dict[str, Any]:
        """A wire copy: new headline, dateline, last sentence trimmed, copyright footer
        (a near duplicate)."""
        self._serial += 1
        body = original["body"]
        cut = body.rfind(". ", 0, len(body) - 2)
        if cut > len(body) // 2:
            body = body[: cut + 1]
        return dict(
            original,
            id=f"bench-{tag}-{self._serial:06d}",
            url=f"https://syndicate.example.net/{tag}/{self._serial:06d}",
            source="syndicate.example.net",
            title="Wire: " + original["title"],
            body="SYDNEY (Wire) - " + body + "\n\nCopyright 2026 Example Wire Services.",
        )

    def duplicate_stream(
        self, count: int, target_words: int, tag: str, originals: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """``count`` articles, half new unique stories and half duplicates of ``originals``
        (alternately exact re-posts and syndicated copies), shuffled with the builder's seed."""
        uniques = self.articles(count - count // 2, target_words, tag)
        dups = []
        for k in range(count // 2):
            source = originals[k % len(originals)]
            dups.append(self.repost(source, tag) if k % 2 == 0 else self.syndicated(source, tag))
        stream = uniques + dups
        self.rng.shuffle(stream)
        return stream


def synthetic_articles(count: int, *, seed: int = 7, words_per_article: int = 200) -> list[Article]:
    """``count`` distinct validated articles for the dedup memory and latency benchmarks: words
    drawn from the Lee corpus vocabulary at their real frequencies, 200 words each (the corpus
    average).

    Built directly (the text is already plain), so 200k articles take seconds. Their pairwise
    word-bigram Jaccard (mean 0.006) is a little below real news (0.010)."""
    rng = random.Random(seed)
    vocabulary = [w for text in distinct_stories() for w in text.split()]
    out = []
    for n in range(count):
        text = " ".join(rng.choices(vocabulary, k=words_per_article))
        tokens = words(text)
        url = f"https://bench.example/{seed}/{n}"
        out.append(
            Article(
                article_id=f"bench-{seed}-{n}",
                url=url,
                canonical_url=url,
                source=f"outlet{n % 50}.example",
                title="",
                text=text,
                published_at=None,
                language="en",
                word_count=len(tokens),
                content_hash=hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest(),
            )
        )
    return out


def write_jsonl(path: Path, articles: Sequence[dict[str, Any]]) -> Path:
    path.write_bytes(b"\n".join(orjson.dumps(a) for a in articles) + b"\n")
    return path


def body_words(articles: Sequence[dict[str, Any]]) -> int:
    """Whitespace words of the article bodies: the unit of every words/s figure."""
    return sum(len(a["body"].split()) for a in articles)


def sample_articles(path: Path = SAMPLES) -> Iterator[bytes]:
    """The 24 hand-written sample records (``config/data/samples/articles.jsonl``)."""
    for line in path.read_bytes().splitlines():
        if line.strip():
            yield line
