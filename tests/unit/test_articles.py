"""Validation and normalisation of raw scraper payloads."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import tracemalloc
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from services.articles import _visible_and_letters, decode_payload, parse_article
from services.dedup import Deduplicator, estimated_jaccard
from services.errors import InvalidArticle
from services.text import html_to_text
from tests.support.builders import DEDUP, DEFAULTS
from tests.support.builders import LIMITS as DEFAULT_LIMITS

LIMITS = replace(
    DEFAULTS.input_limits, max_message_bytes=64_000, max_body_chars=20_000, max_text_chars=10_000
)


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


#: Padding that takes a payload past the size from which the standard library parses it.
_LARGE_PADDING = "w" * 300_000


@pytest.mark.parametrize(
    "body",
    ["NaN", "-Infinity", "1e400", '"\\ud800 alone"', '"ok", "extra": [1, "\\udfff"]'],
)
def test_a_large_payload_is_refused_for_what_a_small_one_is(body: str) -> None:
    small = f'{{"url": "https://e.com/a", "body": {body}}}'.encode()
    large = f'{{"url": "https://e.com/a", "pad": "{_LARGE_PADDING}", "body": {body}}}'.encode()
    for payload in (small, large):
        with pytest.raises(InvalidArticle) as info:
            decode_payload(payload, DEFAULT_LIMITS)
        assert info.value.error_type == "invalid_json"


def test_a_large_payload_keeps_escaped_surrogate_pairs_and_control_escapes() -> None:
    payload = (
        f'{{"url": "https://e.com/a", "pad": "{_LARGE_PADDING}", '
        '"body": "Talks in Paris \\ud83d\\ude00 went on\\u0007 late."}'
    ).encode()
    assert decode_payload(payload, DEFAULT_LIMITS)["body"] == "Talks in Paris \U0001f600 went on\u0007 late."


def test_decoding_a_megabyte_message_sets_aside_about_its_size_not_ten_times_it() -> None:
    payload = orjson.dumps({"url": "https://e.com/t", "body": "a" * 1_000_000})
    decode_payload(payload, DEFAULT_LIMITS)  # first call: anything cached is not counted below
    tracemalloc.start()
    try:
        decode_payload(payload, DEFAULT_LIMITS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The decoded text and the body string: ~2 MB; orjson alone set aside 12.4 MB.
    assert peak < 4 * len(payload)


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
        ({"body": "w " * 6_000}, "text_too_large"),
        ({"body": "<div>" * 1_001 + "text"}, "html_too_deep"),
        ({"url": "javascript:alert(1)"}, "invalid_url"),
        ({"url": "ftp://files.example.com/a"}, "invalid_url"),
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


# --- whole pages and their limits -------------------------------------------------------------

FRENCH = (
    "Le gouvernement a présenté mardi un projet de loi sur la réforme des retraites, qui doit "
    "être examiné par l'Assemblée nationale avant la fin du mois. Les syndicats ont appelé à une "
    "nouvelle journée de grève et de manifestations dans toute la France."
)
ENGLISH = (
    "The government presented a pension reform bill on Tuesday, which parliament is due to "
    "examine before the end of the month. Unions called for another day of strikes and protests "
    "across the country."
)


def test_a_300_kb_page_whose_article_is_short_is_accepted() -> None:
    furniture = "".join(
        f"<div class='promo'><a href='/p{n}'>Offer {n}: subscribe today and save on every issue</a></div>"
        for n in range(4_000)
    )
    page = (
        "<!doctype html><html><head><title>Pension reform bill presented | Example News</title></head>"
        f"<body><div id='promos'>{furniture}</div><article><p>{ENGLISH}</p><p>{ENGLISH.upper().lower()}"
        "</p></article></body></html>"
    )
    assert len(page) > 300_000
    article = parse_article(payload(body=page, title=None), DEFAULT_LIMITS)
    assert article.text.startswith("The government presented a pension reform bill")
    assert "subscribe" not in article.text
    assert len(article.text) < 1_000
    assert article.title == "Pension reform bill presented"


def test_the_raw_size_limit_still_refuses_a_huge_body_before_parsing_it() -> None:
    limits = DEFAULT_LIMITS
    body = "<html><body>" + "<p>word</p>" * (limits.max_body_chars // 11 + 1) + "</body></html>"
    with pytest.raises(InvalidArticle) as info:
        parse_article(payload(body=body), limits)
    assert info.value.error_type == "body_too_large"
    assert info.value.message == (
        f"body is {len(body)} characters as sent; the limit is 2000000 (NEWSWIRE_MAX_BODY_CHARS)"
    )


def test_a_title_sent_wins_over_the_page_headline() -> None:
    page = f"<html><head><title>Page headline</title></head><body><p>{ENGLISH}</p></body></html>"
    assert parse_article(payload(body=page, title="Sent headline"), LIMITS).title == "Sent headline"
    assert parse_article(payload(body=page), LIMITS).title == "Page headline"


# --- dates: never a reason to lose an article --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-02T10:15:00+01:00", "2026-03-02T09:15:00Z"),
        ("Mon, 02 Mar 2026 10:15:00 +0100", "2026-03-02T09:15:00Z"),
        ("Mon, 2 Mar 2026 04:15:00 EST", "2026-03-02T09:15:00Z"),
        ("02 Mar 26 09:15 GMT", "2026-03-02T09:15:00Z"),
        (1772442900, "2026-03-02T09:15:00Z"),
        (1772442900123, "2026-03-02T09:15:00Z"),
        ("1772442900", "2026-03-02T09:15:00Z"),
        ("1772442900123", "2026-03-02T09:15:00Z"),
        (1772442900.5, "2026-03-02T09:15:00Z"),
        ("2026-03-02", "2026-03-02T00:00:00Z"),
    ],
)
def test_feed_date_formats_are_read_as_utc(value: object, expected: str) -> None:
    article = parse_article(payload(published_at=value), LIMITS)
    assert (article.published_at, article.warnings) == (expected, ())


@pytest.mark.parametrize(
    "value",
    [
        *("yesterday", "99999-01-01T00:00:00Z", "Thu, 31 Jun 2004 19:48:21 GMT"),
        *("Mon, 26 Jan 2004 16:31 ET", 12345, True, [2026]),
    ],
)
def test_an_unreadable_date_keeps_the_article_with_a_null_date_and_a_warning(value: object) -> None:
    article = parse_article(payload(published_at=value), LIMITS)
    assert article.published_at is None
    [warning] = article.warnings
    assert (warning.field, warning.type) == ("published_at", "unreadable_published_at")
    assert "kept with published_at null" in warning.message


# --- languages -----------------------------------------------------------------------------------


def test_a_french_article_sent_without_language_is_detected_and_not_for_nlp() -> None:
    article = parse_article(payload(body=FRENCH), LIMITS)
    assert (article.language, article.nlp_supported, article.warnings) == ("fr", False, ())
    decision = article.language_decision
    assert decision is not None and (decision.source, decision.detected) == ("detected", "fr")


def test_a_confident_detection_beats_a_sent_language_that_disagrees() -> None:
    article = parse_article(payload(body=FRENCH, language="en-GB"), LIMITS)
    assert article.language == "fr"
    [warning] = article.warnings
    assert (warning.field, warning.type) == ("language", "language_mismatch")


def test_the_sent_language_decides_when_the_text_is_too_short_to_tell() -> None:
    article = parse_article(payload(body="Merci.", language="fr-CA"), LIMITS)
    assert (article.language, article.language_decision.source) == ("fr", "sent")  # type: ignore[union-attr]
    english = parse_article(payload(body=ENGLISH, language="en"), LIMITS)
    assert (english.language, english.nlp_supported, english.warnings) == ("en", True, ())


def test_short_text_without_language_is_read_as_english() -> None:
    article = parse_article(payload(), LIMITS)
    assert (article.language, article.language_decision.source) == ("en", "default")  # type: ignore[union-attr]


def test_an_unreadable_language_tag_is_ignored_with_a_warning() -> None:
    article = parse_article(payload(body=ENGLISH, language="english please"), LIMITS)
    assert article.language == "en"
    [warning] = article.warnings
    assert (warning.field, warning.type) == ("language", "unreadable_language")


GRAIN_TALKS = [
    "Ministers from both countries met in Vienna on Tuesday to revive talks on the grain corridor, "
    "which stalled in the summer after a dispute over inspections at the ports.",
    "Officials said the two sides agreed to set up a joint inspection team and to meet again "
    "before the end of the month, when the first ships are due to sail.",
    "Shipping companies welcomed the news but warned that insurance costs would stay high until "
    "the corridor had been open for several weeks without incident.",
]
FARM_PROTEST = [
    "Farmers blocked roads with tractors for a third day on Wednesday, demanding lower fuel "
    "prices and fewer rules on how land near rivers may be used.",
    "Police said the protests had been peaceful, although traffic on the main highway into the "
    "capital was held up for several hours during the morning.",
    "The agriculture ministry said talks with the farmers' unions would resume on Friday, and "
    "that it was ready to discuss a temporary cut in fuel duty.",
]


TEASERS = [
    "Council approves a new budget for roads and schools after a long night of debate",
    "Heatwave warning issued for the north as temperatures climb past forty degrees",
    "Local bakery wins national prize for its sourdough loaf and rye crackers",
    "Train drivers announce a two-day strike over pay and working hours next week",
    "Museum reopens its dinosaur hall with a skeleton found in a quarry last spring",
    "Hospital waiting lists fall for the first time in three years, figures show",
    "City football club signs a young striker from the second division on a loan",
    "Storm damage closes the coastal path between the harbour and the lighthouse",
    "University students protest against higher rents in the new halls of residence",
    "Police appeal for witnesses after a fire at a warehouse on the industrial estate",
    "Farmers market moves to the old cattle yard while the square is being repaved",
    "Airport expansion plan faces a legal challenge from residents under the flight path",
]


def test_two_stories_on_pages_sharing_a_sidebar_are_not_near_duplicates() -> None:
    teasers = "".join(f"<div class='teaser'><a href='/s/{n}'>{t}</a></div>" for n, t in enumerate(TEASERS))
    sidebar = f"<div id='sidebar'><div>Most read</div>{teasers}</div>"
    pages = [
        "<!doctype html><html><head><title>News</title></head><body><div id='main'>"
        + "<div class='story'>"
        + "".join(f"<p>{p}</p>" for p in story)
        + "</div>"
        + sidebar
        + "</div></body></html>"
        for story in (GRAIN_TALKS, FARM_PROTEST)
    ]
    deduplicator = Deduplicator(None, DEDUP)  # type: ignore[arg-type]  # request_for never uses the store

    def signature(body: str) -> bytes:
        return deduplicator.request_for(
            parse_article(payload(body=body), DEFAULT_LIMITS), "raw:0:0"
        ).signature

    texts = [parse_article(payload(body=page), DEFAULT_LIMITS).text for page in pages]
    assert all("Council approves" not in text for text in texts)
    assert estimated_jaccard(*map(signature, pages)) < 0.45
    # The pages' whole visible text, sidebar included, would have made them near-duplicates.
    assert estimated_jaccard(*(signature(html_to_text(page)) for page in pages)) >= 0.45


DECODE_LIKE_A_WORKER = """
import sys
from services.articles import load_decoders, parse_article
from tests.support.builders import LIMITS
load_decoders()
body = "The council met on Monday. " * 20
page = "<html><body><article><p>" + body + "</p></article></body></html>"
for kind, text in (("text", body), ("fragment", "<p>" + body + "</p>"), ("page", page)):
    parse_article(('{"id": "a", "url": "https://e.com/a", "body": "' + text + '"}').encode(), LIMITS)
    print(kind, "trafilatura" in sys.modules)
"""


def test_the_page_extractor_is_imported_by_the_first_whole_page_only() -> None:
    """trafilatura is ~20 MB in the worker process; one fed text and fragments never needs it."""
    done = subprocess.run(
        [sys.executable, "-c", DECODE_LIKE_A_WORKER],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["text False", "fragment False", "page True"]
