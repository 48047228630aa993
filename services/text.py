"""Plain text out of whatever a scraper sends: HTML to text, boilerplate out, Unicode tidy."""

from __future__ import annotations

import functools
import html
import re
import sys
import unicodedata

from selectolax.lexbor import LexborHTMLParser as HTMLParser

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
    "form",
    "button",
    "object",
    "embed",
    "figure",
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
    )$""",
    re.I | re.X,
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
    tree = HTMLParser(markup)
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


def strip_boilerplate(text: str) -> str:
    """Drop share widgets, bylines, 'read more' links, copyright footers and a leading dateline."""
    kept = [
        line
        for line in text.split("\n")
        if len(line) > _MAX_BOILERPLATE_CHARS or not _BOILERPLATE_LINE.match(line.strip())
    ]
    out = "\n".join(kept).strip()
    return _DATELINE.sub("", out, count=1)


def clean_body(body: str) -> str:
    """The normalised article text that NLP offsets and dedup hashes refer to."""
    if looks_like_html(body):
        text = html_to_text(body, drop_headline=True)
        # A fragment that is nothing but a headline is still the article's text.
        body = text if text.strip() else html_to_text(body)
    # Entities such as &amp; may remain in plain-text bodies copied from pages.
    body = html.unescape(body)
    if _ACTIVE_MARKUP.search(body):
        # "&lt;script&gt;" unescaped is a script again: strip it like any other markup.
        body = html_to_text(body)
    body = normalize_unicode(body)
    body = strip_boilerplate(body)
    return _BLANK_LINES.sub("\n\n", body).strip()


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
