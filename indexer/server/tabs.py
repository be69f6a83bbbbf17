"""The search page's other tabs for the current query: its trend over time (an inline SVG
chart drawn here, like the month chart: no script, no CDN) and its concordance (a page of
KWIC lines). Each tab asks the library exactly what ``/api/trend`` and ``/api/kwic`` do."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.corpus import Corpus
from indexer.server.render import CHART_HEIGHT, CHART_WIDTH, MAX_MONTH_BARS, period_days
from indexer.views.kwic import Concordance
from indexer.views.trend import Series

TABS = ("results", "trend", "kwic")
#: Concordance lines per page, and characters of context each side.
KWIC_PAGE, KWIC_WIDTH = 50, 60


@dataclass(frozen=True)
class TrendBar:
    """One period of the trend chart: its counts, its bar in the SVG, its filter dates."""

    period: str
    articles: int
    occurrences: int
    per_million: float
    x: float
    y: float
    width: float
    height: float
    since: str
    until: str


def tab_context(corpus: Corpus, view: str, query: str, offset: int, **filters: object) -> dict:
    """What the template needs for ``view`` (nothing for the results tab)."""
    if view == "trend":
        trend = corpus.trend(query, by="month", **filters)
        if len(trend.series[0].points) > MAX_MONTH_BARS:
            trend = corpus.trend(query, by="year", **filters)
        return {"trend": trend, "trend_bars": trend_bars(trend.series[0]), "trend_totals": totals(trend.series[0])}
    if view == "kwic":
        concordance: Concordance = corpus.kwic(query, width=KWIC_WIDTH, limit=KWIC_PAGE, offset=offset, **filters)
        return {"concordance": concordance, "kwic_page": KWIC_PAGE}
    return {}


def totals(series: Series) -> tuple[int, int]:
    """Articles and occurrences of a series, undated ones included (as the API counts them)."""
    return (
        sum(p.articles for p in series.points) + series.undated_articles,
        sum(p.occurrences for p in series.points) + series.undated_occurrences,
    )


def trend_bars(series: Series) -> list[TrendBar]:
    """One bar per period, its height the occurrences per million words of that period (so a
    month with more news does not look like more interest), right to left, oldest at the right."""
    if not series.points:
        return []
    peak = max(p.normalized for p in series.points) or 1.0
    step = CHART_WIDTH / len(series.points)
    bars = []
    for i, point in enumerate(series.points):
        height = 0.0 if not point.occurrences else max(2.0, (CHART_HEIGHT - 4) * point.normalized / peak)
        since, until = period_days(point.period)
        bars.append(TrendBar(
            point.period, point.articles, point.occurrences, point.normalized,
            CHART_WIDTH - (i + 1) * step + step * 0.1, CHART_HEIGHT - height, step * 0.8, height, since, until,
        ))
    return bars
