"""What counts as a credential in a URL or a line of text, and how it is masked: one rule for
settings, log lines, error messages and the URLs newswire publishes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_plus

MASK = "***"

#: Query parameter names (lower case, ``-`` read as ``_``) whose values are credentials.
_SECRET_PARAMS = frozenset(
    {
        "access_token",
        "api_key",
        "apikey",
        "auth",
        "auth_token",
        "authorization",
        "client_secret",
        "credential",
        "credentials",
        "id_token",
        "jsessionid",
        "jwt",
        "key",
        "pass",
        "passwd",
        "password",
        "phpsessid",
        "pwd",
        "refresh_token",
        "secret",
        "session",
        "session_id",
        "sessionid",
        "sig",
        "signature",
        "token",
    }
)
_SECRET_SUFFIXES = ("_token", "_key", "_secret", "_password", "_signature", "_sig", "_credential")
_SECRET_PARTS = ("password", "secret", "token")


def is_secret_param(name: str) -> bool:
    """``token``, ``api_key``, ``X-Amz-Signature``, ``redis_password``: a query parameter (or
    ``name=value`` pair) whose value must never be printed or published."""
    name = unquote_plus(name).strip().lower().replace("-", "_")
    return (
        name in _SECRET_PARAMS
        or name.endswith(_SECRET_SUFFIXES)
        or any(part in name for part in _SECRET_PARTS)
    )


def _mask_query(query: str) -> str:
    pairs = []
    for pair in re.split(r"([&;])", query):
        name, sep, value = pair.partition("=")
        pairs.append(f"{name}={MASK}" if sep and value and is_secret_param(name) else pair)
    return "".join(pairs)


def mask_url(url: str) -> str:
    """Credentials in ``url`` masked, everything else as written: the password of the user
    info (a user info without a password, often a token, entirely), and the values of query
    parameters named like secrets. ``redis://u:pw@h/0?password=x`` -> ``redis://u:***@h/0?password=***``.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    rest, hash_sep, fragment = rest.partition("#")
    rest, query_sep, query = rest.partition("?")
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        userinfo, _, host = authority.rpartition("@")
        user, colon, _ = userinfo.partition(":")
        authority = f"{user}:{MASK}@{host}" if colon else f"{MASK}@{host}"
    if query_sep:
        query = _mask_query(query)
    return f"{scheme}://{authority}{slash}{path}{query_sep}{query}{hash_sep}{fragment}"


#: A URL inside free text (up to whitespace, a quote or a bracket), and a ``name=value`` pair.
_URL_IN_TEXT = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>()\[\]{}]+")
_PAIR_IN_TEXT = re.compile(r"(?<![\w-])([\w-]+)=([^\s&;,'\"<>()\[\]{}]+)")


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every credential masked: the known ``secrets`` wherever they appear
    (those of 4 characters or more: a shorter one would garble every line it matches by
    chance; it is still masked inside URLs and pairs), then URLs (:func:`mask_url`) and
    ``name=value`` pairs named like secrets."""
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, MASK)
    text = _URL_IN_TEXT.sub(lambda m: mask_url(m.group()), text)
    return _PAIR_IN_TEXT.sub(
        lambda m: f"{m.group(1)}={MASK}" if is_secret_param(m.group(1)) else m.group(), text
    )
