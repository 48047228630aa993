"""Entity and event scores of an :class:`~services.enrichment.Enricher` on the gold sets.

A gold set is a folder of ``*.json`` files: a raw article (``url``, ``title``, ``body``,
``published_at``, ...) plus ``split`` (dev/test), ``entities[]`` (``id``, ``type``, ``country``,
``mentions`` as strings) and ``events[]`` (``code``, ``root_code``, ``sentence_contains``,
``actor_countries``, ``target_countries``, ...; ``events_annotated: false`` when the events are
yet to be annotated, and the article then counts for entities only). Three sets ship: real wire
copy (``tests/data/gold-real``, the headline), real Wikinews articles converted from the GUM
corpus (``tests/data/gold-wikinews``) and text written for the project (``tests/data/gold``).
Scoring rules are in docs/enrichment.md ("Evaluation").
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.settings import Settings
from services.articles import Article, validate_article
from services.enrichment import Enricher, Enrichment, Entity, Event
from services.errors import ProcessingFailed

GoldEvent = dict[str, Any]
EventKey = Callable[[GoldEvent, Event], bool]

#: Confidence bins of the calibration table: [lower, upper) in steps of 0.1.
CALIBRATION_BINS = tuple(round(0.1 * k, 1) for k in range(11))


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

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
    #: Articles whose events were not annotated (``"events_annotated": false``): entities only.
    events_not_annotated: int = 0
    #: Articles whose gold has no event, and the events predicted on them.
    no_event_articles: int = 0
    false_events_on_no_event_articles: int = 0
    #: Gold events per root code, and how many were found (root code + actor country).
    root_gold: dict[str, int] = field(default_factory=dict)
    root_found: dict[str, int] = field(default_factory=dict)
    #: (confidence, right by root code + actor country) of every predicted event.
    confidences: list[tuple[float, bool]] = field(default_factory=list)

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
            "events_not_annotated": self.events_not_annotated,
            "false_events_per_no_event_article": (
                round(self.false_events_on_no_event_articles / self.no_event_articles, 4)
                if self.no_event_articles
                else None
            ),
            "no_event_articles": self.no_event_articles,
            "root_recall": {
                root: {"gold": n, "found": self.root_found.get(root, 0)}
                for root, n in sorted(self.root_gold.items())
            },
            "calibration": calibration(self.confidences),
            "person_mentions": {
                "correct": self.person_mentions_correct,
                "total": self.person_mentions_total,
                "accuracy": _ratio(self.person_mentions_correct, self.person_mentions_total),
            },
        }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def calibration(confidences: Sequence[tuple[float, bool]]) -> list[dict[str, Any]]:
    """Predicted events by confidence bin: how many, their mean confidence, the share right."""
    out = []
    for lower, upper in itertools.pairwise(CALIBRATION_BINS):
        inside = [(c, ok) for c, ok in confidences if lower <= c < upper or (upper == 1.0 and c == 1.0)]
        if not inside:
            continue
        mean = sum(c for c, _ in inside) / len(inside)
        right = sum(ok for _, ok in inside) / len(inside)
        out.append(
            {
                "bin": f"{lower:.1f}-{upper:.1f}",
                "events": len(inside),
                "mean_confidence": round(mean, 3),
                "share_right": round(right, 3),
                "gap": round(abs(right - mean), 3),
            }
        )
    return out


def _overlap_or_both_empty(a: Iterable[str], b: Iterable[str]) -> bool:
    sa, sb = set(a), set(b)
    return bool(sa & sb) if sa or sb else True


#: Event match criteria: gold event g, predicted event p (both in the same sentence).
EVENT_CRITERIA: dict[str, EventKey] = {
    "root_actor_target": lambda g, p: (
        g["root_code"] == p.root_code
        and _overlap_or_both_empty(g.get("actor_countries", []), p.actor_countries)
        and _overlap_or_both_empty(g.get("target_countries", []), p.target_countries)
    ),
    "root_actor": lambda g, p: (
        g["root_code"] == p.root_code
        and _overlap_or_both_empty(g.get("actor_countries", []), p.actor_countries)
    ),
    "full_code": lambda g, p: (
        g["code"] == p.code
        and _overlap_or_both_empty(g.get("actor_countries", []), p.actor_countries)
        and _overlap_or_both_empty(g.get("target_countries", []), p.target_countries)
    ),
    "root_only": lambda g, p: g["root_code"] == p.root_code,
}


def load_gold(gold_dir: Path) -> list[dict[str, Any]]:
    """Every gold article of a set (each ``*.json`` file of the folder), in file-name order."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))]


