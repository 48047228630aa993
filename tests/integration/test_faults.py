"""Fault injection with real processes: a worker killed or stopped, Redis lost and restarted
empty, the broker restarted. After each fault every article must end up in exactly one of
enriched / duplicates / dlq, re-sends must be identical, and the worker must recover by itself.

Streams are short articles (~45 words): the scenarios test delivery, not NLP, and short bodies
let 2,000 articles go through in seconds on 2 cores, so each scenario stays under ~90 s.
"""

from __future__ import annotations

import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from config.settings import Settings
from streams.devstack import WorkerProcess, free_port, start_broker, start_redis, worker_env
from streams.kafka_tools import create_topics, produce_payloads, wait_for_broker
from tests.support.accounting import Outputs, check_stream_accounted
from tests.support.commands import run_newswire
from tests.support.traffic import BackgroundProducer, article_stream
from tests.support.waiting import wait_until
from tests.support.workers import log_messages, processed

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.model]


def _prepare(settings: Settings) -> Outputs:
    wait_for_broker(settings)
    create_topics(settings)
    return Outputs(settings)


def test_kill_9_mid_stream_loses_nothing_and_resends_identically(
    stack_settings: Settings, worker_factory: Callable[..., WorkerProcess], unique_name: str
) -> None:
    # 1,200 articles (~45 words each; every 10th an exact copy, every 50th invalid): the
    # kill lands with ~400 done, a batch in flight and uncommitted offsets, ~700 still unread;
    # at the ~50 articles/s one worker does on 2 cores this keeps the scenario under ~60 s.
    settings = stack_settings
    reader = _prepare(settings)
    stream = article_stream(unique_name, 1_200, copy_every=10, bad_every=50)
    first = worker_factory("worker-1")
    produce_payloads(settings, settings.topics.raw, stream.payloads)
    assert wait_until(lambda: processed(first) >= 400, timeout=60), "worker made no progress"
    done_at_kill = processed(first)
    first.kill()  # SIGKILL: no shutdown, no commit of what it processed since the last commit

    started = time.monotonic()
    worker_factory("worker-2")
    missing = reader.wait_for_ids(stream.expected, timeout=90)
    recovery = time.monotonic() - started
    assert not missing, f"{len(missing)} articles lost, e.g. {sorted(missing)[:5]}"
    acc = reader.account()
    check_stream_accounted(stream, acc)  # every re-send byte-identical, dead letters included
    dlq_resent = acc.resent_by_topic.get(settings.topics.dlq, 0)
    print(
        f"\nkill -9 after {done_at_kill:.0f}/1200 processed; the rest done {recovery:.1f}s after the "
        f"restart; {acc.resent} records re-sent, {dlq_resent} of them dead letters (all byte-identical)"
    )
    reader.close()


def test_killed_worker_partitions_move_to_the_survivor(
    stack_settings: Settings, worker_factory: Callable[..., WorkerProcess], unique_name: str
) -> None:
    settings = stack_settings.model_copy(update={"topic_partitions": 4})
    reader = _prepare(settings)
    stream = article_stream(unique_name, 1_200, copy_every=10, bad_every=50)
    doomed = worker_factory("worker-a", topic_partitions=4)
    survivor = worker_factory("worker-b", topic_partitions=4)
    producer = BackgroundProducer(settings, stream.payloads, per_second=150)
    producer.start()
    # Both own partitions: each has finished some articles before the kill.
    assert wait_until(lambda: processed(doomed) >= 50 and processed(survivor) >= 50, timeout=60)
    rebalances_before = survivor.metrics().get("newswire_rebalances_total", 0.0)
    doomed.kill()
    killed_at = time.monotonic()

    producer.join(timeout=60)
    missing = reader.wait_for_ids(stream.expected, timeout=90)
    assert not missing, f"{len(missing)} articles never processed, e.g. {sorted(missing)[:5]}"
    acc = reader.account()
    check_stream_accounted(stream, acc)
    after = survivor.metrics()
    assert after.get("newswire_rebalances_total", 0.0) > rebalances_before
    assert survivor.running
    print(
        f"\ntwo workers, one killed: stream of 1200 complete {time.monotonic() - killed_at:.1f}s after "
        f"the kill; survivor processed {processed(survivor):.0f}; {acc.resent} identical re-sends"
    )
    reader.close()


