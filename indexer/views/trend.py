"""Trends: matching articles and occurrences per period, raw and normalised.

A period's figures are divided by what the corpus holds in that period (its articles,
or its words: titles and bodies, counted exactly from the word streams), under the same
source filter and the same deduplication, so a month with twice the articles does not
look like twice the interest. Every period from ``since``'s to ``until``'s is listed
(zeros included), so series line up and a chart spans the dates asked; an end not given
is the corpus's first or last dated article under the filters. A period in which the
corpus has no article at all has nothing to divide by: its figures are 0, normalised
too (nothing was found, and there was nothing to find). Undated articles are counted apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from indexer.errors import Surface, UsageError, option, worded
from indexer.query.plan import Plan
from indexer.store.stats import MISSING_DATE
from indexer.views.occurrences import occurrences
from indexer.views.selection import FIELDS, Selection

PERIODS = ("day", "week", "month", "year")
PER = ("articles", "million-words")
#: Microseconds from 0001-01-01 (Whoosh's date longs) to 1970-01-01 (NumPy's epoch).
_EPOCH_US = 62_135_596_800_000_000


@dataclass(frozen=True)
class Point:
    period: str
    articles: int
    occurrences: int
    normalized: float


@dataclass
class Series:
    """One line of a trend: a query, or a query in one source."""

    label: str
    points: list[Point]
    undated_articles: int = 0
    undated_occurrences: int = 0

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "points": [vars(p) for p in self.points],
            "undated": {"articles": self.undated_articles, "occurrences": self.undated_occurrences},
        }


@dataclass
class Trend:
    by: str
    per: str
    deduplicated: bool
    series: list[Series] = field(default_factory=list)
    #: Why it may be emptier than meant (see ``Results.notes``).
    notes: list[str] = field(default_factory=list)

    def to_dict(self, surface: Surface = Surface.LIBRARY) -> dict:
        return {
            "by": self.by, "per": self.per, "deduplicated": self.deduplicated, "series": [s.to_dict() for s in self.series],
            "notes": [worded(note, surface) for note in self.notes],
        }


@dataclass
class PeriodCounts:
    """Per (source or None, period): articles, occurrences (or words, for the corpus)."""

    articles: dict = field(default_factory=lambda: defaultdict(int))
    amounts: dict = field(default_factory=lambda: defaultdict(int))

    def __add__(self, other: PeriodCounts) -> PeriodCounts:
        total = PeriodCounts()
        for counts in (self, other):
            for key, value in counts.articles.items():
                total.articles[key] += value
            for key, value in counts.amounts.items():
                total.amounts[key] += value
        return total


@dataclass
class TrendPart:
    """What one index (or one shard) counts of a trend: each query's counts, and the
    corpus's, which the shards' add up to."""

    queries: list[PeriodCounts]
    corpus: PeriodCounts

    def __add__(self, other: TrendPart) -> TrendPart:
        return TrendPart([a + b for a, b in zip(self.queries, other.queries)], self.corpus + other.corpus)


def period_labels(dates: np.ndarray, by: str) -> np.ndarray:
    """Each raw date long's period as text: 2015-07-25, 2015-W30 (ISO week), 2015-07, 2015."""
    days = ((dates.astype(np.int64) - _EPOCH_US) // 86_400_000_000).astype("datetime64[D]")
    if by == "day":
        return np.datetime_as_string(days, unit="D")
    if by == "month":
        return np.datetime_as_string(days.astype("datetime64[M]"), unit="M")
    if by == "year":
        return np.datetime_as_string(days.astype("datetime64[Y]"), unit="Y")
    labels = {day: "%04d-W%02d" % date.fromisoformat(day).isocalendar()[:2] for day in np.unique(np.datetime_as_string(days, unit="D")).tolist()}
    return np.array([labels[d] for d in np.datetime_as_string(days, unit="D").tolist()], dtype=object)


def period_of(day: date, by: str) -> str:
    """The label of the period holding ``day``, as `period_labels` writes it."""
    if by == "day":
        return day.isoformat()
    if by == "month":
        return day.isoformat()[:7]
    if by == "year":
        return "%04d" % day.year
    return "%04d-W%02d" % day.isocalendar()[:2]


def periods_between(first: date, last: date, by: str) -> int:
    """How many periods `trend` lists from ``first``'s to ``last``'s (0 when ``last`` is
    before ``first``), counted without listing them."""
    if by == "day":
        count = (last - first).days + 1
    elif by == "week":
        count = ((last - timedelta(days=last.weekday())) - (first - timedelta(days=first.weekday()))).days // 7 + 1
    elif by == "month":
        count = (last.year - first.year) * 12 + last.month - first.month + 1
    else:
        count = last.year - first.year + 1
    return max(count, 0)


def _every_period(first: str, last: str, by: str) -> list[str]:
    """Every period from ``first`` to ``last`` (labels as `period_labels` writes them)."""
    if by == "year":
        return ["%04d" % y for y in range(int(first), int(last) + 1)]  # as period_of writes them: 0001, not 1
    if by == "month":
        months = np.arange(np.datetime64(first, "M"), np.datetime64(last, "M") + 1)
        return np.datetime_as_string(months, unit="M").tolist()
    if by == "day":
        days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
        return np.datetime_as_string(days, unit="D").tolist()
    monday = date.fromisocalendar(int(first[:4]), int(first[6:]), 1)
    end = date.fromisocalendar(int(last[:4]), int(last[6:]), 1)
    weeks = []
    while monday <= end:
        weeks.append("%04d-W%02d" % monday.isocalendar()[:2])
        monday += timedelta(days=7)
    return weeks


def _count(selection: Selection, by: str, split: bool, plan: Plan | None, words: bool) -> PeriodCounts:
    """Articles and occurrences (``plan``) or words (``words``) per source and period."""
    counts = PeriodCounts()
    for seg in selection.segments:
        docs = np.flatnonzero(seg.selected)
        if not len(docs):
            continue
        if plan is not None:
            amount = occurrences(seg, plan).per_document(len(seg.selected))[docs]
        elif words:
            amount = sum(seg.form_stream("exact", name).lengths()[docs] for name in FIELDS)
        else:
            amount = np.zeros(len(docs), dtype=np.int64)
        dates = seg.dates()[docs]
        dated = dates < MISSING_DATE
        periods = np.full(len(docs), None, dtype=object)
        if dated.any():
            periods[dated] = period_labels(dates[dated], by)
        sources = seg.sources(written=True)[docs] if split else np.full(len(docs), None, dtype=object)
        for source, period, value in zip(sources.tolist(), periods.tolist(), amount.tolist()):
            counts.articles[source, period] += 1
            counts.amounts[source, period] += value
    return counts


def check_trend(by: str, per: str) -> None:
    if by not in PERIODS:
        raise UsageError(option("by"), f" must be one of {', '.join(PERIODS)}, not {by!r}")
    if per not in PER:
        raise UsageError(option("per"), f" must be one of {', '.join(PER)}, not {per!r}")


def trend_part(
    queries: list[tuple[Plan, Selection]], corpus: Selection, *, by: str, per: str, split_source: bool
) -> TrendPart:
    """Each query's articles and occurrences per period (and source, with
    ``split_source``) over its selected articles, and the corpus's articles or words
    (``per``) under the same filters, what each period is normalised by."""
    return TrendPart(
        [_count(selection, by, split_source, plan, words=False) for plan, selection in queries],
        _count(corpus, by, split_source, None, words=per == "million-words"),
    )


def trend(
    texts: list[str], counted: TrendPart, *, by: str, per: str, split_source: bool, deduplicated: bool,
    since: date | None = None, until: date | None = None,
) -> Trend:
    """One series per query (per query and source with ``split_source``) over every period
    from ``since``'s to ``until``'s (an end not given: the corpus's first or last dated
    period under the filters), from the counts of every index (`trend_part`, added up)."""
    check_trend(by, per)
    base = counted.corpus
    dated = [p for _, p in base.articles if p is not None]
    first = period_of(since, by) if since is not None else min(dated, default=None)
    last = period_of(until, by) if until is not None else max(dated, default=None)
    periods = _every_period(first, last, by) if first is not None and last is not None else []
    result = Trend(by=by, per=per, deduplicated=deduplicated)
    for text, counts in zip(texts, counted.queries):
        sources = sorted({s for s, _ in counts.articles}, key=lambda s: (s is None, s and s.casefold(), s)) if split_source else [None]
        for source in sources:
            label = text if source is None else (source if len(texts) == 1 else f"{text} · {source}")
            points = []
            for period in periods:
                articles = counts.articles.get((source, period), 0)
                found = counts.amounts.get((source, period), 0)
                if per == "articles":
                    whole = base.articles.get((source, period), 0)
                    normalized = articles / whole if whole else 0.0
                else:
                    whole = base.amounts.get((source, period), 0)
                    normalized = found * 1_000_000 / whole if whole else 0.0
                points.append(Point(period, articles, found, normalized))
            result.series.append(
                Series(label, points, counts.articles.get((source, None), 0), counts.amounts.get((source, None), 0))
            )
    return result
