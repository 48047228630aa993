"""Canonical URLs: every spelling of one article page maps to one string."""

from __future__ import annotations

import pytest

from services.errors import InvalidArticle
from services.urls import article_id_from_url, canonicalize_url

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
