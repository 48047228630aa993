"""Feed dates as feeds write them, read into UTC seconds (tests/data/dates/feed_dates.jsonl:
examples from the RSS, RFC 822/2822, RFC 3339, Atom, W3C-DTF and JSON Feed texts and
feedparser's samples; ``python -m tools.bench.feed_dates`` scores python-dateutil on the same)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.timestamps import UnreadableDate, parse_published_at

CASES = [
    json.loads(line)
    for line in (Path(__file__).resolve().parents[1] / "data" / "dates" / "feed_dates.jsonl")
    .read_text("utf-8")
    .splitlines()
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['value']!r}" for c in CASES])
def test_feed_date_is_read_as_utc_or_refused_when_it_names_no_moment(case: dict[str, object]) -> None:
    value = case["value"]
    assert isinstance(value, str | int | float)
    if case["expected"] is None:
        with pytest.raises(UnreadableDate):
            parse_published_at(value)
    else:
        assert parse_published_at(value) == case["expected"], case["source"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (99_999_999, None),  # below 10^8: an id or a count, not a time
        (100_000_000, "1973-03-03T09:46:40Z"),
        (99_999_999_999, "5138-11-16T09:46:39Z"),  # below 10^11: still seconds
        (100_000_000_000, "1973-03-03T09:46:40Z"),  # from 10^11: milliseconds
        (253_402_300_799_999, "9999-12-31T23:59:59Z"),
        (253_402_300_800_000, None),  # past the year 9999
        (float("nan"), None),
        (-1, None),
    ],
)
def test_epoch_numbers_are_seconds_below_10_to_the_11_and_milliseconds_from_there(
    value: float, expected: str | None
) -> None:
    if expected is None:
        with pytest.raises(UnreadableDate):
            parse_published_at(value)
    else:
        assert parse_published_at(value) == expected