def _settled(worker: WorkerProcess, quiet: float = 2.0, timeout: float = 15.0) -> float:
    """The worker's processed count once it has not moved for ``quiet`` seconds."""
    last = {"count": processed(worker), "since": time.monotonic()}

    def unmoved() -> bool:
        count = processed(worker)
        if count != last["count"]:
            last.update(count=count, since=time.monotonic())
        return time.monotonic() - last["since"] >= quiet

    wait_until(unmoved, timeout, interval=0.25)
    return last["count"]


def test_redis_outage_backs_off_without_dead_lettering_and_resumes(
    stack_settings: Settings,
    worker_factory: Callable[..., WorkerProcess],
    unique_name: str,
    tmp_path: Path,
) -> None:
    # The test's own redis-server, so it can be stopped; restarted on the same port with no
    # data, as after a failover to an empty replica.
    redis_server = start_redis(tmp_path)
    redis_url = f"redis://127.0.0.1:{redis_server.port}/0"
    settings = stack_settings
    reader = _prepare(settings)
    stream = article_stream(unique_name, 1_000, copy_every=0, bad_every=40)
    bad = sum(1 for v in stream.expected.values() if v == "dlq")
    # Upper-case names reach the worker's environment (NEWSWIRE_REDIS_URL) without clashing
    # with the fixture's own redis_url argument.
    worker = worker_factory("worker", REDIS_URL=redis_url)
    producer = BackgroundProducer(settings, stream.payloads, per_second=40)
    producer.start()
    try:
        assert wait_until(lambda: processed(worker) >= 150, timeout=30)
        redis_server.stop()
        outage_started = time.monotonic()
        assert wait_until(lambda: worker.metrics().get("newswire_redis_up") == 0.0, timeout=15)
        assert worker.http_status("/readyz") == 503
        assert worker.http_status("/healthz") == 200  # alive: do not restart it, it is waiting
        # Batches already past dedup when Redis went (in NLP, up to three of 16) still finish;
        # nothing after them may.
        stalled_at = _settled(worker)
        dlq_at = worker.metrics().get('newswire_articles_processed_total{outcome="dlq"}', 0.0)
        time.sleep(max(0.0, 20 - (time.monotonic() - outage_started)))
        during = worker.metrics()
        # Nothing finished and nothing dead-lettered while Redis was away: the batch waits.
        assert processed(worker) == stalled_at
        assert during.get('newswire_articles_processed_total{outcome="dlq"}', 0.0) == dlq_at
        retries = during.get('newswire_dependency_retries_total{dependency="redis"}', 0.0)
        assert retries >= 3
        assert worker.http_status("/readyz") == 503

        redis_server = start_redis(tmp_path, port=redis_server.port)
        restarted = time.monotonic()
        assert wait_until(lambda: worker.http_status("/readyz") == 200, timeout=30)
        ready_after = time.monotonic() - restarted
        producer.join(timeout=60)
        missing = reader.wait_for_ids(stream.expected, timeout=90)
        assert not missing, f"{len(missing)} articles lost, e.g. {sorted(missing)[:5]}"
        acc = reader.account()
        check_stream_accounted(stream, acc)
        dlq_total = worker.metrics().get('newswire_articles_processed_total{outcome="dlq"}', 0.0)
        assert dlq_total == bad  # only the invalid articles, no flood of outage victims
        assert worker.metrics().get("newswire_redis_up") == 1.0
        print(
            f"\nredis down {restarted - outage_started:.0f}s after {stalled_at:.0f} done; ready "
            f"{ready_after:.1f}s after the restart; {len(stream.expected)} accounted, {bad} in the DLQ "
            f"(all invalid input); {retries:.0f} batch retries during the outage"
        )
    finally:
        redis_server.stop()
        reader.close()


