"""A real broker and a real Redis for the integration tests, started by the fixtures
themselves, and worker processes on them.

Where the servers come from, in order:
1. ``NEWSWIRE_TEST_BROKER_URL`` / ``NEWSWIRE_TEST_REDIS_URL`` (an external cluster);
2. testcontainers (Apache Kafka and Redis images) when a Docker engine answers;
3. a local Tansu broker process and a local redis-server on free loopback ports.
Integration tests never skip for want of a server: if none can be started, they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from config.settings import Settings
from streams.devstack import WorkerProcess, free_port, start_broker, start_redis, worker_env
from streams.domain import delete_prefix


def _docker_available() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def servers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


@pytest.fixture(scope="session")
def broker_url(servers_dir: Path) -> Iterator[str]:
    external = os.environ.get("NEWSWIRE_TEST_BROKER_URL")
    if external:
        yield external
        return
    if _docker_available():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer().with_kraft() as kafka:
            yield "kafka://" + kafka.get_bootstrap_server()
        return
    broker = start_broker(servers_dir)
    try:
        yield f"kafka://127.0.0.1:{broker.port}"
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def redis_url(servers_dir: Path) -> Iterator[str]:
    external = os.environ.get("NEWSWIRE_TEST_REDIS_URL")
    if external:
        yield external
        return
    if _docker_available():
        from testcontainers.redis import RedisContainer

        with RedisContainer() as container:
            host = container.get_container_host_ip()
            yield f"redis://{host}:{container.get_exposed_port(6379)}/0"
        return
    server = start_redis(servers_dir)
    try:
        yield f"redis://127.0.0.1:{server.port}/0"
    finally:
        server.stop()


@pytest.fixture
def stack_settings(broker_url: str, redis_url: str, unique_name: str) -> Iterator[Settings]:
    """Settings isolated to this test: own topic prefix, consumer group and Redis prefix."""
    settings = Settings(
        broker_url=broker_url,
        redis_url=redis_url,
        topic_prefix=f"{unique_name}.",
        consumer_group=f"{unique_name}-workers",
        redis_key_prefix=unique_name,
        topic_partitions=2,
    )
    yield settings
    client = redis.Redis.from_url(redis_url)
    delete_prefix(client, unique_name)
    client.close()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A client of the test Redis."""
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def worker_factory(stack_settings: Settings, tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    started: list[WorkerProcess] = []

    def start(name: str = "worker", **overrides: Any) -> WorkerProcess:
        s = stack_settings
        values: dict[str, Any] = {
            "topic_prefix": s.topic_prefix,
            "consumer_group": s.consumer_group,
            "redis_key_prefix": s.redis_key_prefix,
            "topic_partitions": s.topic_partitions,
            "web_port": free_port(),
        }
        values.update(overrides)
        env = worker_env(s.broker_url, s.redis_url.get_secret_value(), **values)
        proc = WorkerProcess(env, tmp_path, name=name)
        started.append(proc)
        return proc.start()

    yield start
    for proc in started:
        proc.kill()
