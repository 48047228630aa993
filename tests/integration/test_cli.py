"""The operator and downstream tools against a live stack: ``promtool check metrics`` on a
running worker's /metrics, ``newswire produce``/``tail``/``replay``/``story``/``demo`` as
subprocesses, and the kafka-python consumer example in docs/examples/.

Each test starts its own worker on its own topic prefix (real broker, real Redis, real model)
and bounds every wait: a subprocess that hangs fails the test instead of stalling the suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from config.settings import Settings
from streams.cli import SAMPLES
from streams.demo import MALFORMED as DEMO_MALFORMED
from streams.devstack import WorkerProcess
from streams.kafka_tools import (
    OutputReader,
    bootstrap_servers,
    create_topics,
    produce_payloads,
    wait_for_broker,
)
from tests.support.builders import MALFORMED as PIPELINE_MALFORMED
from tests.support.builders import encode
from tests.support.commands import run_newswire, settings_env
from tests.support.examples import CONSUMER_EXAMPLE
from tests.support.metric_contract import NEWSWIRE_METRICS, promtool
from tests.support.record_batches import Record, build_batch, produce_batch
from tests.support.workers import wait_processed
from tools import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.model]

# Inputs that each land in the DLQ with a known reason (test_pipeline's set, without the
# large body, which would only slow these tests down).
MALFORMED: dict[str, bytes] = {k: v for k, v in PIPELINE_MALFORMED.items() if k != "body_too_large"}


# --------------------------------------------------------------------------- helpers
def newswire(settings: Settings, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``newswire ARGS`` pointed at this test's broker, Redis and topics."""
    return run_newswire(*args, env=settings_env(settings), cwd=ROOT, timeout=timeout)


def started_stack(settings: Settings, worker_factory: Any) -> WorkerProcess:
    wait_for_broker(settings)
    create_topics(settings)
    return worker_factory()


def countries_of(event: dict[str, Any]) -> set[str]:
    parties = event.get("actors", []) + event.get("targets", [])
    return (
        {p.get("country") for p in parties}
        | set(event.get("actor_countries", []))
        | set(event.get("target_countries", []))
    )


def read_topic(settings: Settings, topic: str, idle: float = 3.0) -> list[dict[str, Any]]:
    """Every record on ``topic`` so far: read until nothing new came for ``idle`` seconds."""
    with OutputReader(settings, [topic]) as reader:
        reader.quiet(idle)
        return reader.records(topic)


# Four unrelated stories that each have Japan's foreign minister meeting a counterpart (a
# CAMEO 04 "consult" event with a JPN actor); worded apart so that dedup keeps all four.
MEETINGS = [
    (
        "Japan and US ministers discuss maritime security in Tokyo",
        "TOKYO (Newswire) - Japanese Foreign Minister Takeshi Iwaya met U.S. Secretary of State "
        "Marco Rubio in Tokyo on Monday to discuss maritime security.\n\nThe coast guards of both "
        "countries will hold joint drills near Okinawa this summer, officials said.",
    ),
    (
        "Iwaya meets Wong on critical minerals in Canberra",
        "CANBERRA (Newswire) - Takeshi Iwaya met Australian Foreign Minister Penny Wong in "
        "Canberra on Tuesday. Lithium exports, rare earth refining and a new shipping route to "
        "Kobe were on the agenda, according to a statement from the Australian government.",
    ),
    (
        "Japanese minister visits Jakarta for fisheries talks",
        "JAKARTA (Newswire) - Japan's foreign minister Takeshi Iwaya met Indonesian President "
        "Prabowo Subianto in Jakarta on Wednesday. Fishing quotas in the Arafura Sea and a loan "
        "for the capital's metro extension dominated the meeting at the Merdeka Palace.",
    ),
    (
        "Tokyo hosts Seoul envoy after apology dispute",
        "OSAKA (Newswire) - Takeshi Iwaya met South Korean Foreign Minister Cho Tae-yul in Osaka "
        "on Thursday, weeks after a row over wartime labour compensation. Both sides promised a "
        "working group of historians and a hotline between their ministries.",
    ),
]


def meeting_articles(article_factory: Any, n: int) -> list[dict[str, Any]]:
    """``n`` (at most four) distinct articles, each with a Japan-led meeting in it."""
    return [article_factory(title=title, body=body) for title, body in MEETINGS[:n]]


