"""The ``newswire`` command line, on click (the toolkit faust's own CLI is built on): the worker,
the embedded demo, batch mode, and tools for scrapers, downstream teams and operators.

Exit codes: 0 success; 1 a runtime failure, said in one line on stderr (a broker or Redis that
does not answer, a file that cannot be read, Ctrl-C); 2 a usage error. Library log messages
stay off stderr unless asked for with ``-v``.
"""

from __future__ import annotations

import ctypes
import functools
import json
import logging
import logging.config
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import click
import orjson
from pydantic import ValidationError

from config import DATA_DIR
from config.settings import Settings, load_settings, mask_url
from services import __version__
from services.errors import InfrastructureError
from services.redact import redact_text

SAMPLES = DATA_DIR / "samples" / "articles.jsonl"
#: The commands that live in the checkout's ``tools`` package (``streams/checkout.py``).
CHECKOUT_COMMANDS = {
    "bench": "Run the performance benchmark (checkout only; see docs/performance.md).",
    "eval": "Entity and event accuracy on the gold sets, real news first (checkout only).",
    "eval-dedup": "Dedup precision and recall on the syndication set (checkout only).",
}

F = TypeVar("F", bound=Callable[..., Any])


class Failure(click.ClickException):
    """A runtime failure: ``<command>: <reason>`` in one line on stderr, and exit code 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        ctx = click.get_current_context(silent=True)
        self.command_path = ctx.command_path if ctx is not None else "newswire"

    def show(self, file: Any = None) -> None:
        click.echo(f"{self.command_path}: {self.format_message()}", err=True)


def _settings(**overrides: Any) -> Settings:
    """The settings from the environment; a bad value is a one-line failure."""
    try:
        return load_settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "NEWSWIRE_" + str(error["loc"][0]).upper() if error["loc"] else "settings"
        raise Failure(f"invalid setting {name}: {error['msg']}") from None


#: What a user meets when a file is not there (devstack raises RuntimeError and TimeoutError for
#: servers that do not come up); broker and Redis errors are told apart by ``_library_error``.
_EXPECTED = (InfrastructureError, OSError, TimeoutError, RuntimeError)


def _library_error(exc: BaseException, module: str, name: str) -> bool:
    """Whether ``exc`` is ``module.name`` (kafka-python's or redis's base error), without
    importing the library: if it was never imported, nothing raised one. The CLI module stays
    light this way, and so does every NLP process, which imports it again when it starts."""
    library = sys.modules.get(module)
    return library is not None and isinstance(exc, getattr(library, name))


def expected_failures(command: F) -> F:
    """Turn the failures a user meets (broker or Redis down, a file that cannot be read) into
    one line on stderr and exit code 1, without a traceback; nothing in the line is a secret."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.Abort, click.exceptions.Exit):
            raise
        except Exception as exc:
            kafka = _library_error(exc, "kafka.errors", "KafkaError")
            redis = _library_error(exc, "redis.exceptions", "RedisError")
            if not (kafka or redis or isinstance(exc, _EXPECTED)):
                raise
            settings = _settings()
            if kafka:
                reason = f"no Kafka broker answered at {mask_url(settings.broker_url)}: {exc}"
            elif redis or isinstance(exc, InfrastructureError):
                reason = f"Redis at {mask_url(settings.redis_url.get_secret_value())} is unavailable: {exc}"
            elif isinstance(exc, OSError) and exc.filename:
                reason = f"cannot read {exc.filename}: {exc.strerror or exc}"
            else:
                reason = str(exc) or type(exc).__name__
            raise Failure(redact_text(reason, settings.secret_values())) from None

    return run  # type: ignore[return-value]


