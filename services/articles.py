"""Raw scraper payloads in, validated and normalised :class:`Article` values out.

Everything a scraper can get wrong is refused here with a precise, bounded ``error_type``
(safe as a metric label) and a message a human can act on.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Literal

import orjson

from services.errors import InvalidArticle
from services.language import (
    NLP_LANGUAGES,
    LanguageDecision,
    UnreadableLanguageTag,
    decide_language,
    primary_subtag,
)
from services.language import load_model as load_language_model
from services.text import MarkupTooDeep, clean_title, extract_body, words
from services.timestamps import UnreadableDate, parse_published_at
from services.urls import article_id_from_url, canonicalize_url, shareable_url

_UTF8_BOM = b"\xef\xbb\xbf"
_TEXT_FIELDS = ("url", "title", "body", "source", "id", "language")
_MAX_ID_CHARS = 256


@dataclass(frozen=True, slots=True)
class InputLimits:
    """Size limits; built by ``Settings.input_limits``."""

    max_message_bytes: int
    #: The body as sent (a whole web page, markup included), before any parsing.
    max_body_chars: int
    #: The article text extracted from the body: what NLP reads.
    max_text_chars: int
    max_title_chars: int
    max_url_chars: int
    max_json_depth: int


#: Why a field of an accepted article was set aside (a bounded set: a metric label).
WarningType = Literal["unreadable_published_at", "unreadable_language", "language_mismatch"]


@dataclass(frozen=True, slots=True)
class InputWarning:
    """Something in the input newswire could not use, while it kept the article."""

    field: str
    type: WarningType
    message: str

    def to_record(self) -> dict[str, str]:
        return {"field": self.field, "type": self.type, "message": self.message}


@dataclass(frozen=True, slots=True)
class Article:
    """One validated article. ``text`` is the normalised body every offset refers to."""

    article_id: str
    url: str
    canonical_url: str
    source: str
    title: str
    text: str
    published_at: str | None
    language: str
    word_count: int
    content_hash: str
    #: When the sender says this version was last changed (UTC seconds); orders revisions.
    updated_at: str | None = None
    #: How ``language`` was decided (detected, sent, default) and what the detector said.
    language_decision: LanguageDecision | None = None
    #: Input fields set aside while the article was kept (an unreadable date, ...).
    warnings: tuple[InputWarning, ...] = ()

    @property
    def nlp_supported(self) -> bool:
        """Whether the NLP stage reads this article's language."""
        return self.language in NLP_LANGUAGES

    def identity(self) -> dict[str, Any]:
        """The identity fields the enriched and duplicate records repeat."""
        return {
            "article_id": self.article_id,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "source": self.source,
            "title": self.title,
            "published_at": self.published_at,
            "language": self.language,
            "language_detection": self.language_decision.to_record() if self.language_decision else None,
            "word_count": self.word_count,
            "content_hash": self.content_hash,
            "warnings": [warning.to_record() for warning in self.warnings],
        }