def gold_article(gold: dict[str, Any]) -> Article:
    """The gold record's raw fields through the same validation the pipeline uses."""
    fields: dict[str, Any] = {
        k: gold[k] for k in ("url", "title", "body", "source", "published_at", "language") if k in gold
    }
    fields["id"] = gold.get("id")
    return validate_article(fields, Settings().input_limits)


#: The gold sets annotate people, organisations, countries/cities and seas/regions only;
#: ``misc:`` entities (NORP groups, FAC, EVENT, LAW, ...) are not scored.
SCORED_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC"})


def events_annotated(gold: dict[str, Any]) -> bool:
    """False for a gold article whose events are yet to be annotated (its entities are)."""
    return bool(gold.get("events_annotated", True))


def score_entities(gold: dict[str, Any], result: Enrichment, scores: SplitScores) -> dict[str, Any]:
    gold_by_id = {e["id"]: e for e in gold.get("entities", [])}
    pred_by_id: dict[str, Entity] = {e.id: e for e in result.entities if e.type in SCORED_TYPES}
    details: dict[str, Any] = {"missed": [], "spurious": [], "wrong_country": []}
    for eid, g in gold_by_id.items():
        counts = scores.entity_types.setdefault(g["type"], Counts())
        if eid in pred_by_id:
            scores.entities.tp += 1
            counts.tp += 1
            scores.entity_country_total += 1
            if pred_by_id[eid].country == g.get("country"):
                scores.entity_country_correct += 1
            else:
                details["wrong_country"].append([eid, pred_by_id[eid].country, g.get("country")])
        else:
            scores.entities.fn += 1
            counts.fn += 1
            details["missed"].append(eid)
    for eid, p in pred_by_id.items():
        if eid not in gold_by_id:
            scores.entities.fp += 1
            scores.entity_types.setdefault(p.type, Counts()).fp += 1
            details["spurious"].append(eid)
    return details


def gold_sentence_span(text: str, gold_event: GoldEvent) -> tuple[int, int] | None:
    snippet = gold_event.get("sentence_contains")
    if not snippet:
        return None
    at = text.find(snippet)
    if at < 0:
        at = _normalise_quotes(text).find(_normalise_quotes(snippet))
    return (at, at + len(snippet)) if at >= 0 else None


def _normalise_quotes(s: str) -> str:
    return s.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")


def _describe(p: Event) -> str:
    return f"{p.code} {p.trigger.text} {p.actor_countries}->{p.target_countries} ({p.confidence})"


def match_events(
    gold_events: Sequence[GoldEvent],
    spans: Sequence[tuple[int, int] | None],
    predicted: Sequence[Event],
    criterion: EventKey,
) -> dict[int, int]:
    """Greedy one-to-one matching: gold index -> predicted index, inside the gold sentence."""
    used: dict[int, int] = {}
    taken: set[int] = set()
    for gi, (g, span) in enumerate(zip(gold_events, spans, strict=True)):
        for j, p in enumerate(predicted):
            if j in taken:
                continue
            if span is not None and not (p.sentence_start < span[1] and span[0] < p.sentence_end):
                continue
            if criterion(g, p):
                used[gi] = j
                taken.add(j)
                break
    return used