class NewswireGroup(click.Group):
    """The command tree; ``bench``, ``eval`` and ``eval-dedup`` come from the checkout."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *CHECKOUT_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in CHECKOUT_COMMANDS:
            return super().get_command(ctx, name)
        from streams.checkout import checkout_tools

        tools = checkout_tools()
        if tools is not None:
            command: click.Command = tools.COMMANDS[name]
            return command
        return _needs_checkout(name)


def _needs_checkout(name: str) -> click.Command:
    @click.command(name=name, help=CHECKOUT_COMMANDS[name], add_help_option=False)
    @click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
    def needs_checkout(arguments: tuple[str, ...]) -> None:
        click.echo(
            f"newswire {name} needs a source checkout of newswire (its tools/ folder and test data); "
            "this installation has none",
            err=True,
        )
        sys.exit(2)

    needs_checkout.context_settings = {"ignore_unknown_options": True}
    return needs_checkout


@click.group(cls=NewswireGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newswire")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Show library log messages and warnings on stderr (-v: info, -vv: debug).",
)
def cli(verbose: int) -> None:
    """Real-time news intelligence: dedup, canonical entities and CAMEO events over Kafka.

    Settings come from NEWSWIRE_* environment variables (newswire settings prints them)."""
    level = {0: logging.CRITICAL + 1, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if not verbose:
        warnings.simplefilter("ignore")


# --------------------------------------------------------------------------- worker, demo
#: glibc's mallopt parameter id for the mmap threshold (malloc.h).
_M_MMAP_THRESHOLD = -3


def _return_large_buffers_to_the_os(threshold: int = 256 * 1024) -> None:
    """Serve allocations of ``threshold`` bytes or more with their own mappings, which go back
    to the OS the moment they are freed. glibc raises its threshold each time such a block is
    freed, after which megabyte payloads, their dead-letter records and the Kafka fetch buffers
    land in the heap, and the heap does not shrink: a flood of 1 MB messages left the worker
    that much bigger for good. Setting the threshold fixes it. Not glibc: nothing to do."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, threshold)
    except (OSError, AttributeError):
        pass


@cli.command()
@click.option(
    "--web-port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port of /metrics, /healthz and /readyz (default: NEWSWIRE_WEB_PORT, 6066).",
)
def worker(web_port: int | None) -> None:
    """Run a stream worker: raw articles in, records out, until stopped.

    It runs through faust.Worker, as faust's own `faust worker` command does; that command is
    not mounted here because its app discovery, --json and --datadir would say other things
    than newswire's settings."""
    import faust

    from streams.app import create_worker
    from streams.broker_check import BrokerUnreachable, wait_for_kafka
    from streams.logs import logging_config

    settings = _settings(**({"web_port": web_port} if web_port is not None else {}))
    config = logging_config(settings.log_level, settings.log_format, secrets=settings.secret_values())
    logging.config.dictConfig(config)
    _return_large_buffers_to_the_os()
    log = logging.getLogger("newswire.worker")
    log.info("starting worker", extra={"stage": "startup", "settings": settings.masked()})
    try:
        wait_for_kafka(settings)
    except BrokerUnreachable as exc:
        log.critical("%s", exc, extra={"stage": "startup"})
        raise Failure(redact_text(str(exc), settings.secret_values())) from None
    _check_topics(settings, log)
    app = create_worker(settings).app
    try:
        faust.Worker(
            app, loglevel=settings.log_level, logging_config=config, redirect_stdouts=False, quiet=True
        ).execute_from_commandline()
    except SystemExit as exit:  # how faust's worker always ends
        if exit.code in (0, None):
            log.info("stopped cleanly", extra={"stage": "shutdown"})
        else:
            log.error("stopped after a failure (exit code %s)", exit.code, extra={"stage": "shutdown"})
        raise


def _check_topics(settings: Settings, log: logging.Logger) -> None:
    """Create the missing topics with their configs before the consumer subscribes (a broker
    that creates topics on first use would otherwise make the input topic with its defaults),
    and warn about existing topics whose configs differ. Best effort: a worker without the
    right to create topics runs on the ones that exist."""
    from streams.kafka_tools import ensure_topics

    try:
        report = ensure_topics(settings)
    except Exception as exc:  # an ACL, a broker that refuses: not a reason to stop
        log.warning("could not check the topics: %s", exc, extra={"stage": "startup"})
        return
    if report.created:
        log.info("created topics %s", ", ".join(report.created), extra={"stage": "startup"})
    for name, differ in report.differing.items():
        log.warning(
            "topic %s has other configs than newswire sets (%s); `newswire topics --update-configs`"
            " sets them",
            name,
            ", ".join(f"{key}: {held} instead of {new}" for key, (held, new) in differ.items()),
            extra={"stage": "startup"},
        )