def decode_payload(payload: bytes | None, limits: InputLimits) -> dict[str, Any]:
    """Bytes -> JSON object, or :class:`InvalidArticle` saying exactly why not."""
    if payload is None or len(payload) == 0:
        raise InvalidArticle("empty_payload", "message value is empty", stage="decode")
    if len(payload) > limits.max_message_bytes:
        raise InvalidArticle(
            "message_too_large",
            f"message is {len(payload)} bytes; the limit is {limits.max_message_bytes}",
            stage="decode",
        )
    if payload.startswith(_UTF8_BOM):
        payload = payload[len(_UTF8_BOM) :]
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = " (looks like UTF-16: send UTF-8)" if payload[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise InvalidArticle(
            "invalid_utf8",
            f"message is not valid UTF-8 at byte {exc.start}{hint}",
            stage="decode",
        ) from None
    _require_shallow_json(payload, limits.max_json_depth)
    try:
        value = _json_loads(text, len(payload))
    except ValueError as exc:  # orjson's and json's decode errors, and our refusals below
        raise InvalidArticle("invalid_json", f"message is not valid JSON: {exc}", stage="decode") from None
    if not isinstance(value, dict):
        raise InvalidArticle(
            "not_an_object",
            f"message must be a JSON object, got {type(value).__name__ if value is not None else 'null'}",
            stage="decode",
        )
    return value


#: Payloads of this many bytes or more are parsed by the standard library. orjson sets aside
#: ~12 bytes per input byte while it parses, whatever the content (a 1 MB message: 12.4 MB; the
#: 4 MiB limit: ~50 MB), for each message being decoded at once; ``json`` takes ~1 byte per
#: byte, and is as fast on large payloads (a 0.9 MB page: 1.9 ms against orjson's 2.2; a 1 MB
#: token: 1.1 ms against 1.0). News articles (a few KB) keep orjson.
_LARGE_JSON_BYTES = 256 * 1024


def _json_loads(text: str, size: int) -> Any:
    """``orjson.loads``, or for large payloads ``json.loads`` made to refuse what orjson
    refuses: NaN and Infinity, numbers beyond a double, lone UTF-16 surrogates."""
    if size < _LARGE_JSON_BYTES:
        return orjson.loads(text)
    value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    _require_encodable(value)
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        raise ValueError(f"number {literal[:40]} is out of range")
    return number


def _require_encodable(value: Any) -> None:
    """A lone surrogate escape (``\\ud800``) decodes to a string that cannot be encoded."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("a string holds a lone UTF-16 surrogate") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _require_encodable(key)
            _require_encodable(item)
    elif isinstance(value, list):
        for item in value:
            _require_encodable(item)


#: A JSON string, escapes included; and every byte that is not a bracket, as a deletion table.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def _require_shallow_json(payload: bytes, max_depth: int) -> None:
    """Refuse JSON nested deeper than ``max_depth`` before it is parsed (recursion bombs).

    An article is an object of strings: it has a handful of brackets, and this returns after
    counting them (tools/bench/json_depth.py: a few microseconds per 700-word article). Only with
    more opening brackets than the limit are strings removed and the depth measured."""
    if _opening_brackets(payload.translate(None, _NOT_BRACKETS)) <= max_depth:
        return
    brackets = _JSON_STRING.sub(b"", payload).translate(None, _NOT_BRACKETS)
    if _opening_brackets(brackets) <= max_depth:
        return
    depth = max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)))
    if depth > max_depth:
        raise InvalidArticle(
            "json_too_deep",
            f"message nests JSON {depth} levels deep; the limit is {max_depth}",
            stage="decode",
        )


def _opening_brackets(brackets: bytes) -> int:
    return brackets.count(b"[") + brackets.count(b"{")


def _optional_str(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidArticle(
            "invalid_field_type", f"field {name!r} must be a string, got {type(value).__name__}"
        )
    return value


def validate_article(fields: dict[str, Any], limits: InputLimits) -> Article:
    """A decoded JSON object -> :class:`Article`, or :class:`InvalidArticle`."""
    for name in _TEXT_FIELDS:
        _optional_str(fields, name)  # type check every known field up front
    url = _optional_str(fields, "url")
    if url is None or not url.strip():
        raise InvalidArticle("missing_url", "field 'url' is required")
    canonical = canonicalize_url(url, limits.max_url_chars)

    body = _optional_str(fields, "body")
    if body is None or not body.strip():
        raise InvalidArticle("empty_body", "field 'body' is required and must not be empty")
    if len(body) > limits.max_body_chars:
        raise InvalidArticle(
            "body_too_large",
            f"body is {len(body)} characters as sent; the limit is {limits.max_body_chars} "
            "(NEWSWIRE_MAX_BODY_CHARS)",
        )

    title_raw = _optional_str(fields, "title") or ""
    if len(title_raw) > limits.max_title_chars:
        raise InvalidArticle(
            "title_too_large",
            f"title is {len(title_raw)} characters; the limit is {limits.max_title_chars}",
        )

    article_id = _optional_str(fields, "id")
    if article_id is not None:
        article_id = article_id.strip()
        if not article_id or len(article_id) > _MAX_ID_CHARS or not article_id.isprintable():
            raise InvalidArticle("invalid_id", f"field 'id' must be 1-{_MAX_ID_CHARS} printable characters")
    else:
        article_id = article_id_from_url(canonical)

    # The expensive part (a whole page costs ~16 ms) comes after every cheap check.
    try:
        extracted = extract_body(body)
    except MarkupTooDeep as exc:
        raise InvalidArticle("html_too_deep", f"body has {exc}; real pages nest under 300") from None
    text = extracted.text
    if not text:
        raise InvalidArticle("empty_body", "body has no text left after removing markup and boilerplate")
    if len(text) > limits.max_text_chars:
        raise InvalidArticle(
            "text_too_large",
            f"the article text extracted from the body is {len(text)} characters; the limit is "
            f"{limits.max_text_chars} (NEWSWIRE_MAX_TEXT_CHARS)",
        )
    _require_prose(text)

    # No title sent: the page's own (og:title, <h1>, <title>), cut to the limit.
    title = clean_title(title_raw if title_raw.strip() else extracted.title)[: limits.max_title_chars]

    warnings: list[InputWarning] = []
    language = _language(text, _optional_str(fields, "language"), warnings)
    published_at = _published_at(fields.get("published_at"), warnings)

    source = (_optional_str(fields, "source") or "").strip() or _host(canonical)
    tokens = words(text)
    return Article(
        article_id=article_id,
        url=shareable_url(url.strip()),
        canonical_url=canonical,
        source=source[:200],
        title=title,
        text=text,
        published_at=published_at,
        language=language.language,
        word_count=len(tokens),
        content_hash=hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest(),
        language_decision=language,
        warnings=tuple(warnings),
        updated_at=_updated_at(fields.get("updated_at")),
    )


def _published_at(value: object, warnings: list[InputWarning]) -> str | None:
    """The publication time in UTC, or None with a warning: an article is never refused
    over its date."""
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, str | int | float):
            raise UnreadableDate(f"published_at must be a string or a number, got {type(value).__name__}")
        return parse_published_at(value)
    except UnreadableDate as exc:
        warnings.append(
            InputWarning("published_at", "unreadable_published_at", f"{exc}; kept with published_at null")
        )
        return None


def _language(text: str, sent_raw: str | None, warnings: list[InputWarning]) -> LanguageDecision:
    sent = None
    if sent_raw is not None and sent_raw.strip():
        try:
            sent = primary_subtag(sent_raw)
        except UnreadableLanguageTag as exc:
            warnings.append(InputWarning("language", "unreadable_language", f"{exc}; ignored"))
    decision = decide_language(text, sent)
    if decision.source == "detected" and sent is not None and sent != decision.language:
        warnings.append(
            InputWarning(
                "language",
                "language_mismatch",
                f"language {sent!r} was sent but the text reads as {decision.language!r} "
                f"(p={decision.confidence:.2f}); taken as {decision.language!r}",
            )
        )
    return decision


def _updated_at(value: Any) -> str | None:
    """The version's date, or None when absent or unreadable: it only orders revisions (the
    article then counts in arrival order), so it never costs the article. Read like
    ``published_at`` (services/timestamps.py)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or value == "":
        return None
    try:
        return parse_published_at(value)
    except UnreadableDate:
        return None


