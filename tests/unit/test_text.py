"""Normalisation before hashing: copies that differ only in page furniture read the same."""

from __future__ import annotations

import pytest

from services.text import clean_body, clean_title, html_to_text, strip_boilerplate, words

STORY = (
    "Hundreds of people have been forced to vacate their homes as strong winds pushed a huge "
    "bushfire towards the town of Hill Top.\n\n"
    "An estimated 500 residents have left their homes for nearby Mittagong."
)


@pytest.mark.parametrize(
    "dateline",
    [
        "SYDNEY, Dec 31 (AAP) - ",
        "WASHINGTON (Reuters) - ",
        "TOKYO, March 3 (AP) -- ",
        "NEW YORK \u2014 ",
        "NEW DELHI: ",
        "WASHINGTON, D.C., Jan 5 (AFP) - ",
    ],
)
def test_wire_dateline_is_removed(dateline: str) -> None:
    assert clean_body(dateline + STORY) == clean_body(STORY)


@pytest.mark.parametrize(
    "line",
    [
        "By Sarah Clarke",
        "By SARAH CLARKE, Associated Press",
        "Reporting by Jane Wilson; Editing by Mark Heinrich",
        "(Reporting by Jane Wilson; additional reporting by Tom Allard; Editing by Bill Tarrant)",
        "Share this: Facebook | Twitter | Email",
        "Share on Facebook",
        "Tweet | Email | Print",
        "Read more: Bushfire season outlook",
        "Related stories:",
        "Advertisement",
        "Story continues below advertisement",
        "\u00a9 2001 AAP. All rights reserved.",
        "Copyright 2001 Fairfax Media",
        "All rights reserved.",
        "Our Standards: The Thomson Reuters Trust Principles.",
        "Sign up for our daily newsletter",
        "Updated: 14:05 AEDT",
    ],
)
def test_boilerplate_lines_are_removed(line: str) -> None:
    assert clean_body(f"{line}\n\n{STORY}\n\n{line}") == clean_body(STORY)


@pytest.mark.parametrize(
    "sentence",
    [
        "Copyright laws were changed today by the federal parliament, officials said.",
        "By the end of the day the fire had crossed the highway.",
        "By then it was over.",
        "Share prices fell sharply on the news.",
        "Related cases are before the High Court.",
    ],
)
def test_article_sentences_that_start_like_boilerplate_are_kept(sentence: str) -> None:
    assert sentence in clean_body(f"{STORY}\n\n{sentence}")


def test_long_line_is_never_treated_as_boilerplate() -> None:
    line = "Read more " + "about the fire and the evacuation of Hill Top residents " * 4
    assert strip_boilerplate(line.strip()) == line.strip()


def test_html_page_reads_like_the_plain_copy() -> None:
    page = (
        "<html><head><title>Fire</title><script>var x = 'Hundreds';</script></head><body>"
        "<header><nav>Home | World</nav></header><article><h1>Fire nears Hill Top</h1>"
        "<p>Hundreds of people have been forced to vacate their homes as strong winds pushed "
        "a huge bushfire towards the town of Hill Top.</p>"
        "<p>An estimated 500 residents have left their homes for nearby&nbsp;Mittagong.</p>"
        "<div class='share'>Share on Facebook</div></article>"
        "<aside>Most popular</aside><footer>Copyright 2001 Fairfax</footer></body></html>"
    )
    assert words(clean_body(page)) == words(clean_body(STORY))
    assert "var x" not in html_to_text(page)


def test_unicode_and_whitespace_are_normalised() -> None:
    messy = "An\u00a0estimated 500 resi\u00addents\u200b have  left\r\n\r\n\r\nfor Mittagong."
    assert clean_body(messy) == "An estimated 500 residents have left\n\nfor Mittagong."


def test_hash_tokens_fold_case_accents_quotes_and_compatibility_forms() -> None:
    assert words("Caf\u00e9 owners don\u2019t \uff21\uff22\uff23 \ufb01re") == [
        "cafe",
        "owners",
        "don't",
        "abc",
        "fire",
    ]
    assert words("CAFE\u0301 Owners DON'T abc FIRE") == words("cafe owners don\u2019t ABC fire")


def test_title_is_one_line_of_text() -> None:
    assert clean_title("<b>Fire</b>  nears\nHill&nbsp;Top") == "Fire nears Hill Top"
    assert clean_title("<h1>Fire nears Hill Top</h1>") == "Fire nears Hill Top"


def test_body_that_is_only_a_headline_keeps_it() -> None:
    assert clean_body("<h1>Fire nears Hill Top</h1>") == "Fire nears Hill Top"