@cli.command()
@click.option(
    "--samples",
    type=click.Path(dir_okay=False, path_type=Path),
    default=SAMPLES,
    show_default="the bundled sample articles",
    help="JSONL file of raw articles to feed.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes to run."
)
@click.option("--keep-running", is_flag=True, help="Leave the stack up until Ctrl-C.")
@expected_failures
def demo(samples: Path, workers: int, keep_running: bool) -> None:
    """Run the whole pipeline on an embedded broker and Redis, feed it sample articles and a
    few malformed messages, show what came out, and clean up."""
    from streams.demo import run_demo

    if run_demo(samples=samples, keep_running=keep_running, workers=workers) != 0:
        raise Failure("not every input came out of the pipeline (see the table above)")


# --------------------------------------------------------------------------- batch mode
@cli.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=Path),
    default=None,
    help="Write the records to this JSONL file (default: stdout).",
)
@click.option("--redis-prefix", default=None, help="Redis key prefix (default: NEWSWIRE_REDIS_KEY_PREFIX).")
@expected_failures
def enrich(input_file: Path, output: Path | None, redis_prefix: str | None) -> None:
    """Batch mode: INPUT, a JSONL file of raw articles, in; one record per line out (enriched,
    duplicate or dead letter, in input order), through the same Redis dedup and NLP processes
    as the worker, without Kafka."""
    from rich.progress import Progress

    from streams.batch import batch_processor, enrich_file

    settings = _settings(**({"redis_key_prefix": redis_prefix} if redis_prefix else {}))
    size = input_file.stat().st_size
    progress = Progress(transient=True, disable=not sys.stderr.isatty())
    with batch_processor(settings) as processor, _opened(output) as out, progress:
        task = progress.add_task(f"enriching {input_file.name}", total=size)
        started = time.perf_counter()
        counts = enrich_file(
            processor,
            input_file,
            out,
            lanes=max(1, settings.nlp_params.processes),
            batch_messages=settings.max_batch_messages,
            progress=lambda done: progress.update(task, completed=done),
        )
        elapsed = time.perf_counter() - started
    click.echo(
        f"enriched {counts['enriched']}, duplicates {counts['duplicate']}, dead-lettered "
        f"{counts['dlq']} of {sum(counts.values())} in {elapsed:.1f}s",
        err=True,
    )


