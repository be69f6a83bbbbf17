"""Date values of `date:` terms, parsed by hand into inclusive datetime bounds.

Whoosh 2.7's own date parsing (whoosh.qparser.dateparse, DATETIME.parse_query)
mishandles ISO dates, so it is not used. Accepted values (ASCII or Arabic-Indic
digits):

    2015-07-25            that whole day, 00:00:00 to 23:59:59.999999
    2015-07 / 2015        that whole month / year
    >=D  >D  <=D  <D      from the start of D / after the end of D / ...
    [A TO B]              from the start of A to the end of B (both inclusive);
                          `إلى` may stand for TO, `*` for an open end

Datetimes are naive, as in the index (dates are stored as naive UTC).
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta

_ONE = timedelta(microseconds=1)
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_RANGE = re.compile(r"\[\s*(\S+)\s+(?:TO|to|إلى|الى)\s+(\S+)\s*\]")
_COMPARE = re.compile(r"(>=|<=|>|<)\s*")
_HOW = "use YYYY-MM-DD, YYYY-MM or YYYY"
#: Years a news date is never in but a Hijri date is (1300-1500 AH: 1882-2077 CE): such a
#: year read as Gregorian would find nothing, so it is refused.
HIJRI_YEARS = range(1300, 1501)


class DateSpecError(Exception):
    """A date value that cannot be read; `offset` is relative to the value."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message, offset)
        self.message = message
        self.offset = offset


def parse_date_spec(spec: str) -> tuple[datetime | None, datetime | None]:
    """Return the inclusive (start, end) bounds that `spec` covers.

    >>> parse_date_spec("2015-07")
    (datetime.datetime(2015, 7, 1, 0, 0), datetime.datetime(2015, 7, 31, 23, 59, 59, 999999))
    """
    if not spec.strip():
        raise DateSpecError(f"date: needs a value; {_HOW}")
    m = _RANGE.fullmatch(spec.strip())
    if m:
        lead = len(spec) - len(spec.lstrip())
        start = None if m.group(1) == "*" else _bounds(m.group(1), lead + m.start(1))[0]
        end = None if m.group(2) == "*" else _bounds(m.group(2), lead + m.start(2))[1]
        if start is not None and end is not None and start > end:
            raise DateSpecError(f"empty date range: {m.group(1)} is after {m.group(2)}")
        return start, end
    if spec.lstrip().startswith("["):
        raise DateSpecError("a date range reads like [2015-07-21 TO 2015-07-31]")
    m = _COMPARE.match(spec)
    if m:
        first, last = _bounds(spec[m.end() :], m.end())
        op = m.group(1)
        try:
            if op == ">=":
                return first, None
            if op == ">":
                return last + _ONE, None
            if op == "<=":
                return None, last
            return None, first - _ONE
        except OverflowError:
            raise DateSpecError("date out of range", m.end()) from None
    return _bounds(spec, 0)


def _bounds(text: str, offset: int) -> tuple[datetime, datetime]:
    """First and last instant of the day, month or year written in `text`."""
    m = _DATE.fullmatch(text)
    if not m:
        raise DateSpecError(f"invalid date '{text}'; {_HOW}", offset)
    year = int(m.group(1))
    if year in HIJRI_YEARS:
        raise DateSpecError(
            f"'{text}' reads as the Gregorian year {year}, before any news: dates are Gregorian"
            " (a Hijri date must be converted first)", offset,
        )
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month is None:
            return datetime(year, 1, 1), datetime(year, 12, 31, 23, 59, 59, 999999)
        if day is None:
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return datetime(year, month, 1), datetime(year, month, last, 23, 59, 59, 999999)
        return datetime(year, month, day), datetime(year, month, day, 23, 59, 59, 999999)
    except (ValueError, calendar.IllegalMonthError):
        raise DateSpecError(f"invalid date '{text}'; {_HOW}", offset) from None
