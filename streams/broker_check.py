"""Before the worker starts Faust: wait, for a bounded time, until the broker answers a Kafka
handshake (connect, TLS/SASL when configured, a metadata request). Faust itself retries
forever and says nothing useful when the address is wrong (the Redis port, a listener that
never answers), so the worker checks first and exits with the reason instead."""

from __future__ import annotations

import asyncio
import logging
import time

from config.settings import Settings, mask_url
from streams.kafka_tools import bootstrap_servers

log = logging.getLogger("newswire.worker")

#: One handshake attempt may take this long before the next one starts (a listener that
#: accepts and never answers holds an attempt for all of it).
_ATTEMPT_SECONDS = 5.0
_RETRY_SECONDS = 1.0


class BrokerUnreachable(Exception):
    """No Kafka broker answered at the configured address in time."""


async def _handshake(settings: Settings, timeout: float) -> int:
    """One bootstrap: connect, authenticate, fetch metadata. Returns the brokers seen."""
    from aiokafka.client import AIOKafkaClient
    from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

    from streams.app import broker_credentials

    client = AIOKafkaClient(
        bootstrap_servers=bootstrap_servers(settings.broker_url),
        request_timeout_ms=max(1, int(timeout * 1000)),
        **credentials_to_aiokafka_auth(broker_credentials(settings)),
    )
    try:
        await asyncio.wait_for(client.bootstrap(), timeout)
        return len(client.cluster.brokers())
    finally:
        await client.close()


def wait_for_kafka(settings: Settings) -> None:
    """Return once the broker answers; raise :class:`BrokerUnreachable` after
    ``broker_connect_timeout_seconds``, logging what it waits for on every failed attempt."""
    where = mask_url(settings.broker_url)
    deadline = time.monotonic() + settings.broker_connect_timeout_seconds
    attempt = 0
    last = "no attempt made"
    log.info(
        "waiting for the Kafka broker at %s (a Kafka handshake; giving up after %gs)",
        where,
        settings.broker_connect_timeout_seconds,
        extra={"stage": "startup"},
    )
    while True:
        attempt += 1
        remaining = deadline - time.monotonic()
        try:
            brokers = asyncio.run(_handshake(settings, min(_ATTEMPT_SECONDS, max(remaining, 0.1))))
        except TimeoutError:
            last = "connected, but no Kafka answer to a metadata request"
        except Exception as exc:  # connection refused, TLS, SASL, a reply that is not Kafka
            last = f"{type(exc).__name__}: {exc}".strip()
        else:
            log.info("broker answered", extra={"stage": "startup", "broker": where, "brokers": brokers})
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BrokerUnreachable(
                f"no Kafka broker answered at {where} within "
                f"{settings.broker_connect_timeout_seconds:g}s (NEWSWIRE_BROKER_CONNECT_TIMEOUT_SECONDS); "
                f"last attempt: {last}. Is NEWSWIRE_BROKER_URL a Kafka listener?"
            )
        log.warning(
            "waiting for the Kafka broker at %s (attempt %d: %s); giving up in %.0fs",
            where,
            attempt,
            last,
            remaining,
            extra={"stage": "startup"},
        )
        time.sleep(min(_RETRY_SECONDS, remaining))
