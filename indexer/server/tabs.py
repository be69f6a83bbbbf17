"""The search page's other tabs for the current query: its trend over time (an inline SVG
chart drawn here, like the month chart: no script, no CDN), its concordance (a page of
KWIC lines), its collocates (the words near what it matched, scored) and its distinctive
words (those its articles use far more than the rest: keyness). Each tab asks the library
exactly what ``/api/trend``, ``/api/kwic``, ``/api/collocates`` and ``/api/freq`` do."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from indexer.corpus import Corpus
from indexer.server.render import CHART_HEIGHT, CHART_WIDTH, MAX_MONTH_BARS, MAX_YEAR_BARS, period_days
from indexer.server.together import near_operand, together
from indexer.views.collocates import Collocate, Collocates
from indexer.views.frequency import FrequencyList, TermCount
from indexer.views.kwic import Concordance
from indexer.views.trend import Series

TABS = ("results", "trend", "kwic", "collocates", "keyness")
View = Literal["results", "trend", "kwic", "collocates", "keyness"]
#: Concordance lines per page, and characters of context each side.
KWIC_PAGE, KWIC_WIDTH = 50, 60
#: Collocates and distinctive words listed on the page (the CSV download has up to the API's cap).
LISTED = 50
#: The least keyness of a word the page calls distinctive: log-likelihood's critical value
#: at p < 0.05 (one degree of freedom); below it the difference may be chance.
DISTINCTIVE_FROM = 3.84
#: A query matching more than this share of the articles under the filters is too broad to
#: have distinctive words (too little is left to compare them with) and its collocates are
#: mostly the news's common words: the keyness tab says so instead of counting, the
#: collocates tab counts and says so.
BROAD_SHARE = 0.5


@dataclass(frozen=True)
class CollocateOptions:
    """The collocates tab's choices, as ``/api/collocates`` names them (its defaults too)."""

    measure: Literal["logdice", "mi", "t", "llr"] = "logdice"
    window: int = 5
    min_freq: int = 5
    by: Literal["stem", "exact"] = "stem"
    stopwords: bool = False

    def changed(self) -> dict[str, object]:
        """The choices that differ from the defaults, for the page's links (the rest are left out)."""
        default = CollocateOptions()
        return {name: getattr(self, name) for name in ("measure", "window", "min_freq", "by", "stopwords")
                if getattr(self, name) != getattr(default, name)}


@dataclass(frozen=True)
class Row:
    """One listed word: the view's counts, and the query its links search, without exact
    mode (`together`; None: a word no query can search, a stopword)."""

    counts: Collocate | TermCount
    query: str | None


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


def tab_context(
    corpus: Corpus, view: str, query: str, offset: int, options: CollocateOptions, matched: int, kwic_sort: str = "date", **filters: object
) -> dict:
    """What the template needs for ``view`` (nothing for the results tab); ``matched``: the
    articles the query matches under the filters (the page's search has counted them);
    ``kwic_sort``: the concordance's order, as ``/api/kwic``'s ``sort``."""
    if view == "trend":
        trend = corpus.trend(query, by="month", **filters)
        if len(trend.series[0].points) > MAX_MONTH_BARS:
            trend = corpus.trend(query, by="year", **filters)
        series = trend.series[0]
        shown = matching_span(series) if len(series.points) > MAX_YEAR_BARS else series
        return {"trend": trend, "trend_bars": trend_bars(shown), "trend_totals": totals(series)}
    if view == "kwic":
        concordance: Concordance = corpus.kwic(query, width=KWIC_WIDTH, sort=kwic_sort, limit=KWIC_PAGE, offset=offset, **filters)
        return {"concordance": concordance, "kwic_page": KWIC_PAGE}
    broad = breadth(corpus, matched, filters) if view in ("collocates", "keyness") else None
    if view == "keyness" and broad is not None:
        return {"too_broad": broad}
    if view == "collocates":
        found: Collocates = corpus.collocates(
            query, window=options.window, by=options.by, measure=options.measure, min_freq=options.min_freq,
            top=LISTED, stopwords=options.stopwords, **filters,
        )
        rows = [
            Row(c, together(query, c.word, window=options.window, exact_form=options.by == "exact", exact_query=bool(filters.get("exact"))))
            for c in found.collocates
        ]
        return {"collocates": found, "collocate_rows": rows, "collocate_near": near_operand(query), "broad": broad}
    if view == "keyness":
        listed: FrequencyList = corpus.freq(query, sort="keyness", top=LISTED, **filters)
        distinctive = [t for t in listed.terms if t.keyness is not None and t.keyness >= DISTINCTIVE_FROM]
        exact_query = bool(filters.get("exact"))
        rows = [Row(t, None if t.stopword else together(query, t.written or t.term, exact_query=exact_query)) for t in distinctive]
        return {"keyness": listed, "distinctive_from": DISTINCTIVE_FROM, "keyness_rows": rows}
    return {}


def breadth(corpus: Corpus, matched: int, filters: dict) -> tuple[int, int] | None:
    """``(matched, articles under the filters)`` when the query matches more than
    `BROAD_SHARE` of them, else None. Without a source or dates the whole index is the
    reference (a listing needs one of them; ``dedupe`` alone shrinks it by a few percent)."""
    if filters.get("since") or filters.get("until") or filters.get("source"):
        admitted = {name: filters.get(name) for name in ("since", "until", "source", "dedupe")}
        under = corpus.search("", limit=0, **admitted).total  # type: ignore[arg-type]
    else:
        under = corpus.stats().documents
    return (matched, under) if under and matched > BROAD_SHARE * under else None


def matching_span(series: Series) -> Series:
    """``series`` from its first period with a match to its last: since..until a hundred
    years apart and more (since=0001) would draw bars thinner than their gaps; the side
    chart shows the matching years then too (`render.chart_bars`)."""
    found = [i for i, point in enumerate(series.points) if point.articles]
    return replace(series, points=series.points[found[0] : found[-1] + 1] if found else [])


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
