"""The worker's metric contract, which the unit tests hold the code, the alerts, the dashboard
and the docs to, and the integration tests a live worker's /metrics page; and ``promtool``,
the Prometheus tool that checks an exposition."""

from __future__ import annotations

import os
import shutil

import pytest

#: The worker's metric contract: name -> (type, label names). streams/metrics.py implements
#: it; alerts, dashboard and docs/operations.md may only use these (plus process_/python_/up).
NEWSWIRE_METRICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "newswire_articles_consumed_total": ("counter", ()),
    "newswire_articles_processed_total": ("counter", ("outcome",)),
    "newswire_records_published_total": ("counter", ("topic",)),
    "newswire_dlq_records_total": ("counter", ("stage", "error_type")),
    "newswire_stage_duration_seconds": ("histogram", ("stage",)),
    "newswire_batch_size": ("histogram", ()),
    "newswire_dedup_decisions_total": ("counter", ("decision",)),
    "newswire_dedup_candidates": ("histogram", ()),
    "newswire_story_size_articles": ("histogram", ()),
    "newswire_entities_extracted_total": ("counter", ()),
    "newswire_events_extracted_total": ("counter", ("root_code",)),
    "newswire_redis_errors_total": ("counter", ()),
    "newswire_redis_up": ("gauge", ()),
    "newswire_dependency_retries_total": ("counter", ("dependency",)),
    "newswire_ready": ("gauge", ()),
    "newswire_model_load_seconds": ("gauge", ()),
    "newswire_build_info": ("gauge", ("version", "model", "python")),
    "newswire_article_freshness_seconds": ("histogram", ()),
    "newswire_consumer_lag_messages": ("gauge", ("topic", "partition")),
    "newswire_consumer_lag_seconds": ("gauge", ()),
    "newswire_rebalances_total": ("counter", ()),
    "newswire_last_output_timestamp_seconds": ("gauge", ()),
    "newswire_nlp_processes": ("gauge", ()),
    "newswire_nlp_resident_memory_bytes": ("gauge", ()),
    "newswire_nlp_process_restarts_total": ("counter", ()),
    "newswire_nlp_skipped_articles_total": ("counter", ("language",)),
    "newswire_input_warnings_total": ("counter", ("type",)),
    "newswire_article_versions_total": ("counter", ("kind",)),
    "newswire_tombstones_published_total": ("counter", ()),
}


def promtool() -> str:
    found = os.environ.get("NEWSWIRE_PROMTOOL") or shutil.which("promtool")
    if not found:
        pytest.fail(
            "promtool not found: install it with "
            "`apt-get install -y --no-install-recommends prometheus` (Debian), "
            "or point NEWSWIRE_PROMTOOL at a promtool binary"
        )
    return found
