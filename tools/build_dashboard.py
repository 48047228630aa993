"""Generate the newswire Grafana dashboards with grafanalib, and point the alerts at the runbook.

    python -m tools.build_dashboard            # writes config/grafana/dashboards/*.json
    python -m tools.build_dashboard --check    # exit 1 when a committed file is stale
    python -m tools.build_dashboard --grafana-url https://grafana.example.net   # your Grafana

Two dashboards: the metrics (``newswire``) and the runbook (``newswire-runbook``: one text
panel per alert, the alert's section of docs/operations.md). Every alert's ``runbook_url``
(config/prometheus/alerts.yml, and the expected annotations in alerts_test.yml) is the
absolute URL of its panel in Grafana, under ``--grafana-url`` (default ``GRAFANA_URL``, where
docker-compose.yml publishes Grafana). Edit this file or the doc, never the JSON:
tests/unit/test_ops_files.py fails when they disagree.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from grafanalib._gen import DashboardEncoder
from grafanalib.core import (
    Dashboard,
    GridPos,
    RowPanel,
    Stat,
    Target,
    Template,
    Templating,
    Text,
    Time,
    TimeSeries,
)

from tools import ROOT

OUTPUT = ROOT / "config" / "grafana" / "dashboards" / "newswire.json"
RUNBOOK_OUTPUT = ROOT / "config" / "grafana" / "dashboards" / "newswire-runbook.json"
OPERATIONS_MD = ROOT / "docs" / "operations.md"
ALERT_FILES = (
    ROOT / "config" / "prometheus" / "alerts.yml",
    ROOT / "config" / "prometheus" / "alerts_test.yml",
)
UID = "newswire-overview"
RUNBOOK_UID = "newswire-runbook"
#: Grafana as docker-compose.yml publishes it on the host; another deployment passes its own
#: (``--grafana-url``, what its users' browsers reach) and commits the alert files it gets.
GRAFANA_URL = "http://localhost:3000"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'job="newswire", instance=~"$instance"'
RATE = "$__rate_interval"

_WIDTH = 24


class Layout:
    """Places panels left to right, rows of ``height`` units, on Grafana's 24-column grid."""

    def __init__(self) -> None:
        self.y = 0
        self.x = 0
        self.panels: list[Any] = []

    def row(self, title: str) -> None:
        if self.x:
            self.y += 8
            self.x = 0
        self.panels.append(RowPanel(title=title, gridPos=GridPos(h=1, w=_WIDTH, x=0, y=self.y)))
        self.y += 1

    def add(self, panel: Any, width: int = 8, height: int = 8) -> None:
        if self.x + width > _WIDTH:
            self.x = 0
            self.y += height
        panel.gridPos = GridPos(h=height, w=width, x=self.x, y=self.y)
        self.panels.append(panel)
        self.x += width


def target(expr: str, legend: str, ref: str = "A") -> Target:
    return Target(expr=expr, legendFormat=legend, refId=ref, datasource=DATASOURCE)


def series(
    title: str, targets: list[tuple[str, str]], unit: str = "", description: str = "", **kw: Any
) -> TimeSeries:
    return TimeSeries(
        title=title,
        description=description,
        dataSource=DATASOURCE,
        targets=[target(e, legend, chr(ord("A") + i)) for i, (e, legend) in enumerate(targets)],
        unit=unit,
        legendDisplayMode="table" if len(targets) > 2 else "list",
        legendCalcs=["lastNotNull", "max"] if len(targets) > 2 else [],
        **kw,
    )


def stat(title: str, expr: str, legend: str, **kw: Any) -> Stat:
    return Stat(
        title=title,
        dataSource=DATASOURCE,
        targets=[target(expr, legend)],
        reduceCalc="lastNotNull",
        **kw,
    )


def quantiles(
    metric: str, by: str, selector: str = SEL, qs: tuple[float, ...] = (0.5, 0.95, 0.99)
) -> list[tuple[str, str]]:
    label = f"{{{{{by}}}}} " if by else ""
    group = f"le, {by}" if by else "le"
    return [
        (
            f"histogram_quantile({q}, sum by ({group}) (rate({metric}_bucket{{{selector}}}[{RATE}])))",
            f"{label}p{round(q * 100)}",
        )
        for q in qs
    ]