#: Below this share of letters among visible characters a long body is not prose (symbol
#: floods, entity bombs, base64 blobs): the parser's cost on such text grows much faster than
#: its length, so it is refused before NLP. Real news, tables of figures included, sits > 0.7.
_MIN_LETTER_SHARE = 0.4
_PROSE_CHECK_MIN_CHARS = 2_000
_SPACE_RUNS = re.compile(r"\s+")
#: Word characters that are neither digits nor the underscore: letters (and a few numeric
#: symbols such as "½", too rare to move a share).
_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_NON_ASCII_RUNS = re.compile(r"[^\x00-\x7f]+")
#: The ASCII characters the two patterns above do not match, as byte deletion tables.
_ASCII_SPACE = bytes(c for c in range(128) if _SPACE_RUNS.fullmatch(chr(c)))
_ASCII_NOT_LETTER = bytes(c for c in range(256) if c >= 128 or not _LETTER_RUNS.fullmatch(chr(c)))


def _visible_and_letters(text: str) -> tuple[int, int]:
    """Non-space characters and letters of ``text``, as the patterns above count them.

    Every article pays this, duplicates included, so the ASCII bulk is counted with
    ``bytes.translate`` (~25x faster than the regex runs on 700 words) and only the few
    non-ASCII characters (curly quotes, accents) go through the patterns."""
    ascii_bytes = text.encode("ascii", "ignore")
    visible = len(ascii_bytes.translate(None, _ASCII_SPACE))
    letters = len(ascii_bytes.translate(None, _ASCII_NOT_LETTER))
    if len(ascii_bytes) < len(text):
        others = "".join(_NON_ASCII_RUNS.findall(text))
        visible += len(others) - sum(map(len, _SPACE_RUNS.findall(others)))
        letters += sum(map(len, _LETTER_RUNS.findall(others)))
    return visible, letters


def _require_prose(text: str) -> None:
    if len(text) < _PROSE_CHECK_MIN_CHARS:
        return
    visible, letters = _visible_and_letters(text)
    if visible and letters / visible < _MIN_LETTER_SHARE:
        raise InvalidArticle(
            "not_prose",
            f"body is {100 * letters / visible:.0f}% letters; at least {100 * _MIN_LETTER_SHARE:.0f}% "
            "is expected of article text",
        )


def load_decoders() -> None:
    """Load the language model now rather than on the first article. The page extractor is
    left to the first whole page, which waits ~0.25 s for it once: a worker fed text and HTML
    fragments never holds its ~20 MB (docs/performance.md, "Memory")."""
    load_language_model()


def readable_id(fields: dict[str, Any] | None) -> str | None:
    """The ``id`` a payload carries when it is one validation would accept, else None."""
    value = fields.get("id") if fields else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and len(value) <= _MAX_ID_CHARS and value.isprintable() else None


def parse_article(payload: bytes | None, limits: InputLimits) -> Article:
    """Raw message bytes -> :class:`Article` (the whole decode + validate stage)."""
    return validate_article(decode_payload(payload, limits), limits)


def _host(canonical_url: str) -> str:
    return canonical_url.split("://", 1)[-1].split("/", 1)[0]
