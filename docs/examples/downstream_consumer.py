"""A downstream consumer of ``news.events`` in plain kafka-python: who did what to whom.

    python docs/examples/downstream_consumer.py --bootstrap-server localhost:9094 \\
        --root-code 11 --root-code 14 --from-beginning

prints one line per event whose CAMEO root code is 11 (disapprove) or 14 (protest), e.g.
``2026-11-25  Ayla Demir (TUR) --[111 Criticize or denounce]--> Russia (RUS)  | Example Wire``.
Records follow config/schemas/event.v1.schema.json (explained in docs/schemas.md).

Articles get corrected: a later revision re-publishes the events it kept under the same ids
and retracts the others with tombstones (the key, a null value). :class:`EventView` keeps what
a compacted ``news.events`` holds, the events of each article's latest revision; the script
prints an event when it appears or changes, and ``RETRACTED  <line>`` when a revision drops it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from kafka import KafkaConsumer

EVENT_SCHEMA = "newswire.event/1"


def _party(entity: dict[str, Any]) -> str:
    name = str(entity.get("name") or entity.get("id") or "?")
    country = entity.get("country")
    return f"{name} ({country})" if country and country not in name else name


def _parties(entities: Iterable[dict[str, Any]]) -> str:
    return ", ".join(_party(e) for e in entities) or "?"


def format_event(record: dict[str, Any]) -> str:
    """One ``newswire.event/1`` record as a "who did what to whom" line."""
    day = str(record.get("published_at") or record.get("processed_at") or "")[:10] or "----------"
    action = f"{record.get('code', '???')} {record.get('label', '')}".strip()
    if record.get("negated"):
        action = "NOT " + action
    line = (
        f"{day}  {_parties(record.get('actors', []))} --[{action}]--> {_parties(record.get('targets', []))}"
    )
    location = record.get("location")
    if isinstance(location, dict):
        line += f" in {_party(location)}"
    return f"{line}  | {record.get('source', '')}".rstrip(" |")


def wanted(record: dict[str, Any], root_codes: set[str]) -> bool:
    """An event record whose root code is one asked for (all when none were asked for)."""
    if record.get("schema") != EVENT_SCHEMA:
        return False  # a later major version: read its docs before consuming it
    return not root_codes or str(record.get("root_code")) in root_codes


class EventView:
    """The events of each article's latest revision: apply every message in topic order."""

    def __init__(self) -> None:
        self.events: dict[str, dict[str, Any]] = {}
        #: The highest revision seen per article: an older revision's record may still arrive
        #: after a newer one (delivery is at least once), and must not bring an event back.
        self.revisions: dict[str, int] = {}

    def apply(self, key: str, record: dict[str, Any] | None) -> tuple[str, dict[str, Any]] | None:
        """One message (``record`` None for a tombstone); returns ``(change, record)`` with
        change "added", "changed" or "retracted", or None when nothing a reader sees changed."""
        if record is None:
            gone = self.events.pop(key, None)
            return None if gone is None else ("retracted", gone)
        article = str(record.get("article_id"))
        number = int((record.get("revision") or {}).get("number") or 1)
        if number < self.revisions.get(article, 0):
            return None
        self.revisions[article] = number
        held = self.events.get(key)
        self.events[key] = record
        if held is None:
            return ("added", record)
        return None if format_event(held) == format_event(record) else ("changed", record)


def _decode(value: bytes | None) -> dict[str, Any] | None:
    try:
        record = json.loads(value) if value else None
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Print who did what to whom from news.events.")
    parser.add_argument("--bootstrap-server", default="localhost:9092", help="host:port")
    parser.add_argument("--topic", default="news.events")
    parser.add_argument(
        "--root-code",
        action="append",
        default=[],
        metavar="NN",
        help="CAMEO root code to keep, 01-20 (repeatable; default: all)",
    )
    parser.add_argument("--group-id", default=None, help="commit offsets under this group")
    parser.add_argument("--from-beginning", action="store_true", help="start at the oldest event")
    parser.add_argument("--max-events", type=int, default=None, help="stop after this many lines")
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop when no message arrived for this long (default: run until interrupted)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Consume, filter, print; returns the number of events printed."""
    args = parse_args(argv)
    root_codes = {code.zfill(2) for code in args.root_code}
    consumer = KafkaConsumer(
        args.topic,
        bootstrap_servers=args.bootstrap_server,
        group_id=args.group_id,
        auto_offset_reset="earliest" if args.from_beginning else "latest",
        enable_auto_commit=args.group_id is not None,
        consumer_timeout_ms=int(args.idle_timeout * 1000) if args.idle_timeout else float("inf"),
    )
    view = EventView()
    printed = 0
    try:
        for message in consumer:  # ends after --idle-timeout without messages
            record = None if message.value is None else _decode(message.value)
            if message.value is not None and (record is None or not wanted(record, root_codes)):
                continue
            key = (message.key or b"").decode("utf-8", "replace")
            change = view.apply(key, record)
            if change is None:
                continue
            kind, shown = change
            prefix = "RETRACTED  " if kind == "retracted" else ""
            print(prefix + format_event(shown), file=out, flush=True)
            printed += 1
            if args.max_events is not None and printed >= args.max_events:
                break
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return printed


if __name__ == "__main__":
    main()
