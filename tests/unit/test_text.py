"""Normalisation before hashing: copies that differ only in page furniture read the same."""

from __future__ import annotations

import pytest

from services.text import (
    MarkupTooDeep,
    clean_body,
    clean_title,
    extract_body,
    html_to_text,
    is_whole_page,
    strip_boilerplate,
    words,
)

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


#: Four paragraphs of an article as long as real ones (trafilatura judges blocks by length).
PARAGRAPHS = [
    "Hundreds of people were forced to leave their homes on Monday as strong winds pushed a "
    "large bushfire towards the town of Hill Top, south-west of Sydney, and fire crews warned "
    "that the front could reach the first streets before nightfall.",
    "An estimated 500 residents drove to an evacuation centre in nearby Mittagong, where the "
    "council had opened the showground and the town hall. Volunteers handed out blankets and "
    "water while police kept the main road clear for fire trucks.",
    "The Rural Fire Service said more than 60 crews and four water-bombing aircraft were working "
    "on the fire, which had already burned through 3,000 hectares of bush since it started in a "
    "gully on Saturday afternoon.",
    "Forecasters expect the wind to ease on Wednesday, when a cooler change is due to move up "
    "the coast. Until then, residents of Hill Top and Colo Vale have been told to stay away "
    "and to follow the updates of the emergency services.",
]
ARTICLE = "\n\n".join(PARAGRAPHS)


def page(*, head: str = "<title>Fire nears Hill Top | The Daily Example</title>", body: str) -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def article_html(headline: str = "Fire nears Hill Top") -> str:
    return f"<h1>{headline}</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


def test_html_page_reads_like_the_plain_copy() -> None:
    html_page = page(
        head="<title>Fire</title><script>var x = 'Hundreds';</script>",
        body="<header><nav>Home | World</nav></header><article>"
        + article_html()
        + "<div class='share'>Share on Facebook</div></article>"
        "<aside>Most popular</aside><footer>Copyright 2001 Fairfax</footer>",
    )
    assert words(clean_body(html_page)) == words(clean_body(ARTICLE))
    assert "var x" not in html_to_text(html_page)


def test_whole_page_loses_menus_teasers_and_comments_kept_in_plain_divs() -> None:
    menu = "".join(f"<div class='item'><a href='/{s}'>{s}</a></div>" for s in ("World", "Sport", "Money"))
    teasers = "".join(
        f"<div class='teaser'><a href='/t{n}'>Council approves new parking rules for the city centre "
        f"after a long debate, number {n}</a></div>"
        for n in range(6)
    )
    comments = "".join(
        f"<div class='comment'><div class='who'>reader{n}</div><div>I saw the smoke from the "
        f"highway this morning and it looked terrible, stay safe everyone {n}</div></div>"
        for n in range(5)
    )
    html_page = page(
        body=f"<div id='menu'>{menu}</div><div id='main'><div class='story'>{article_html()}</div>"
        f"<div id='related'><div>Related stories</div>{teasers}</div>"
        f"<div id='comments'><div>5 comments</div>{comments}</div></div><div id='foot'>About us</div>"
    )
    body = extract_body(html_page)
    assert body.kind == "page"
    assert body.text == ARTICLE
    for furniture in ("Sport", "parking rules", "reader", "stay safe", "About us"):
        assert furniture not in body.text


def test_article_wrapped_in_a_form_is_kept_on_a_page_and_in_a_fragment() -> None:
    wrapped = f"<form id='aspnetForm' action='/page.aspx'>{article_html()}<input name='q'></form>"
    assert extract_body(page(body=wrapped)).text == ARTICLE
    assert extract_body(f"<div>{wrapped}</div>").text == ARTICLE


def test_cookie_banner_and_byline_are_out_of_the_text() -> None:
    banner = (
        "<div id='cookie-consent'>We use cookies to give you the best experience on our site. "
        "By continuing to browse you agree to our use of cookies.<button>Accept</button></div>"
    )
    byline = "<div class='byline'>By Anne Davies</div>"
    html_page = page(body=f"{banner}<article>{article_html()}{byline}</article>")
    fragment = f"{banner}{byline}" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    for body in (html_page, fragment):
        text = extract_body(body).text
        assert text == ARTICLE, body[:40]


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ("<title>Fire nears Hill Top | The Daily Example</title>", "", "Fire nears Hill Top"),
        ("<title>The Daily Example</title>", "<h1>Fire nears Hill Top</h1>", "Fire nears Hill Top"),
        (
            "<meta property='og:title' content='Fire nears Hill Top'><title>Home - Example</title>",
            "<h1>Latest news</h1>",
            "Fire nears Hill Top",
        ),
    ],
    ids=["title-without-site-name", "h1", "og-title"],
)
def test_page_headline_comes_from_og_title_h1_or_title(head: str, body: str, title: str) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    extracted = extract_body(page(head=head, body=f"<article>{body}{paragraphs}</article>"))
    assert extracted.title == title
    assert extracted.text == ARTICLE  # the headline is the title's, not the text's


def test_fragment_headline_comes_from_its_h1() -> None:
    extracted = extract_body(article_html())
    assert (extracted.kind, extracted.title, extracted.text) == ("fragment", "Fire nears Hill Top", ARTICLE)


@pytest.mark.parametrize(
    "body",
    [
        "<p>Leaders met today.</p>",
        "<div><article><p>Leaders met today.</p></article></div>",
        "Plain text with <b>bold</b> words.",
    ],
)
def test_fragments_and_plain_text_take_the_cheap_path(body: str) -> None:
    assert not is_whole_page(body)
    assert extract_body(body).kind in ("fragment", "text")


def test_billion_laughs_in_a_page_is_not_expanded() -> None:
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">{entities}]>'
        f"<html><body><p>&l9;</p>{article_html()}</body></html>"
    )
    text = extract_body(bomb).text
    assert len(text) < 5 * len(ARTICLE)
    assert "lollol" not in text


def test_page_nested_as_deep_as_real_ones_is_read_and_a_deeper_one_refused() -> None:
    # Nesting is what makes the HTML parser slow (its time grows with the square of the depth).
    deep = page(body="<div>" * 900 + article_html() + "</div>" * 900)
    assert extract_body(deep).text == ARTICLE
    for body in (
        page(body="<div>" * 50_000 + article_html()),
        "<span>" * 5_000 + "text",
        "<div><span>" * 600 + "text",
    ):
        with pytest.raises(MarkupTooDeep):
            extract_body(body)
    # Unclosed <p> and <li>, as sloppy pages write them, add no depth.
    sloppy = "<ul>" + "<li>item" * 3_000 + "</ul>" + "<p>para" * 3_000
    assert extract_body(sloppy).kind == "fragment"


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