def score_events(gold: dict[str, Any], text: str, result: Enrichment, scores: SplitScores) -> dict[str, Any]:
    details: dict[str, Any] = {}
    gold_events = gold.get("events", [])
    predicted = result.events
    spans = [gold_sentence_span(text, g) for g in gold_events]
    if not gold_events:
        scores.no_event_articles += 1
        scores.false_events_on_no_event_articles += len(predicted)
    for name, criterion in EVENT_CRITERIA.items():
        counts = scores.events.setdefault(name, Counts())
        matched = match_events(gold_events, spans, predicted, criterion)
        counts.tp += len(matched)
        counts.fn += len(gold_events) - len(matched)
        counts.fp += len(predicted) - len(matched)
        missed = [
            f"{g['code']} {g.get('trigger')} {g.get('actor_countries')}->{g.get('target_countries')}"
            for gi, g in enumerate(gold_events)
            if gi not in matched
        ]
        right = set(matched.values())
        spurious = [_describe(p) for j, p in enumerate(predicted) if j not in right]
        if name == "root_actor":
            details["missed_root_actor"] = missed
            details["spurious_root_actor"] = spurious
            for gi, g in enumerate(gold_events):
                root = g["root_code"]
                scores.root_gold[root] = scores.root_gold.get(root, 0) + 1
                if gi in matched:
                    scores.root_found[root] = scores.root_found.get(root, 0) + 1
            scores.confidences.extend((p.confidence, j in right) for j, p in enumerate(predicted))
        if name == "root_actor_target":
            details["missed"] = missed
            details["spurious"] = spurious
    return details


def score_person_mentions(
    gold: dict[str, Any], text: str, result: Enrichment, scores: SplitScores
) -> list[str]:
    """Every occurrence of a gold person mention string must sit inside a predicted mention
    of the same canonical person."""
    pred_at: list[tuple[int, int, str]] = [
        (m.start, m.end, e.id) for e in result.entities for m in e.mentions
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


def evaluate_set(
    gold_dir: Path, enricher: Enricher, *, details: str | None = None
) -> tuple[dict[str, Any], tuple[float, float]]:
    """Scores of one gold set per split (dev, test, all), and the (spaCy, extraction) seconds;
    ``details`` ("dev", "test" or "all") adds the per-article errors of that split."""
    golds = load_gold(Path(gold_dir))
    articles = [gold_article(g) for g in golds]
    results = enricher.enrich(articles)
    timings = getattr(enricher, "last_timings", None) or {}
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
            if events_annotated(gold):
                evt = score_events(gold, article.text, result_ok, s)
            else:
                # An empty list here means "not annotated yet", not "no event": scoring it
                # would count every predicted event as a false alarm.
                s.events_not_annotated += 1
                evt = {"not_annotated": True}
            per = score_person_mentions(gold, article.text, result_ok, s)
            if name == "all" and details in (split, "all"):
                per_article[gold["id"]] = {
                    "split": split,
                    "entities": ent,
                    "events": evt,
                    "person_mentions_wrong": per,
                }
    report: dict[str, Any] = {
        "gold_dir": str(gold_dir),
        "splits": {name: s.to_dict() for name, s in splits.items() if s.articles},
    }
    if details:
        report["articles"] = per_article
    seconds = (float(timings.get("spacy_seconds", 0.0)), float(timings.get("extract_seconds", 0.0)))
    return report, seconds


def run_nlp_eval(
    gold_sets: Sequence[tuple[str, Path]], enricher: Enricher, *, details: str | None = None
) -> dict[str, Any]:
    """Scores per gold set (``(name, folder)``, in the order given) and split; ``details`` (a
    split, or "all") adds that split's per-article errors: tuning reads dev's and leaves the test
    split's unseen. Timings add up over the sets."""
    report: dict[str, Any] = {"model": enricher.model_name, "sets": {}}
    spacy_s = extract_s = 0.0
    for name, gold_dir in gold_sets:
        report["sets"][name], (spacy_one, extract_one) = evaluate_set(gold_dir, enricher, details=details)
        spacy_s += spacy_one
        extract_s += extract_one
    if spacy_s:
        report["timings"] = {
            "spacy_seconds": round(spacy_s, 4),
            "extract_seconds": round(extract_s, 4),
            "extract_to_spacy_ratio": round(extract_s / spacy_s, 4),
        }
    return report


def _cell(v: Any) -> str:
    return "-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def _table(header: list[str], rows: list[tuple[str, list[str]]]) -> list[str]:
    width = max(len(r[0]) for r in rows) + 2
    lines = [f"{header[0]:<{width}}" + "".join(f"{n:>10}" for n in header[1:])]
    lines.append("-" * len(lines[0]))
    lines.extend(f"{label:<{width}}" + "".join(f"{v:>10}" for v in values) for label, values in rows)
    return lines


def format_set(name: str, report: dict[str, Any]) -> list[str]:
    """The headline metrics of one gold set, one column per split."""
    names = [n for n in ("dev", "test", "all") if n in report["splits"]]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, *keys: str) -> None:
        values = []
        for n in names:
            value: Any = report["splits"][n]
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            values.append(_cell(value))
        rows.append((label, values))

    row("articles", "articles")
    row("articles the enricher failed on", "failures")
    for metric in ("precision", "recall", "f1"):
        row(f"entities {metric}", "entities", "overall", metric)
    types = sorted({t for n in names for t in report["splits"][n]["entities"]["by_type"]})
    for t in types:
        row(f"  {t} f1", "entities", "by_type", t, "f1")
    row("entity country accuracy", "entities", "country_accuracy")
    labels = {
        "root_actor_target": "events root+actor+target",
        "root_actor": "events root+actor",
        "full_code": "events full code+actor+target",
        "root_only": "events root only",
    }
    for key, label in labels.items():
        for metric in ("precision", "recall", "f1"):
            row(f"{label} {metric}", "events", key, metric)
    row("false events per no-event article", "false_events_per_no_event_article")
    if any(report["splits"][n].get("events_not_annotated") for n in names):
        row("articles without event annotation", "events_not_annotated")
    row("no-event articles", "no_event_articles")
    row("person mention accuracy", "person_mentions", "accuracy")
    row("person mentions", "person_mentions", "total")
    return [f"== {name} ({report['gold_dir']})", *_table(["metric", *names], rows)]


