"""How newswire runs Faust: the App's settings, derived from ours, its broker credentials, and
the App subclass that hands back in-flight work before Faust waits for it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import faust

from config.settings import KafkaSecurity, Settings


class WorkerApp(faust.App):  # type: ignore[misc]
    """A Faust App that runs ``before_stop`` as it starts to stop, before Faust waits for the
    messages in flight (which, with Redis down, it would do forever)."""

    before_stop: Callable[[], Awaitable[None]] | None = None

    async def on_stop(self) -> None:
        if self.before_stop is not None:
            await self.before_stop()
        await super().on_stop()


def broker_credentials(security: KafkaSecurity) -> Any:
    """Faust's form of the Kafka security settings (None for PLAINTEXT)."""
    if security.protocol == "PLAINTEXT":
        return None
    if not security.uses_sasl:
        return faust.SSLCredentials(security.ssl_context())
    return faust.SASLCredentials(
        username=security.sasl_username,
        password=security.password(),
        mechanism=security.sasl_mechanism,
        ssl_context=security.ssl_context(),
    )


def app_options(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of the worker's ``faust.App``."""
    return {
        "broker": settings.broker_url,
        "broker_credentials": broker_credentials(settings.kafka_security),
        # Tansu (the embedded broker) has no idempotent producer; at-least-once plus
        # replay-safe dedup claims gives identical re-sends instead of lost articles.
        "processing_guarantee": "at_least_once",
        "broker_session_timeout": settings.broker_session_timeout,
        "broker_heartbeat_interval": settings.broker_heartbeat_interval,
        "topic_partitions": settings.topic_partitions,
        "topic_replication_factor": settings.topic_replication_factor,
        "topic_allow_declare": True,
        # We validate the bytes ourselves: a decode error raised inside Faust would escape
        # the agent's loop.
        "key_serializer": "raw",
        "value_serializer": "raw",
        "web_enabled": True,
        "web_bind": settings.web_host,
        "web_host": settings.web_host,
        "web_port": settings.web_port,
        "web_in_thread": False,
        "store": "memory://",
        "datadir": f"{settings.data_dir}/{{conf.id}}-data",
        "autodiscover": False,
        "producer_max_request_size": max(settings.max_message_bytes * 2, 1_048_576),
        "consumer_max_fetch_size": max(settings.max_message_bytes * 2, 4_194_304),
        "stream_buffer_maxsize": max(settings.nlp_batch_size * 4, 64),
        # One batch of NLP can take seconds; that is work, not a stalled stream.
        "stream_processing_timeout": 300.0,
    }
