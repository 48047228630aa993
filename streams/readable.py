"""Output records as people read them: one line per record of any kind, and the filters of
``newswire tail`` (an entity, a country, a CAMEO code prefix, a story)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordFilter:
    """What ``newswire tail`` shows; an unset field lets every record through."""

    entity: str | None = None
    country: str | None = None
    code: str | None = None
    story: str | None = None

    def matches(self, record: dict[str, Any]) -> bool:
        entities = record.get("entities") or [*record.get("actors", []), *record.get("targets", [])]
        if self.entity:
            wanted = self.entity.lower()
            if not any(wanted in (e.get("id", "").lower(), e.get("name", "").lower()) for e in entities):
                return False
        if self.country:
            countries = {e.get("country") for e in entities}
            countries |= set(record.get("actor_countries", [])) | set(record.get("target_countries", []))
            if self.country.upper() not in countries:
                return False
        if self.code:
            codes = [record.get("code", "")] + [e.get("code", "") for e in record.get("events", [])]
            if not any(str(c).startswith(self.code) for c in codes if c):
                return False
        if self.story:
            story = record.get("story_id") or (record.get("dedup") or {}).get("story_id")
            if story != self.story:
                return False
        return True


def describe(record: dict[str, Any]) -> str:
    """One readable line per record, whatever its kind."""
    kind = str(record.get("schema", "?")).split("/")[0].removeprefix("newswire.")
    if kind == "enriched":
        names = ", ".join(e["name"] for e in record.get("entities", [])[:5])
        number = (record.get("revision") or {}).get("number") or 1
        return (
            f"[enriched{f' rev {number}' if number > 1 else ''}] {record.get('title', '')[:70]!r} "
            f"({record.get('source')}) entities: {names}; events: {len(record.get('events', []))}"
        )
    if kind == "tombstone":
        return f"[tombstone] event {record.get('key')} retracted by a later revision"
    if kind == "duplicate":
        d = record.get("dedup", {})
        return (
            f"[duplicate] {record.get('title', '')[:60]!r} {d.get('status')} of "
            f"{d.get('duplicate_of')} (similarity {d.get('similarity')}, story {d.get('story_id')})"
        )
    if kind == "event":
        actors = ", ".join(a.get("name", "?") for a in record.get("actors", [])) or "?"
        targets = ", ".join(t.get("name", "?") for t in record.get("targets", [])) or "-"
        return (
            f"[event {record.get('code')}] {actors} -> {record.get('label')} -> {targets} "
            f"({record.get('trigger', {}).get('text')!r})"
        )
    if kind == "dlq":
        e = record.get("error", {})
        return f"[dlq] {e.get('stage')}/{e.get('type')}: {e.get('message')}"
    return json.dumps(record)[:200]
