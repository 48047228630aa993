"""The dedup evaluation: real news text, seeded syndication edits and hard negatives, run
through the real Redis decision, scored as precision and recall per edit type.

Originals come from the Lee background corpus (tests/data/dedup/README.md,
:func:`tools.bench.corpus.distinct_stories`). Two thirds of the articles are indexed as
originals; the rest supply fresh text for follow-up stories.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.articles import InputLimits, validate_article
from services.dedup import DedupParams
from streams.domain import build_deduplicator, delete_prefix
from tools.bench.corpus import LEE, distinct_stories

#: Copies that must be flagged as duplicates of their original's story.
EDIT_TYPES = (
    "headline",
    "dateline",
    "footer",
    "html_page",
    "amp_url",
    "trimmed",
    "word_edits",
    "syndicated",
)
#: Articles that must stay unique.
NEGATIVE_TYPES = ("original", "same_actors", "follow_up")

_SENTENCE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[\"\u201c\u2018]?[A-Z0-9])")
_NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")
_OUTLETS = (
    "smh.com.au",
    "theage.com.au",
    "news.com.au",
    "abc.net.au",
    "heraldsun.com.au",
    "couriermail.com.au",
    "nzherald.co.nz",
    "sbs.com.au",
    "perthnow.com.au",
)
_CITIES = ("SYDNEY", "CANBERRA", "MELBOURNE", "JERUSALEM", "KABUL", "WASHINGTON", "LONDON")
_AGENCIES = ("AAP", "Reuters", "AP", "AFP")
_FILLER = ("the", "a", "also", "now", "still", "reportedly", "officially", "however", "then")
_SYNONYMS = {
    "said": "says",
    "says": "said",
    "people": "residents",
    "government": "Government",
    "police": "officers",
    "today": "on Monday",
    "yesterday": "on Sunday",
    "about": "around",
    "more": "over",
    "killed": "left dead",
    "attack": "assault",
    "told": "informed",
}


@dataclass(frozen=True, slots=True)
class EvalItem:
    """One message of the evaluation stream."""

    kind: str
    article_id: str
    url: str
    title: str
    body: str
    source: str
    #: The article id whose story a copy must join; None when the item must stay unique.
    expected_story: str | None


def _paragraphs(text: str) -> list[str]:
    """Sentences grouped two by two: the paragraphs a news page shows."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    return [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]


def _headline(text: str, rng: random.Random) -> str:
    words = text.split()[: rng.randint(6, 10)]
    return rng.choice(("", "UPDATE: ", "Breaking: ", "")) + " ".join(words).rstrip(",.;")


def _word_edits(paragraphs: list[str], rate: float, rng: random.Random) -> list[str]:
    """Replace, drop or insert about ``rate`` of the words (copy-editing by another desk)."""
    out: list[str] = []
    for paragraph in paragraphs:
        words = paragraph.split()
        edited: list[str] = []
        for word in words:
            if rng.random() >= rate:
                edited.append(word)
                continue
            action = rng.randrange(3)
            if action == 0:
                edited.append(_SYNONYMS.get(word.lower(), word[::-1] if len(word) > 3 else "an"))
            elif action == 1:
                continue
            else:
                edited.extend((word, rng.choice(_FILLER)))
        out.append(" ".join(edited))
    if out == paragraphs:  # short text, no draw hit: a copy-edit always changes something
        words = out[-1].split()
        out[-1] = " ".join([*words[:-1], "reportedly", words[-1]])
    return out


def _dateline(rng: random.Random) -> str:
    return f"{rng.choice(_CITIES)}, Dec {rng.randint(1, 31)} ({rng.choice(_AGENCIES)}) - "


def _footer(rng: random.Random) -> list[str]:
    return [
        rng.choice(
            (
                "Reporting by Jane Wilson; Editing by Mark Heinrich",
                "Additional reporting by Tom Allard",
                "By Sarah Clarke",
            )
        ),
        rng.choice(("Share this: Facebook | Twitter | Email", "Share", "Tweet | Email | Print")),
        rng.choice(("Read more: Bushfire season outlook", "Related stories:", "Advertisement")),
        f"© {rng.choice(('2001 AAP', 'Reuters 2001', 'Fairfax Media'))}. All rights reserved.",
    ]


def _html_page(title: str, paragraphs: list[str], rng: random.Random) -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        "<!doctype html><html><head><title>" + title + "</title>"
        "<script>window.dataLayer=[{'section':'news'}];</script>"
        "<style>p{margin:0}</style></head><body>"
        "<header><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav></header>"
        f"<article><h1>{title}</h1>"
        f"<div class='byline'>By {rng.choice(('Anne Davies', 'Paul Daley'))}</div>\n"
        f"{body}"
        "<div class='share'>Share on Facebook</div></article>"
        "<aside><h3>Most popular</h3><ul><li>Cricket scores</li><li>Weather</li></ul></aside>"
        "<footer>Copyright 2001 Fairfax. All rights reserved.</footer></body></html>"
    )


