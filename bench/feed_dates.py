"""newswire's reader of feed dates (services/timestamps.py: the standard library's ISO and
RFC 2822 parsers plus epoch numbers) against python-dateutil's parser, on the date strings
of tests/data/dates/feed_dates.jsonl: examples from the RSS 2.0, RFC 822/2822, RFC 3339,
Atom, W3C-DTF and JSON Feed texts, feedparser's date samples, epoch numbers, and non-dates.

    python -m bench.feed_dates

A case is right when the parser gives the expected UTC second, or refuses a value that has
none (``expected`` null: a non-date, an impossible day, a date without a day, a zone that
cannot be placed). dateutil gets the US zone names (EST ... PDT) as ``tzinfos`` and numbers
as strings, so it is not failed on what it was never told.
"""

from __future__ import annotations

import json
import time
import warnings
from collections import Counter
from collections.abc import Callable
from datetime import UTC, timedelta, timezone
from importlib.metadata import version
from pathlib import Path

from services.timestamps import UnreadableDate, parse_published_at

CASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "dates" / "feed_dates.jsonl"
_US_ZONES = {
    name: timezone(timedelta(hours=offset))
    for name, offset in {
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
    }.items()
}
Reader = Callable[[str | int | float], str | None]


def newswire(value: str | int | float) -> str | None:
    try:
        return parse_published_at(value)
    except UnreadableDate:
        return None


def dateutil_parser(value: str | int | float) -> str | None:
    from dateutil import parser

    try:
        with warnings.catch_warnings():  # "tzname UT identified but not understood": scored below
            warnings.simplefilter("ignore")
            moment = parser.parse(str(value), tzinfos=_US_ZONES)
    except (ValueError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def score(read: Reader, cases: list[dict[str, object]]) -> tuple[Counter[str], list[str], float]:
    verdicts: Counter[str] = Counter()
    misses = []
    started = time.perf_counter()
    for _ in range(20):
        results = [read(case["value"]) for case in cases]  # type: ignore[arg-type]
    micros = 1e6 * (time.perf_counter() - started) / (20 * len(cases))
    for case, got in zip(cases, results, strict=True):
        expected = case["expected"]
        if got == expected:
            verdicts["right"] += 1
            continue
        kind = "refused a date" if got is None else "read a non-date" if expected is None else "wrong time"
        verdicts[kind] += 1
        misses.append(f"{kind}: {case['value']!r} -> {got} (expected {expected})")
    return verdicts, misses, micros


def main() -> None:
    cases = [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line.strip()]
    datable = sum(case["expected"] is not None for case in cases)
    print(f"{len(cases)} cases ({datable} with a time, {len(cases) - datable} without)")
    readers = (("newswire", newswire), (f"dateutil {version('python-dateutil')}", dateutil_parser))
    for name, read in readers:
        verdicts, misses, micros = score(read, cases)
        right = f"{verdicts['right']}/{len(cases)} right"
        print(f"\n{name}: {right}, {micros:.1f} us per value; {dict(verdicts)}")
        for miss in misses:
            print(f"  {miss}")


if __name__ == "__main__":
    main()