def test_broker_restart_worker_reconnects_and_processes_new_articles(
    stack_settings: Settings,
    worker_factory: Callable[..., WorkerProcess],
    unique_name: str,
    tmp_path: Path,
) -> None:
    # The test's own Tansu with memory storage: this Tansu build offers no persistent engine
    # (postgres is not compiled in, s3 needs an object store), so a restart loses every topic
    # and offset, as a new empty cluster would. What is checked: the worker survives the outage
    # and processes what is produced after the broker is back.
    broker = start_broker(tmp_path)
    broker_url = f"kafka://127.0.0.1:{broker.port}"
    settings = stack_settings.model_copy(update={"broker_url": broker_url})
    reader = _prepare(settings)
    before = article_stream(unique_name + "a", 200, copy_every=10, bad_every=50)
    worker = worker_factory("worker", BROKER_URL=broker_url)  # see the Redis test
    try:
        produce_payloads(settings, settings.topics.raw, before.payloads)
        assert not reader.wait_for_ids(before.expected, timeout=60)
        reader.close()

        broker.stop()
        time.sleep(10)
        assert worker.running, "the worker must survive a broker outage"
        assert worker.http_status("/healthz") == 200
        broker = start_broker(tmp_path, port=broker.port)
        restarted = time.monotonic()
        wait_for_broker(settings)
        # The hard order: the worker rejoins its group while its topics do not exist yet (it
        # reconnects within ~0.1 s), so it starts with nothing assigned and must find the
        # topics by refreshing metadata once they appear.
        time.sleep(5)
        create_topics(settings)
        reader = Outputs(settings)
        # The empty broker restarts every partition at offset 0 while the worker's consumer
        # still holds its old positions; depending on timing it resets to the start or
        # resumes at the old offset. Re-sending the first stream (same keys, so the same
        # count per partition) puts the new articles past those positions either way, as a
        # scraper replaying its last batch would.
        produce_payloads(settings, settings.topics.raw, before.payloads)
        after = article_stream(unique_name + "b", 200, copy_every=10, bad_every=50, seed=2)
        produce_payloads(settings, settings.topics.raw, after.payloads)
        missing = reader.wait_for_ids(after.expected, timeout=90)
        assert not missing, f"{len(missing)} articles produced after the restart never processed"
        check_stream_accounted(after, reader.account())
        assert worker.running
        print(
            f"\nbroker restarted (memory storage); the 200 articles produced after it were all "
            f"processed {time.monotonic() - restarted:.1f}s after the restart"
        )
    finally:
        reader.close()
        worker.kill()
        broker.stop()


def test_sigterm_finishes_or_hands_back_in_flight_work(
    stack_settings: Settings, worker_factory: Callable[..., WorkerProcess], unique_name: str
) -> None:
    settings = stack_settings
    reader = _prepare(settings)
    stream = article_stream(unique_name, 800, copy_every=10, bad_every=50)
    worker = worker_factory("worker-1")
    produce_payloads(settings, settings.topics.raw, stream.payloads)
    assert wait_until(lambda: processed(worker) >= 200, timeout=60)
    assert worker.process is not None
    worker.process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    code = worker.process.wait(timeout=settings.shutdown_timeout_seconds + 15)
    shutdown = time.monotonic() - started
    assert shutdown < settings.shutdown_timeout_seconds

    worker_factory("worker-2")
    missing = reader.wait_for_ids(stream.expected, timeout=90)
    assert not missing, f"{len(missing)} articles lost over a graceful restart"
    acc = reader.account()
    check_stream_accounted(stream, acc)
    print(f"\nSIGTERM: exit code {code} after {shutdown:.1f}s; nothing lost, {acc.resent} identical re-sends")
    reader.close()