class _opened:
    """``path`` opened for writing bytes, or stdout for None or ``-`` (not closed after)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.file: BinaryIO | None = None

    def __enter__(self) -> BinaryIO:
        if self.path is None or str(self.path) == "-":
            return sys.stdout.buffer
        self.file = self.path.open("wb")
        return self.file

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()


# --------------------------------------------------------------------------- produce, tail
@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(path_type=Path))
@click.option("--topic", default=None, help="Topic to send to (default: the raw input topic).")
@expected_failures
def produce(paths: tuple[Path, ...], topic: str | None) -> None:
    """Send each PATH to the input topic: a JSONL file of raw articles (each line as it is,
    keyed by its id), or a folder of .html/.htm/.txt files (or one such file), each sent as an
    article whose id and stand-in URL are its path under the folder's name (news/a/index.html).

    Every file sent is listed with its id and where its title comes from, every file left out
    with the reason; a JSONL line that is not a JSON object is sent all the same, with a
    warning: the worker dead-letters it with the reason."""
    from rich.progress import Progress

    from streams.kafka_tools import produce_payloads
    from streams.produce_input import read_inputs

    settings = _settings()
    topic = topic or settings.topics.raw
    found = read_inputs(paths)
    for message in found.outgoing:
        if message.doomed:
            click.echo(f"warning: {message.origin}: {message.note}; sent as it is", err=True)
    if not found.outgoing:
        raise Failure(f"nothing to send in {', '.join(map(str, paths))}" + _skipped_summary(found.skipped))
    failures: dict[int, Exception] = {}
    started = time.perf_counter()
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task(f"producing to {topic}", total=len(found.outgoing))
        sent, failed = produce_payloads(
            settings,
            topic,
            [(m.key, m.value) for m in found.outgoing],
            progress=lambda done: progress.update(task, completed=done),
            on_failure=failures.__setitem__,
        )
    elapsed = time.perf_counter() - started
    for index, message in enumerate(found.outgoing):
        if message.doomed:
            continue  # said above
        if index in failures:
            click.echo(f"not acknowledged: {message.origin}: {failures[index]}")
        elif message.note:  # a page: its id and title
            click.echo(f"sent {message.origin} as id {message.article_id}, {message.note}")
    for skipped in found.skipped:
        click.echo(f"skipped {skipped.origin}: {skipped.reason}")
    total = len(found.outgoing)
    click.echo(
        f"sent {sent} of {total} to {topic} ({failed} failed) in {elapsed:.1f}s "
        f"({sent / max(elapsed, 1e-9):.0f} msg/s)" + _skipped_summary(found.skipped)
    )
    if failed:
        raise Failure(f"{failed} of {total} messages were not acknowledged")


def _skipped_summary(skipped: list[Any]) -> str:
    return f"; {len(skipped)} file{'s' if len(skipped) != 1 else ''} skipped" if skipped else ""


def _idle_timeout(default: float | None) -> Callable[[F], F]:
    """The same option of ``tail`` and ``replay``, each with its own default."""
    return click.option(
        "--idle-timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=default,
        show_default=default is not None,
        metavar="SECONDS",
        help="Stop after this many seconds without a new record"
        + ("." if default is not None else " (default: follow until Ctrl-C)."),
    )


@cli.command()
@click.argument("topics", nargs=-1, metavar="[TOPIC]...")
@click.option("--entity", help="Only records naming this entity (id or name).")
@click.option("--country", help="Only records with an entity of this country (ISO 3166 alpha-3, e.g. JPN).")
@click.option("--code", help="Only events, and articles with events, of this CAMEO code prefix (e.g. 04).")
@click.option("--story", help="Only records of this story id.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print records as JSON lines instead of one summary line."
)
@click.option(
    "--from-beginning", is_flag=True, help="Start at the oldest record (default: new records only)."
)
@click.option(
    "--max",
    "limit",
    type=click.IntRange(min=0),
    default=0,
    help="Stop after this many records (0: no limit).",
)
@_idle_timeout(None)
@expected_failures
def tail(
    topics: tuple[str, ...],
    entity: str | None,
    country: str | None,
    code: str | None,
    story: str | None,
    as_json: bool,
    from_beginning: bool,
    limit: int,
    idle_timeout: float | None,
) -> None:
    """Follow output topics and print their records, one line each.

    TOPIC is raw, enriched, duplicates, events, dlq or a full topic name (default: the four
    outputs)."""
    from streams.kafka_tools import consume
    from streams.readable import RecordFilter, describe

    settings = _settings()
    names = settings.topics.by_kind()
    chosen = [names.get(t, t) for t in topics] or settings.topics.outputs()
    wanted = RecordFilter(entity=entity, country=country, code=code, story=story)
    shown = 0
    for message in consume(settings, chosen, from_beginning=from_beginning, idle_timeout=idle_timeout):
        if message.value is None:  # a retracted event (see docs/schemas.md, "Revisions")
            record = {"schema": "tombstone", "key": (message.key or b"").decode("utf-8", "replace")}
        else:
            try:
                record = orjson.loads(message.value)
            except orjson.JSONDecodeError:
                record = {"schema": "raw", "payload": message.value[:200].decode("utf-8", "replace")}
        if not isinstance(record, dict) or not wanted.matches(record):
            continue
        if as_json:
            click.echo(orjson.dumps(record).decode("utf-8"))
        else:
            click.echo(f"{message.topic}[{message.partition}]@{message.offset} {describe(record)}")
        shown += 1
        if limit and shown >= limit:
            break


# --------------------------------------------------------------------------- operators
@cli.command()
@click.option(
    "--source",
    type=click.Choice(["dlq", "raw"]),
    default="dlq",
    show_default=True,
    help="Re-feed the dead letters, or a time range of the raw topic.",
)
@click.option("--since", metavar="TIME", help="Only messages from this RFC 3339 time on (message timestamp).")
@click.option("--until", metavar="TIME", help="Only messages up to this RFC 3339 time.")
@click.option("--error-type", help="Only dead letters of this error.type.")
@click.option("--dry-run", is_flag=True, help="Count what would be replayed; send nothing.")
@_idle_timeout(5.0)
@expected_failures
def replay(
    source: str,
    since: str | None,
    until: str | None,
    error_type: str | None,
    dry_run: bool,
    idle_timeout: float,
) -> None:
    """Re-feed the dead-letter topic (or a time range of the raw topic) to the input topic,
    each message with its own key and headers; it goes through validation and dedup again."""
    from services.records import decode_dlq_headers, decode_dlq_key, decode_dlq_payload
    from streams.kafka_tools import Payload, consume, produce_payloads

    settings = _settings()
    source_topic = settings.topics.dlq if source == "dlq" else settings.topics.raw
    start, end = _parse_time("--since", since), _parse_time("--until", until)
    payloads: list[Payload] = []
    dropped_headers = 0
    for message in consume(settings, [source_topic], idle_timeout=idle_timeout):
        ts = message.timestamp / 1000 if message.timestamp else None
        if ts is not None and ((start and ts < start) or (end and ts > end)):
            continue
        if source == "dlq":
            record = orjson.loads(message.value)
            if error_type and record.get("error", {}).get("type") != error_type:
                continue
            payload = decode_dlq_payload(record)
            if payload is None:
                continue
            # The message as it was sent: its own key and headers, not the DLQ record's key.
            headers, dropped = decode_dlq_headers(record)
            dropped_headers += dropped
            payloads.append((decode_dlq_key(record), payload, headers))
        else:
            # A name that is not UTF-8 (streams.compat.UndecodedName) cannot be sent again.
            headers = [(name, value) for name, value in message.headers or () if isinstance(name, str)]
            dropped_headers += len(message.headers or ()) - len(headers)
            payloads.append((message.key, message.value, headers))
    if dropped_headers:
        click.echo(
            f"left out {dropped_headers} headers whose names are not UTF-8 (Kafka clients cannot send "
            "them; the message would be dead-lettered for them again)",
            err=True,
        )
    if dry_run:
        click.echo(f"would replay {len(payloads)} messages from {source_topic} to {settings.topics.raw}")
        return
    sent, failed = produce_payloads(settings, settings.topics.raw, payloads)
    click.echo(
        f"replayed {sent} messages from {source_topic} to {settings.topics.raw} ({failed} failed); "
        "they go through validation and dedup like any other article"
    )
    if failed:
        raise Failure(f"{failed} of {len(payloads)} messages were not acknowledged")


def _parse_time(option: str, value: str | None) -> float | None:
    from datetime import datetime

    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an RFC 3339 time", param_hint=option) from None


@cli.command()
@click.argument("story_id")
@expected_failures
def story(story_id: str) -> None:
    """Print the story cluster STORY_ID from Redis: article count, sources, first and last
    seen."""
    from streams.domain import build_deduplicator, redis_client

    settings = _settings()
    client = redis_client(settings)
    try:
        found = build_deduplicator(client, settings.dedup_params, settings.redis_key_prefix).store.story(
            story_id
        )
    finally:
        client.close()
    if found is None:
        raise Failure(f"no story {story_id!r} (unknown, or expired after the TTL window)")
    click.echo(json.dumps(found, indent=2))


@cli.command(name="settings")
def print_settings() -> None:
    """Print the effective settings as JSON, secrets masked."""
    click.echo(json.dumps(_settings().masked(), indent=2, default=str))


@cli.command()
@click.option(
    "--update-configs",
    is_flag=True,
    help="Also set the configs of existing topics that differ from newswire's (their other configs "
    "stay as they are).",
)
@expected_failures
def topics(update_configs: bool) -> None:
    """Create the pipeline's topics that do not exist yet, with their partitions
    (NEWSWIRE_TOPIC_PARTITIONS), replicas (NEWSWIRE_TOPIC_REPLICATION_FACTOR) and configs
    (retention, cleanup policy, message size: docs/operations.md, "Topics"); say which existing
    topics have other configs."""
    from streams.kafka_tools import ensure_topics

    settings = _settings()
    report = ensure_topics(settings, update_configs=update_configs)
    click.echo("created: " + (", ".join(report.created) if report.created else "nothing (all exist)"))
    for name, differ in report.differing.items():
        changes = ", ".join(
            f"{key} {held or '(not reported)'} -> {new}" for key, (held, new) in differ.items()
        )
        verb = "updated" if name in report.updated else "differs"
        click.echo(f"{verb}: {name}: {changes}")
    if report.differing and not update_configs:
        click.echo("run `newswire topics --update-configs` to set them", err=True)


def main() -> None:
    cli(prog_name="newswire")


if __name__ == "__main__":  # pragma: no cover
    main()