def build() -> Dashboard:
    lay = Layout()

    lay.row("Throughput")
    lay.add(
        series(
            "Input: articles consumed / s",
            [
                (
                    f"sum by (instance) (rate(newswire_articles_consumed_total{{{SEL}}}[{RATE}]))",
                    "{{instance}}",
                ),
            ],
            unit="ops",
            description="Messages read from news.articles.raw.",
        )
    )
    lay.add(
        series(
            "Output: records published / s per topic",
            [
                (
                    f"sum by (topic) (rate(newswire_records_published_total{{{SEL}}}[{RATE}]))",
                    "{{topic}}",
                ),
            ],
            unit="ops",
            description="Records acknowledged by the broker, per output topic.",
        )
    )
    lay.add(
        series(
            "Outcome mix",
            [
                (
                    f"sum by (outcome) (rate(newswire_articles_processed_total{{{SEL}}}[{RATE}]))",
                    "{{outcome}}",
                ),
            ],
            unit="ops",
            stacking={"mode": "percent", "group": "A"},
            fillOpacity=60,
            description="Share of input that became enriched, duplicate or dead-lettered.",
        )
    )
    lay.add(
        series(
            "Dead-lettered / s by stage and reason",
            [
                (
                    f"sum by (stage, error_type) (rate(newswire_dlq_records_total{{{SEL}}}[{RATE}]))",
                    "{{stage}} {{error_type}}",
                ),
            ],
            unit="ops",
        ),
        width=12,
    )
    lay.add(
        series(
            "Entities and events extracted / s",
            [
                (f"sum(rate(newswire_entities_extracted_total{{{SEL}}}[{RATE}]))", "entities"),
                (
                    f"sum by (root_code) (rate(newswire_events_extracted_total{{{SEL}}}[{RATE}]))",
                    "events {{root_code}}",
                ),
            ],
            unit="ops",
        ),
        width=12,
    )
    lay.add(
        series(
            "Input kept with a caveat / s",
            [
                (
                    f"sum by (language) (rate(newswire_nlp_skipped_articles_total{{{SEL}}}[{RATE}]))",
                    "no NLP: {{language}}",
                ),
                (
                    f"sum by (type) (rate(newswire_input_warnings_total{{{SEL}}}[{RATE}]))",
                    "warning: {{type}}",
                ),
            ],
            unit="ops",
            description="Articles published without NLP (no pipeline for their language), and "
            "fields set aside on accepted articles (an unreadable date or language tag).",
        ),
        width=12,
    )

    lay.row("Deduplication")
    lay.add(
        series(
            "Dedup ratio",
            [
                (
                    "sum(rate(newswire_dedup_decisions_total"
                    f'{{{SEL}, decision!="unique"}}[{RATE}]))'
                    f" / sum(rate(newswire_dedup_decisions_total{{{SEL}}}[{RATE}]))",
                    "duplicates",
                ),
            ],
            unit="percentunit",
            valueMin=0,
            valueMax=1,
            description="Share of valid articles judged exact or near duplicates.",
        )
    )
    lay.add(
        series(
            "Dedup decisions / s",
            [
                (
                    f"sum by (decision) (rate(newswire_dedup_decisions_total{{{SEL}}}[{RATE}]))",
                    "{{decision}}",
                ),
            ],
            unit="ops",
        )
    )
    lay.add(
        series(
            "Story sizes and LSH candidates",
            [
                *quantiles("newswire_story_size_articles", "", qs=(0.5, 0.95)),
                *[
                    (e, "candidates " + legend)
                    for e, legend in quantiles("newswire_dedup_candidates", "", qs=(0.95,))
                ],
            ],
            unit="short",
            description="Articles per story when a copy joins it; near-duplicate "
            "candidates compared per article.",
        )
    )

    lay.row("Revisions")
    lay.add(
        series(
            "Article versions / s by kind",
            [
                (
                    f"sum by (kind) (rate(newswire_article_versions_total{{{SEL}}}[{RATE}]))",
                    "{{kind}}",
                ),
            ],
            unit="ops",
            description="What each valid message was to its article: new (first version of an id), "
            "revision (a correction, published as the next revision), resend (an identical re-send, "
            "published as an exact duplicate of itself), replay (the same message again after a "
            "restart or retry), stale and superseded (older than a version already applied: not "
            "applied). docs/schemas.md, 'Revisions, re-sends and replays'.",
        ),
        width=12,
    )
    lay.add(
        series(
            "Events published and retracted / s",
            [
                (
                    f'sum(rate(newswire_records_published_total{{{SEL}, topic="events"}}[{RATE}]))'
                    f" - sum(rate(newswire_tombstones_published_total{{{SEL}}}[{RATE}]))",
                    "event records",
                ),
                (f"sum(rate(newswire_tombstones_published_total{{{SEL}}}[{RATE}]))", "tombstones"),
            ],
            unit="ops",
            description="Records on news.events: events, and tombstones (null values) for the "
            "events a revision no longer has.",
        ),
        width=12,
    )

    lay.row("Latency")
    lay.add(
        series(
            "Per-stage latency p50 / p95 / p99 (per article)",
            quantiles("newswire_stage_duration_seconds", "stage", selector=f'{SEL}, stage!="batch"'),
            unit="s",
        ),
        width=12,
    )
    lay.add(
        series(
            "Batch duration and size",
            [
                *quantiles(
                    "newswire_stage_duration_seconds",
                    "",
                    selector=f'{SEL}, stage="batch"',
                    qs=(0.5, 0.99),
                ),
                *[
                    (e, "size " + legend)
                    for e, legend in quantiles("newswire_batch_size", "", qs=(0.5, 0.95))
                ],
            ],
            unit="s",
            overrides=[
                {
                    "matcher": {"id": "byRegexp", "options": "size .*"},
                    "properties": [
                        {"id": "unit", "value": "short"},
                        {"id": "custom.axisPlacement", "value": "right"},
                    ],
                }
            ],
        ),
        width=12,
    )
    lay.add(
        series(
            "Freshness (now - published_at) at publish",
            quantiles("newswire_article_freshness_seconds", "", qs=(0.5, 0.95, 0.99)),
            unit="s",
        ),
        width=12,
    )
    lay.add(
        series(
            "Time since last output",
            [
                (
                    f"time() - max by (instance) (newswire_last_output_timestamp_seconds{{{SEL}}})",
                    "{{instance}}",
                ),
            ],
            unit="s",
        ),
        width=12,
    )

    lay.row("Consumer lag")
    lay.add(
        series(
            "Consumer lag (messages)",
            [
                (
                    f"sum by (topic, partition) (newswire_consumer_lag_messages{{{SEL}}})",
                    "{{topic}}[{{partition}}]",
                ),
            ],
            unit="short",
        ),
        width=12,
    )
    lay.add(
        series(
            "Consumer lag (seconds the oldest waiting message has waited)",
            [
                (f"max by (instance) (newswire_consumer_lag_seconds{{{SEL}}})", "{{instance}}"),
            ],
            unit="s",
            description="Computed at each scrape: 0 while every assigned partition is caught up; "
            "keeps growing while a stalled worker has a backlog.",
        ),
        width=12,
    )

    lay.row("Redis")
    lay.add(
        series(
            "Redis dedup time per article p50 / p95 / p99",
            quantiles("newswire_stage_duration_seconds", "", selector=f'{SEL}, stage="dedup"'),
            unit="s",
            description="One pipelined Redis round trip per batch, divided over its articles.",
        )
    )
    lay.add(
        series(
            "Redis errors and retries / s",
            [
                (
                    f"sum by (instance) (rate(newswire_redis_errors_total{{{SEL}}}[{RATE}]))",
                    "errors {{instance}}",
                ),
                (
                    f"sum by (dependency) (rate(newswire_dependency_retries_total{{{SEL}}}[{RATE}]))",
                    "retries {{dependency}}",
                ),
            ],
            unit="ops",
        )
    )
    lay.add(
        series(
            "Redis reachable",
            [
                (f"newswire_redis_up{{{SEL}}}", "{{instance}}"),
            ],
            valueMin=0,
            valueMax=1,
            drawStyle="line",
            lineInterpolation="stepAfter",
        )
    )

    lay.row("Workers")
    # Green from two: the compose deployment runs two workers.
    all_workers = [{"color": "red", "value": None}, {"color": "green", "value": 2}]
    lay.add(stat("Workers up", f"sum(up{{{SEL}}})", "up", thresholds=all_workers), width=4)
    lay.add(
        stat("Workers ready", f"sum(newswire_ready{{{SEL}}})", "ready", thresholds=all_workers),
        width=4,
    )
    lay.add(
        stat(
            "Model load time",
            f"max by (instance) (newswire_model_load_seconds{{{SEL}}})",
            "{{instance}}",
            format="s",
        ),
        width=8,
    )
    lay.add(
        stat(
            "Build",
            f"count by (version, model, python) (newswire_build_info{{{SEL}}})",
            "{{version}} {{model}} py{{python}}",
            textMode="name",
        ),
        width=8,
    )
    lay.add(
        series(
            "Restarts and rebalances",
            [
                (f"changes(process_start_time_seconds{{{SEL}}}[1h])", "restarts/1h {{instance}}"),
                (f"increase(newswire_rebalances_total{{{SEL}}}[1h])", "rebalances/1h {{instance}}"),
                (
                    f"increase(newswire_nlp_process_restarts_total{{{SEL}}}[1h])",
                    "NLP process deaths/1h {{instance}}",
                ),
            ],
            unit="short",
        )
    )
    lay.add(
        series(
            "Resident memory (RSS): worker process + its NLP processes",
            [
                (f"process_resident_memory_bytes{{{SEL}}}", "worker {{instance}}"),
                (f"newswire_nlp_resident_memory_bytes{{{SEL}}}", "NLP processes {{instance}}"),
            ],
            unit="bytes",
        )
    )
    lay.add(
        series(
            "Live NLP processes",
            [
                (f"newswire_nlp_processes{{{SEL}}}", "{{instance}}"),
            ],
            unit="short",
            drawStyle="line",
            lineInterpolation="stepAfter",
        )
    )
    lay.add(
        series(
            "CPU",
            [
                (f"rate(process_cpu_seconds_total{{{SEL}}}[{RATE}])", "{{instance}}"),
            ],
            unit="percentunit",
        )
    )

    return Dashboard(
        title="newswire",
        uid=UID,
        description="newswire workers: throughput, dedup, latency, lag, Redis, worker health.",
        tags=["newswire", "kafka", "faust"],
        timezone="utc",
        refresh="30s",
        time=Time("now-3h", "now"),
        panels=lay.panels,
        templating=Templating(
            list=[
                Template(name="datasource", label="Data source", query="prometheus", type="datasource"),
                Template(
                    name="instance",
                    label="Worker",
                    dataSource="${datasource}",
                    query='label_values(up{job="newswire"}, instance)',
                    includeAll=True,
                    multi=True,
                    default="$__all",
                    allValue=".*",
                ),
            ]
        ),
    ).auto_panel_ids()


