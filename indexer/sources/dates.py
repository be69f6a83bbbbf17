"""Dates as news sources write them, to naive UTC `datetime`s.

Accepted (Arabic-Indic and Persian digits are read as ASCII digits first):

- ISO 8601 dates and datetimes, ``T`` or space separated, with or without fractions and an
  offset (``Z``, ``+01:00``, ``+0100``); ``2017-01-22T185600`` (ANT corpus) is basic-format ISO
  and parses the same way. Also ``YYYY-MM`` and a bare year ``YYYY`` (the first of the period).
- ``DD/MM/YYYY`` (also with ``-`` or ``.``), optionally followed by ``HH:MM[:SS]``;
  ``YYYY/MM/DD`` likewise. Day first, as Arabic and French sources write it.
- RFC 2822, as in RSS feeds: ``Thu, 23 Jul 2015 19:28:17 +0300``.
- Epoch seconds (int, float or numeric string); values of 10^11 and above are epoch
  milliseconds (10^11 seconds would be the year 5138). An 8-digit string is an ISO basic date
  (``20150721``), a 4-digit one a year.

A value with an offset is converted to UTC; a value without one is taken as already UTC.
Anything else gives None: the caller keeps the raw string and emits a Notice. The standard
library covers every format in our data, so no date-guessing dependency is used.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_DIGITS = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    "01234567890123456789",
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_DAY_FIRST = re.compile(
    r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
_YEAR_FIRST_SLASH = re.compile(
    r"(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
_MILLIS_FROM = 10**11
_MILLIS_UNTIL = 10**14


def parse_date(raw: str | int | float) -> datetime | None:
    """Parse a source's date into a naive UTC datetime, or None if it is not a date we know.

    >>> parse_date("2017-01-20T21:43:00+01:00")
    datetime.datetime(2017, 1, 20, 20, 43)
    >>> parse_date("17/05/2015")
    datetime.datetime(2015, 5, 17, 0, 0)
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return _from_epoch(float(raw))
    text = raw.strip().translate(_DIGITS)
    if not text:
        return None
    for parse in (_numeric, _iso, _day_first, _year_first_slash, _rfc2822):
        try:
            found = parse(text)
        except (ValueError, OverflowError, OSError, TypeError):
            found = None
        if found is not None:
            return _to_naive_utc(found)
    return None


def _numeric(text: str) -> datetime | None:
    if not _NUMBER.fullmatch(text):
        return None
    if len(text) == 4:
        return datetime(int(text), 1, 1)
    if len(text) == 8:
        try:
            return datetime.strptime(text, "%Y%m%d")
        except ValueError:
            pass
    return _from_epoch(float(text))


def _from_epoch(value: float) -> datetime | None:
    if value < 0 or value >= _MILLIS_UNTIL:
        return None
    if value >= _MILLIS_FROM:
        value /= 1000
    try:
        return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None


def _iso(text: str) -> datetime:
    match = _YEAR_MONTH.fullmatch(text)
    if match:
        return datetime(int(match[1]), int(match[2]), 1)
    return datetime.fromisoformat(text)


def _day_first(text: str) -> datetime | None:
    match = _DAY_FIRST.fullmatch(text)
    if not match:
        return None
    day, _, month, year, hour, minute, second = match.groups()
    return datetime(int(year), int(month), int(day), *_clock(hour, minute, second))


def _year_first_slash(text: str) -> datetime | None:
    match = _YEAR_FIRST_SLASH.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute, second = match.groups()
    return datetime(int(year), int(month), int(day), *_clock(hour, minute, second))


def _clock(hour: str | None, minute: str | None, second: str | None) -> tuple[int, int, int]:
    return int(hour or 0), int(minute or 0), int(second or 0)


def _rfc2822(text: str) -> datetime | None:
    if not any(ch.isalpha() for ch in text):
        return None
    return parsedate_to_datetime(text)


def _to_naive_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)
