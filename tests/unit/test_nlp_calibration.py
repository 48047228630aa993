"""The confidence table: per basis, the share of events that were right, never 0 or 1."""

from __future__ import annotations

from tools.evaluation.calibration import MIN_EVENTS, fit
from tools.evaluation.nlp_eval import calibration


def test_each_basis_gets_its_smoothed_share_right_and_rare_target_splits_fall_back() -> None:
    observed = [("speech", True)] * 6 + [("verb", False)] * 3 + [("verb", True)] + [("verb+target", True)] * 2
    table = fit(observed)["by_basis"]
    assert table["speech"] == round(6.5 / 7, 3)  # 6 of 6, pulled towards one half
    assert table["verb"] == round(3.5 / 7, 3)  # "verb" counts its "+target" events too
    assert "verb+target" not in table  # 2 events < MIN_EVENTS: the extractor uses "verb"
    assert MIN_EVENTS > 2
    assert table["*"] == round(9.5 / 13, 3)


def test_the_calibration_table_bins_events_and_reports_the_gap() -> None:
    rows = calibration([(0.45, True), (0.45, False), (0.93, True)])
    assert [(r["bin"], r["events"], r["share_right"], r["gap"]) for r in rows] == [
        ("0.4-0.5", 2, 0.5, 0.05),
        ("0.9-1.0", 1, 1.0, 0.07),
    ]
