"""``newswire eval`` and ``newswire eval-dedup``: print the accuracy tables; ``--output`` also
writes the whole report as JSON."""

from __future__ import annotations

import json
from dataclasses import replace
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

#: The gold sets, headline first: real wire copy (ABC), real Wikinews articles (from the GUM
#: corpus), then text written for the project.
GOLD_SETS = (
    ROOT / "tests" / "data" / "gold-real",
    ROOT / "tests" / "data" / "gold-wikinews",
    ROOT / "tests" / "data" / "gold",
)
GOLD_SET_NAMES = {"gold-real": "real news", "gold-wikinews": "real news (Wikinews)", "gold": "synthetic"}


_output = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Also write the whole report as JSON to this file.",
)


def _shown(path: Path) -> Path:
    """``path`` relative to the working directory when it is below it (as the report shows it)."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _write(report: dict[str, Any], output: Path | None) -> None:
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")


@click.command(name="eval")
@click.option(
    "--gold",
    "gold_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of annotated articles (*.json); repeat for several sets. "
    "[default: tests/data/gold-real, tests/data/gold-wikinews, then tests/data/gold of this checkout]",
)
@click.option(
    "--details",
    type=click.Choice(["dev", "test", "all"]),
    help="Also write each article's missed, spurious and wrong-country entities and events of this "
    "split to --output (tune on dev; reading the test split's errors makes it no test).",
)
@_output
def eval_nlp(gold_dirs: tuple[Path, ...], details: str | None, output: Path | None) -> None:
    """Entity and event accuracy of the configured spaCy model on the gold sets, real news first."""
    from streams.domain import build_enricher

    sets = [(GOLD_SET_NAMES.get(path.name, path.name), _shown(path)) for path in gold_dirs or GOLD_SETS]
    for _, path in sets:
        if not load_gold(path):
            raise Failure(f"no annotated articles (*.json) in {path}")
    enricher = build_enricher(replace(Settings().nlp_params, processes=0))
    if details and output is None:
        raise Failure("--details goes into the report file: add --output FILE")
    report = run_nlp_eval(sets, enricher, details=details)
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
