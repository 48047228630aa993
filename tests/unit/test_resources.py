"""What a worker holds: readiness follows Redis, an outage is logged once, then every 30 s, a
first contact is not called a return, and becoming ready is said with the partitions and the
web address."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from config.settings import Settings


def test_redis_unreachable_from_the_start_is_logged_at_once_then_every_30s_and_reached_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from streams import resources as resources_module
    from streams.metrics import WorkerMetrics
    from streams.resources import WorkerResources

    now = [1000.0]
    monkeypatch.setattr(resources_module.time, "monotonic", lambda: now[0])
    resources = WorkerResources(
        Settings(redis_url="redis://user:pw-in-url@cache:6379/0"), WorkerMetrics.create()
    )
    caplog.set_level(logging.INFO, logger="newswire.worker")

    def lines() -> list[str]:
        return [r.getMessage() for r in caplog.records]

    try:
        resources.set_redis_state(False, "ConnectionError: refused.")
        assert lines() == [
            "redis unreachable at redis://user:***@cache:6379/0 for 0s: ConnectionError: refused; "
            "not ready, checking every 5s"
        ]
        for _step in range(5):  # probes every 5 s: quiet until 30 s have passed
            now[0] += 5
            resources.set_redis_state(False, "refused")
        assert len(lines()) == 1
        now[0] += 5
        resources.set_redis_state(False, "refused")
        assert len(lines()) == 2 and "for 30s" in lines()[1]
        now[0] += 2
        resources.set_redis_state(True)
        resources.set_redis_state(True)
        # Never reached before: it is not "back".
        assert lines()[2:] == ["redis answers at redis://user:***@cache:6379/0 after 32s unreachable"]
        assert resources.readiness()["redis"] == "up"
    finally:
        resources.executor.shutdown()
        resources.nlp_executor.shutdown()


@pytest.fixture
def resources_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, list[float]]]:
    from streams import resources as resources_module
    from streams.metrics import WorkerMetrics
    from streams.resources import WorkerResources

    now = [1000.0]
    monkeypatch.setattr(resources_module.time, "monotonic", lambda: now[0])
    resources = WorkerResources(Settings(web_host="0.0.0.0", web_port=6070), WorkerMetrics.create())
    yield resources, now
    resources.executor.shutdown()
    resources.nlp_executor.shutdown()


def test_an_outage_after_redis_answered_ends_with_redis_is_back(
    resources_at: tuple[Any, list[float]], caplog: pytest.LogCaptureFixture
) -> None:
    resources, now = resources_at
    caplog.set_level(logging.INFO, logger="newswire.worker")
    resources.set_redis_state(True)
    now[0] += 60
    resources.set_redis_state(False, "refused")
    now[0] += 12
    resources.set_redis_state(True)
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == "redis answers at redis://127.0.0.1:6379/0"
    assert messages[-1] == "redis is back after 12s"


def test_ready_is_said_with_the_partitions_and_the_web_address_once_per_change(
    resources_at: tuple[Any, list[float]], caplog: pytest.LogCaptureFixture
) -> None:
    resources, _ = resources_at
    caplog.set_level(logging.INFO, logger="newswire.worker")

    def said() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.getMessage().startswith("ready")]

    resources.assigned(2)  # partitions before the model: not ready yet
    resources.set_redis_state(True)
    assert said() == []
    resources.model_loaded.set()
    resources.set_redis_state(True)  # what start() does once the model is loaded
    assert said() == ["ready: 2 partitions, listening on 0.0.0.0:6070"]
    resources.assigned(2)  # a rebalance that changed nothing
    resources.set_redis_state(True)
    assert len(said()) == 1
    resources.assigned(1)  # a second worker joined
    assert said()[-1] == "ready: 1 partitions, listening on 0.0.0.0:6070"
    resources.set_redis_state(False, "refused")
    resources.set_redis_state(True)  # ready again after an outage
    assert said()[-1] == "ready: 1 partitions, listening on 0.0.0.0:6070" and len(said()) == 3
