"""Canonical URLs: every spelling of one article page maps to one string."""

from __future__ import annotations

import pytest

from services.errors import InvalidArticle
from services.urls import article_id_from_url, canonicalize_url, shareable_url

CANONICAL = "https://example.com/news/2001/fire-nears-hill-top"


@pytest.mark.parametrize(
    "variant",
    [
        "https://example.com/news/2001/fire-nears-hill-top",
        "http://EXAMPLE.com/news/2001/fire-nears-hill-top/",
        "https://www.example.com/news/2001/fire-nears-hill-top#comments",
        "https://m.example.com/news/2001/fire-nears-hill-top",
        "https://mobile.example.com/news/2001/fire-nears-hill-top",
        "https://amp.example.com/news/2001/fire-nears-hill-top",
        "https://www.m.example.com/news/2001/fire-nears-hill-top",
        "https://example.com/news/2001/fire-nears-hill-top/amp",
        "https://example.com/news/2001/fire-nears-hill-top.amp",
        "https://example.com/amp/news/2001/fire-nears-hill-top",
        "https://example.com/news/2001/fire-nears-hill-top?amp=1",
        "https://example.com/news/2001/fire-nears-hill-top?outputType=amp",
        "https://example.com:443/news/2001/fire-nears-hill-top",
        "https://example.com/news/2001/fire-nears-hill-top?utm_source=twitter&utm_medium=social",
        "https://example.com/news/2001/fire-nears-hill-top?fbclid=IwAR0x&gclid=abc&ocid=rss",
        "https://example.com/news/2001/fire-nears-hill-top?mc_cid=1&mc_eid=2&_ga=3&icid=x",
        "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/2001/fire-nears-hill-top/amp",
    ],
)
def test_variants_of_one_page_share_a_canonical_url(variant: str) -> None:
    assert canonicalize_url(variant) == CANONICAL


def test_article_parameters_are_kept_and_sorted() -> None:
    assert (
        canonicalize_url("https://example.com/story?page=2&id=42&utm_campaign=x")
        == "https://example.com/story?id=42&page=2"
    )


def test_different_articles_keep_different_urls() -> None:
    assert canonicalize_url("https://example.com/story?id=1") != canonicalize_url(
        "https://example.com/story?id=2"
    )
    assert canonicalize_url("https://example.com/a") != canonicalize_url("https://example.org/a")


def test_non_default_port_and_internationalised_host() -> None:
    assert canonicalize_url("https://example.com:8443/a") == "https://example.com:8443/a"
    assert canonicalize_url("https://www.m\u00fcnchen.de/a") == "https://xn--mnchen-3ya.de/a"


def test_short_hosts_are_not_folded() -> None:
    assert canonicalize_url("https://m.com/a") == "https://m.com/a"


@pytest.mark.parametrize(
    ("url", "error_type"),
    [
        ("", "missing_url"),
        ("ftp://example.com/a", "invalid_url"),
        ("javascript:alert(1)", "invalid_url"),
        ("https:///no-host", "invalid_url"),
        ("https://example.com:99999/a", "invalid_url"),
        ("https://example.com/" + "a" * 5000, "url_too_long"),
    ],
)
def test_unusable_urls_are_refused(url: str, error_type: str) -> None:
    with pytest.raises(InvalidArticle) as caught:
        canonicalize_url(url)
    assert caught.value.error_type == error_type


def test_article_id_from_url_is_stable() -> None:
    assert article_id_from_url(CANONICAL) == article_id_from_url(CANONICAL)
    assert len(article_id_from_url(CANONICAL)) == 20


@pytest.mark.parametrize(
    ("url", "char"),
    [
        ("https://e.com/a\nSet-Cookie: x=1", "U+000A"),
        ("https://e.com/a\r\nLocation: evil", "U+000D"),
        ("https://e.com/a\tb", "U+0009"),
        ("https://e.com/a\x00b", "U+0000"),
        ("https://e.com/\x1b[31m", "U+001B"),
        ("https://e.com/a\u2028b", "U+2028"),
    ],
)
def test_urls_with_control_characters_are_refused_with_the_character_named(url: str, char: str) -> None:
    with pytest.raises(InvalidArticle) as refused:
        canonicalize_url(url)
    assert refused.value.error_type == "invalid_url"
    assert char in refused.value.message and "control character" in refused.value.message


def test_surrounding_whitespace_is_trimmed_not_refused() -> None:
    assert canonicalize_url(" https://e.com/a\n") == "https://e.com/a"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://[::1]:6379/", "https://[::1]:6379/"),
        ("https://[2001:DB8::1]/news/a", "https://[2001:db8::1]/news/a"),
        ("https://[2001:db8::1]:443/x", "https://[2001:db8::1]/x"),
    ],
)
def test_ipv6_hosts_stay_in_brackets(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


SECRET_QUERY = (
    "https://e.com/story?id=7&token=T1&access_token=T2&api_key=T3&key=T4&sig=T5&Signature=T6"
    "&X-Amz-Signature=T7&password=T8&auth=T9&client_secret=T10&utm_source=rss&page=2"
)


def test_token_like_parameters_leave_the_canonical_url() -> None:
    assert canonicalize_url(SECRET_QUERY) == "https://e.com/story?id=7&page=2"


def test_shareable_url_keeps_the_url_as_sent_less_credentials() -> None:
    shared = shareable_url("https://admin:hunter2@www.e.com/story?" + SECRET_QUERY.split("?")[1] + "#top")
    assert shared == "https://www.e.com/story?id=7&utm_source=rss&page=2#top"
    assert shareable_url("https://e.com/a?b=1&a=2") == "https://e.com/a?b=1&a=2"  # untouched