def build_eval_set(
    corpus: list[str] | None = None, *, seed: int = 20011231, originals: int = 200
) -> list[EvalItem]:
    """The deterministic evaluation stream: every original first, then copies and negatives
    shuffled together (a copy always arrives after the article it copies)."""
    texts = corpus if corpus is not None else distinct_stories()
    rng = random.Random(seed)
    order = list(range(len(texts)))
    rng.shuffle(order)
    indexed, fresh = order[:originals], order[originals:]

    items: list[EvalItem] = []
    names_seen: Counter[str] = Counter()
    for n, i in enumerate(indexed):
        names = set(_NAME.findall(texts[i]))
        # "Same actors": an original naming at least three people/places an earlier one named.
        kind = "same_actors" if sum(1 for x in names if names_seen[x]) >= 3 else "original"
        names_seen.update(names)
        items.append(
            EvalItem(
                kind,
                f"orig-{i}",
                f"https://www.abc.net.au/news/2001/story-{i}",
                _headline(texts[i], rng),
                texts[i],
                "abc.net.au",
                None,
            )
        )
        del n

    later: list[EvalItem] = []
    for i in indexed:
        text = texts[i]
        story = f"orig-{i}"
        paras = _paragraphs(text)

        def copy(
            kind: str,
            body: str,
            url: str | None = None,
            title: str | None = None,
            i: int = i,
            story: str = story,
            text: str = text,
        ) -> EvalItem:
            outlet = rng.choice(_OUTLETS)
            return EvalItem(
                kind,
                f"{kind}-{i}",
                url or f"https://{outlet}/world/{kind}-{i}",
                title or _headline(text, rng),
                body,
                outlet,
                story,
            )

        later.append(copy("headline", text, title="Wire: " + _headline(text, rng)))
        later.append(copy("dateline", _dateline(rng) + text))
        later.append(copy("footer", "\n\n".join([_footer(rng)[0], text, *_footer(rng)[1:]])))
        later.append(copy("html_page", _html_page(_headline(text, rng), paras, rng)))
        later.append(
            copy(
                "amp_url",
                _html_page(_headline(text, rng), paras, rng),
                url=f"https://m.abc.net.au/news/2001/story-{i}/amp?utm_source=twitter&fbclid=x1",
            )
        )
        if len(paras) >= 3:
            later.append(copy("trimmed", "\n\n".join(paras[:-1])))
        rate = rng.uniform(0.01, 0.05)
        later.append(copy("word_edits", "\n\n".join(_word_edits(paras, rate, rng))))
        kept = paras[:-1] if len(paras) >= 4 else paras
        edited = _word_edits(kept, rng.uniform(0.01, 0.05), rng)
        edited[0] = _dateline(rng) + edited[0]
        page = _html_page(_headline(text, rng), [*edited, *_footer(rng)], rng)
        later.append(copy("syndicated", page))

    # Follow-ups: a new story (fresh text) that reuses one background paragraph of an original.
    for j, f in enumerate(fresh):
        host = indexed[(j * 7) % len(indexed)]
        background = rng.choice(_paragraphs(texts[host]))
        new = _paragraphs(texts[f])
        body = "\n\n".join([*new[:2], background, *new[2:3]])
        later.append(
            EvalItem(
                "follow_up",
                f"follow_up-{f}",
                f"https://www.abc.net.au/news/2002/follow-{f}",
                _headline(texts[f], rng),
                body,
                "abc.net.au",
                None,
            )
        )

    rng.shuffle(later)
    return items + later


def run_dedup_eval(
    redis_client: Any,
    params: DedupParams,
    limits: InputLimits,
    *,
    seed: int = 20011231,
    corpus_path: Path | str | None = None,
    key_prefix: str = "newswire",
) -> dict[str, Any]:
    """Run the evaluation stream through a fresh dedup index with ``params`` and score it.
    The index lives under a key prefix of its own (``<key_prefix>-eval-<random>``, deleted
    afterwards), so it is safe against a live Redis."""
    corpus = distinct_stories(Path(corpus_path) if corpus_path else LEE)
    items = build_eval_set(corpus, seed=seed)
    prefix = f"{key_prefix}-eval-{uuid.uuid4().hex[:8]}"
    dedup = build_deduplicator(redis_client, params, prefix)
    articles = [
        validate_article(
            {"id": it.article_id, "url": it.url, "title": it.title, "body": it.body, "source": it.source},
            limits,
        )
        for it in items
    ]
    try:
        started = time.perf_counter()
        decisions = []
        now = time.time()
        for start in range(0, len(articles), 64):
            batch = articles[start : start + 64]
            decisions.extend(dedup.decide([(a, f"eval:0:{start + k}") for k, a in enumerate(batch)], now))
        elapsed = time.perf_counter() - started
    finally:
        delete_prefix(redis_client, prefix)
    return _score(
        items,
        decisions,
        elapsed,
        {
            "near_duplicate_threshold": params.threshold,
            "minhash_permutations": params.permutations,
            "lsh_bands": params.bands,
            "shingle_size": params.shingle_size,
            "seed": seed,
        },
    )