def format_root_recall(name: str, report: dict[str, Any]) -> list[str]:
    """Recall by CAMEO root code (root code + actor country), found/gold per split."""
    names = [n for n in ("dev", "test") if n in report["splits"]]
    roots = sorted({r for n in names for r in report["splits"][n]["root_recall"]})
    if not roots:
        return []
    rows = []
    for root in roots:
        cells = []
        for n in names:
            entry = report["splits"][n]["root_recall"].get(root)
            cells.append(f"{entry['found']}/{entry['gold']}" if entry else "-")
        rows.append((root, cells))
    return [
        f"== {name}: recall by root code (root + actor country, found/gold)",
        *_table(["root", *names], rows),
    ]


def format_calibration(name: str, report: dict[str, Any], split: str = "dev") -> list[str]:
    """Share of predicted events that are right (root code + actor country) per confidence bin."""
    bins = report["splits"].get(split, {}).get("calibration", [])
    if not bins:
        return []
    rows = [
        (
            b["bin"],
            [str(b["events"]), f"{b['mean_confidence']:.3f}", f"{b['share_right']:.3f}", f"{b['gap']:.3f}"],
        )
        for b in bins
    ]
    return [
        f"== {name} {split}: calibration (confidence bin vs share right, root + actor country)",
        *_table(["confidence", "events", "mean", "right", "gap"], rows),
    ]


def format_nlp_report(report: dict[str, Any]) -> str:
    """Plain-text tables: each gold set's metrics (one column per split), then recall by root
    code and calibration for the first set, then the extraction/spaCy time ratio."""
    lines: list[str] = []
    sets = list(report["sets"].items())
    for name, one in sets:
        lines += [*format_set(name, one), ""]
    if sets:
        name, first = sets[0]
        for block in (format_root_recall(name, first), format_calibration(name, first)):
            if block:
                lines += [*block, ""]
    if "timings" in report:
        t = report["timings"]
        lines.append(
            f"spaCy {t['spacy_seconds']:.3f}s, extraction {t['extract_seconds']:.3f}s, "
            f"ratio {t['extract_to_spacy_ratio']}"
        )
    return "\n".join(lines).rstrip()
