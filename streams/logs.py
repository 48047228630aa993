"""Structured logs: one JSON object per line for machines, a readable line in a terminal.

Context fields (topic, partition, offset, article_id, stage) travel in ``extra=`` and are
emitted as top-level keys, so log pipelines can filter on them without parsing messages.
Every line, ours or a library's, has its credentials masked (services/redact.py).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

from services.redact import redact_text

_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class _RedactingFormatter(logging.Formatter):
    """Masks ``secrets`` (the settings' credentials) and anything shaped like one."""

    def __init__(self, *args: Any, secrets: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Longest first, so a secret that contains another is masked whole.
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        return redact_text(text, self.secrets)


class JsonFormatter(_RedactingFormatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": self.redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.redact(self.formatException(record.exc_info))
        # Again on the whole line: extras (nested values included) are masked too.
        return self.redact(orjson.dumps(entry, default=str).decode("utf-8"))


class TextFormatter(_RedactingFormatter):
    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(
            f"{k}={v}" for k, v in vars(record).items() if k not in _STANDARD_ATTRS and not k.startswith("_")
        )
        when = datetime.fromtimestamp(record.created)
        line = f"{when:%H:%M:%S} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if extras:
            line += f"  [{extras}]"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return self.redact(line)


def make_handler(fmt: str = "auto", stream: Any = None) -> logging.Handler:
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    use_json = fmt == "json" or (fmt == "auto" and not getattr(stream, "isatty", lambda: False)())
    handler.setFormatter(JsonFormatter() if use_json else TextFormatter())
    return handler


def logging_config(level: str, fmt: str, secrets: Iterable[str] = ()) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dict; Faust's worker applies it at start-up.
    ``secrets`` are masked wherever they appear in a line."""
    formatter = "json" if fmt == "json" or (fmt == "auto" and not sys.stderr.isatty()) else "text"
    masked = list(secrets)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": JsonFormatter, "secrets": masked},
            "text": {"()": TextFormatter, "secrets": masked},
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {
            "aiokafka": {"level": "WARNING"},
            "faust": {"level": "WARNING" if level.upper() != "DEBUG" else "INFO"},
            "mode": {"level": "WARNING"},
        },
    }
