"""``newswire eval`` and ``newswire eval-dedup``: print the accuracy tables; ``--output`` also
writes the whole report as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import redis

from config.settings import Settings
from streams.cli import Failure
from streams.domain import redis_client
from tools import ROOT
from tools.evaluation.dedup_eval import format_dedup_report, run_dedup_eval
from tools.evaluation.nlp_eval import format_nlp_report, load_gold, run_nlp_eval

GOLD_DIR = ROOT / "tests" / "data" / "gold"

_output = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Also write the whole report as JSON to this file.",
)


def _write(report: dict[str, Any], output: Path | None) -> None:
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")


@click.command(name="eval")
@click.option(
    "--gold",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=GOLD_DIR,
    show_default="tests/data/gold of this checkout",
    help="Folder of gold-*.json annotated articles.",
)
@_output
def eval_nlp(gold: Path, output: Path | None) -> None:
    """Entity and event accuracy of the configured spaCy model on the gold set."""
    from services.nlp import load_enricher

    if not load_gold(gold):
        raise Failure(f"no gold-*.json files in {gold}")
    settings = Settings()
    nlp = settings.nlp_params
    enricher = load_enricher(nlp.model_name, batch_size=nlp.batch_size, segment_words=nlp.segment_words)
    report = run_nlp_eval(gold, enricher)
    click.echo(format_nlp_report(report))
    _write(report, output)


@click.command(name="eval-dedup")
@_output
def eval_dedup(output: Path | None) -> None:
    """Dedup precision and recall on the syndication set, against the configured Redis (under
    a key prefix of its own, deleted afterwards)."""
    settings = Settings()
    client = redis_client(settings)
    try:
        report = run_dedup_eval(
            client, settings.dedup_params, settings.input_limits, key_prefix=settings.redis_key_prefix
        )
    except redis.RedisError as exc:
        raise Failure(f"Redis is unreachable: {exc}") from None
    finally:
        client.close()
    click.echo(format_dedup_report(report))
    _write(report, output)
