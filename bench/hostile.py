"""The named hostile inputs of issue 6, shared by the hostile-input tests and ``newswire bench``.

Each case is ``name -> (payload bytes, expected outcome)``, where the outcome is ``"enriched"``
or the DLQ ``error.type`` the worker must give it.
"""

from __future__ import annotations

import random

import orjson

#: A script body that must never reach an output ``text``.
SECRET_SCRIPT = "stealCookiesNow"

_BODY = (
    "Officials from France met counterparts from Japan in Paris on Monday to discuss "
    "maritime security. The two governments agreed to continue talks next month."
)
_FILLER = [
    "harbour",
    "budget",
    "senate",
    "drought",
    "tariff",
    "pipeline",
    "election",
    "railway",
    "vaccine",
    "refinery",
    "ceasefire",
    "convoy",
    "satellite",
    "wheat",
    "reactor",
    "bridge",
    "census",
    "currency",
    "glacier",
    "treaty",
    "minister",
    "embassy",
    "protest",
    "summit",
    "export",
    "copper",
    "ferry",
    "monsoon",
    "frontier",
    "audit",
]


def _own_words(name: str) -> str:
    # 40 words drawn per case: no two valid cases share enough shingles to be near duplicates.
    rng = random.Random(name)
    return " ".join(rng.choice(_FILLER) for _ in range(40)) + f". Case {name}."


def good_payload(name: str, **fields: object) -> bytes:
    """A valid article with a body of its own, carrying ``fields`` on top."""
    body = f"{_BODY} {_own_words(name)}"
    return orjson.dumps({"id": name, "url": f"https://news.example.com/{name}", "body": body, **fields})


def named_cases() -> dict[str, tuple[bytes, str]]:
    """case name -> (payload, expected outcome: "enriched" or the DLQ error type).

    The whole page with scripts is enriched with none of their text; the page that adds
    2,000 entities to two sentences reads as 95% ampersands once its article is extracted and,
    like a body that is nothing but entities (30,000), is refused as ``not_prose`` before NLP,
    whose cost on such text grows faster than linearly (see docs/reliability.md)."""
    deep = (
        b'{"id": "x", "url": "https://e.com/d", "body": "b", "extra": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}"
    )
    html = (
        "<html><head><script>var " + SECRET_SCRIPT + " = document.cookie;</script>"
        "<style>body{}</style></head><body><p>" + _BODY + "</p>"
        "<p>"
        + "&amp;" * 1_500
        + "&amp;amp;amp;amp;lt;" * 500
        + "</p><p>&lt;script&gt;"
        + SECRET_SCRIPT
        + "()&lt;/script&gt;</p>"
        "<script>" + SECRET_SCRIPT + "()</script></body></html>"
    )
    page = (
        "<!doctype html><html><head><script>var " + SECRET_SCRIPT + " = document.cookie;</script></head>"
        "<body><nav><a href='/'>Home</a></nav><iframe src='/ad'>" + SECRET_SCRIPT + "</iframe>"
        "<noscript>"
        + SECRET_SCRIPT
        + "</noscript><article><p>"
        + _BODY
        + "</p><p>"
        + _BODY.upper()
        + "</p><p>&lt;script&gt;"
        + SECRET_SCRIPT
        + "()&lt;/script&gt;</p></article>"
        "<script>" + SECRET_SCRIPT + "()</script></body></html>"
    )
    return {
        "not-json": (b"this is not JSON at all", "invalid_json"),
        "truncated-json": (good_payload("truncated")[:-20], "invalid_json"),
        "invalid-utf8": (good_payload("utf8").replace(b"Paris", b"Par\xe9s"), "invalid_utf8"),
        "utf16-bom": (good_payload("utf16").decode().encode("utf-16"), "invalid_utf8"),
        "json-list": (b'[{"url": "https://e.com/l", "body": "x"}]', "not_an_object"),
        "json-number": (b"42", "not_an_object"),
        "wrong-types": (
            orjson.dumps({"id": "wt", "url": ["https://e.com"], "body": {"t": 1}}),
            "invalid_field_type",
        ),
        "null-bytes-raw": (b"\x00" * 64, "invalid_json"),
        "null-bytes-in-text": (
            good_payload("nulls", title="Null\u0000 title").replace(b"Paris", b"Pa\\u0000ris"),
            "enriched",
        ),
        "control-chars": (
            good_payload("controls").replace(b"Monday", b"Mon\\u001b[31mday\\u0007"),
            "enriched",
        ),
        "one-million-char-token": (
            orjson.dumps({"id": "token", "url": "https://e.com/t", "body": "a" * 1_000_000}),
            # Under the 2,000,000-character limit on the body as sent; over the 200,000 on text.
            "text_too_large",
        ),
        "deep-nesting-100k": (deep, "json_too_deep"),
        "html-page-scripts": (
            orjson.dumps({"id": "page", "url": "https://e.com/p", "body": page}),
            "enriched",
        ),
        # 100,000 nested <div>s would hold the HTML parser for minutes (its time grows with the
        # square of the depth): refused before parsing.
        "html-nesting-100k": (
            orjson.dumps({"id": "nest", "url": "https://e.com/n", "body": "<html>" + "<div>" * 100_000}),
            "html_too_deep",
        ),
        "html-scripts-entity-bomb": (
            orjson.dumps({"id": "html", "url": "https://e.com/h", "body": html}),
            "not_prose",
        ),
        # 30,000 entities stalled the parser for > 90 s before bodies had to be prose.
        "entity-bomb-30k": (
            orjson.dumps({"id": "bomb", "url": "https://e.com/b", "body": "<p>" + "&amp;" * 30_000 + "</p>"}),
            "not_prose",
        ),
        "url-with-credentials": (
            good_payload("creds").replace(
                b"https://news.example.com/creds", b"https://admin:hunter2@news.example.com/creds"
            ),
            "enriched",
        ),
        "javascript-url": (
            orjson.dumps({"id": "js", "url": "javascript:alert(1)", "body": _BODY}),
            "invalid_url",
        ),
        "year-99999": (
            good_payload("y99999", published_at="99999-01-01T00:00:00Z"),
            "enriched",  # kept with published_at null and a warning
        ),
    }


def refused_payloads() -> list[bytes]:
    """The cases that must be dead-lettered (the ones a flood of garbage is made of), with the
    HTML entity bomb left out: it is a valid article, whose cost is NLP, not hostility."""
    return [payload for payload, outcome in named_cases().values() if outcome != "enriched"]
