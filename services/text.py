"""Plain text out of whatever a scraper sends: the article out of a whole web page (trafilatura),
HTML fragments to text, boilerplate out, Unicode tidy."""

from __future__ import annotations

import functools
import html
import logging
import re
import sys
import unicodedata
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Literal

from selectolax.lexbor import LexborHTMLParser as HTMLParser

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_HTML_HINT = re.compile(
    r"<\s*(?:p|div|br|span|a|b|i|em|strong|html|body|article|script|style|h[1-6]|li|ul|table"
    r"|section)\b",
    re.I,
)
# Tags whose content is never article text.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "nav",
    "footer",
    "header",
    "aside",
    # Not <form>: ASP.NET and some CMS pages wrap the whole article in one. Its controls go.
    "select",
    "textarea",
    "button",
    "object",
    "embed",
    "figure",
)
#: Elements whose content trafilatura would otherwise read as text.
_NEVER_TEXT = (
    *("script", "style", "noscript", "template", "iframe"),
    *("object", "embed", "svg", "textarea", "select"),
)
_ACTIVE_MARKUP = re.compile(r"<\s*(?:script|style|iframe|object|embed|svg|template|noscript)\b", re.I)
_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "figcaption",
)
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e"
    r"\u2060-\u2064\ufeff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

# A boilerplate line is short; a longer line that happens to start like one is article text.
_MAX_BOILERPLATE_CHARS = 160
_WIDGET = (
    r"(?:share|tweet|email|e-mail|print|facebook|twitter|x|whatsapp|linkedin|reddit|telegram"
    r"|copy\s+link|comments?)"
)
# Case-sensitive inside the case-insensitive pattern: "By Sarah Clarke" is a byline,
# "By then it was over." is not.
_NAME = r"(?-i:[A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){0,4})"
# Lines that wire copies and web pages add around the same story.
_BOILERPLATE_LINE = re.compile(
    rf"""^\(?(?:
        (?:share(?:\s+(?:this|this\s+(?:article|story)|on\s+\w+|via\s+\w+))?|{_WIDGET})
            \s*:?\s*(?:[|/·•,]?\s*{_WIDGET}\s*)*
      | click\s+to\s+(?:share|email|print)\b.*
      | follow\s+us\s+on\b.*
      | (?:read|see)\s+(?:more|also|next)\b.*
      | related\s*(?:articles?|stories|coverage|content)?\s*:.*
      | related\s*(?:articles?|stories|coverage|content)?
      | (?:story\s+continues\s+below\s+)?advertisement
      | skip\s+to\s+(?:main\s+)?content | listen\s+to\s+this\s+article.* | \d+\s+min(?:ute)?\s+read
      | (?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{{4}})).*
      | all\s+rights\s+reserved\.?.*
      | our\s+standards\s*:.*
      | (?:by|reporting\s+by|written\s+by|editing\s+by|writing\s+by|compiled\s+by
         |additional\s+reporting\s+by)
            \s+{_NAME}(?:\s*(?:,|and|;|&)\s*(?:(?:editing|writing|additional\s+reporting)\s+by\s+)?{_NAME})*
            \s*(?:\|.*)?\)?\.?
      | (?:sign\s+up|subscribe)\b.*\b(?:newsletter|updates|today)\b.*
      | click\s+here\b.*
      | this\s+(?:article|story)\s+(?:was|has\s+been)\s+(?:updated|corrected|first\s+published).*
      | (?:updated|published|posted|last\s+modified)\s*:?\s*\d.*
      | accept(?:\s+all)?(?:\s+cookies)? | (?:manage|cookie)\s+(?:settings|preferences)
    )$""",
    re.I | re.X,
)
# Cookie notices run longer than other furniture lines, so they get their own cap.
_MAX_COOKIE_NOTICE_CHARS = 400
_COOKIE_NOTICE = re.compile(
    r"^(?:we|this\s+(?:web)?site|our\s+(?:web)?site)\s+uses?\s+cookies\b"
    r"|^by\s+(?:continuing|using\s+this\s+(?:web)?site).{0,80}\bcookies\b",
    re.I,
)
# "WASHINGTON (Reuters) - " / "TOKYO, March 3 (AP) --" / "NEW DELHI: " at the start of a story.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'\-]{1,40}(?:,\s*[A-Z][A-Za-z.]{1,20})?(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?"
    r"\s*(?:\((?:[A-Za-z .&\-]{2,30})\))?\s*(?:[-\u2013\u2014]{1,2}|:)\s+"
)


def looks_like_html(text: str) -> bool:
    # The whole text: a <script> after the first N characters must not pass as plain text.
    return bool(_HTML_HINT.search(text))