def test_settings_print_masks_secrets_and_web_binds_to_configured_host(
    stack_settings: Settings, worker_factory: Callable[..., WorkerProcess]
) -> None:
    import psutil

    cases = [
        (
            {
                "NEWSWIRE_REDIS_URL": "rediss://newswire:redis-url-secret@redis.internal:6380/0",
                "NEWSWIRE_REDIS_PASSWORD": "redis-password-secret",
                "NEWSWIRE_KAFKA_SASL_PASSWORD": "kafka-password-secret",
                "NEWSWIRE_BROKER_URL": "kafka://svc:broker-url-secret@kafka.internal:9092",
            },
            ["rediss://newswire:***@redis.internal:6380/0", "kafka://svc:***@kafka.internal:9092"],
        ),
        ({"NEWSWIRE_REDIS_URL": "redis://redis.internal/0?password=query-secret"}, ["?password=***"]),
        ({"NEWSWIRE_REDIS_URL": "unix:///run/redis.sock?db=0&password=query-secret"}, ["&password=***"]),
    ]
    for secrets, shown in cases:
        result = run_newswire("settings", env=secrets, timeout=60)
        assert result.returncode == 0, result.stderr
        printed = result.stdout
        for secret in ("url-secret", "password-secret", "query-secret"):
            assert secret not in printed
        for masked in shown:
            assert masked in printed

    # A real worker given credentials: a SASL password (unused with PLAINTEXT) and a Redis
    # password in the URL query (this Redis has no password set, and accepts any). Neither is
    # in its log (the start-up line prints every setting) or /metrics, and its web server
    # listens only on the configured address.
    redis_with_secret = stack_settings.redis_url.get_secret_value() + "?password=query-secret"
    worker = worker_factory(
        "worker",
        web_host="127.0.0.1",
        kafka_sasl_password="kafka-password-secret",
        REDIS_URL=redis_with_secret,
    )
    assert worker.process is not None
    listening = [
        c.laddr
        for c in psutil.Process(worker.process.pid).net_connections(kind="tcp")
        if c.status == psutil.CONN_LISTEN
    ]
    assert (("127.0.0.1", worker.port)) in [(a.ip, a.port) for a in listening]
    assert all(a.ip == "127.0.0.1" for a in listening if a.port == worker.port)
    exposed = worker.http_get("/metrics")[1].decode()
    log = worker.log_path.read_text(errors="replace")
    assert "starting worker" in log and "password=***" in log  # the start-up line, masked
    for secret in ("kafka-password-secret", "query-secret"):
        assert secret not in exposed and secret not in log


def test_sigterm_while_redis_is_down_stops_in_time_and_hands_back_the_batch(
    stack_settings: Settings,
    worker_factory: Callable[..., WorkerProcess],
    unique_name: str,
    tmp_path: Path,
) -> None:
    redis_server = start_redis(tmp_path)
    redis_url = f"redis://127.0.0.1:{redis_server.port}/0"
    settings = stack_settings
    reader = _prepare(settings)
    stream = article_stream(unique_name, 60, copy_every=0, bad_every=0)
    timeout = 8.0
    worker = worker_factory("worker-1", REDIS_URL=redis_url, shutdown_timeout_seconds=timeout)
    try:
        produce_payloads(settings, settings.topics.raw, stream.payloads[:30])
        assert wait_until(lambda: processed(worker) >= 30, timeout=60)
        redis_server.stop()
        produce_payloads(settings, settings.topics.raw, stream.payloads[30:])
        assert wait_until(
            lambda: worker.metrics().get('newswire_dependency_retries_total{dependency="redis"}', 0) >= 2,
            timeout=30,
        ), "the batch never waited for Redis"
        assert worker.process is not None
        worker.process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        said_stopping: list[bool] = []

        def exited() -> bool:
            status, body = worker.http_get("/readyz")
            said_stopping.append(status == 503 and b'"stopping":true' in body)
            return worker.process is not None and worker.process.poll() is not None

        wait_until(exited, timeout + 20, interval=0.1)
        stopping = any(said_stopping)
        took = time.monotonic() - started
        assert worker.process.poll() is not None, f"still running {took:.0f}s after SIGTERM"
        assert took < timeout, f"stopped after {took:.1f}s; shutdown_timeout_seconds is {timeout}"
        assert stopping, "/readyz never said stopping"
        log = worker.log_path.read_text(errors="replace")
        assert "unacknowledged" in log and "redis" in log.lower()

        redis_server = start_redis(tmp_path, port=redis_server.port)
        worker_factory("worker-2", REDIS_URL=redis_url)
        missing = reader.wait_for_ids(stream.expected, timeout=90)
        assert not missing, f"{len(missing)} articles lost over the shutdown"
        check_stream_accounted(stream, reader.account())
        print(f"\nSIGTERM with Redis down: exit after {took:.1f}s (timeout {timeout:.0f}s); nothing lost")
    finally:
        redis_server.stop()
        reader.close()


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A port that accepts TCP connections (the kernel completes them) and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield int(sock.getsockname()[1])


