"""Logs: one JSON object per line with its context fields for machines, a readable line in a
terminal."""

from __future__ import annotations

import io
import json
import logging

from streams.logs import make_handler


def test_json_log_lines_carry_context_fields() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("newswire.test.json")
    logger.addHandler(make_handler("json", stream))
    logger.propagate = False
    logger.warning(
        "dead-lettered: %s",
        "invalid_json",
        extra={"topic": "raw", "partition": 1, "offset": 42, "stage": "decode"},
    )
    entry = json.loads(stream.getvalue())
    assert entry["msg"] == "dead-lettered: invalid_json"
    assert (entry["topic"], entry["partition"], entry["offset"], entry["stage"]) == ("raw", 1, 42, "decode")
    assert entry["level"] == "warning"


def test_text_log_lines_are_readable() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("newswire.test.text")
    logger.addHandler(make_handler("text", stream))
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.info("model loaded", extra={"seconds": 0.4})
    line = stream.getvalue()
    assert "model loaded" in line and "seconds=0.4" in line and not line.startswith("{")


def test_log_lines_mask_known_secrets_urls_and_secret_pairs_in_messages_and_tracebacks() -> None:
    from streams.logs import JsonFormatter, TextFormatter

    logger = logging.getLogger("newswire.test.redact")
    logger.propagate = False
    for formatter in (JsonFormatter(secrets=["sasl-pass-1"]), TextFormatter(secrets=["sasl-pass-1"])):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        logger.handlers = [handler]
        try:
            raise ConnectionError(
                "auth failed for redis://u:urlpw@cache:6379/0?password=qpw with sasl-pass-1"
            )
        except ConnectionError:
            logger.exception(
                "broker kafka://u:brokerpw@b:9092 refused; token=abc123",
                extra={"settings": {"redis_url": "redis://h/0?access_token=deep1"}},
            )
        line = stream.getvalue()
        for secret in ("urlpw", "qpw", "sasl-pass-1", "brokerpw", "abc123", "deep1"):
            assert secret not in line, (type(formatter).__name__, secret, line)
        assert "kafka://u:***@b:9092" in line and "password=***" in line
