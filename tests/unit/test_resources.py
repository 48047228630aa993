"""What a worker holds: readiness follows Redis, and an outage is logged once, then every 30 s."""

from __future__ import annotations

import logging

import pytest

from config.settings import Settings


def test_redis_outage_is_logged_at_once_then_every_30s_and_its_end_once(
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
        assert lines()[2:] == ["redis is back after 32s; ready"]
        assert resources.readiness()["redis"] == "up"
    finally:
        resources.executor.shutdown()
        resources.nlp_executor.shutdown()