def _score(
    items: list[EvalItem], decisions: Iterable[Any], elapsed: float, params: dict[str, Any]
) -> dict[str, Any]:
    per: dict[str, Counter[str]] = {}
    errors: list[dict[str, Any]] = []
    # The margin around the threshold: the closest negative and the weakest near copy found.
    max_negative, min_near = 0.0, 1.0
    for item, decision in zip(items, decisions, strict=True):
        c = per.setdefault(item.kind, Counter())
        c["n"] += 1
        if item.expected_story is None:
            max_negative = max(max_negative, decision.similarity)
        elif decision.status == "near_duplicate":
            min_near = min(min_near, decision.similarity)
        if item.expected_story is None:
            if decision.is_duplicate:
                c["fp"] += 1
                errors.append(
                    {
                        "kind": item.kind,
                        "article_id": item.article_id,
                        "merged_into": decision.story_id,
                        "similarity": decision.similarity,
                    }
                )
        elif decision.is_duplicate and decision.story_id == item.expected_story:
            c["tp"] += 1
            c[decision.status] += 1
        elif decision.is_duplicate:
            c["fp"] += 1
            c["fn"] += 1
            errors.append(
                {
                    "kind": item.kind,
                    "article_id": item.article_id,
                    "merged_into": decision.story_id,
                    "similarity": decision.similarity,
                }
            )
        else:
            c["fn"] += 1
            errors.append(
                {
                    "kind": item.kind,
                    "article_id": item.article_id,
                    "missed": item.expected_story,
                    "similarity": decision.similarity,
                }
            )

    def ratio(num: int, den: int) -> float | None:
        return round(num / den, 4) if den else None

    by_type: dict[str, dict[str, Any]] = {}
    for kind in (*EDIT_TYPES, *NEGATIVE_TYPES):
        c = per.get(kind, Counter())
        if kind in EDIT_TYPES:
            by_type[kind] = {
                "n": c["n"],
                "tp": c["tp"],
                "fp": c["fp"],
                "fn": c["fn"],
                "exact": c["exact_duplicate"],
                "near": c["near_duplicate"],
                "precision": ratio(c["tp"], c["tp"] + c["fp"]),
                "recall": ratio(c["tp"], c["n"]),
            }
        else:
            by_type[kind] = {"n": c["n"], "merged": c["fp"]}
    tp = sum(per.get(k, Counter())["tp"] for k in EDIT_TYPES)
    fp = sum(c["fp"] for c in per.values())
    positives = sum(per.get(k, Counter())["n"] for k in EDIT_TYPES)
    return {
        "params": params,
        "articles": len(items),
        "by_type": by_type,
        "overall": {
            "precision": ratio(tp, tp + fp),
            "recall": ratio(tp, positives),
            "tp": tp,
            "fp": fp,
            "positives": positives,
            "negatives_merged": sum(by_type[k]["merged"] for k in NEGATIVE_TYPES),
            "max_negative_similarity": round(max_negative, 4),
            "min_near_duplicate_similarity": round(min_near, 4),
        },
        "dedup_ms_per_article": round(1000 * elapsed / max(1, len(items)), 3),
        "errors": errors[:50],
    }


def format_dedup_report(report: dict[str, Any]) -> str:
    """A plain-text table of precision and recall per edit type and overall."""
    p = report["params"]
    lines = [
        f"dedup evaluation: {report['articles']} articles "
        f"(threshold={p['near_duplicate_threshold']}, perms={p['minhash_permutations']}, "
        f"bands={p['lsh_bands']}, shingle={p['shingle_size']}, seed={p['seed']})",
        "",
        f"{'copies':<12} {'n':>5} {'exact':>6} {'near':>6} {'missed':>7} {'wrong':>6} "
        f"{'precision':>10} {'recall':>7}",
    ]

    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.4f}"

    for kind in EDIT_TYPES:
        r = report["by_type"][kind]
        lines.append(
            f"{kind:<12} {r['n']:>5} {r['exact']:>6} {r['near']:>6} "
            f"{r['fn'] - r['fp']:>7} {r['fp']:>6} {fmt(r['precision']):>10} "
            f"{fmt(r['recall']):>7}"
        )
    lines += ["", f"{'must stay unique':<18} {'n':>5} {'merged':>7}"]
    for kind in NEGATIVE_TYPES:
        r = report["by_type"][kind]
        lines.append(f"{kind:<18} {r['n']:>5} {r['merged']:>7}")
    o = report["overall"]
    lines += [
        "",
        f"overall: precision {fmt(o['precision'])}  recall {fmt(o['recall'])}  "
        f"(tp {o['tp']}, fp {o['fp']}, positives {o['positives']}, "
        f"negatives merged {o['negatives_merged']})",
        f"margin: closest negative {o['max_negative_similarity']:.4f}, weakest near copy found "
        f"{o['min_near_duplicate_similarity']:.4f}",
        f"dedup stage: {report['dedup_ms_per_article']:.3f} ms per article (batches of 64)",
    ]
    return "\n".join(lines)
