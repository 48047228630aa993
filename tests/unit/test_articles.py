"""Validation and normalisation of raw scraper payloads."""

from __future__ import annotations

import random
import re

import orjson
import pytest

from services.articles import InputLimits, _visible_and_letters, parse_article
from services.errors import InvalidArticle

LIMITS = InputLimits(max_message_bytes=64_000, max_body_chars=20_000)


def payload(**fields: object) -> bytes:
    base: dict[str, object] = {
        "url": "https://news.example.com/a?utm_source=x#top",
        "body": "Leaders met today.",
    }
    base.update(fields)
    return orjson.dumps({k: v for k, v in base.items() if v is not ...})


def refusal(raw: bytes | None) -> InvalidArticle:
    with pytest.raises(InvalidArticle) as info:
        parse_article(raw, LIMITS)
    return info.value


@pytest.mark.parametrize(
    ("raw", "error_type", "stage"),
    [
        (None, "empty_payload", "decode"),
        (b"", "empty_payload", "decode"),
        (b"{not json", "invalid_json", "decode"),
        (b'{"url": "https://a.b/c", "body": "caf\xe9"}', "invalid_utf8", "decode"),
        ("{}".encode("utf-16"), "invalid_utf8", "decode"),
        (b"[1, 2]", "not_an_object", "decode"),
        (b"42", "not_an_object", "decode"),
        (b"[" * 20_000 + b"]" * 20_000, "json_too_deep", "decode"),
    ],
)
def test_undecodable_payloads_are_refused_at_decode(raw: bytes | None, error_type: str, stage: str) -> None:
    exc = refusal(raw)
    assert (exc.error_type, exc.stage) == (error_type, stage)


def test_oversized_message_is_refused_before_parsing() -> None:
    exc = refusal(b'{"url": "' + b"x" * 70_000 + b'"}')
    assert exc.error_type == "message_too_large"
    assert "64000" in exc.message


@pytest.mark.parametrize(
    ("fields", "error_type"),
    [
        ({"url": ...}, "missing_url"),
        ({"url": ""}, "missing_url"),
        ({"url": 5}, "invalid_field_type"),
        ({"title": ["a"]}, "invalid_field_type"),
        ({"body": ...}, "empty_body"),
        ({"body": "   \n "}, "empty_body"),
        ({"body": "<script>alert(1)</script>"}, "empty_body"),
        ({"body": "w " * 10_001}, "body_too_large"),
        ({"url": "javascript:alert(1)"}, "invalid_url"),
        ({"url": "ftp://files.example.com/a"}, "invalid_url"),
        ({"published_at": "99999-01-01T00:00:00Z"}, "invalid_published_at"),
        ({"published_at": "yesterday"}, "invalid_published_at"),
        ({"language": "de"}, "unsupported_language"),
        ({"id": "bad\nid"}, "invalid_id"),
        ({"body": "&amp; " * 3_000}, "not_prose"),
        ({"body": "Rates rose. " + "1.25 3.50 -0.75 %% " * 400}, "not_prose"),
    ],
)
def test_invalid_fields_are_refused_with_a_precise_reason(fields: dict[str, object], error_type: str) -> None:
    assert refusal(payload(**fields)).error_type == error_type


def test_article_is_normalised_and_gets_a_stable_id_from_its_canonical_url() -> None:
    article = parse_article(payload(title="  Leaders\tmeet "), LIMITS)
    again = parse_article(payload(url="HTTPS://News.Example.com/a?utm_medium=y"), LIMITS)
    assert article.canonical_url == "https://news.example.com/a"
    assert article.article_id == again.article_id
    assert article.title == "Leaders meet"
    assert article.source == "news.example.com"
    assert article.word_count == 3


def test_published_at_is_normalised_to_utc() -> None:
    article = parse_article(payload(published_at="2026-03-02T10:15:00+01:00"), LIMITS)
    assert article.published_at == "2026-03-02T09:15:00Z"


def test_script_content_never_reaches_the_text() -> None:
    body = "<p>Talks resumed.</p><script>var secret = 1;</script><p>Both sides agreed.</p>"
    article = parse_article(payload(body=body), LIMITS)
    assert "secret" not in article.text
    assert "Talks resumed." in article.text and "Both sides agreed." in article.text


def test_url_credentials_are_not_kept_in_the_canonical_url() -> None:
    article = parse_article(payload(url="https://user:pw@news.example.com/a"), LIMITS)
    assert "pw" not in article.canonical_url


def test_control_characters_and_null_bytes_are_removed() -> None:
    article = parse_article(payload(body="Talks\x00 resumed\x07 today."), LIMITS)
    assert article.text == "Talks resumed today."


def test_utf8_bom_is_accepted() -> None:
    assert parse_article(b"\xef\xbb\xbf" + payload(), LIMITS).text == "Leaders met today."


def _regex_counts(text: str) -> tuple[int, int]:
    visible = len(text) - sum(len(run) for run in re.findall(r"\s+", text))
    letters = sum(len(run) for run in re.findall(r"[^\W\d_]+", text))
    return visible, letters


@pytest.mark.parametrize("alphabet", ["ascii", "unicode"])
def test_prose_counts_match_the_plain_pattern_count(alphabet: str) -> None:
    # The fast count (bytes.translate on the ASCII bulk) must agree character for character
    # with counting the patterns over the whole text, on any mix of characters.
    chars = [chr(c) for c in range(128)]
    if alphabet == "unicode":
        chars += list(
            "\u2019\u201c\u201d\u2014\u00e9\u00fc\u00df\u00bd\u00b2\u0663\u2003\u00a0\x85\u3000\u6f22\u00c0\u03a9\u20ac\u200b\ufeff"
        )
    rng = random.Random(11)
    for _ in range(3_000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 80)))
        assert _visible_and_letters(text) == _regex_counts(text), repr(text)
