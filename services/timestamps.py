"""Publication times as feeds write them (RFC 3339 / ISO 8601, RSS's RFC 822 / 2822, epoch
seconds or milliseconds) read into one form: ``YYYY-MM-DDTHH:MM:SSZ`` in UTC.

The formats and the measurement that chose the standard library over python-dateutil are in
docs/schemas.md ("Dates") and ``python -m tools.bench.feed_dates``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

#: Above this an epoch number is in milliseconds: 10^11 seconds is the year 5138, 10^11
#: milliseconds is March 1973, so no current date is ambiguous.
_MILLISECONDS_FROM = 10**11
#: Smaller epoch numbers (before March 1973) are an id or a count sent in the wrong field,
#: not a publication time: the same nine digits an epoch string needs.
_MIN_EPOCH_SECONDS = 10**8
_EPOCH_STRING = re.compile(r"\d{9,13}(?:\.\d{1,9})?")
#: "...T23:59:60Z": RFC 3339 allows a leap second, datetime does not.
_LEAP_SECOND = re.compile(r"(T\d{2}:\d{2}):60(?=\D|$)")
#: A trailing zone name parsedate does not know ("ET", "CEST"): it would read the time as UTC.
_ZONE_NAME = re.compile(r"\s([A-Za-z]{1,5})\s*$")
_KNOWN_ZONES = frozenset({"UT", "UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"})
#: RSS dates without a time ("01 Jan 2004", "Mon, 26 January 2004"): midnight UTC, as an
#: ISO date without a time is.
_DATE_ONLY_FORMATS = ("%d %b %Y", "%d %B %Y", "%a, %d %b %Y", "%a, %d %B %Y", "%A, %d %B %Y")
_MAX_CHARS = 64


class UnreadableDate(ValueError):
    """The value is not a date-time newswire reads; the message says why, for a human."""


def parse_published_at(value: str | int | float) -> str:
    """A feed's publication time -> ``YYYY-MM-DDTHH:MM:SSZ`` (UTC, to the second).

    A time without a zone is taken as UTC. Raises :class:`UnreadableDate`."""
    if isinstance(value, bool):  # a JSON true is not a timestamp
        raise UnreadableDate(f"published_at {value!r} is not a date-time")
    if isinstance(value, int | float):
        return _format(_from_epoch(value, repr(value)))
    text = value.strip()
    if not text or len(text) > _MAX_CHARS:
        raise UnreadableDate(f"published_at {value[:_MAX_CHARS]!r} is not a date-time")
    if _EPOCH_STRING.fullmatch(text):
        return _format(_from_epoch(float(text), repr(text)))
    moment = _iso(text) or _rfc2822(text) or _date_only(text)
    if moment is None:
        raise UnreadableDate(
            f"published_at {text!r} is not an RFC 3339 / ISO 8601 or RFC 2822 date-time, "
            "nor epoch seconds or milliseconds"
        )
    return _format(moment)


def _from_epoch(number: float, shown: str) -> datetime:
    if number != number or number < 0:  # NaN or before 1970
        raise UnreadableDate(f"published_at {shown} is not epoch seconds or milliseconds")
    seconds = number / 1000 if number >= _MILLISECONDS_FROM else number
    if seconds < _MIN_EPOCH_SECONDS:
        raise UnreadableDate(f"published_at {shown} is too small for epoch seconds (before 1973)")
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise UnreadableDate(f"published_at {shown} is out of range") from None


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(_LEAP_SECOND.sub(r"\1:59", text.replace("z", "Z")))
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        return None
    if moment.tzinfo is None:
        zone = _ZONE_NAME.search(text)
        if zone and zone.group(1).upper() not in _KNOWN_ZONES:
            return None  # a zone we cannot place: better no date than one hours off
    return moment


def _date_only(text: str) -> datetime | None:
    for layout in _DATE_ONLY_FORMATS:
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    return None


def _format(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-01:00 is past the year 9999 in UTC
        raise UnreadableDate(f"published_at {moment.isoformat()!r} is out of range in UTC") from None
    return f"{moment.year:04d}-" + moment.strftime("%m-%dT%H:%M:%SZ")
