"""Canonical URLs: one spelling per article page, so exact-URL dedup and ids are stable."""

from __future__ import annotations

import contextlib
import hashlib
import re
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from services.errors import InvalidArticle
from services.redact import is_secret_param

# Query parameters that identify a campaign, a visitor or a page variant, never the article.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "cmp",
        "ncid",
        "ito",
        "smid",
        "share",
        "outputtype",
        "amp",
        "s_cid",
        "src",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ocid",
        "partner",
        "taid",
        "guccounter",
        "icid",
        "mbid",
        "xtor",
        "ftag",
        "spm",
        "rss",
        "sr_share",
        "soc_src",
        "soc_trk",
        "wt.mc_id",
        "wt_mc",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "__twitter_impression",
        "utm",
        "via",
        "fromamp",
    }
)
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "itm_", "ga_")
# Google's AMP cache serves https://www-example-com.cdn.ampproject.org/c/s/www.example.com/x
_AMP_CACHE_SUFFIX = ".cdn.ampproject.org"
_MOBILE_HOST_PREFIXES = ("m.", "mobile.", "amp.", "www.")
_AMP_PATH_SUFFIXES = ("/amp", "/amp/", ".amp", ".amp.html")
_ALLOWED_SCHEMES = ("http", "https")
#: C0 and C1 controls (NUL, tab, CR, LF, ESC, ...) and the Unicode line separators: never part
#: of a URL, and a newline inside one is header injection waiting to happen downstream.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _refuse_control_characters(url: str) -> None:
    found = _CONTROL.search(url)
    if found:
        raise InvalidArticle(
            "invalid_url",
            f"url contains the control character U+{ord(found.group()):04X} at position "
            f"{found.start()}; URLs must not contain control characters",
        )


def canonicalize_url(url: str, max_chars: int = 4096) -> str:
    """Return the canonical form of ``url`` or raise :class:`InvalidArticle`.

    Lower-case scheme and host, no credentials, default port, fragment, tracking
    parameters or parameters named like secrets (``token``, ``sig``, ...); AMP and mobile
    variants folded onto the plain page; query sorted; IPv6 hosts in brackets. A URL with a
    control character inside is refused.
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidArticle("missing_url", "field 'url' is required and must be a non-empty string")
    url = url.strip()
    if len(url) > max_chars:
        raise InvalidArticle("url_too_long", f"url is {len(url)} characters; the limit is {max_chars}")
    # Before parsing: urlsplit silently deletes tabs and newlines.
    _refuse_control_characters(url)
    try:
        parts = urlsplit(url)
        port = parts.port
        if (parts.hostname or "").lower().endswith(_AMP_CACHE_SUFFIX):
            # /c/s/<host>/<path>: "s" marks https; the rest is the publisher's own URL.
            inner = parts.path.split("/", 4)
            if len(inner) >= 4 and inner[1] in ("c", "v", "i"):
                path = parts.path.split("/", 3 if inner[2] == "s" else 2)[-1]
                parts = urlsplit("https://" + path + ("?" + parts.query if parts.query else ""))
                port = parts.port
    except ValueError as exc:
        raise InvalidArticle("invalid_url", f"url cannot be parsed: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _ALLOWED_SCHEMES:
        raise InvalidArticle(
            "invalid_url", f"url scheme {scheme or '(none)'!r} is not allowed; use http or https"
        )
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or any(c.isspace() for c in host):
        raise InvalidArticle("invalid_url", "url has no host")
    with contextlib.suppress(UnicodeError):
        # One spelling for internationalised hosts: münchen.de == xn--mnchen-3ya.de.
        host = host.encode("idna").decode("ascii")
    folded = True
    while folded:  # "www.m.example.com", "amp.m.example.com"
        folded = False
        for prefix in _MOBILE_HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") >= 2:
                host = host[len(prefix) :]
                folded = True
                break
    if ":" in host:  # IPv6
        host = f"[{host}]"
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path or "/"
    lowered = path.lower()
    for suffix in _AMP_PATH_SUFFIXES:
        if lowered.endswith(suffix) and len(path) > len(suffix):
            path = path[: -len(suffix)] + (".html" if suffix == ".amp.html" else "")
            break
    if path.startswith("/amp/"):
        path = path[4:]
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in _TRACKING_PARAMS
            and not k.lower().startswith(_TRACKING_PREFIXES)
            and not is_secret_param(k)
        )
    )
    # Canonical pages are served over https; http and https copies are the same article.
    return urlunsplit(("https", netloc, path, query, ""))


def shareable_url(url: str) -> str:
    """``url`` as sent, less what must not travel downstream: the user info
    (``user:pw@``) and query parameters named like secrets (``token``, ``sig``, ``api_key``,
    ...; see :func:`services.redact.is_secret_param`). Everything else keeps its spelling and
    order, tracking parameters included. For a URL that passed :func:`canonicalize_url`."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    query = parts.query
    if query:
        query = "&".join(
            pair for pair in query.split("&") if not is_secret_param(unquote_plus(pair.partition("=")[0]))
        )
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def article_id_from_url(canonical_url: str) -> str:
    """A stable id for scrapers that send none: 20 hex chars of the canonical URL's SHA-256."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:20]
