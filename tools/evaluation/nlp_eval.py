"""Entity and event scores of an :class:`~services.enrichment.Enricher` on the gold set.

Gold files are ``tests/data/gold/gold-NNN.json``: a raw article (``url``, ``title``, ``body``,
``published_at``, ...) plus ``split`` (dev/test), ``entities[]`` (``id``, ``type``, ``country``,
``mentions`` as strings) and ``events[]`` (``code``, ``root_code``, ``sentence_contains``,
``actor_countries``, ``target_countries``, ...). Scoring rules are in docs/enrichment.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.settings import Settings
from services.articles import Article, validate_article
from services.enrichment import Enricher, Enrichment
from services.errors import ProcessingFailed

EventKey = Callable[[dict[str, Any], dict[str, Any]], bool]


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def scores(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(slots=True)
class SplitScores:
    articles: int = 0
    entities: Counts = field(default_factory=Counts)
    entity_types: dict[str, Counts] = field(default_factory=dict)
    entity_country_correct: int = 0
    entity_country_total: int = 0
    events: dict[str, Counts] = field(default_factory=dict)
    person_mentions_correct: int = 0
    person_mentions_total: int = 0
    failures: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "failures": self.failures,
            "entities": {
                "overall": self.entities.scores(),
                "by_type": {t: c.scores() for t, c in sorted(self.entity_types.items())},
                "country_accuracy": _ratio(self.entity_country_correct, self.entity_country_total),
            },
            "events": {name: c.scores() for name, c in self.events.items()},
            "person_mentions": {
                "correct": self.person_mentions_correct,
                "total": self.person_mentions_total,
                "accuracy": _ratio(self.person_mentions_correct, self.person_mentions_total),
            },
        }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _overlap_or_both_empty(a: Iterable[str], b: Iterable[str]) -> bool:
    sa, sb = set(a), set(b)
    return bool(sa & sb) if sa or sb else True


#: Event match criteria: gold event g, predicted event p (both in the same sentence).
EVENT_CRITERIA: dict[str, EventKey] = {
    "root_actor_target": lambda g, p: (
        g["root_code"] == p["root_code"]
        and _overlap_or_both_empty(g.get("actor_countries", []), p.get("actor_countries", []))
        and _overlap_or_both_empty(g.get("target_countries", []), p.get("target_countries", []))
    ),
    "root_actor": lambda g, p: (
        g["root_code"] == p["root_code"]
        and _overlap_or_both_empty(g.get("actor_countries", []), p.get("actor_countries", []))
    ),
    "full_code": lambda g, p: (
        g["code"] == p["code"]
        and _overlap_or_both_empty(g.get("actor_countries", []), p.get("actor_countries", []))
        and _overlap_or_both_empty(g.get("target_countries", []), p.get("target_countries", []))
    ),
    "root_only": lambda g, p: g["root_code"] == p["root_code"],
}


def load_gold(gold_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("gold-*.json"))]


def gold_article(gold: dict[str, Any]) -> Article:
    """The gold record's raw fields through the same validation the pipeline uses."""
    fields: dict[str, Any] = {
        k: gold[k] for k in ("url", "title", "body", "source", "published_at", "language") if k in gold
    }
    fields["id"] = gold.get("id")
    return validate_article(fields, Settings().input_limits)


#: The gold set annotates people, organisations, countries/cities and seas/regions only;
#: ``misc:`` entities (NORP groups, FAC, EVENT, LAW, ...) are not scored.
SCORED_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC"})


