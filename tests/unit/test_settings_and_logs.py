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
