"""Screenshot the live metrics: an embedded broker + Redis + one worker, a real Prometheus
server scraping it, a minute or more of articles fed in, then Prometheus graph pages rendered
by headless Chromium into ``docs/img/``.

    apt-get install -y --no-install-recommends prometheus chromium
    python -m tools.screenshot_metrics                 # ~2 minutes; writes docs/img/metrics-*.png
    python -m tools.screenshot_metrics --duration 120 --rate 6 --out /tmp/shots

The feed is the benchmark corpus (tools/bench/corpus.py): new unique stories, exact re-posts and
syndicated copies of earlier ones, and now and then a malformed message, so every outcome shows.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from config.settings import Settings
from streams.demo import MALFORMED
from streams.devstack import (
    ChildServer,
    WorkerProcess,
    embedded_stack,
    free_port,
    worker_env,
)
from streams.kafka_tools import create_topics, make_producer, wait_for_broker
from streams.waiting import wait_until
from tools import ROOT
from tools.bench.corpus import CorpusBuilder

#: One PNG per entry: file stem -> PromQL expressions drawn on that page, one graph each.
PAGES: dict[str, list[str]] = {
    "metrics-outcomes": [
        "sum by (outcome) (rate(newswire_articles_processed_total[1m]))",
        "histogram_quantile(0.95, sum by (stage, le) "
        '(rate(newswire_stage_duration_seconds_bucket{stage=~"decode|dedup|nlp|publish"}[1m])))',
    ],
    "metrics-records": [
        "sum by (topic) (rate(newswire_records_published_total[1m]))",
        "sum by (decision) (rate(newswire_dedup_decisions_total[1m]))",
    ],
}
# Scrape often so that a one-minute run already draws a curve (production scrapes every 15 s).
SCRAPE_SECONDS = 2


def prometheus_config(path: Path, worker_port: int) -> Path:
    config = f"""\
global:
  scrape_interval: {SCRAPE_SECONDS}s
  evaluation_interval: {SCRAPE_SECONDS}s
rule_files:
  - {ROOT / "config" / "prometheus" / "alerts.yml"}
scrape_configs:
  - job_name: newswire
    static_configs:
      - targets: ["127.0.0.1:{worker_port}"]
"""
    path.write_text(config)
    return path


def start_prometheus(workdir: Path, worker_port: int) -> ChildServer:
    binary = shutil.which("prometheus")
    if binary is None:
        sys.exit("prometheus not found: apt-get install -y --no-install-recommends prometheus")
    port = free_port()
    argv = [
        binary,
        f"--config.file={prometheus_config(workdir / 'prometheus.yml', worker_port)}",
        f"--storage.tsdb.path={workdir / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
    return ChildServer("prometheus", argv, port, workdir).start(timeout=30)


def feed(settings: Settings, seconds: float, rate: float) -> int:
    """Send about ``rate`` messages a second for ``seconds``; returns how many were sent."""
    builder = CorpusBuilder()
    producer = make_producer(settings)
    originals: list[dict[str, object]] = []
    malformed = itertools.cycle(MALFORMED)
    sent = 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            tick = time.monotonic()
            for _ in range(max(1, round(rate))):
                sent += 1
                if sent % 10 == 0:
                    value = next(malformed)
                elif originals and sent % 4 == 0:
                    source = originals[sent % len(originals)]
                    value = orjson.dumps(
                        builder.repost(source, "shot")
                        if sent % 8 == 0
                        else builder.syndicated(source, "shot")
                    )
                else:
                    article = builder.article(250, "shot")
                    # Published a few minutes ago, so freshness reads like a live feed.
                    ago = datetime.now(UTC) - timedelta(seconds=60 + sent % 600)
                    article["published_at"] = ago.isoformat(timespec="seconds").replace("+00:00", "Z")
                    originals.append(article)
                    value = orjson.dumps(article)
                producer.send(settings.topics.raw, value=value)
            producer.flush()
            time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    finally:
        producer.close()
    return sent


def wait_caught_up(prom_port: int, sent: int, timeout: float = 120) -> None:
    query = "sum(newswire_articles_processed_total)"
    url = f"http://127.0.0.1:{prom_port}/api/v1/query?query={urllib.parse.quote(query)}"

    def caught_up() -> bool:
        with urllib.request.urlopen(url, timeout=5) as reply:
            result = orjson.loads(reply.read())["data"]["result"]
        return bool(result) and float(result[0]["value"][1]) >= sent

    if not wait_until(caught_up, timeout, interval=SCRAPE_SECONDS):
        print(f"warning: Prometheus has not seen all {sent} messages processed after {timeout}s")


def graph_url(prom_port: int, exprs: list[str], range_input: str) -> str:
    params: dict[str, str] = {}
    for i, expr in enumerate(exprs):
        params.update(
            {
                f"g{i}.expr": expr,
                f"g{i}.tab": "0",
                f"g{i}.stacked": "0",
                f"g{i}.range_input": range_input,
            }
        )
    return f"http://127.0.0.1:{prom_port}/graph?" + urllib.parse.urlencode(params)


def screenshot(url: str, out: Path, height: int) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium not found: apt-get install -y --no-install-recommends chromium")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--hide-scrollbars",
                f"--window-size=1400,{height}",
                # Give the page's scripts time to query the API and draw before the capture.
                "--virtual-time-budget=15000",
                f"--screenshot={out}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"wrote {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=90, help="seconds of feed")
    parser.add_argument("--rate", type=float, default=3, help="messages per second")
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"), help="output folder")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    workdir = Path(tempfile.mkdtemp(prefix="newswire-shot-"))
    with embedded_stack(workdir) as (broker_url, redis_url, _):
        settings = Settings(broker_url=broker_url, redis_url=redis_url, redis_key_prefix="shot")
        wait_for_broker(settings)
        create_topics(settings)
        env = worker_env(broker_url, redis_url, redis_key_prefix="shot", web_port=free_port())
        worker = WorkerProcess(env, workdir).start()
        prometheus = start_prometheus(workdir, worker.port)
        try:
            print(
                f"worker :{worker.port}, Prometheus http://127.0.0.1:{prometheus.port}; "
                f"feeding {args.rate:g} msg/s for {args.duration:g}s (logs in {workdir})"
            )
            started = time.monotonic()
            sent = feed(settings, args.duration, args.rate)
            wait_caught_up(prometheus.port, sent)
            time.sleep(3 * SCRAPE_SECONDS)
            # The graphs span the run, start to now.
            span = f"{int(time.monotonic() - started) + 10}s"
            for stem, exprs in PAGES.items():
                url = graph_url(prometheus.port, exprs, span)
                screenshot(url, out / f"{stem}.png", height=160 + 700 * len(exprs))
        finally:
            prometheus.stop()
            worker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
