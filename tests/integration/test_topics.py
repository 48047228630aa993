"""``newswire topics`` against the real broker: the topics are created with newswire's configs
(retention, cleanup policy, message size), a topic made without them is reported and, when
asked, updated; a worker that declares a missing topic gives it the same configs. What the
broker stores and reports is checked; whether it compacts is the broker's business (Tansu
stores ``cleanup.policy`` and never compacts: docs/operations.md, "Topics")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic

from config.settings import Settings
from streams.devstack import WorkerProcess
from streams.kafka_tools import client_options, wait_for_broker
from tests.support.commands import run_newswire, settings_env

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(stack_settings: Settings) -> Iterator[KafkaAdminClient]:
    wait_for_broker(stack_settings)
    client = KafkaAdminClient(**client_options(stack_settings))
    yield client
    client.close()


def configs_of(admin: KafkaAdminClient, names: list[str]) -> dict[str, dict[str, Any]]:
    resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in names]
    described = admin.describe_configs(resources, config_filter="all")["topic"]
    return {name: {key: entry["value"] for key, entry in described[name].items()} for name in names}


def test_topics_are_created_with_newswires_configs_and_a_second_run_changes_nothing(
    stack_settings: Settings, admin: KafkaAdminClient
) -> None:
    env = settings_env(stack_settings)
    first = run_newswire("topics", env=env)
    assert first.returncode == 0, first.stderr
    names = stack_settings.topics.all()
    assert first.stdout.splitlines() == ["created: " + ", ".join(names)]
    held = configs_of(admin, names)
    print({n: {k: held[n].get(k) for k in w} for n, w in stack_settings.topic_configs().items()})
    for name, wanted in stack_settings.topic_configs().items():
        assert {key: held[name].get(key) for key in wanted} == wanted, name
    assert held[stack_settings.topics.events]["cleanup.policy"] == "compact,delete"
    assert held[stack_settings.topics.dlq]["cleanup.policy"] == "delete"

    again = run_newswire("topics", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == ["created: nothing (all exist)"] and again.stderr == ""


def test_a_topic_made_without_the_configs_is_reported_then_updated_on_request(
    stack_settings: Settings, admin: KafkaAdminClient
) -> None:
    events = stack_settings.topics.events
    admin.create_topics([NewTopic(events, num_partitions=2, replication_factor=1)])
    env = settings_env(stack_settings)

    report = run_newswire("topics", env=env)
    assert report.returncode == 0, report.stderr
    [line] = [line for line in report.stdout.splitlines() if line.startswith("differs: ")]
    assert line.startswith(f"differs: {events}: ") and "-> compact,delete" in line
    assert "newswire topics --update-configs" in report.stderr

    update = run_newswire("topics", "--update-configs", env=env)
    assert update.returncode == 0, update.stderr
    assert any(line.startswith(f"updated: {events}: ") for line in update.stdout.splitlines())
    wanted = stack_settings.topic_configs()[events]
    assert {key: configs_of(admin, [events])[events].get(key) for key in wanted} == wanted
    quiet = run_newswire("topics", env=env)
    assert not any(line.startswith("differs") for line in quiet.stdout.splitlines()), quiet.stdout


@pytest.mark.model
def test_a_worker_declaring_missing_topics_gives_them_the_same_configs(
    stack_settings: Settings, admin: KafkaAdminClient, worker_factory: Callable[..., WorkerProcess]
) -> None:
    worker_factory()  # no `newswire topics` first: the worker declares all five
    names = stack_settings.topics.all()
    held = configs_of(admin, names)
    print({n: {k: held[n].get(k) for k in w} for n, w in stack_settings.topic_configs().items()})
    for name, wanted in stack_settings.topic_configs().items():
        assert {key: held[name].get(key) for key in wanted} == wanted, name