# --------------------------------------------------------------------------- (a) /metrics
def test_live_metrics_pass_promtool_and_expose_the_whole_metric_contract(
    stack_settings: Settings, worker_factory: Any, article_factory: Any
) -> None:
    settings = stack_settings
    worker = started_stack(settings, worker_factory)
    original = article_factory()
    payloads = [
        encode(original),
        encode(dict(original, id=original["id"] + "-copy")),
        encode(article_factory(body="Protesters marched in Paris. " * 5)),
        MALFORMED["invalid_json"],
    ]
    produce_payloads(settings, settings.topics.raw, [(None, p) for p in payloads])
    wait_processed(worker, len(payloads))

    status, body = worker.http_get("/metrics")
    assert status == 200
    exposition = body.decode()
    result = subprocess.run(
        [promtool(), "check", "metrics"],
        input=exposition,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", exposition, re.M))
    samples = set(re.findall(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", exposition, re.M))
    # Every metric of the contract is declared (HELP/TYPE), even the labelled ones with no
    # sample yet (retries before any outage; lag per partition, which Tansu cannot report).
    for name, (kind, _labels) in NEWSWIRE_METRICS.items():
        family = name.removesuffix("_total") if kind == "counter" else name
        # The client library names a counter family with or without _total depending on version.
        assert types.get(name, types.get(family)) == kind, f"{name}: TYPE {types.get(family)}"
    # What these four inputs must have produced as samples, with these exact values.
    values = {
        (f.name, tuple(sorted(s.labels.items()))): s.value
        for f in text_string_to_metric_families(exposition)
        for s in f.samples
        if s.name.endswith("_total")
    }
    assert values[("newswire_articles_consumed", ())] == len(payloads)
    assert values[("newswire_articles_processed", (("outcome", "enriched"),))] == 2
    assert values[("newswire_articles_processed", (("outcome", "duplicate"),))] == 1
    assert values[("newswire_articles_processed", (("outcome", "dlq"),))] == 1
    assert values[("newswire_dlq_records", (("error_type", "invalid_json"), ("stage", "decode")))] == 1
    for name in (
        "newswire_stage_duration_seconds_bucket",
        "newswire_batch_size_bucket",
        "newswire_story_size_articles_bucket",
        "newswire_article_freshness_seconds_bucket",
        "newswire_ready",
        "newswire_redis_up",
        "newswire_model_load_seconds",
        "newswire_build_info",
        "newswire_last_output_timestamp_seconds",
        "newswire_events_extracted_total",
        "process_resident_memory_bytes",
    ):
        assert name in samples, name
    assert "newswire_ready 1.0" in exposition
    # The worker's NLP runs in child processes, which report here rather than in process_*.
    gauges = {s.name: s.value for f in text_string_to_metric_families(exposition) for s in f.samples}
    assert gauges["newswire_nlp_processes"] >= 1
    assert gauges["newswire_nlp_resident_memory_bytes"] > 100 * 2**20  # a loaded model each
    assert values[("newswire_nlp_process_restarts", ())] == 0


# --------------------------------------------------------------------------- (b) produce + tail
def test_produce_then_tail_shows_every_enriched_article_and_filters_events(
    stack_settings: Settings, worker_factory: Any, article_factory: Any, tmp_path: Path
) -> None:
    settings = stack_settings
    worker = started_stack(settings, worker_factory)
    articles = meeting_articles(article_factory, 4)
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_bytes(b"".join(encode(a) + b"\n" for a in articles) + b"\n")  # a blank line too

    produced = newswire(settings, "produce", str(jsonl))
    assert produced.returncode == 0, produced.stderr
    assert re.search(rf"sent 4 of 4 to {re.escape(settings.topics.raw)} \(0 failed\)", produced.stdout)
    wait_processed(worker, len(articles))

    tail = newswire(
        settings,
        "tail",
        "enriched",
        "--from-beginning",
        "--max",
        "4",
        "--idle-timeout",
        "20",
        timeout=60,
    )
    assert tail.returncode == 0, tail.stderr
    lines = tail.stdout.splitlines()
    assert len(lines) == 4, tail.stdout
    for line in lines:
        # "<topic>[<partition>]@<offset> [enriched] '<title>' (<source>) entities: ...; events: N"
        assert re.match(rf"{re.escape(settings.topics.enriched)}\[\d\]@\d+ \[enriched\] '", line), line
        assert re.search(r"\(news\.example\.com\) entities: .+; events: [1-9]", line), line
    assert {a["title"] for a in articles} == {re.search(r"'(.*?)'", line)[1] for line in lines}

    events = newswire(
        settings,
        "tail",
        "events",
        "--country",
        "JPN",
        "--code",
        "04",
        "--json",
        "--from-beginning",
        "--idle-timeout",
        "8",
        timeout=60,
    )
    assert events.returncode == 0, events.stderr
    records = [orjson.loads(line) for line in events.stdout.splitlines()]
    for record in records:
        assert record["schema"] == "newswire.event/1"
        assert record["code"].startswith("04")
        assert "JPN" in countries_of(record)
    # Exactly the events a reader of the whole topic would pick out by hand.
    everything = read_topic(settings, settings.topics.events)
    wanted = {e["id"] for e in everything if e["code"].startswith("04") and "JPN" in countries_of(e)}
    assert {r["id"] for r in records} == wanted
    assert articles[0]["id"] in {r["article_id"] for r in records}  # Iwaya met Rubio
    assert len(wanted) < len(everything)  # the filter did leave something out

    # A filter that matches nothing prints nothing and still ends cleanly.
    none = newswire(
        settings,
        "tail",
        "events",
        "--country",
        "ATA",
        "--from-beginning",
        "--idle-timeout",
        "5",
        timeout=60,
    )
    assert none.returncode == 0 and none.stdout == "", none.stdout + none.stderr


def test_produce_sends_each_page_of_each_folder_as_its_own_article_titled_by_the_page(
    stack_settings: Settings, worker_factory: Any, tmp_path: Path
) -> None:
    settings = stack_settings
    worker = started_stack(settings, worker_factory)
    site = tmp_path / "site"
    for folder, (title, body) in zip(("tokyo", "canberra"), MEETINGS, strict=False):
        (site / folder).mkdir(parents=True)
        paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
        (site / folder / "index.html").write_text(
            f"<html><head><title>{title} | Newswire</title></head><body><nav>Home | World</nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article></body></html>"
        )
    (site / "tokyo" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    lines = tmp_path / "more.jsonl"
    lines.write_text('["not", "an", "article"]\n')

    produced = newswire(settings, "produce", str(site / "tokyo"), str(site / "canberra"), str(lines))
    assert produced.returncode == 0, produced.stderr
    out = produced.stdout.splitlines()
    for folder, (title, _) in zip(("tokyo", "canberra"), MEETINGS, strict=False):
        page = site / folder / "index.html"
        assert f"sent {page} as id {folder}/index.html, title from the page: {title!r}" in out
    assert f"skipped {site / 'tokyo' / 'photo.jpg'}: not an .html, .htm or .txt file" in out
    assert out[-1].startswith(f"sent 3 of 3 to {settings.topics.raw} (0 failed)")
    assert out[-1].endswith("; 1 file skipped")
    assert (
        f"warning: {lines} line 1: a JSON list, not an object: dead-lettered as not_an_object; sent as it is"
    ) in produced.stderr
    wait_processed(worker, 3)

    enriched = {r["article_id"]: r for r in read_topic(settings, settings.topics.enriched)}
    assert set(enriched) == {"tokyo/index.html", "canberra/index.html"}
    for folder, (title, _) in zip(("tokyo", "canberra"), MEETINGS, strict=False):
        record = enriched[f"{folder}/index.html"]
        assert record["title"] == title
        assert record["url"] == f"https://local.newswire.invalid/{folder}/index.html"
        assert record["dedup"]["status"] == "unique"
    [dead] = read_topic(settings, settings.topics.dlq)
    assert dead["error"]["type"] == "not_an_object"


# --------------------------------------------------------------------------- (c) consumer example
def test_downstream_consumer_example_prints_who_did_what_to_whom(
    stack_settings: Settings, worker_factory: Any, article_factory: Any
) -> None:
    settings = stack_settings
    worker = started_stack(settings, worker_factory)
    articles = meeting_articles(article_factory, 2)
    produce_payloads(settings, settings.topics.raw, [(None, encode(a)) for a in articles])
    wait_processed(worker, len(articles))
    expected_events = [e for e in read_topic(settings, settings.topics.events) if e["root_code"] == "04"]
    assert expected_events

    result = subprocess.run(
        [
            sys.executable,
            str(CONSUMER_EXAMPLE),
            "--bootstrap-server",
            bootstrap_servers(settings.broker_url)[0],
            "--topic",
            settings.topics.events,
            "--root-code",
            "4",
            "--from-beginning",
            "--idle-timeout",
            "8",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected_events), result.stdout
    # "2026-03-02  Takeshi Iwaya (JPN) --[040 Consult]--> Marco Rubio (USA)  | news.example.com"
    # (who, what, whom, and " in <place>" when the event has a location)
    pattern = re.compile(
        r"^2026-03-02  (?P<who>.+) --\[(?P<code>04\d*) (?P<what>[^\]]+)\]--> "
        r"(?P<whom>.+?)(?: in .+)?  \| news\.example\.com$"
    )
    for line in lines:
        match = pattern.match(line)
        assert match, line
        assert "?" not in match["who"]
    assert any("Iwaya" in line and "Rubio" in line for line in lines), result.stdout


# --------------------------------------------------------------------------- (d) demo
def test_demo_runs_its_own_stack_and_accounts_for_every_input(tmp_path: Path) -> None:
    samples = [line for line in SAMPLES.read_bytes().splitlines() if line.strip()]
    expected = len(samples) + len(DEMO_MALFORMED)
    result = run_newswire("demo", cwd=tmp_path, timeout=420)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert f"{len(samples)} sample articles + {len(DEMO_MALFORMED)} malformed messages" in out
    match = re.search(r"(\d+)/(\d+) inputs accounted for", out)
    assert match, out[-3000:]
    assert (int(match[1]), int(match[2])) == (expected, expected), out[-3000:]
    for topic in (
        "news.articles.enriched",
        "news.articles.duplicates",
        "news.events",
        "news.articles.dlq",
    ):
        row = re.search(rf"{re.escape(topic)}\s*[│|]\s*(\d+)", out)
        assert row and int(row[1]) > 0, (topic, out[-3000:])


# --------------------------------------------------------------------------- (e) replay
def test_replay_refeeds_the_dlq_and_each_message_is_dead_lettered_again_for_the_same_reason(
    stack_settings: Settings, worker_factory: Any
) -> None:
    settings = stack_settings
    worker = started_stack(settings, worker_factory)
    # Each with its own key and headers (a trace id, the scraper's name), which replay restores.
    produce_payloads(
        settings,
        settings.topics.raw,
        [
            (f"key-{name}".encode(), p, [("trace-id", f"t-{name}".encode()), ("scraper", b"wire-7")])
            for name, p in MALFORMED.items()
        ],
    )
    wait_processed(worker, len(MALFORMED))
    first = read_topic(settings, settings.topics.dlq)
    assert Counter(r["error"]["type"] for r in first) == Counter(MALFORMED.keys())

    dry = newswire(settings, "replay", "--source", "dlq", "--dry-run", "--idle-timeout", "5")
    assert dry.returncode == 0, dry.stderr
    assert f"would replay {len(MALFORMED)} messages from {settings.topics.dlq}" in dry.stdout

    replay = newswire(settings, "replay", "--source", "dlq", "--idle-timeout", "5")
    assert replay.returncode == 0, replay.stderr
    assert (
        f"replayed {len(MALFORMED)} messages from {settings.topics.dlq} to {settings.topics.raw} (0 failed)"
    ) in replay.stdout
    wait_processed(worker, 2 * len(MALFORMED))

    records = read_topic(settings, settings.topics.dlq)
    assert len(records) == 2 * len(MALFORMED)
    first_keys = {(r["source"]["partition"], r["source"]["offset"]) for r in first}
    again = [r for r in records if (r["source"]["partition"], r["source"]["offset"]) not in first_keys]
    assert len(again) == len(MALFORMED)  # new input offsets: they really went through the raw topic
    reason = {r["payload"]: (r["error"]["type"], r["error"]["stage"]) for r in first}
    assert {r["payload"]: (r["error"]["type"], r["error"]["stage"]) for r in again} == reason
    # The replayed message is the one that was sent: its key and its headers came back too.
    sent_as = {r["payload"]: (r["key"], r["headers"]) for r in first}
    assert {r["payload"]: (r["key"], r["headers"]) for r in again} == sent_as
    assert all(r["key"].startswith("key-") and len(r["headers"]) == 2 for r in again)

    # --error-type narrows the replay to one reason.
    only = newswire(settings, "replay", "--error-type", "missing_url", "--dry-run", "--idle-timeout", "5")
    assert "would replay 2 messages" in only.stdout, only.stdout + only.stderr


def test_tail_and_replay_of_the_raw_topic_read_a_record_whose_header_name_is_not_utf8(
    stack_settings: Settings, article_factory: Any
) -> None:
    settings = stack_settings
    wait_for_broker(settings)
    create_topics(settings)
    poison, good = article_factory(), article_factory()
    # Kafka clients refuse to write such a name: a batch built byte by byte, sent bare.
    batch = build_batch(
        [
            Record(encode(poison), key=b"poison-key", headers=[(b"trace-id", b"t-1"), (b"\xff\xfe", b"bad")]),
            Record(encode(good), key=b"good-key", headers=[(b"trace-id", b"t-2")]),
        ]
    )
    produce_batch(bootstrap_servers(settings.broker_url), settings.topics.raw, 0, batch)

    tail = newswire(
        settings, "tail", "raw", "--from-beginning", "--json", "--max", "2", "--idle-timeout", "10"
    )
    assert tail.returncode == 0, tail.stderr
    assert [orjson.loads(line)["id"] for line in tail.stdout.splitlines()] == [poison["id"], good["id"]]

    dry = newswire(settings, "replay", "--source", "raw", "--dry-run", "--idle-timeout", "5")
    assert dry.returncode == 0, dry.stderr
    assert f"would replay 2 messages from {settings.topics.raw}" in dry.stdout

    replay = newswire(settings, "replay", "--source", "raw", "--idle-timeout", "5")
    assert replay.returncode == 0, replay.stderr
    assert "replayed 2 messages" in replay.stdout
    assert "left out 1 headers whose names are not UTF-8" in replay.stderr
    with OutputReader(settings, [settings.topics.raw]) as reader:
        assert reader.wait_for_count(4, timeout=30)
        messages = reader.read(settings.topics.raw)
    first, again = messages[:2], messages[2:]
    assert [m.headers[1][0] for m in first[:1]] == [b"\xff\xfe"]  # read, as bytes
    assert [(m.key, m.value) for m in again] == [(m.key, m.value) for m in first]
    assert [m.headers for m in again] == [(("trace-id", b"t-1"),), (("trace-id", b"t-2"),)]


# --------------------------------------------------------------------------- (f) story
def test_story_prints_the_cluster_of_a_syndicated_pair(
    stack_settings: Settings, worker_factory: Any, article_factory: Any
) -> None:
    settings = stack_settings.model_copy(update={"topic_partitions": 1})  # original first
    worker = started_stack(settings, lambda: worker_factory(topic_partitions=1))
    original = article_factory(source="news.example.com")
    syndicated = dict(
        original,
        id=original["id"] + "-wire",
        url="https://wire.example.org/story",
        source="wire.example.org",
        title="Japan, US sign logistics pact",
        body="<p>"
        + original["body"].replace("\n\n", "</p><p>").replace("next month", "in April")
        + "</p><p>Copyright 2026 Wire Ltd.</p>",
    )
    produce_payloads(settings, settings.topics.raw, [(None, encode(original)), (None, encode(syndicated))])
    wait_processed(worker, 2)
    duplicate = read_topic(settings, settings.topics.duplicates)
    assert [d["dedup"]["status"] for d in duplicate] == ["near_duplicate"]
    story_id = duplicate[0]["dedup"]["story_id"]

    result = newswire(settings, "story", story_id)
    assert result.returncode == 0, result.stderr
    story = orjson.loads(result.stdout)
    assert story["story_id"] == story_id
    assert story["article_count"] == 2
    assert story["sources"] == ["news.example.com", "wire.example.org"]
    assert story["first_seen"] <= story["last_seen"]

    missing = newswire(settings, "story", "no-such-story")
    assert missing.returncode == 1
    assert "no story 'no-such-story'" in missing.stderr