def html_to_text(markup: str, *, drop_headline: bool = False) -> str:
    """Visible text of an HTML document or fragment, one block per line; scripts never survive.

    ``drop_headline`` drops ``<h1>``, the page headline of an article body: the title field
    carries it, and a copy must hash the same whether or not its page repeats it."""
    return _tree_text(HTMLParser(markup), drop_headline=drop_headline)


def _tree_text(tree: HTMLParser, *, drop_headline: bool) -> str:
    tree.strip_tags([*_DROP_TAGS, "h1"] if drop_headline else list(_DROP_TAGS))
    root = tree.body or tree.root
    if root is None:
        return ""
    for tag in _BLOCK_TAGS:
        for node in root.css(tag):
            node.insert_before("\n")
            node.insert_after("\n")
    return root.text(separator="", strip=False)


def normalize_unicode(text: str) -> str:
    """NFC, no control or invisible formatting characters, one kind of space, tidy lines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _is_boilerplate(line: str) -> bool:
    line = line.strip()
    if len(line) <= _MAX_BOILERPLATE_CHARS and _BOILERPLATE_LINE.match(line):
        return True
    return len(line) <= _MAX_COOKIE_NOTICE_CHARS and bool(_COOKIE_NOTICE.match(line))


def strip_boilerplate(text: str) -> str:
    """Drop share widgets, bylines, 'read more' links, copyright footers, cookie notices and a
    leading dateline."""
    kept = [line for line in text.split("\n") if not _is_boilerplate(line)]
    out = "\n".join(kept).strip()
    return _DATELINE.sub("", out, count=1)


#: A body with any of these is a whole web page, not a fragment of one: the article must be
#: found among menus, teasers and comments. All 181 pages of the extraction benchmark match;
#: none of the HTML fragments in our samples and evaluation sets does (docs/extraction.md).
_WHOLE_PAGE = re.compile(r"<\s*(?:!doctype\s+html|html|head|body)\b", re.I)

BodyKind = Literal["text", "fragment", "page"]

#: HTML nested deeper than this is refused: the HTML parser's time grows with the square of
#: the depth (20,000 nested <div>s: 0.5 s), while real pages stay far below it (the deepest
#: of the 181 benchmark pages: 292, counting unclosed tags; lxml reads no deeper than 256).
MAX_HTML_DEPTH = 1_000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
#: Void elements, and elements HTML closes by itself (an unclosed <p> or <li> adds no depth).
_NO_DEPTH = frozenset(
    (
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"),
        *("source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup"),
        *("thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp"),
    )
)


class MarkupTooDeep(ValueError):
    """The body nests HTML elements deeper than :data:`MAX_HTML_DEPTH`."""


def html_depth(markup: str, stop_after: int | None = None) -> int:
    """How deep ``markup`` nests its elements (void and self-closing elements, and those HTML
    closes by itself, add nothing); the scan stops once the depth passes ``stop_after``."""
    depth = deepest = 0
    for tag in _TAG.finditer(markup):
        closing, name, self_closing = tag.groups()
        if self_closing or name.lower() in _NO_DEPTH:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if stop_after is not None and deepest > stop_after:
                break
    return deepest


def _check_depth(markup: str) -> None:
    # Too few tags to nest that deep: no scan (most fragments).
    if markup.count("<") > MAX_HTML_DEPTH and html_depth(markup, MAX_HTML_DEPTH) > MAX_HTML_DEPTH:
        raise MarkupTooDeep(f"HTML elements nested more than {MAX_HTML_DEPTH} deep")


@dataclass(frozen=True, slots=True)
class BodyText:
    """What :func:`extract_body` read from a body."""

    #: The normalised article text that NLP offsets and dedup hashes refer to.
    text: str
    #: The headline the markup carries (og:title, then <h1>, then <title>), "" when none.
    title: str
    #: ``text``: plain text; ``fragment``: light HTML, tags dropped; ``page``: a whole web
    #: page, the article found by trafilatura.
    kind: BodyKind


def is_whole_page(body: str) -> bool:
    return bool(_WHOLE_PAGE.search(body))


def extract_body(body: str) -> BodyText:
    """The article text (and the headline the markup carries) of whatever a scraper sent.

    Raises :class:`MarkupTooDeep` on HTML nested deeper than :data:`MAX_HTML_DEPTH`."""
    if not looks_like_html(body):
        return BodyText(_tidy(body), "", "text")
    _check_depth(body)
    if is_whole_page(body):
        page = _page_article(body)
        if page is not None:
            return page
    tree = HTMLParser(body)
    title = _fragment_title(tree)
    text = _tree_text(tree, drop_headline=True)
    # A fragment that is nothing but a headline is still the article's text.
    return BodyText(_tidy(text if text.strip() else html_to_text(body)), title, "fragment")


def clean_body(body: str) -> str:
    """The normalised article text that NLP offsets and dedup hashes refer to."""
    return extract_body(body).text


def _tidy(text: str) -> str:
    """Our own clean-up, after whichever extractor ran."""
    # Entities such as &amp; may remain in plain-text bodies copied from pages.
    text = html.unescape(text)
    if _ACTIVE_MARKUP.search(text):
        # "&lt;script&gt;" unescaped is a script again: strip it like any other markup.
        text = html_to_text(text)
    text = normalize_unicode(text)
    text = strip_boilerplate(text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _page_article(page: str) -> BodyText | None:
    """The article of a whole web page, by trafilatura; None when it finds none (the caller
    then reads the page as a fragment)."""
    from lxml.etree import strip_elements

    trafilatura = _trafilatura()
    tree = trafilatura.load_html(page)
    if tree is None:
        return None
    # trafilatura keeps the text of <iframe> and <noscript> fallbacks: never article text,
    # and the place a hostile page hides script.
    strip_elements(tree, *_NEVER_TEXT, with_tail=False)
    title = _page_title(tree)
    headlines = {title, _xpath_text(tree, "(//body//h1)[1]//text()")}
    # fast=True skips trafilatura's second opinion (its readability and jusText fallbacks): with
    # it newswire scores F1 0.966 on the benchmark, trafilatura alone in its default mode 0.960,
    # for less CPU per page (python -m tools.bench.extraction, docs/extraction.md).
    document = trafilatura.bare_extraction(tree, fast=True, include_comments=False)
    raw = getattr(document, "text", None) or ""
    # trafilatura writes one block per line; our text separates paragraphs by a blank line.
    lines = [line for line in raw.split("\n") if line.strip()]
    if lines and any(h and _same_words(lines[0], h) for h in headlines):
        lines = lines[1:]  # the headline on top of the article: the title field carries it
    text = _tidy("\n\n".join(lines))
    return BodyText(text, title, "page") if text else None


def _same_words(a: str, b: str) -> bool:
    return words(a) == words(b)


_TITLE_SUFFIX = re.compile(r"\s+(?:[|\u2013\u2014:]|-{1,2}|::)\s+[^|\u2013\u2014]{1,60}$")


def _xpath_text(tree: HtmlElement, xpath: str) -> str:
    return " ".join(" ".join(str(part) for part in tree.xpath(xpath)).split())


def _page_title(tree: HtmlElement) -> str:
    for xpath in (
        "//meta[@property='og:title']/@content",
        "//meta[@name='twitter:title']/@content",
        "(//body//h1)[1]//text()",
        "//head/title//text()",
    ):
        found = _xpath_text(tree, xpath)
        if found:
            # "<title>Headline | Site</title>": the site's name is not the headline.
            return _TITLE_SUFFIX.sub("", found) if xpath.startswith("//head") else found
    return ""


def _fragment_title(tree: HTMLParser) -> str:
    for selector, attribute in (("meta[property='og:title']", "content"), ("h1", None), ("title", None)):
        node = tree.css_first(selector)
        if node is None:
            continue
        found = (node.attributes.get(attribute) or "") if attribute else node.text(separator=" ")
        if found.strip():
            return found.strip()
    return ""


def load_page_extractor() -> None:
    """Import the page extractor now (~0.25 s); otherwise the first whole page does."""
    _trafilatura()


@functools.cache
def _trafilatura() -> ModuleType:
    """Imported on the first whole page: the import costs ~20 MB, which a worker fed text and
    fragments, and the NLP processes (which import this module for
    :class:`~services.articles.Article`), never need."""
    import trafilatura

    # It logs every page it finds no article in; that outcome is ours to report.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    return trafilatura


def clean_title(title: str) -> str:
    if looks_like_html(title):
        title = html_to_text(title)
    title = html.unescape(title)
    if _ACTIVE_MARKUP.search(title):
        title = html_to_text(title)
    return " ".join(normalize_unicode(title).split())


_WORD = re.compile(r"\w+(?:'\w+)*", re.UNICODE)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def words(text: str) -> list[str]:
    """Word tokens for hashing and shingling (not for NLP): compatibility-folded (NFKC),
    case-folded, accents and typographic apostrophes folded, so copies that differ only in
    typography hash the same."""
    if text.isascii():  # NFKC, NFKD and the accent strip leave ASCII as it is
        return _WORD.findall(text.lower().translate(_QUOTES))
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return _WORD.findall(folded.translate(_fold_table()))


@functools.cache
def _fold_table() -> dict[int, str | None]:
    """Drops every combining mark and folds typographic apostrophes, in one C-speed
    ``str.translate`` (a per-character Python loop cost ~1 ms per 700-word article)."""
    table: dict[int, str | None] = {
        cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))
    }
    table.update(_QUOTES)
    return table