def score_entities(gold: dict[str, Any], result: Enrichment, scores: SplitScores) -> dict[str, Any]:
    gold_by_id = {e["id"]: e for e in gold.get("entities", [])}
    pred_by_id = {e["id"]: e for e in result.entities if e["type"] in SCORED_TYPES}
    details: dict[str, Any] = {"missed": [], "spurious": [], "wrong_country": []}
    for eid, g in gold_by_id.items():
        counts = scores.entity_types.setdefault(g["type"], Counts())
        if eid in pred_by_id:
            scores.entities.tp += 1
            counts.tp += 1
            scores.entity_country_total += 1
            if pred_by_id[eid].get("country") == g.get("country"):
                scores.entity_country_correct += 1
            else:
                details["wrong_country"].append([eid, pred_by_id[eid].get("country"), g.get("country")])
        else:
            scores.entities.fn += 1
            counts.fn += 1
            details["missed"].append(eid)
    for eid, p in pred_by_id.items():
        if eid not in gold_by_id:
            scores.entities.fp += 1
            scores.entity_types.setdefault(p["type"], Counts()).fp += 1
            details["spurious"].append(eid)
    return details


def _gold_sentence_span(text: str, gold_event: dict[str, Any]) -> tuple[int, int] | None:
    snippet = gold_event.get("sentence_contains")
    if not snippet:
        return None
    at = text.find(snippet)
    if at < 0:
        at = _normalise_quotes(text).find(_normalise_quotes(snippet))
    return (at, at + len(snippet)) if at >= 0 else None


def _normalise_quotes(s: str) -> str:
    return s.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")


def score_events(gold: dict[str, Any], text: str, result: Enrichment, scores: SplitScores) -> dict[str, Any]:
    details: dict[str, Any] = {}
    gold_events = gold.get("events", [])
    spans = [_gold_sentence_span(text, g) for g in gold_events]
    for name, criterion in EVENT_CRITERIA.items():
        counts = scores.events.setdefault(name, Counts())
        used: set[int] = set()
        missed = []
        for g, span in zip(gold_events, spans, strict=True):
            hit = None
            for j, p in enumerate(result.events):
                if j in used:
                    continue
                sent = p["sentence"]
                if span is not None and not (sent["start"] < span[1] and span[0] < sent["end"]):
                    continue
                if criterion(g, p):
                    hit = j
                    break
            if hit is None:
                counts.fn += 1
                missed.append(
                    f"{g['code']} {g.get('trigger')} {g.get('actor_countries')}->{g.get('target_countries')}"
                )
            else:
                used.add(hit)
                counts.tp += 1
        counts.fp += len(result.events) - len(used)
        if name == "root_actor":
            details["missed_root_actor"] = missed
            details["spurious_root_actor"] = [
                f"{p['code']} {p['trigger']['text']} {p['actor_countries']}->{p['target_countries']}"
                for j, p in enumerate(result.events)
                if j not in used
            ]
        if name == "root_actor_target":
            details["missed"] = missed
            details["spurious"] = [
                f"{p['code']} {p['trigger']['text']} {p['actor_countries']}->{p['target_countries']}"
                for j, p in enumerate(result.events)
                if j not in used
            ]
    return details


def score_person_mentions(
    gold: dict[str, Any], text: str, result: Enrichment, scores: SplitScores
) -> list[str]:
    """Every occurrence of a gold person mention string must sit inside a predicted mention
    of the same canonical person."""
    pred_at: list[tuple[int, int, str]] = [
        (m["start"], m["end"], e["id"]) for e in result.entities for m in e["mentions"]
    ]
    forms: list[tuple[str, str]] = [
        (m, e["id"])
        for e in gold.get("entities", [])
        if e.get("type") == "PERSON"
        for m in e.get("mentions", [])
    ]
    forms.sort(key=lambda f: len(f[0]), reverse=True)
    taken: list[tuple[int, int]] = []
    wrong: list[str] = []
    for form, gid in forms:
        for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            scores.person_mentions_total += 1
            got = next((pid for ps, pe, pid in pred_at if ps <= s and e <= pe), None)
            if got == gid:
                scores.person_mentions_correct += 1
            else:
                wrong.append(f"{form}@{s} -> {got} (gold {gid})")
    return wrong


