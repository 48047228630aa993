"""The consumer's lag, computed at each scrape: in messages per partition, and in seconds,
which keeps growing while a stalled worker with a backlog takes nothing."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from prometheus_client import generate_latest

from streams.metrics import WorkerMetrics
from streams.process_metrics import PartitionClock, update_lag

TP = namedtuple("TP", ["topic", "partition"])
RAW0, RAW1 = TP("news.articles.raw", 0), TP("news.articles.raw", 1)


class Consumer:
    """The parts of Faust's consumer the scrape reads."""

    def __init__(self) -> None:
        self.highwaters: dict[Any, int] = {}
        self._committed_offset: dict[Any, int | None] = {}
        self._read_offset: dict[Any, int | None] = {}

    def assignment(self) -> set[Any]:
        return set(self.highwaters)

    def highwater(self, tp: Any) -> int:
        return self.highwaters[tp]


def scrape(metrics: WorkerMetrics, consumer: Consumer, clock: PartitionClock, now: float) -> dict[str, float]:
    update_lag(metrics, consumer, clock, now=now)
    values = {}
    for line in generate_latest(metrics.registry).decode().splitlines():
        if line.startswith("newswire_consumer_lag"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


def test_lag_in_seconds_keeps_growing_while_a_stalled_worker_has_a_backlog() -> None:
    metrics, consumer, clock = WorkerMetrics.create(), Consumer(), PartitionClock()
    consumer.highwaters[RAW0] = 100
    consumer._committed_offset[RAW0] = 100
    assert scrape(metrics, consumer, clock, now=1000.0)["newswire_consumer_lag_seconds"] == 0.0
    # The worker takes a message written at 1010 and stalls: input keeps arriving.
    clock.consumed(RAW0, 1010.0)
    consumer.highwaters[RAW0] = 130
    lag = scrape(metrics, consumer, clock, now=1015.0)
    assert lag['newswire_consumer_lag_messages{partition="0",topic="news.articles.raw"}'] == 30.0
    assert lag["newswire_consumer_lag_seconds"] == 5.0
    assert scrape(metrics, consumer, clock, now=1615.0)["newswire_consumer_lag_seconds"] == 605.0
    assert scrape(metrics, consumer, clock, now=2215.0)["newswire_consumer_lag_seconds"] == 1205.0
    # It resumes and catches up: no backlog, no lag.
    consumer._committed_offset[RAW0] = 130
    clock.consumed(RAW0, 2200.0)
    assert scrape(metrics, consumer, clock, now=2230.0)["newswire_consumer_lag_seconds"] == 0.0


def test_input_after_a_quiet_hour_is_not_an_hour_behind() -> None:
    metrics, consumer, clock = WorkerMetrics.create(), Consumer(), PartitionClock()
    clock.consumed(RAW0, 1000.0)
    consumer.highwaters[RAW0], consumer._committed_offset[RAW0] = 50, 50
    for minute in range(60):  # idle and caught up at every scrape
        assert (
            scrape(metrics, consumer, clock, now=1000.0 + 60 * minute)["newswire_consumer_lag_seconds"] == 0
        )
    consumer.highwaters[RAW0] = 51  # one new message, not yet taken at this scrape
    assert scrape(metrics, consumer, clock, now=1000.0 + 3600 + 15)["newswire_consumer_lag_seconds"] == 75.0


def test_a_backlog_from_the_start_counts_from_when_the_partition_was_first_seen() -> None:
    metrics, consumer, clock = WorkerMetrics.create(), Consumer(), PartitionClock()
    consumer.highwaters[RAW1] = 500  # a fresh group: nothing committed, nothing read
    consumer._committed_offset[RAW1] = None
    assert scrape(metrics, consumer, clock, now=50.0)["newswire_consumer_lag_seconds"] == 0.0
    consumer._read_offset[RAW1] = 9  # read up to offset 9, not yet committed
    lag = scrape(metrics, consumer, clock, now=80.0)
    assert lag['newswire_consumer_lag_messages{partition="1",topic="news.articles.raw"}'] == 490.0
    assert lag["newswire_consumer_lag_seconds"] == 0.0  # first seen now
    assert scrape(metrics, consumer, clock, now=780.0)["newswire_consumer_lag_seconds"] == 700.0


def test_a_partition_taken_away_by_a_rebalance_leaves_no_series_behind() -> None:
    metrics, consumer, clock = WorkerMetrics.create(), Consumer(), PartitionClock()
    consumer.highwaters = {RAW0: 10, RAW1: 40}
    consumer._committed_offset = {RAW0: 10, RAW1: 20}
    assert len(scrape(metrics, consumer, clock, now=10.0)) == 3
    del consumer.highwaters[RAW1]
    lag = scrape(metrics, consumer, clock, now=20.0)
    assert lag == {
        'newswire_consumer_lag_messages{partition="0",topic="news.articles.raw"}': 0.0,
        "newswire_consumer_lag_seconds": 0.0,
    }
