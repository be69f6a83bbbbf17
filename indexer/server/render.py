"""Pieces of HTML the page templates cannot build safely by themselves: text with marked
words, the query with its error position marked, links that change one parameter, the
bars of the matches-per-month chart, and nouns agreed with their count. Every piece of
text is escaped here."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup, escape

#: Characters that must not reach the page as they are: NUL and other C0 controls
#: (line breaks and tabs kept), shown as U+FFFD like the CLI shows them.
_CONTROLS = {c: "\ufffd" for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}


def clean(text: str) -> str:
    """``text`` without control characters (escaping is the template's job)."""
    return text.translate(_CONTROLS)


def marked(text: str, spans) -> Markup:  # type: ignore[no-untyped-def]
    """``text`` escaped, each ``(start, end)`` span inside ``<mark>``: whole words as
    written, diacritics included, so Arabic letters stay joined across the mark."""
    out, last = [], 0
    for start, end in spans:
        if start < last:  # overlapping spans: never emit text twice
            continue
        out += [escape(clean(text[last:start])), Markup("<mark>"), escape(clean(text[start:end])), Markup("</mark>")]
        last = end
    out.append(escape(clean(text[last:])))
    return Markup("").join(out)


def counted(count: int, singular: str, dual: str, plural: str) -> str:
    """The noun to write after ``count``, as Arabic agrees it with the number: the dual for
    2, the plural when the last two digits are 3 to 10 (3 مقالات, 103 مقالات), the singular
    otherwise (1 مقالة, 11 مقالة, 100 مقالة)."""
    if count == 2:
        return dual
    return plural if 3 <= count % 100 <= 10 else singular


def error_in_query(query: str, position: int | None) -> Markup:
    """The query escaped, the character at ``position`` marked (a space past its end)."""
    if position is None or not 0 <= position <= len(query):
        return escape(clean(query))
    at = query[position : position + 1] or "\u00a0"
    return Markup("").join(
        [escape(clean(query[:position])), Markup('<mark class="error-at">'), escape(clean(at)), Markup("</mark>"), escape(clean(query[position + 1 :]))]
    )


def link(params: Mapping[str, object], **changes: object) -> str:
    """A query string of ``params`` with ``changes``; empty values left out, a list
    (the sources) as the parameter repeated."""
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "", False, 0)}, doseq=True)


@dataclass(frozen=True)
class Bar:
    """One bar of the chart: its period, count, geometry in the SVG and filter dates."""

    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    since: str
    until: str


CHART_WIDTH, CHART_HEIGHT = 640, 120
#: Above this many months the chart shows years.
MAX_MONTH_BARS = 72
#: Above this many years between the filter's dates (since=1900) bars would be thinner than
#: the gaps between them: the chart then spans the matching years only.
MAX_YEAR_BARS = 100


def chart_bars(facets: Mapping[str, Mapping[str, int]], since: str = "", until: str = "") -> list[Bar]:
    """Bars for the month facet (the year facet when months would be too thin), laid out
    right to left, oldest at the right as an Arabic reader starts. Like a trend, the chart
    spans the filter's dates, ``since``'s month to ``until``'s (ISO days), empty months
    included, so a bar's place says when; an end not given is the first or last match's."""
    months, years = facets.get("month") or {}, facets.get("year") or {}
    if not any(months.values()):
        return []
    first, last = since[:7] or next(iter(months)), until[:7] or next(reversed(months))
    if _ordinal(last) - _ordinal(first) < MAX_MONTH_BARS:
        periods = spanned(months, first, last)
    else:
        first, last = since[:4] or next(iter(years)), until[:4] or next(reversed(years))
        periods = spanned(years, first, last) if _ordinal(last) - _ordinal(first) < MAX_YEAR_BARS else dict(years)
    peak = max(periods.values()) or 1
    step = CHART_WIDTH / len(periods)
    bars = []
    for i, (label, count) in enumerate(periods.items()):
        height = 0.0 if not count else max(2.0, (CHART_HEIGHT - 4) * count / peak)
        since, until = period_days(label)
        bars.append(Bar(label, count, CHART_WIDTH - (i + 1) * step + step * 0.1, CHART_HEIGHT - height, step * 0.8, height, since, until))
    return bars


def spanned(counts: Mapping[str, int], first: str, last: str) -> dict[str, int]:
    """``counts`` (a month or year facet) over every period from ``first`` to ``last``
    (both ``YYYY-MM`` or both ``YYYY``), those without a match at 0."""
    length = len(first)
    return {label: counts.get(label, 0) for label in (_label(n, length) for n in range(_ordinal(first), _ordinal(last) + 1))}


def _ordinal(label: str) -> int:
    """A ``YYYY-MM`` as months since year 0, a ``YYYY`` as years."""
    return int(label[:4]) * 12 + int(label[5:7]) - 1 if len(label) > 4 else int(label)


def _label(ordinal: int, length: int) -> str:
    """The ``YYYY-MM`` (``length`` 7) or ``YYYY`` of an `_ordinal`."""
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}" if length > 4 else f"{ordinal:04d}"


def period_days(label: str) -> tuple[str, str]:
    """The first and last day of a ``YYYY-MM`` or ``YYYY`` period."""
    if len(label) == 4:
        return f"{label}-01-01", f"{label}-12-31"
    year, month = int(label[:4]), int(label[5:7])
    return f"{label}-01", f"{label}-{calendar.monthrange(year, month)[1]:02d}"
