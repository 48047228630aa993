"""Canonical URLs: one spelling per article page, so exact-URL dedup and ids are stable."""

from __future__ import annotations

import contextlib
import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from services.errors import InvalidArticle

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


def canonicalize_url(url: str, max_chars: int = 4096) -> str:
    """Return the canonical form of ``url`` or raise :class:`InvalidArticle`.

    Lower-case scheme and host, no credentials, default port, fragment or tracking
    parameters; AMP and mobile variants folded onto the plain page; query sorted.
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidArticle("missing_url", "field 'url' is required and must be a non-empty string")
    url = url.strip()
    if len(url) > max_chars:
        raise InvalidArticle("url_too_long", f"url is {len(url)} characters; the limit is {max_chars}")
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
            if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
        )
    )
    # Canonical pages are served over https; http and https copies are the same article.
    return urlunsplit(("https", netloc, path, query, ""))


def article_id_from_url(canonical_url: str) -> str:
    """A stable id for scrapers that send none: 20 hex chars of the canonical URL's SHA-256."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:20]