@pytest.mark.parametrize("target", ["redis-port", "silent-listener"])
def test_worker_pointed_at_something_that_is_not_kafka_exits_1_with_one_clear_line(
    target: str, redis_url: str, silent_listener: int, tmp_path: Path
) -> None:
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0]) if target == "redis-port" else silent_listener
    bound = 6.0
    env = worker_env(
        f"kafka://newswire:broker-url-secret@127.0.0.1:{port}",
        redis_url,
        broker_connect_timeout_seconds=bound,
        web_port=free_port(),
        data_dir=str(tmp_path),
    )
    started = time.monotonic()
    done = run_newswire("worker", env=env, timeout=bound + 60)
    took = time.monotonic() - started
    assert done.returncode == 1, done.stderr[-2000:]
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"newswire worker: no Kafka broker answered at kafka://newswire:***@127.0.0.1:{port}"
    )
    assert f"within {bound:g}s" in last and "Traceback" not in done.stderr
    assert "waiting for the Kafka broker" in done.stderr  # said what it waits for
    assert "broker-url-secret" not in done.stderr
    # Bounded: the handshake timeout plus interpreter start-up and imports.
    assert took < bound + 30, took
    print(f"\n{target}: exit 1 after {took:.1f}s: {last}")


def test_worker_without_redis_warns_at_once_and_becomes_ready_when_redis_appears(
    stack_settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    env = worker_env(
        stack_settings.broker_url,
        f"redis://127.0.0.1:{port}/0",
        topic_prefix=stack_settings.topic_prefix,
        consumer_group=stack_settings.consumer_group,
        redis_key_prefix=stack_settings.redis_key_prefix,
        web_port=free_port(),
    )
    create_topics(stack_settings)
    worker = WorkerProcess(env, tmp_path, name="worker")
    try:
        with pytest.raises(TimeoutError):
            worker.start(timeout=60)  # never ready without Redis
        log = worker.log_path.read_text(errors="replace")
        warned = [line for line in log.splitlines() if "redis unreachable at" in line]
        assert warned and f"redis://127.0.0.1:{port}/0" in warned[0]
        status, body = worker.http_get("/readyz")
        assert status == 503 and b'"redis":"down"' in body
        redis_server = start_redis(tmp_path, port=port)
        try:
            worker.wait_ready(timeout=30)
            said = log_messages(worker)
            # Never reached before, so not "back": its first answer, and then ready.
            assert any(m.startswith(f"redis answers at redis://127.0.0.1:{port}/0 after ") for m in said)
            assert not any(m.startswith("redis is back") for m in said)
            assert wait_until(lambda: any(m.startswith("ready: ") for m in log_messages(worker)), 10)
        finally:
            redis_server.stop()
    finally:
        worker.kill()


def test_worker_says_when_it_is_ready_and_that_it_stopped_cleanly(
    stack_settings: Settings, worker_factory: Callable[..., WorkerProcess]
) -> None:
    _prepare(stack_settings)
    port = free_port()
    worker = worker_factory(web_port=port)  # returns once /readyz answers 200
    wanted = f"ready: {stack_settings.topic_partitions} partitions, listening on 127.0.0.1:{port}"
    assert wait_until(lambda: wanted in log_messages(worker), 30), log_messages(worker)
    assert worker.process is not None
    worker.process.send_signal(signal.SIGTERM)
    code = worker.process.wait(timeout=stack_settings.shutdown_timeout_seconds + 15)
    assert code == 0
    said = log_messages(worker)
    assert said[-1] == "stopped cleanly", said[-5:]
    assert said.index(wanted) < said.index("stopped cleanly")
