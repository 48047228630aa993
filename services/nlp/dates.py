"""Event dates: "on Sunday", "yesterday", "March 3" resolved against the publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Span, Token

_WEEKDAYS = {
    d: n for n, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
_MONTHS = {
    m: n
    for n, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH_DAY = re.compile(r"(?i)\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_DAY_MONTH = re.compile(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)(?:\s+(\d{4}))?\b")


def parse_date_text(text: str, published: date, *, future: bool = False) -> date | None:
    """One DATE span's text -> a calendar date, or None for vague ones ("last week")."""
    lower = text.lower().strip()
    if lower in {"today", "this morning", "this afternoon", "this evening", "tonight"}:
        return published
    if lower in {"yesterday", "last night"}:
        return published - timedelta(days=1)
    if lower == "tomorrow":
        return published + timedelta(days=1)
    words = lower.replace(",", " ").split()
    for w in words:
        if w in _WEEKDAYS:
            delta = (published.weekday() - _WEEKDAYS[w]) % 7
            if future or "next" in words:
                return published + timedelta(days=(_WEEKDAYS[w] - published.weekday()) % 7)
            return published - timedelta(days=delta)
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        m = pattern.search(text)
        if m and m.group(month_group).lower() in _MONTHS:
            year = int(m.group(3)) if m.group(3) else published.year
            try:
                return date(year, _MONTHS[m.group(month_group).lower()], int(m.group(day_group)))
            except ValueError:
                return None
    return None


def resolve_date(
    trigger: Token, sentence: Span, date_ents: list[Span], published: date | None, *, future: bool = False
) -> str | None:
    """The ISO date of the DATE entity attached to the trigger (directly or through one
    preposition), else of the only DATE entity in the sentence. ``date_ents`` are the
    document's DATE entities (computed once per document: ``Doc.ents`` is not cached)."""
    if published is None:
        return None
    dates = [e for e in date_ents if sentence.start <= e.start and e.end <= sentence.end]
    if not dates:
        return None
    attached = [e for e in dates if e.root.head == trigger or e.root.head.head == trigger]
    chosen = attached or (dates if len(dates) == 1 else [])
    for ent in chosen:
        resolved = parse_date_text(ent.text, published, future=future)
        if resolved is not None:
            return resolved.isoformat()
    return None
