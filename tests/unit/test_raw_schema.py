"""config/schemas/raw.v1.schema.json lets scrapers check a payload before they send it: on every
case below, the schema accepts it exactly when the worker (``parse_article`` with the default
limits) takes the article whole, with no field set aside. The few things a JSON Schema cannot
see are pinned as known gaps, so a change on either side shows up here."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from services.articles import InputLimits, parse_article
from services.errors import InvalidArticle
from tests.unit.test_schemas import errors

BODY = (
    "Ministers from both countries met in Vienna on Tuesday to revive talks on the grain "
    "corridor, which stalled in the summer after a dispute over inspections at the ports."
)
BASE: dict[str, Any] = {"url": "https://news.example.com/world/talks", "body": BODY}
#: A whole page of 2,000,000 characters whose article is short: what a big news site sends.
_HEAD = "<!doctype html><html><head><title>Talks</title></head><body>"
_TAIL = f"<article><p>{BODY}</p></article></body></html>"
_LINK = "<li><a href='/more/{n:06d}'>More from our network: story {n:06d}</a></li>"
_LINKS = "".join(_LINK.format(n=n) for n in range(2_000_000 // len(_LINK.format(n=0))))
PAGE_2_MB = _HEAD + "<ul>" + _LINKS[: 2_000_000 - len(_HEAD + "<ul></ul>" + _TAIL)] + "</ul>" + _TAIL


def schema_accepts(fields: dict[str, Any]) -> bool:
    return errors("raw", fields) == []


def worker_takes_whole(fields: dict[str, Any]) -> bool:
    try:
        article = parse_article(orjson.dumps(fields), InputLimits())
    except InvalidArticle:
        return False
    return article.warnings == ()


AGREE: list[tuple[str, dict[str, Any], bool]] = [
    ("plain text", {}, True),
    ("html fragment", {"body": f"<p>{BODY}</p><p>More.</p>"}, True),
    ("whole page of 2,000,000 characters", {"body": PAGE_2_MB}, True),
    ("body over 2,000,000 characters", {"body": PAGE_2_MB + " "}, False),
    ("no body", {"body": None}, False),
    ("blank body", {"body": " \n\t "}, False),
    ("body not a string", {"body": 42}, False),
    ("no url", {"url": None}, False),
    ("empty url", {"url": ""}, False),
    ("ftp url", {"url": "ftp://files.example.com/a"}, False),
    ("javascript url", {"url": "javascript:alert(1)"}, False),
    ("scheme-relative url", {"url": "//news.example.com/a"}, False),
    ("url without host", {"url": "https://"}, False),
    ("space in host", {"url": "https://news example.com/a"}, False),
    ("port out of range", {"url": "https://news.example.com:99999/a"}, False),
    ("url of 4,097 characters", {"url": "https://news.example.com/" + "a" * 4_072}, False),
    ("url of 4,096 characters", {"url": "https://news.example.com/" + "a" * 4_071}, True),
    ("upper-case scheme, port, credentials", {"url": "HTTP://user:pw@News.Example.com:8080/a?b=1"}, True),
    ("IPv6 host", {"url": "https://[2001:db8::1]:8443/a"}, True),
    ("tab inside the url", {"url": "https://news.example.com/a\tb"}, False),
    ("line separator inside the url", {"url": "https://news.example.com/a\u2028b"}, False),
    ("newline after the url", {"url": "https://news.example.com/a\n"}, True),
    ("title of 1,000 characters", {"title": "t" * 1_000}, True),
    ("title of 1,001 characters", {"title": "t" * 1_001}, False),
    ("id", {"id": "wire-42"}, True),
    ("padded id", {"id": "  wire-42  "}, True),
    ("blank id", {"id": "  "}, False),
    ("id with a line break", {"id": "wire\n42"}, False),
    ("id of 257 characters", {"id": "i" * 257}, False),
    ("language en-GB", {"language": "en-GB"}, True),
    ("language EN_us", {"language": "EN_us"}, True),
    ("language that is no tag", {"language": "english please"}, False),
    ("language of 100 letters", {"language": "e" * 100}, False),
    ("RFC 3339", {"published_at": "2026-11-25T09:30:00+01:00"}, True),
    ("RFC 3339 with fraction and Z", {"published_at": "2026-11-25T08:30:00.250Z"}, True),
    ("ISO without offset", {"published_at": "2026-11-25 08:30:00"}, True),
    ("ISO offset without colon", {"published_at": "2026-11-25T09:30:00+0100"}, True),
    ("bare date", {"published_at": "2026-11-25"}, True),
    ("RFC 2822", {"published_at": "Tue, 25 Nov 2026 09:30:00 +0100"}, True),
    ("RFC 2822 GMT", {"published_at": "Tue, 25 Nov 2026 08:30:00 GMT"}, True),
    ("RFC 822 two-digit year, EST", {"published_at": "25 Nov 26 03:30 EST"}, True),
    ("RFC 2822 without time", {"published_at": "25 Nov 2026"}, True),
    ("RFC 2822 unknown zone", {"published_at": "Tue, 25 Nov 2026 03:30:00 ET"}, False),
    ("epoch seconds", {"published_at": 1795000000}, True),
    ("epoch milliseconds", {"published_at": 1795000000123}, True),
    ("epoch seconds as string", {"published_at": "1795000000"}, True),
    ("epoch milliseconds as string", {"published_at": "1795000000123"}, True),
    ("small number", {"published_at": 12345}, False),
    ("boolean date", {"published_at": True}, False),
    ("words for a date", {"published_at": "yesterday"}, False),
    ("month 13", {"published_at": "2026-13-01T00:00:00Z"}, False),
    ("hour 25", {"published_at": "2026-11-25T25:00:00Z"}, False),
    ("five-digit year", {"published_at": "99999-01-01T00:00:00Z"}, False),
]

#: What no JSON Schema can tell: the worker refuses or sets aside these, the schema passes them.
KNOWN_GAPS: list[tuple[str, dict[str, Any]]] = [
    ("no text once markup is removed", {"body": "<script>alert(1)</script>"}),
    ("not prose", {"body": "&amp; " * 3_000}),
    ("HTML nested too deep", {"body": "<div>" * 1_001 + BODY}),
    ("a day February does not have", {"published_at": "2026-02-30T00:00:00Z"}),
    ("language that disagrees with the text", {"language": "fr"}),
]


@pytest.mark.parametrize(("fields", "whole"), [(f, w) for _, f, w in AGREE], ids=[n for n, _, _ in AGREE])
def test_schema_and_worker_agree(fields: dict[str, Any], whole: bool) -> None:
    payload = {k: v for k, v in {**BASE, **fields}.items() if v is not None}
    assert (schema_accepts(payload), worker_takes_whole(payload)) == (whole, whole)


@pytest.mark.parametrize("fields", [f for _, f in KNOWN_GAPS], ids=[n for n, _ in KNOWN_GAPS])
def test_what_the_schema_cannot_see_is_left_to_the_worker(fields: dict[str, Any]) -> None:
    payload = {**BASE, **fields}
    assert (schema_accepts(payload), worker_takes_whole(payload)) == (True, False)


@pytest.mark.parametrize(
    "value", ["2026-11-25T09:30:00+01:00", "Tue, 25 Nov 2026 08:30:00 GMT", 1795000000, "1795000000123"]
)
def test_updated_at_takes_the_formats_of_published_at(value: object) -> None:
    payload = {**BASE, "updated_at": value}
    assert schema_accepts(payload)
    assert parse_article(orjson.dumps(payload), InputLimits()).updated_at is not None
