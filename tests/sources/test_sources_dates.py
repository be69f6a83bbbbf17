"""parse_date: every accepted format, offsets to naive UTC, garbage to None."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.sources import parse_date

D = datetime

CASES = [
    ("iso-date", "2015-07-21", D(2015, 7, 21)),
    ("iso-space-datetime-saudinewsnet", "2015-07-21 02:51:32", D(2015, 7, 21, 2, 51, 32)),
    ("iso-t-datetime", "2015-07-21T02:51:32", D(2015, 7, 21, 2, 51, 32)),
    ("iso-fraction", "2015-07-21T02:51:32.250", D(2015, 7, 21, 2, 51, 32, 250000)),
    ("iso-offset-ant", "2017-01-20T21:43:00+01:00", D(2017, 1, 20, 20, 43)),
    ("iso-offset-crosses-day", "2017-01-01T01:30:00+03:00", D(2016, 12, 31, 22, 30)),
    ("iso-negative-offset", "2017-01-20T21:43:00-05:00", D(2017, 1, 21, 2, 43)),
    ("iso-z", "2015-07-21T02:51:32Z", D(2015, 7, 21, 2, 51, 32)),
    ("iso-basic-offset", "2015-07-21T02:51:32+0300", D(2015, 7, 20, 23, 51, 32)),
    ("iso-no-seconds", "2015-07-21 02:51", D(2015, 7, 21, 2, 51)),
    ("ant-compact-time", "2017-01-22T185600", D(2017, 1, 22, 18, 56)),
    ("iso-basic-date", "20150721", D(2015, 7, 21)),
    ("year-month", "2003-04", D(2003, 4, 1)),
    ("year-only-tei", "2003", D(2003, 1, 1)),
    ("dmy-slash-ant", "17/05/2015", D(2015, 5, 17)),
    ("dmy-single-digits", "7/5/2015", D(2015, 5, 7)),
    ("dmy-with-time", "17/05/2015 14:30", D(2015, 5, 17, 14, 30)),
    ("dmy-with-seconds", "17/05/2015 14:30:15", D(2015, 5, 17, 14, 30, 15)),
    ("dmy-dashes", "17-05-2015", D(2015, 5, 17)),
    ("dmy-dots", "17.05.2015", D(2015, 5, 17)),
    ("ymd-slashes", "2015/05/17 08:00", D(2015, 5, 17, 8)),
    ("rfc2822-rss", "Thu, 23 Jul 2015 19:28:17 +0300", D(2015, 7, 23, 16, 28, 17)),
    ("epoch-seconds-string", "1437614897", D(2015, 7, 23, 1, 28, 17)),
    ("epoch-millis-string", "1437614897000", D(2015, 7, 23, 1, 28, 17)),
    ("epoch-float-string", "1437614897.5", D(2015, 7, 23, 1, 28, 17, 500000)),
    ("surrounding-space", "  2015-07-21  ", D(2015, 7, 21)),
    ("arabic-indic-digits", "\u0661\u0667/\u0660\u0665/\u0662\u0660\u0661\u0665", D(2015, 5, 17)),
    ("persian-digits", "\u06f2\u06f0\u06f1\u06f5-\u06f0\u06f7-\u06f2\u06f1", D(2015, 7, 21)),
]

GARBAGE = [
    ("empty", ""),
    ("blank", "   "),
    ("words", "yesterday"),
    ("arabic-words", "\u0623\u0645\u0633"),
    ("month-13", "2015-13-01"),
    ("day-32", "32/01/2015"),
    ("feb-30", "30/02/2015"),
    ("time-only", "14:30"),
    ("too-big-number", "99999999999999999"),
    ("negative", "-5"),
    ("two-dates", "2015-07-21 2015-07-22"),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_parses_each_format(raw: str, expected: datetime) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", [g[1] for g in GARBAGE], ids=[g[0] for g in GARBAGE])
def test_garbage_is_none(raw: str) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1437614897, D(2015, 7, 23, 1, 28, 17)),
        (1437614897000, D(2015, 7, 23, 1, 28, 17)),
        (1437614897.0, D(2015, 7, 23, 1, 28, 17)),
    ],
    ids=["int-seconds", "int-millis", "float-seconds"],
)
def test_epoch_numbers(raw: int | float, expected: datetime) -> None:
    assert parse_date(raw) == expected


def test_bool_is_not_a_date() -> None:
    assert parse_date(True) is None  # type: ignore[arg-type]


def test_result_is_naive() -> None:
    assert parse_date("2017-01-20T21:43:00+01:00").tzinfo is None  # type: ignore[union-attr]


@given(
    st.datetimes(min_value=D(1971, 1, 1), max_value=D(2100, 1, 1)),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_any_offset_converts_to_utc(moment: datetime, offset_minutes: int) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    aware = moment.replace(tzinfo=zone)
    expected = aware.astimezone(UTC).replace(tzinfo=None)
    assert parse_date(aware.isoformat()) == expected


@given(st.datetimes(min_value=D(1971, 1, 1), max_value=D(2100, 1, 1)))
def test_day_first_round_trip(moment: datetime) -> None:
    raw = moment.strftime("%d/%m/%Y %H:%M:%S")
    assert parse_date(raw) == moment.replace(microsecond=0)
