"""How ``newswire bench`` turns its runs into the headline ratio (pure arithmetic, no timing)."""

from typing import Any

from tools.bench.report import summarise


def run(label: str, words_per_s: float, **extra: Any) -> dict[str, Any]:
    return {"label": label, "words_per_s": words_per_s, "articles_per_s": words_per_s / 700, **extra}


def pipe(words_per_s: float) -> dict[str, Any]:
    return run("pipe", words_per_s, peak_rss_mb=900, words_per_cpu_s=words_per_s / 2)


def test_the_ratio_target_is_judged_on_the_median_back_to_back_pair() -> None:
    service = [run("service", 8000.0, words_per_cpu_s=3800.0)]
    pairs = [
        {"round": 1, "pipe": pipe(9000.0), "service": service[0], "ratio": 0.889},
        {"round": 2, "pipe": pipe(10000.0), "service": run("s2", 7000.0), "ratio": 0.70},
        {"round": 3, "pipe": pipe(8500.0), "service": run("s3", 7650.0), "ratio": 0.90},
    ]
    results = {"pipe": [pipe(9000.0), pipe(10000.0)], "e2e": service, "paired": pairs}

    s = summarise(results, previous=None)

    assert s["paired_ratios"] == [0.889, 0.70, 0.90]
    assert s["paired_ratio_median"] == 0.889
    assert s["target_ratio_0_85"] is True
    # The conservative figure still divides by the fastest bare run of the whole bench.
    assert s["ratio_to_best_pipe"] == 0.8


def test_without_pairs_the_conservative_ratio_decides() -> None:
    results = {"pipe": [pipe(10000.0)], "e2e": [run("service", 8000.0, words_per_cpu_s=3800.0)]}

    s = summarise(results, previous=None)

    assert "paired_ratio_median" not in s
    assert s["ratio_to_best_pipe"] == 0.8
    assert s["target_ratio_0_85"] is False


def test_memory_is_judged_on_the_whole_worker_and_its_largest_process_is_reported_beside_it() -> None:
    # One worker with two NLP processes: 1,000 MB together, 450 MB the largest process.
    pooled = summarise({"worker_peak_rss_mb": [1000.0], "process_peak_rss_mb": 450.0}, previous=None)
    assert (pooled["process_peak_rss_mb"], pooled["worker_peak_rss_mb"]) == (450.0, [1000.0])
    assert pooled["target_rss_600mb"] is False
    assert summarise({"worker_peak_rss_mb": [590.0], "process_peak_rss_mb": 210.0}, previous=None)[
        "target_rss_600mb"
    ]
    # Two single-process workers: the larger decides; without a per-process figure, the worker is it.
    single = summarise({"worker_peak_rss_mb": [456.0, 650.0]}, previous=None)
    assert single["process_peak_rss_mb"] == 650.0
    assert single["target_rss_600mb"] is False


def test_batch_mode_is_judged_on_the_median_of_its_back_to_back_pairs() -> None:
    pairs = [
        {"round": 1, "pipe": pipe(9000.0), "enrich": run("enrich", 8100.0), "ratio": 0.90},
        {"round": 2, "pipe": pipe(9000.0), "enrich": run("enrich", 7200.0), "ratio": 0.80},
        {"round": 3, "pipe": pipe(9000.0), "enrich": run("enrich", 7830.0), "ratio": 0.87},
    ]

    s = summarise({"batch": pairs}, previous=None)

    assert (s["batch_ratios"], s["batch_ratio_median"]) == ([0.90, 0.80, 0.87], 0.87)
    assert s["target_batch_0_85"] is True
    assert summarise({"batch": pairs[1:2]}, previous=None)["target_batch_0_85"] is False
