"""Settings never print secrets; logs are one JSON object per line with their context."""

from __future__ import annotations

import io
import json
import logging
import os
from pathlib import Path

import pytest

from config.settings import Settings, mask_url, usable_cores
from streams.logs import make_handler


def test_masked_settings_hide_passwords_in_urls_and_secret_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWIRE_REDIS_URL", "rediss://default:hunter2@cache.internal:6380/0")
    monkeypatch.setenv("NEWSWIRE_KAFKA_SASL_PASSWORD", "s3cret")
    settings = Settings()
    printed = json.dumps(settings.masked(), default=str)
    assert "hunter2" not in printed and "s3cret" not in printed
    assert "rediss://default:***@cache.internal:6380/0" in printed
    assert "hunter2" not in repr(settings) and "s3cret" not in str(settings)


def test_topic_prefix_applies_to_every_topic() -> None:
    topics = Settings(topic_prefix="staging.").topics
    assert topics.all() == [
        "staging.news.articles.raw",
        "staging.news.articles.enriched",
        "staging.news.articles.duplicates",
        "staging.news.events",
        "staging.news.articles.dlq",
    ]


def test_nlp_processes_take_auto_or_a_count_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().nlp_processes == "auto"
    assert Settings().nlp_process_count() == usable_cores() >= 1
    monkeypatch.setenv("NEWSWIRE_NLP_PROCESSES", "3")
    assert Settings().nlp_process_count() == 3
    monkeypatch.setenv("NEWSWIRE_NLP_PROCESSES", "0")
    assert Settings().nlp_process_count() == 0
    monkeypatch.setenv("NEWSWIRE_NLP_PROCESSES", "-1")
    with pytest.raises(ValueError):
        Settings()


@pytest.mark.parametrize(
    ("cpu_max", "cap"),
    [("max 100000\n", None), ("150000 100000\n", 2), ("50000 100000\n", 1), ("garbage", None)],
)
def test_usable_cores_follow_a_container_cpu_quota(tmp_path: Path, cpu_max: str, cap: int | None) -> None:
    affinity = len(os.sched_getaffinity(0))
    (tmp_path / "cpu.max").write_text(cpu_max)
    assert usable_cores(str(tmp_path)) == (affinity if cap is None else min(affinity, cap))
    assert usable_cores(str(tmp_path / "absent")) == affinity


def test_mask_url_leaves_urls_without_credentials_alone() -> None:
    assert mask_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_json_log_lines_carry_context_fields() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("newswire.test.json")
    logger.addHandler(make_handler("json", stream))
    logger.propagate = False
    logger.warning(
        "dead-lettered: %s",
        "invalid_json",
        extra={"topic": "raw", "partition": 1, "offset": 42, "stage": "decode"},
    )
    entry = json.loads(stream.getvalue())
    assert entry["msg"] == "dead-lettered: invalid_json"
    assert (entry["topic"], entry["partition"], entry["offset"], entry["stage"]) == ("raw", 1, 42, "decode")
    assert entry["level"] == "warning"


def test_text_log_lines_are_readable() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("newswire.test.text")
    logger.addHandler(make_handler("text", stream))
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.info("model loaded", extra={"seconds": 0.4})
    line = stream.getvalue()
    assert "model loaded" in line and "seconds=0.4" in line and not line.startswith("{")


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("kafka://user:kpw@broker:9092", "kafka://user:***@broker:9092"),
        ("redis://cache:6379/0?password=qsecret", "redis://cache:6379/0?password=***"),
        ("unix:///run/redis.sock?db=0&password=qsecret", "unix:///run/redis.sock?db=0&password=***"),
        ("rediss://:pw1@cache:6380/0", "rediss://:***@cache:6380/0"),
        ("https://ghp_token@host/x?token=t&page=2", "https://***@host/x?token=***&page=2"),
        ("redis://cache/0?socket_timeout=3", "redis://cache/0?socket_timeout=3"),
    ],
)
def test_mask_url_masks_user_info_and_secret_query_parameters(url: str, masked: str) -> None:
    assert mask_url(url) == masked


@pytest.mark.parametrize("setting", ["redis_url", "broker_url"])
@pytest.mark.parametrize(
    "url",
    [
        "redis://cache/0?password=qsecret",
        "unix:///run/redis.sock?password=qsecret",
        "kafka://user:qsecret@broker:9092",
        "redis://user:qsecret@cache:6379/0",
    ],
)
def test_settings_never_print_a_credential_in_any_url(setting: str, url: str) -> None:
    settings = Settings(**{setting: url})
    printed = json.dumps(settings.masked(), default=str)
    assert "qsecret" not in printed
    assert "qsecret" in settings.secret_values()


def test_log_lines_mask_known_secrets_urls_and_secret_pairs_in_messages_and_tracebacks() -> None:
    from streams.logs import JsonFormatter, TextFormatter

    logger = logging.getLogger("newswire.test.redact")
    logger.propagate = False
    for formatter in (JsonFormatter(secrets=["sasl-pass-1"]), TextFormatter(secrets=["sasl-pass-1"])):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        logger.handlers = [handler]
        try:
            raise ConnectionError(
                "auth failed for redis://u:urlpw@cache:6379/0?password=qpw with sasl-pass-1"
            )
        except ConnectionError:
            logger.exception(
                "broker kafka://u:brokerpw@b:9092 refused; token=abc123",
                extra={"settings": {"redis_url": "redis://h/0?access_token=deep1"}},
            )
        line = stream.getvalue()
        for secret in ("urlpw", "qpw", "sasl-pass-1", "brokerpw", "abc123", "deep1"):
            assert secret not in line, (type(formatter).__name__, secret, line)
        assert "kafka://u:***@b:9092" in line and "password=***" in line


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