def runbook_sections(doc: Path = OPERATIONS_MD) -> list[tuple[str, str]]:
    """``(alert name, its runbook text)`` of every ``### Name`` under "## Alerts and runbook"."""
    text = doc.read_text("utf-8")
    start = text.index("\n## Alerts and runbook\n")
    end = text.index("\n## ", start + 1)
    parts = re.split(r"^### (\w+)\n", text[start:end], flags=re.M)[1:]
    return [(name, body.strip()) for name, body in zip(parts[::2], parts[1::2], strict=True)]


def runbook_panel_ids(doc: Path = OPERATIONS_MD) -> dict[str, int]:
    """Each alert's panel on the runbook dashboard, in the order of the doc."""
    return {name: number for number, (name, _) in enumerate(runbook_sections(doc), start=1)}


def runbook_url(alert: str, grafana_url: str = GRAFANA_URL) -> str:
    """The absolute URL of ``alert``'s runbook panel, for its ``runbook_url`` annotation."""
    panel = runbook_panel_ids()[alert]
    return f"{grafana_url.rstrip('/')}/d/{RUNBOOK_UID}/newswire-runbook?viewPanel={panel}"


def build_runbook() -> Dashboard:
    panels: list[Any] = []
    y = 0
    for number, (name, body) in enumerate(runbook_sections(), start=1):
        # Links of the doc are relative to docs/: plain text here.
        content = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", body)
        height = min(16, 3 + len(content) // 120 + content.count("\n"))
        panels.append(
            Text(
                title=name,
                content=content,
                mode="markdown",
                id=number,
                gridPos=GridPos(h=height, w=24, x=0, y=y),
            )
        )
        y += height
    return Dashboard(
        title="newswire runbook",
        uid=RUNBOOK_UID,
        description="What to do when a newswire alert fires (docs/operations.md, 'Alerts and runbook').",
        tags=["newswire", "runbook"],
        panels=panels,
    )


def _as_json(dashboard: Dashboard) -> str:
    data = json.loads(json.dumps(dashboard.to_json_data(), cls=DashboardEncoder))
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def render() -> str:
    return _as_json(build())


def render_runbook() -> str:
    return _as_json(build_runbook())


def with_runbook_links(rules: str, grafana_url: str = GRAFANA_URL) -> str:
    """``rules`` (an alert rule file or its promtool test file) with every ``runbook_url`` set to
    the runbook panel of the alert it belongs to (the closest ``alert:``/``alertname:`` above)."""
    lines = rules.splitlines(keepends=True)
    alert = None
    for i, line in enumerate(lines):
        named = re.match(r"\s*(?:- alert|alertname): (\w+)", line)
        if named:
            alert = named[1]
        link = re.match(r"(\s*runbook_url: )", line)
        if link and alert is not None:
            lines[i] = f'{link[1]}"{runbook_url(alert, grafana_url)}"\n'
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a committed file is stale")
    parser.add_argument(
        "--grafana-url", default=GRAFANA_URL, help=f"Grafana as your users reach it (default {GRAFANA_URL})"
    )
    args = parser.parse_args(argv)
    wanted = {OUTPUT: render(), RUNBOOK_OUTPUT: render_runbook()}
    for rules in ALERT_FILES:
        wanted[rules] = with_runbook_links(rules.read_text("utf-8"), args.grafana_url)
    stale = [path for path, text in wanted.items() if not path.exists() or path.read_text("utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path} is stale: run python -m tools.build_dashboard", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], "utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
