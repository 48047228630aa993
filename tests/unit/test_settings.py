"""Settings: read from the environment, secrets never printed, derived values (topics, cores)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from config.settings import Settings, mask_url, usable_cores


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