def run_nlp_eval(gold_dir: Path, enricher: Enricher, *, details: bool = False) -> dict[str, Any]:
    """Scores per split (dev, test) and overall; ``details`` adds per-article errors."""
    golds = load_gold(Path(gold_dir))
    articles = [gold_article(g) for g in golds]
    results = enricher.enrich(articles)
    splits: dict[str, SplitScores] = {"dev": SplitScores(), "test": SplitScores(), "all": SplitScores()}
    per_article: dict[str, Any] = {}
    for gold, article, result in zip(golds, articles, results, strict=True):
        split = gold.get("split", "dev")
        for name in (split, "all"):
            s = splits.setdefault(name, SplitScores())
            s.articles += 1
            if isinstance(result, ProcessingFailed):
                s.failures += 1
                result_ok = Enrichment(entities=[], events=[])
            else:
                result_ok = result
            ent = score_entities(gold, result_ok, s)
            evt = score_events(gold, article.text, result_ok, s)
            per = score_person_mentions(gold, article.text, result_ok, s)
            if name == "all":
                per_article[gold["id"]] = {
                    "split": split,
                    "entities": ent,
                    "events": evt,
                    "person_mentions_wrong": per,
                }
    report: dict[str, Any] = {
        "gold_dir": str(gold_dir),
        "model": enricher.model_name,
        "splits": {name: s.to_dict() for name, s in splits.items() if s.articles},
    }
    timings = getattr(enricher, "last_timings", None)
    if timings:
        spacy_s = timings.get("spacy_seconds", 0.0)
        extract_s = timings.get("extract_seconds", 0.0)
        report["timings"] = {
            "spacy_seconds": round(spacy_s, 4),
            "extract_seconds": round(extract_s, 4),
            "extract_to_spacy_ratio": round(extract_s / spacy_s, 4) if spacy_s else None,
        }
    if details:
        report["articles"] = per_article
    return report


def format_nlp_report(report: dict[str, Any]) -> str:
    """A plain-text table of the headline numbers, one column per split."""
    names = [n for n in ("dev", "test", "all") if n in report["splits"]]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, get: Callable[[dict[str, Any]], Any]) -> None:
        values = []
        for n in names:
            try:
                v = get(report["splits"][n])
            except KeyError:
                v = None
            values.append("-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v))
        rows.append((label, values))

    def path(*keys: str) -> Callable[[dict[str, Any]], Any]:
        def get(split: dict[str, Any]) -> Any:
            value: Any = split
            for key in keys:
                value = value[key]
            return value

        return get

    row("articles", path("articles"))
    for metric in ("precision", "recall", "f1"):
        row(f"entities {metric}", path("entities", "overall", metric))
    types = sorted({t for n in names for t in report["splits"][n]["entities"]["by_type"]})
    for t in types:
        row(f"  {t} f1", path("entities", "by_type", t, "f1"))
    row("entity country accuracy", path("entities", "country_accuracy"))
    labels = {
        "root_actor_target": "events root+actor+target",
        "root_actor": "events root+actor",
        "full_code": "events full code+actor+target",
        "root_only": "events root only",
    }
    for key, label in labels.items():
        for metric in ("precision", "recall", "f1"):
            row(f"{label} {metric}", path("events", key, metric))
    row("person mention accuracy", path("person_mentions", "accuracy"))
    row("person mentions", path("person_mentions", "total"))

    width = max(len(r[0]) for r in rows) + 2
    lines = [f"{'metric':<{width}}" + "".join(f"{n:>10}" for n in names)]
    lines.append("-" * len(lines[0]))
    lines.extend(f"{label:<{width}}" + "".join(f"{v:>10}" for v in values) for label, values in rows)
    if "timings" in report:
        t = report["timings"]
        lines.append("")
        lines.append(
            f"spaCy {t['spacy_seconds']:.3f}s, extraction {t['extract_seconds']:.3f}s, "
            f"ratio {t['extract_to_spacy_ratio']}"
        )
    return "\n".join(lines)
